import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { accountEventsTable, accountsTable } from '../../apps/api/src/db/schema';
import { PASSWORD } from '../helpers/build-app';
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
});
