export default definePageConfig({ navigationBarTitleText: '两巡两访' });
