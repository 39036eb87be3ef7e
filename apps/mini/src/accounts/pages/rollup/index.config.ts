export default definePageConfig({ navigationBarTitleText: '区域汇总', enablePullDownRefresh: true });
