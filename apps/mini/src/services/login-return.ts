import Taro from '@tarojs/taro';

const KEY = 'gz.loginReturn';
/** Taro's own markers in a page's parameters, not part of where the person was. */
const TARO_PARAMS = new Set(['$taroTimestamp', 'stamp']);

/** The page on screen as a navigateTo URL: its path and its parameters. */
export function currentPageUrl(): string | null {
  const router = Taro.getCurrentInstance().router;
  if (!router) return null;
  const path = router.path.split('?')[0]!;
  const search = Object.entries(router.params)
    .filter(([k, v]) => !TARO_PARAMS.has(k) && v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${path.startsWith('/') ? path : `/${path}`}${search ? `?${search}` : ''}`;
}

/**
 * To the login on the work tab, remembering this page: after logging in the person comes back here
 * (a deep link from a notification or a shared message works once they are in).
 */
export function logInAndReturn() {
  const here = currentPageUrl();
  if (here && !here.startsWith('/pages/work/')) Taro.setStorageSync(KEY, here);
  void Taro.switchTab({ url: '/pages/work/index' });
}

/** The page to go back to after logging in, once. */
export function takeLoginReturn(): string | null {
  const url = Taro.getStorageSync(KEY) as string | '';
  if (!url) return null;
  Taro.removeStorageSync(KEY);
  return url;
}
