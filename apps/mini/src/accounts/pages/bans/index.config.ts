export default definePageConfig({ navigationBarTitleText: '封禁名单', enablePullDownRefresh: true });
