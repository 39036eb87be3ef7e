// Benchmark for issue 19 item 4, the client's budget: the WeChat build's main package and each
// subpackage (scripts/check-weapp-size.mjs), the H5 home page's first-load JavaScript and CSS (raw
// and as sent), and its first contentful paint and time-to-usable at phone size (375×812) in
// Chromium on Lighthouse's throttled "fast 3G" profile (562.5 kbps down, 150 ms RTT, CPU 4× slower).
// Baselines in the same run, same server, same profile: a static page with one tiny script, and
// the home page unthrottled. Run: pnpm bench client (builds the weapp client if it is not built;
// the H5 build comes from scripts/ensure-h5.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { type Api, buildApi, ROOT, startApi } from './api-server';

const H5 = path.join(ROOT, 'apps/mini/dist/h5');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_CLIENT_RUNS ?? 3);
const FAST_3G = {
  latency: 150,
  downloadThroughput: (562.5 * 1024) / 8,
  uploadThroughput: (562.5 * 1024) / 8,
};
const CPU_SLOWDOWN = 4;
const BASELINE_PAGE = 'bench-baseline.html';
const kb = (n: number) => Math.round(n / 102.4) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

function weappSizes(): object[] {
  if (!existsSync(path.join(ROOT, 'apps/mini/dist/weapp/app.json'))) {
    console.log('building the weapp client (release-shaped, example settings)…');
    run('pnpm', ['-s', 'build:weapp'], {
      GONGZHI_API_BASE: 'https://gongzhi.example.cn',
      GONGZHI_WEAPP_APPID: 'wx0123456789abcdef',
    });
  }
  const sizes = JSON.parse(run(process.execPath, ['scripts/check-weapp-size.mjs', '--json'])) as Record<
    string,
    number
  >;
  return Object.entries(sizes).map(([pkg, bytes]) => ({
    what: `weapp ${pkg === 'main' ? 'main package' : `subpackage ${pkg}`}`,
    KB: kb(bytes),
    target: pkg === 'main' ? `< 1024 KB: ${bytes < 1024 * 1024 ? 'pass' : 'FAIL'}` : '< 2048 KB (WeChat)',
  }));
}

interface Load {
  fcp: number;
  usable: number;
  /** Scripts and style sheets fetched before the page was usable. */
  files: { url: string; transfer: number; encoded: number; decoded: number }[];
}

/** One cold load (a fresh context: empty cache) of `url`, until `usable` answers true. */
async function load(
  browser: Browser,
  url: string,
  throttled: boolean,
  usable: (page: import('playwright-core').Page) => Promise<boolean>,
): Promise<Load> {
  const context = await browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (throttled) {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, ...FAST_3G });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    }
    await page.goto(url, { waitUntil: 'commit' });
    // Polled from here: the app's CSP forbids the eval page.waitForFunction needs.
    const deadline = Date.now() + 60_000;
    while (!(await usable(page).catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`${url} not usable within 60 s`);
      await page.waitForTimeout(25);
    }
    // performance.now() is counted from the navigation's start.
    const usableAt = await page.evaluate(() => performance.now());
    let fcp = 0;
    for (let i = 0; i < 40 && !fcp; i++) {
      fcp = await page.evaluate(
        () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
      );
      if (!fcp) await page.waitForTimeout(25);
    }
    const files = await page.evaluate(
      (until) =>
        (
          performance.getEntriesByType('resource') as unknown as {
            name: string;
            startTime: number;
            transferSize: number;
            encodedBodySize: number;
            decodedBodySize: number;
          }[]
        )
          .filter((e) => /\.(js|css)(\?|$)/.test(e.name) && e.startTime <= until)
          .map((e) => ({
            url: new URL(e.name).pathname,
            transfer: e.transferSize,
            encoded: e.encodedBodySize,
            decoded: e.decodedBodySize,
          })),
      usableAt,
    );
    return { fcp, usable: usableAt, files };
  } finally {
    await context.close();
  }
}

const homeUsable = async (page: import('playwright-core').Page) =>
  // The community's name in the hero (loaded from the API) and the complaint button on screen.
  (await page.locator('.gz-hero__title').textContent({ timeout: 1 })) !== '共治' &&
  (await page.locator('.gz-submit').isVisible());
