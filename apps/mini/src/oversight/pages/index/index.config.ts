export default definePageConfig({ navigationBarTitleText: '监督委员会' });
