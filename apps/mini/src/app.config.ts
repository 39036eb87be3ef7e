// Residents' pages (home, complaint, tracking) live in the main package; each role's area is a
// subpackage, loaded only by those who open it, so the main package stays small (WeChat: 2 MB).
export default defineAppConfig({
  pages: [
    'pages/home/index',
    'pages/complain/index',
    'pages/mine/index',
    'pages/track/index',
    'pages/work/index',
  ],
  subPackages: [
    { root: 'inspector', pages: ['pages/report/index', 'pages/zone/index', 'pages/issue/index'] },
    { root: 'staff', pages: ['pages/tasks/index'] },
  ],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#b3261e',
    navigationBarTitleText: '共治',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f5f7',
  },
  tabBar: {
    color: '#666666',
    selectedColor: '#b3261e',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/home/index', text: '首页' },
      { pagePath: 'pages/mine/index', text: '我的投诉' },
      { pagePath: 'pages/work/index', text: '工作台' },
    ],
  },
});
