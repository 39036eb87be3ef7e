export default definePageConfig({ navigationBarTitleText: '日历订阅与联系电话' });
