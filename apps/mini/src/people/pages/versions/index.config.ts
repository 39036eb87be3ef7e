export default definePageConfig({ navigationBarTitleText: '配置版本记录', enablePullDownRefresh: true });
