export default definePageConfig({ navigationBarTitleText: '评议结果', enablePullDownRefresh: true });
