export default definePageConfig({ navigationBarTitleText: '季度归档', enablePullDownRefresh: true });
