export default definePageConfig({ navigationBarTitleText: '区域会议', enablePullDownRefresh: true });
