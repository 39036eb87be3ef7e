export default definePageConfig({ navigationBarTitleText: '公告公示', enablePullDownRefresh: true });
