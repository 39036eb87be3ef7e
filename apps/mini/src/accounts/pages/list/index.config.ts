export default definePageConfig({ navigationBarTitleText: '账号与人员', enablePullDownRefresh: true });
