export default definePageConfig({ navigationBarTitleText: 'Open311 接入密钥', enablePullDownRefresh: true });
