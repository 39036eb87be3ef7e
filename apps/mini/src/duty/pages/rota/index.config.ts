export default definePageConfig({ navigationBarTitleText: '月度值班表' });
