export default definePageConfig({ navigationBarTitleText: '添加联席会议议题' });
