export default definePageConfig({ navigationBarTitleText: '提示函与警示函', enablePullDownRefresh: true });
