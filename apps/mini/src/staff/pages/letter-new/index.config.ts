export default definePageConfig({ navigationBarTitleText: '发出提示函 / 警示函' });