const baselineUsable = async (page: import('playwright-core').Page) =>
  (await page.locator('#ready').count()) > 0;

export async function benchClient(): Promise<object[]> {
  const rows: object[] = weappSizes();
  run(process.execPath, ['scripts/ensure-h5.mjs']);
  // The baseline page: a paragraph and one tiny script that marks it ready, served like the app.
  writeFileSync(
    path.join(H5, BASELINE_PAGE),
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
      '<title>基准</title><script defer src="/bench-baseline.js"></script></head><body><p>共治</p></body></html>',
  );
  writeFileSync(
    path.join(H5, 'bench-baseline.js'),
    "document.body.insertAdjacentHTML('beforeend','<p id=\"ready\">可用</p>');",
  );
  const build = buildApi('client');
  let api: Api | undefined;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    api = await startApi(build);
    const home = `${api.base}/`;
    const baseline = `${api.base}/${BASELINE_PAGE}`;
    // Warm the server (first answers compile routes, open files).
    await load(browser, home, false, homeUsable);
    const series = { home3g: [] as Load[], base3g: [] as Load[], homeFast: [] as Load[] };
    for (let i = 0; i < RUNS; i++) {
      series.base3g.push(await load(browser, baseline, true, baselineUsable));
      series.home3g.push(await load(browser, home, true, homeUsable));
      series.homeFast.push(await load(browser, home, false, homeUsable));
    }
    const first = series.home3g[0]!;
    const js = first.files.filter((f) => f.url.endsWith('.js'));
    const css = first.files.filter((f) => f.url.endsWith('.css'));
    const sum = (fs: Load['files'], k: 'transfer' | 'encoded' | 'decoded') =>
      fs.reduce((s, f) => s + f[k], 0);
    // The budget check's own count (gzip -9 of the files the page loaded), for the same files.
    const budget = JSON.parse(run(process.execPath, ['scripts/check-h5-size.mjs', '--json'])) as {
      js: string[];
      jsGzip: number;
      budget: number;
    };
    // The check counts files by reading the build; the browser says what the page really fetched.
    const loaded = js.map((f) => f.url.slice(1)).sort();
    if (loaded.join() !== [...budget.js].sort().join()) {
      console.warn(`check-h5-size.mjs counts ${budget.js.join(', ')}; the page fetched ${loaded.join(', ')}`);
    }
    rows.push(
      {
        what: `H5 first-load JS: ${js.length} files (${js.map((f) => path.basename(f.url)).join(', ')})`,
        KB: `${kb(sum(js, 'decoded'))} raw, ${kb(sum(js, 'encoded'))} as sent`,
        target: `gzip ${kb(budget.jsGzip)} KB ≤ budget ${kb(budget.budget)} KB: ${budget.jsGzip <= budget.budget ? 'pass' : 'FAIL'}`,
      },
      {
        what: `H5 first-load CSS: ${css.length} files`,
        KB: `${kb(sum(css, 'decoded'))} raw, ${kb(sum(css, 'encoded'))} as sent`,
        target: '',
      },
    );
    const ms = (xs: Load[], k: 'fcp' | 'usable') => Math.round(median(xs.map((l) => l[k])));
    const b = ms(series.base3g, 'fcp');
    rows.push(
      {
        what: `baseline: static page + 1 tiny script, fast 3G + 4× CPU (median of ${RUNS})`,
        KB: '',
        fcp: b,
        usable: ms(series.base3g, 'usable'),
      },
      {
        what: `H5 home, fast 3G + 4× CPU (median of ${RUNS})`,
        KB: '',
        fcp: ms(series.home3g, 'fcp'),
        usable: ms(series.home3g, 'usable'),
        'fcp / baseline': (ms(series.home3g, 'fcp') / b).toFixed(1),
      },
      {
        what: `baseline: H5 home unthrottled (median of ${RUNS})`,
        KB: '',
        fcp: ms(series.homeFast, 'fcp'),
        usable: ms(series.homeFast, 'usable'),
      },
    );
    return rows;
  } finally {
    await browser.close();
    await api?.stop();
    build.remove();
    rmSync(path.join(H5, BASELINE_PAGE), { force: true });
    rmSync(path.join(H5, 'bench-baseline.js'), { force: true });
  }
}

if (require.main === module) {
  void benchClient()
    .then((rows) => console.table(rows))
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
