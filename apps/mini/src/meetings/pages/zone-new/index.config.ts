export default definePageConfig({ navigationBarTitleText: '召集区域会议' });
