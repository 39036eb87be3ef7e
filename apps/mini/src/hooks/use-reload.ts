import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useEffect, useRef } from 'react';

/**
 * A page's data: loaded when the page mounts and again whenever `load` changes (a tab or a filter
 * that `load` depends on), then — for 'show' pages, so a list is fresh after returning from a
 * detail — every time the page shows again; 'mount' pages keep a form the user is editing and do
 * not reload on show. Pull-down refresh loads again and stops its spinner when the load is done.
 *
 * The first load does not wait for the page's first show: on a slow phone (or a loaded machine)
 * Taro's H5 router can show the page before its hooks are registered, and a page waiting for that
 * show would sit at 加载中… without sending a request.
 */
export function useReload(load: () => Promise<unknown>, when: 'mount' | 'show' = 'show') {
  const inFlight = useRef(false);
  const run = useRef(load);
  run.current = load;

  useEffect(() => {
    inFlight.current = true;
    const done = () => {
      inFlight.current = false;
    };
    load().then(done, done);
  }, [load]);
  useDidShow(() => {
    // The show that comes with the mount finds the first load still on its way.
    if (when === 'show' && !inFlight.current) void run.current();
  });
  usePullDownRefresh(async () => {
    await run.current();
    Taro.stopPullDownRefresh();
  });
}
