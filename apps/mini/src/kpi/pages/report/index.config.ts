export default definePageConfig({ navigationBarTitleText: '评估报告', enablePullDownRefresh: true });
