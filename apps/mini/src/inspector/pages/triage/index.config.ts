export default definePageConfig({ navigationBarTitleText: '兜底分拨' });
