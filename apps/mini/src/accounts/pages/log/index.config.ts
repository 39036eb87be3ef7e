export default definePageConfig({ navigationBarTitleText: '账号日志', enablePullDownRefresh: true });
