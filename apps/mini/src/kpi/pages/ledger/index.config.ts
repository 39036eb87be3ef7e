export default definePageConfig({ navigationBarTitleText: '工单台账' });
