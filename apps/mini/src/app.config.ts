// Residents' pages (home, complaint, tracking) live in the main package; each role's area is a
// subpackage, loaded only by those who open it, so the main package stays small (WeChat: 2 MB).
export default defineAppConfig({
  pages: [
    'pages/home/index',
    'pages/complain/index',
    'pages/mine/index',
    'pages/track/index',
    'pages/work/index',
    'pages/privacy/index',
  ],
  subPackages: [
    {
      root: 'inspector',
      pages: [
        'pages/report/index',
        'pages/zone/index',
        'pages/issue/index',
        'pages/desk/index',
        'pages/inspect/index',
        'pages/callbacks/index',
        'pages/triage/index',
      ],
    },
    { root: 'oversight', pages: ['pages/index/index', 'pages/rounds/index'] },
    {
      root: 'staff',
      pages: [
        'pages/tasks/index',
        'pages/resolve/index',
        'pages/letters/index',
        'pages/letter-new/index',
        'pages/inbox/index',
      ],
    },
    {
      root: 'duty',
      pages: [
        'pages/shifts/index',
        'pages/rota/index',
        'pages/swaps/index',
        'pages/log/index',
        'pages/settings/index',
      ],
    },
    { root: 'intake', pages: ['pages/external/index', 'pages/topics/index'] },
    {
      root: 'meetings',
      pages: [
        'pages/index/index',
        'pages/zone-new/index',
        'pages/agenda-new/index',
        'pages/zone-meeting/index',
        'pages/joint-meeting/index',
        'pages/resolution/index',
        'pages/assembly/index',
      ],
    },
    {
      root: 'notices',
      pages: [
        'pages/list/index',
        'pages/detail/index',
        'pages/manage/index',
        'pages/compose/index',
        'pages/honor-roll/index',
      ],
    },
    { root: 'archive', pages: ['pages/index/index'] },
    {
      root: 'evaluation',
      pages: [
        'pages/index/index',
        'pages/questionnaire/index',
        'pages/results/index',
        'pages/admin/index',
        'pages/home/index',
        'pages/verify/index',
      ],
    },
    {
      root: 'kpi',
      pages: ['pages/dashboard/index', 'pages/credit/index', 'pages/ledger/index', 'pages/report/index'],
    },
    {
      root: 'accounts',
      pages: [
        'pages/list/index',
        'pages/detail/index',
        'pages/create/index',
        'pages/log/index',
        'pages/password/index',
        'pages/rollup/index',
        'pages/open311-keys/index',
        'pages/bans/index',
      ],
    },
    { root: 'people', pages: ['pages/index/index', 'pages/versions/index'] },
  ],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#b3261e',
    navigationBarTitleText: '共治',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f5f7',
    // On H5 this draws Taro's own title bar with a back button (home on a deep-linked page);
    // WeChat draws its own either way.
    navigationStyle: 'default',
  },
  // WeChat loads only the components a page actually renders (its recommendation for start-up time).
  lazyCodeLoading: 'requiredComponents',
  // WeChat checks privacy-protected calls against the app's privacy guide (pages/privacy).
  __usePrivacyCheck__: true,
  // Staff may pin where a reported problem is (添加位置 on the patrol report, never required):
  // WeChat requires the location API to be declared, with what it is for.
  requiredPrivateInfos: ['getLocation'],
  permission: {
    'scope.userLocation': { desc: '巡查上报时可选择附上问题所在位置，便于处理人员找到现场' },
  },
  tabBar: {
    color: '#666666',
    selectedColor: '#b3261e',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      {
        pagePath: 'pages/home/index',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-on.png',
        text: '首页',
      },
      {
        pagePath: 'pages/mine/index',
        iconPath: 'assets/tab/list.png',
        selectedIconPath: 'assets/tab/list-on.png',
        text: '我的投诉',
      },
      {
        pagePath: 'pages/work/index',
        iconPath: 'assets/tab/work.png',
        selectedIconPath: 'assets/tab/work-on.png',
        text: '工作台',
      },
    ],
  },
});
