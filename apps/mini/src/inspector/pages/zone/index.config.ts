export default definePageConfig({ navigationBarTitleText: '区域问题', enablePullDownRefresh: true });
