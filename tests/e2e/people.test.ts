import type { CommunityPeopleView, ConfigVersionPage } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { shot, staffLogin, startProduct } from './browser';

jest.setTimeout(240_000);

let product: Awaited<ReturnType<typeof startProduct>>;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.close();
});

const button = (page: Page, text: string) => page.locator('.nut-button:visible', { hasText: text }).first();
const cell = (page: Page, text: string) => page.locator('.nut-cell:visible', { hasText: text }).first();

describe('people and zones: the administrator edits a zone membership and reads the version diff', () => {
  it('removes 杨琛怡 from zone 1 with a reason; version 2 and its diff are on the versions page', async () => {
    const admin = await product.t.loginAs('admin');
    const page = await product.newPage();
    await staffLogin(page, admin.phone, { open: product.base });
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

describe('the supervisory committee: the administrator records whom the owners elected', () => {
  it('adds a member, designates the chair and saves; the member then holds the role', async () => {
    const admin = await product.t.loginAs('admin');
    const page = await product.newPage();
    await staffLogin(page, admin.phone, { open: product.base });
    await cell(page, '人员与网格').click();
    await page.getByText('主任：（未指定）').waitFor();

    // No member yet: the chair cannot be designated.
    await cell(page, '主任：（未指定）').click();
    await page.getByText('请先添加委员').waitFor();

    await cell(page, '＋ 添加委员').click();
    await page.locator('.nut-picker-confirm-btn:visible').click();
    const added = await page.locator('.gz-people__pending:visible').last().textContent();
    const name = /新增委员 (\S+?)撤销/.exec(added ?? '')?.[1];
    expect(name).toBeTruthy();
    await cell(page, '主任：（未指定）').click();
    await page.locator('.nut-picker-confirm-btn:visible').click();
    await page.getByText(`主任：${name}`).waitFor();
    await page.getByText(`监督委员会主任改为 ${name}`).waitFor();
    await shot(page, 'people-04-committee');

    await button(page, '保存为新版本').click();
    await page.locator('textarea:visible').fill('业主大会选举产生监督委员会');
    await page.locator('.nut-dialog:visible .nut-button', { hasText: '确定' }).click();
    await page.getByText('已保存为第', { exact: false }).waitFor();

    const people = (
      await product.t.app.inject({ url: '/api/admin/communities/xiaduoyuan/people', headers: admin.auth })
    ).json() as CommunityPeopleView;
    expect(people.supervisoryCommittee.chair?.name).toBe(name);
    expect(people.supervisoryCommittee.members.map((m) => m.name)).toEqual([name]);
    expect(people.people.find((p) => p.name === name)?.roles).toContain('监督委员会主任');
    await cell(page, '版本记录').click();
    await page.getByText('原因：业主大会选举产生监督委员会').waitFor();
    await page.getByText(`监督委员会：无 → ${name}`).waitFor();
    await shot(page, 'people-05-committee-version');
  });
});
