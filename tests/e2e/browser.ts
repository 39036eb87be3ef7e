import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';

export const ROOT = path.resolve(__dirname, '../..');
export const H5_ROOT = path.join(ROOT, 'apps/mini/dist/h5');
/** Screenshots of the main pages, for a person to look at (git-ignored). */
export const SCREENSHOTS = path.join(ROOT, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The real API on a fresh database (PGlite, or PostgreSQL when DATABASE_URL is set), listening on a
 * random port and serving the H5 build, and a fresh headless Chromium sized like a phone.
 */
export async function startProduct(
  opts: Omit<NonNullable<Parameters<typeof buildTestApp>[0]>, 'webRoot'> = {},
): Promise<{
  t: TestApp;
  base: string;
  browser: Browser;
  /** A page in a context of its own: one person's phone (390 × 844 unless told), with its own storage. */
  newPage: (viewport?: { width: number; height: number }) => Promise<Page>;
  close: () => Promise<void>;
}> {
  if (!existsSync(path.join(H5_ROOT, 'index.html'))) {
    throw new Error('H5 build missing: run `node scripts/ensure-h5.mjs` (pnpm test:all does it first)');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const t = await buildTestApp({ ...opts, webRoot: H5_ROOT });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  // playwright-core launches Debian's Chromium with a fresh temporary --user-data-dir of its own.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const errors: string[] = [];
  const newPage = async (viewport = { width: 390, height: 844 }) => {
    const context = await browser.newContext({
      viewport,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    // A hang detector, not a speed check: on a loaded two-core CI machine a step of the H5 app
    // (an API call, a re-render) can take longer than Playwright's default 30 s.
    context.setDefaultTimeout(90_000);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${e.message}\n${e.stack ?? ''}`));
    return page;
  };
  return {
    t,
    base,
    browser,
    newPage,
    close: async () => {
      await browser.close();
      await t.close();
      // A page that threw is a failure even when the flow happened to get through.
      if (errors.length) throw new Error(`errors in the page:\n${errors.join('\n')}`);
    },
  };
}

/** After Taro's page slide-in (300 ms) has finished, so the picture shows the page in place. */
export async function shot(page: Page, name: string) {
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Waits until an image matching `selector` has been decoded (a broken or unloaded image has no
 * natural width). Polls from Node: the product's CSP forbids eval, which `page.waitForFunction`
 * needs once it has to poll inside the page.
 */
export async function waitForDecodedImage(page: Page, selector: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const widths = await page
      .locator(selector)
      .evaluateAll((imgs) => imgs.map((img) => (img as unknown as { naturalWidth: number }).naturalWidth));
    if (widths.some((w) => w > 0)) return;
    if (Date.now() > deadline)
      throw new Error(`no decoded image for ${selector} (widths ${widths.join(',')})`);
    await page.waitForTimeout(100);
  }
}

/**
 * The staff login form on the 工作台 tab, filled and sent (the test accounts' password). With
 * `open`, the tab is opened first; without, the form is already on screen (a page sent there).
 */
export async function staffLogin(page: Page, phone: string, opts: { open?: string } = {}) {
  if (opts.open) await page.goto(`${opts.open}/#/pages/work/index`);
  await page.locator('input[placeholder="请输入手机号"]').fill(phone);
  await page.locator('input[placeholder="请输入密码"]').fill('test-password-1');
  await page.locator('.nut-button:visible', { hasText: '登录' }).last().click();
}
