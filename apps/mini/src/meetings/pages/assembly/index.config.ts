export default definePageConfig({ navigationBarTitleText: '业主大会表决结果' });
