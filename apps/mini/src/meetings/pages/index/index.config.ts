export default definePageConfig({ navigationBarTitleText: '会议与决议', enablePullDownRefresh: true });
