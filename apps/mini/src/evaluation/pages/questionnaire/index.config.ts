export default definePageConfig({ navigationBarTitleText: '评议问卷', enablePullDownRefresh: true });
