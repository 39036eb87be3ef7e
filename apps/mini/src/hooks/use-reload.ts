import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useEffect } from 'react';

/**
 * A page's data: loaded when the page first mounts ('mount', for pages that keep a form the user
 * is editing) or every time it shows ('show', so a list is fresh after returning from a detail),
 * and again on pull-down refresh, which stops its spinner when the load is done.
 */
export function useReload(load: () => Promise<unknown>, when: 'mount' | 'show' = 'show') {
  useEffect(() => {
    if (when === 'mount') void load();
  }, [load, when]);
  useDidShow(() => {
    if (when === 'show') void load();
  });
  usePullDownRefresh(async () => {
    await load();
    Taro.stopPullDownRefresh();
  });
}
