import type { NoticeView } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { startProduct } from './browser';

// The Content-Security-Policy of every HTML answer (docs/security.md, "Headers") must not break
// the pages: the H5 client's home, signing in, and the printable pages the API renders are loaded
// in Chromium, and any CSP violation (or console error) fails the test.
jest.setTimeout(240_000);

let product: Awaited<ReturnType<typeof startProduct>>;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.close();
});

/** A page that records every CSP violation and console error. */
async function watchedPage() {
  const page = await product.newPage();
  const problems: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => problems.push(`CSP: ${v}`));
  // Browser code as text: the tests are compiled without the DOM's types.
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
    window.__cspViolation(e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' at ' + e.sourceFile + ':' + e.lineNumber))`);
  // A failed request is reported with its address (the console's own line for it has none);
  // the browser's own favicon probe is not the page's.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
  });
  return { page, problems };
}

const field = (page: Page, placeholder: string) =>
  page.locator(`input[placeholder="${placeholder}"]:visible`);
const button = (page: Page, text: string) => page.locator('.nut-button:visible', { hasText: text }).first();

describe('the pages work under their Content-Security-Policy', () => {
  it('the H5 home loads with its policy and no violation', async () => {
    const { page, problems } = await watchedPage();
    const res = await page.goto(`${product.base}/`);
    const csp = res!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self' 'sha256-");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain("frame-ancestors 'none'");
    await page.locator('.nut-cell:visible', { hasText: '居民评议' }).waitFor();
    // Taro's rem sizing ran (an inline script, allowed by its hash).
    expect(await page.evaluate('document.documentElement.style.fontSize')).toMatch(/px$/);
    expect(problems).toEqual([]);
  });

  it('a staff member signs in on the H5 client without a violation', async () => {
    const session = await product.t.loginAs('tu-zhongmei');
    const { page, problems } = await watchedPage();
    await page.goto(`${product.base}/#/pages/work/index`);
    await field(page, '请输入手机号').fill(session.phone);
    await field(page, '请输入密码').fill('test-password-1');
    await button(page, '登录').click();
    await page.getByText('公告管理').first().waitFor();
    expect(problems).toEqual([]);
  });

  it('a printable notice renders and its print button works; the QR refusal page too', async () => {
    const as = async (person: string) => (await product.t.loginAs(person)).auth;
    const secretary = await as('tu-zhongmei');
    const call = async (auth: Record<string, string>, url: string, payload: object = {}) => {
      const r = await product.t.app.inject({ method: 'POST', url, headers: auth, payload });
      if (r.statusCode >= 300) throw new Error(`${url} → ${r.statusCode}: ${r.body}`);
      return r.json() as NoticeView;
    };
    const n = await call(secretary, '/api/notices', {
      community: 'xiaduoyuan',
      source: { kind: 'zone_roster', zone: 'zone-1' },
    });
    await call(await as('wen-liang'), `/api/notices/${n.id}/approve`);
    await call(secretary, `/api/notices/${n.id}/publish`);

    const { page, problems } = await watchedPage();
    await page.exposeFunction('__printed', () => problems.push('printed'));
    const res = await page.goto(`${product.base}/api/notices/${n.id}/print`);
    expect(res!.headers()['content-security-policy']).toContain("default-src 'none'");
    await page.getByText('第一责任区域责任名单公示').first().waitFor();
    // window.print is replaced so headless Chromium does not open a dialog; the click reaches it
    // only if the page's script ran under the policy.
    await page.evaluate('window.print = () => window.__printed()');
    await page.locator('button[data-print]').click();
    await page.waitForTimeout(200);
    expect(problems).toEqual(['printed']);

    const refusal = await watchedPage();
    const bad = await refusal.page.goto(`${product.base}/q/not-a-code`);
    expect(bad!.status()).toBe(400);
    expect(bad!.headers()['content-security-policy']).toContain("default-src 'none'");
    await refusal.page.getByRole('heading', { name: '二维码无效' }).waitFor();
    // The page's inline style applied.
    expect(await refusal.page.evaluate("getComputedStyle(document.querySelector('h1')).color")).toBe(
      'rgb(179, 38, 30)',
    );
    // The refusal itself is a 400, as it should be; nothing else went wrong.
    expect(refusal.problems).toEqual([`400 ${product.base}/q/not-a-code`]);
  });
});
