export default definePageConfig({ navigationBarTitleText: '考核指标', enablePullDownRefresh: true });
