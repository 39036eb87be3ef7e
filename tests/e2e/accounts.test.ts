import { eq, sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { accountEventsTable, accountsTable, bansTable, open311KeysTable } from '../../apps/api/src/db/schema';
import { refreshIssueCounts } from '../../apps/api/src/services/rollup/refresh-issue-counts';
import { PASSWORD } from '../helpers/build-app';
import { complain } from '../helpers/issue-flow';
import { shot, startProduct } from './browser';

jest.setTimeout(300_000);

let product: Awaited<ReturnType<typeof startProduct>>;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(() => product?.close());

const field = (page: Page, placeholder: string) => page.locator(`input[placeholder="${placeholder}"]`);
const button = (page: Page, text: string) => page.locator('.nut-button:visible', { hasText: text }).first();
const cell = (page: Page, text: string) => page.locator('.nut-cell:visible', { hasText: text }).first();

async function signIn(page: Page, phone: string, password: string) {
  await page.goto(`${product.base}/#/pages/work/index`);
  await field(page, '请输入手机号').fill(phone);
  await field(page, '请输入密码').fill(password);
  await button(page, '登录').click();
}

describe('accounts in the mini-program', () => {
  it('an administrator creates an account for a person and resets its password; the person must change it', async () => {
    const { t } = product;
    const admin = await t.loginAs('admin');
    const page = await product.newPage();
    await signIn(page, admin.phone, PASSWORD);
    await cell(page, '账号与人员').click();
    await page.getByText('工作人员与管理员').waitFor();
    await shot(page, 'accounts-01-list');

    // 新建账号: 丁盛民 has none yet.
    await cell(page, '新建账号').click();
    const person = cell(page, '丁盛民');
    await person.getByText('尚无账号').waitFor();
    await person.click();
    await page.getByText('为 丁盛民 创建账号').waitFor();
    await field(page, '请输入本人手机号').fill('13612345678');
    await shot(page, 'accounts-02-create');
    await button(page, '创建账号').click();
    await page.getByText('账号已创建').waitFor();
    const first = (await page.locator('.gz-accounts__otp').first().textContent())?.trim() ?? '';
    expect(first).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    await shot(page, 'accounts-03-one-time-password');

    // The account page: reset its password (a new one-time password; the first stops working).
    await button(page, '查看账号').click();
    await page.getByText('丁盛民 · 13612345678').waitFor();
    await page.getByText('待修改初始密码').waitFor();
    await button(page, '重置密码').click();
    await page.getByText('将生成一次性密码', { exact: false }).waitFor();
    await page.locator('.nut-dialog:visible .nut-button', { hasText: '重置' }).last().click();
    await page.getByText('丁盛民的一次性密码').waitFor();
    const reset = (await page.locator('.gz-accounts__otp').first().textContent())?.trim() ?? '';
    expect(reset).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(reset).not.toBe(first);
    await page.locator('.gz-accounts__event', { hasText: '重置密码' }).first().waitFor();
    await shot(page, 'accounts-04-detail');

    // 丁盛民 signs in on his own phone with the one-time password: the app sends him to change it.
    const his = await product.newPage();
    await signIn(his, '13612345678', reset);
    await his.getByText('请先设置新密码').waitFor();
    await field(his, '请输入一次性密码').fill(reset);
    await field(his, '请输入新密码').fill('12345678');
    await his.getByText('密码须包含字母、数字、符号中的至少两种').waitFor();
    await field(his, '请输入新密码').fill('Ding-sheng-7');
    await field(his, '请再次输入新密码').fill('Ding-sheng-7');
    await shot(his, 'accounts-05-change-password');
    await button(his, '确认修改').click();
    // Back on the work desk, as himself, with everything open to him.
    await his.locator('.gz-card', { hasText: '丁盛民' }).first().waitFor();
    await cell(his, '我的任务').waitFor();
    await shot(his, 'accounts-06-work');

    const [row] = await t.db.select().from(accountsTable).where(eq(accountsTable.phone, '13612345678'));
    expect(row!.mustChangePassword).toBe(false);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone: '13612345678', password: 'Ding-sheng-7' },
      remoteAddress: '10.9.9.9',
    });
    expect(login.json().passwordChangeRequired).toBe(false);
    const events = await t.db
      .select()
      .from(accountEventsTable)
      .where(eq(accountEventsTable.accountId, row!.id))
      .orderBy(accountEventsTable.at);
    expect(events.map((e) => [e.action, e.actorAccountId])).toEqual([
      ['created', admin.accountId],
      ['password_reset', admin.accountId],
      ['password_changed', row!.id],
    ]);
    await page.close();
    await his.close();
  });

  it('an administrator reads the district roll-up with its freshness, issues and revokes an Open311 key, adds and lifts a ban', async () => {
    const { t } = product;
    const admin = await t.loginAs('admin');
    // Issues this month, counted into the summary as the job clock does.
    await complain(t, 3, '楼道堆放杂物');
    await complain(t, 5, '电梯停在三楼不动', 'elevator');
    await refreshIssueCounts(t.db, new Date());
    const page = await product.newPage();
    await signIn(page, admin.phone, PASSWORD);
    // The work desk offers the administrator's pages.
    await cell(page, '封禁名单').waitFor();
    await shot(page, 'admin-00-work');

    // 区域汇总: the current quarter over every community, with when the summary was brought up to date.
    await cell(page, '区域汇总').click();
    await page.getByText('数据更新于', { exact: false }).waitFor();
    await page.getByText('（不到 1 分钟前）', { exact: false }).waitFor();
    expect(await page.getByText('汇总数据已较长时间未更新', { exact: false }).count()).toBe(0);
    const byCommunity = page.locator('.gz-card', { hasText: '按小区' });
    await byCommunity.getByText('夏朵园居民区', { exact: true }).waitFor();
    await page
      .locator('.gz-card', { hasText: '按类别' })
      .getByText('电梯', { exact: false })
      .first()
      .waitFor();
    await shot(page, 'admin-01-rollup');
    // A summary the clock has not brought up to date for two hours: the page says so plainly.
    await t.db.execute(
      sql`update issue_counts_state set refreshed_at = now() - interval '2 hours' where id = 1`,
    );
    await cell(page, '汇总范围').click();
    await cell(page, '夏朵园居民区').click();
    await shot(page, 'admin-02-rollup-communities');
    await button(page, '汇总所选（1）').click();
    await page.getByText('已选 1 个小区', { exact: true }).waitFor();
    await page.getByText('（约 2 小时前）', { exact: false }).waitFor();
    await page.getByText('汇总数据已较长时间未更新', { exact: false }).waitFor();
    await page.getByText('1 个小区合计', { exact: true }).waitFor();
    await shot(page, 'admin-03-rollup-stale');

    // Open311 接入密钥: issue one for a district platform; the key is shown this once.
    await page.goto(`${product.base}/#/pages/work/index`);
    await cell(page, 'Open311 接入密钥').click();
    await page.getByText('还没有发放密钥', { exact: true }).waitFor();
    await field(page, '如：区城运中心平台').fill('区城运中心平台');
    // The tap is one action with its Idempotency-Key, so a retry after a lost answer issues no second key.
    const creating = page.waitForRequest(
      (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/admin/open311-keys',
    );
    await button(page, '生成密钥').click();
    expect((await creating).headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    const secret = page.locator('.gz-admin__secret');
    await secret.waitFor();
    const key = (await secret.textContent())?.trim() ?? '';
    expect(key).toMatch(/^o311_\S{32}$/);
    await page.getByText('密钥只显示这一次', { exact: false }).waitFor();
    await page.getByText('已发放的密钥（1）', { exact: true }).waitFor();
    await shot(page, 'admin-04-open311-key');
    // The key the page showed is the one Open311 accepts, until it is revoked.
    const submit = () =>
      t.app.inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        payload: {
          api_key: key,
          service_code: 'greening',
          address_id: '30',
          description: '30号楼绿化带缺水',
        },
      });
    expect((await submit()).statusCode).toBe(201);
    await button(page, '我已保存，关闭').click();
    expect(await page.locator('.gz-admin__secret').count()).toBe(0);
    await page.getByText(`${key.slice(0, 9)}…`, { exact: false }).waitFor();
    await button(page, '吊销').click();
    await page.getByText('用此密钥提交的请求将被拒绝', { exact: false }).waitFor();
    await page.locator('.nut-dialog:visible .nut-button', { hasText: '吊销' }).last().click();
    await page.getByText('已吊销', { exact: true }).waitFor();
    await shot(page, 'admin-05-open311-revoked');
    const [row] = await t.db.select().from(open311KeysTable);
    expect(row!.revokedAt).not.toBeNull();
    expect((await submit()).statusCode).toBe(403);

    // 封禁名单: a phone whose complaints are hidden; then lifted.
    await page.goto(`${product.base}/#/pages/work/index`);
    await cell(page, '封禁名单').click();
    await page.getByText('封禁名单为空', { exact: true }).waitFor();
    await field(page, '请输入手机号码').fill('13900001111');
    await page
      .locator('textarea[placeholder="请填写封禁原因（至少 2 个字）"]')
      .fill('一天内重复提交三十次骚扰投诉');
    await button(page, '加入封禁名单').click();
    await page.getByText('封禁中（1）', { exact: true }).waitFor();
    await page.getByText('原因：一天内重复提交三十次骚扰投诉', { exact: true }).waitFor();
    // The filled form scrolled the page: the picture starts at its top.
    await page.evaluate(() =>
      (globalThis as unknown as { scrollTo: (x: number, y: number) => void }).scrollTo(0, 0),
    );
    await shot(page, 'admin-06-bans');
    expect(await t.db.select().from(bansTable)).toMatchObject([{ kind: 'phone', value: '13900001111' }]);
    await button(page, '解除封禁').click();
    await page.getByText('之后提交的投诉将照常显示和派单', { exact: false }).waitFor();
    await page.locator('.nut-dialog:visible .nut-button', { hasText: '解除' }).last().click();
    await page.getByText('封禁中（0）', { exact: true }).waitFor();
    expect(await t.db.select().from(bansTable)).toEqual([]);
    await page.close();
  });
});
