import type { ConfigVersionPage } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { shot, startProduct } from './browser';

jest.setTimeout(240_000);

let product: Awaited<ReturnType<typeof startProduct>>;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.close();
});

const field = (page: Page, placeholder: string) =>
  page.locator(`input[placeholder="${placeholder}"]:visible`);
const button = (page: Page, text: string) => page.locator('.nut-button:visible', { hasText: text }).first();
const cell = (page: Page, text: string) => page.locator('.nut-cell:visible', { hasText: text }).first();

describe('people and zones: the administrator edits a zone membership and reads the version diff', () => {
  it('removes 杨琛怡 from zone 1 with a reason; version 2 and its diff are on the versions page', async () => {
    const admin = await product.t.loginAs('admin');
    const page = await product.newPage();
    await page.goto(`${product.base}/#/pages/work/index`);
    await field(page, '请输入手机号').fill(admin.phone);
    await field(page, '请输入密码').fill('test-password-1');
    await button(page, '登录').click();
    await cell(page, '人员与网格').click();
    await page.getByText('第 1 版').waitFor();
    await shot(page, 'people-01-editor');

    const member = cell(page, '杨琛怡');
    await member.locator('.nut-button', { hasText: '移除' }).click();
    await page.getByText('待保存的修改（1 项）').waitFor();
    await page.getByText('第一责任区域：移除 杨琛怡（网格巡查）').waitFor();
    await shot(page, 'people-02-pending');
    await button(page, '保存为新版本').click();
    await page.locator('textarea:visible').fill('杨琛怡调往第二责任区域');
    await page.locator('.nut-dialog:visible .nut-button', { hasText: '确定' }).click();
    await page.getByText('第 2 版').first().waitFor();

    const versions = (
      await product.t.app.inject({
        url: '/api/admin/communities/xiaduoyuan/config-versions',
        headers: admin.auth,
      })
    ).json() as ConfigVersionPage;
    expect(versions.items[0]).toMatchObject({
      version: 2,
      reason: '杨琛怡调往第二责任区域',
      author: '管理员',
    });

    await cell(page, '版本记录').click();
    await page.getByText('原因：杨琛怡调往第二责任区域').waitFor();
    await page.getByText('第一责任区域：移除成员 杨琛怡（网格巡查）').waitFor();
    await shot(page, 'people-03-versions');
  });
});
