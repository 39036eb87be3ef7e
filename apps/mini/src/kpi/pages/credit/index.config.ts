export default definePageConfig({ navigationBarTitleText: '诚信档案', enablePullDownRefresh: true });
