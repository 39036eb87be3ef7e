import type { NoticeView } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { TEST_QR_SECRET } from '../helpers/build-app';
import { startFakeWechat } from '../helpers/fake-wechat';
import { shot, startProduct } from './browser';

// The Content-Security-Policy of every HTML answer (docs/security.md, "Headers") must not break
// the pages: the H5 client's home, signing in, and the printable pages the API renders are loaded
// in Chromium, and any CSP violation (or console error) fails the test.
jest.setTimeout(240_000);

let product: Awaited<ReturnType<typeof startProduct>>;
let wechat: Awaited<ReturnType<typeof startFakeWechat>>;
beforeAll(async () => {
  wechat = await startFakeWechat({ appid: 'wx-test-appid', secret: 'wx-test-secret' });
  product = await startProduct({ wechatApiBase: wechat.baseUrl });
});
afterAll(async () => {
  await product?.close();
  await wechat?.close();
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

describe("WeChat's content check refused the text (422 content_refused)", () => {
  it('the message shows at the description, the text stays, the edited text is accepted', async () => {
    // A resident signed in on this phone (the H5 demo login; on weapp WeChat's silent sign-in):
    // their complaint goes with their login, so WeChat checks what they wrote.
    const login = await product.t.app.inject({ method: 'POST', url: '/api/auth/dev-resident' });
    expect(login.statusCode).toBe(200);
    const tokens = login.json() as { accessToken: string; refreshToken: string };
    const session = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: 0 };
    const page = await product.newPage();
    // As Taro's setStorageSync keeps it ({data}); expiresAt is set in the page, by its own clock.
    await page.addInitScript(
      `if (!localStorage.getItem('gz.session')) localStorage.setItem('gz.session', JSON.stringify({ data: Object.assign(${JSON.stringify(session)}, { expiresAt: Date.now() + 600000 }) }))`,
    );
    const refused = '21号楼楼道里有人乱贴违规小广告，内容不堪入目';
    wechat.suggestFor(refused, 'risky');
    const code = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 21 });
    await page.goto(`${product.base}/q/${code}`);
    await page.getByText('21 号楼', { exact: false }).first().waitFor();
    await page.getByText('环境卫生', { exact: true }).click();
    await page.locator('textarea').fill(refused);
    await page.locator('input[placeholder="具体位置（选填），如：3 单元门口"]').fill('2 单元门口');
    await button(page, '提交').click();

    // The server's own words, at the description; nothing lost.
    const error = page.getByTestId('field-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('内容未通过微信内容安全检测，请修改后再提交');
    expect(await page.locator('textarea').inputValue()).toBe(refused);
    expect(await page.locator('input[placeholder="具体位置（选填），如：3 单元门口"]').inputValue()).toBe(
      '2 单元门口',
    );
    expect(await page.getByText('提交成功').count()).toBe(0);
    await shot(page, 'content-refused-01-at-the-field');
    const checked = wechat.textChecks.filter((c) => c.content === refused);
    expect(checked).toHaveLength(1);
    expect(checked[0]!.openid).toMatch(/^dev-/);

    // Edited: the message goes away with the edit, and the new text is accepted.
    const edited = '21号楼楼道墙上贴满小广告，请安排清理';
    await page.locator('textarea').fill(edited);
    expect(await page.getByTestId('field-error').count()).toBe(0);
    await button(page, '提交').click();
    await page.getByText('提交成功').waitFor();
    await shot(page, 'content-refused-02-edited-and-sent');

    // Exactly one complaint, with the edited text and the spot as typed, filed as this resident's.
    const mine = await product.t.app.inject({
      url: '/api/me/complaints?limit=20',
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(mine.statusCode).toBe(200);
    const items = mine.json().items as { code: string; description: string }[];
    expect(items).toHaveLength(1);
    expect(items[0]!.description).toBe(edited);
    const shown = await page.getByTestId('tracking-code').textContent();
    expect(items[0]!.code).toBe(shown?.trim());
    await page.close();
  });
});
