export default definePageConfig({ navigationBarTitleText: '接待记录', enablePullDownRefresh: true });
