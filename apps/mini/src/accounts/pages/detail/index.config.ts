export default definePageConfig({ navigationBarTitleText: '账号详情', enablePullDownRefresh: true });
