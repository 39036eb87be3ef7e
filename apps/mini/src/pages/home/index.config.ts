export default definePageConfig({ navigationBarTitleText: '共治' });
