export default definePageConfig({ navigationBarTitleText: '居民评议', enablePullDownRefresh: true });
