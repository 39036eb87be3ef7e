export default definePageConfig({ navigationBarTitleText: '共治 · 夏朵园' });
