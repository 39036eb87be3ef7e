export default definePageConfig({ navigationBarTitleText: '12345 与街道转办' });
