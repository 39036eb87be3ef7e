export default definePageConfig({ navigationBarTitleText: '每月一题' });
