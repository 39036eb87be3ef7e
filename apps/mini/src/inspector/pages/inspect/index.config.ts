export default definePageConfig({ navigationBarTitleText: '现场核查' });
