import type { IssueDetail } from '@gongzhi/domain';
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

const field = (page: Page, placeholder: string) => page.locator(`input[placeholder="${placeholder}"]`);
const visibleButton = (page: Page, text: string) =>
  page.locator('.nut-button:visible', { hasText: text }).first();

describe('the triage desk (兜底): a resident without a QR code, not sure where; the secretary places it', () => {
  const description = '小区东门旁边的路灯坏了，不知道算哪栋楼';
  let trackingCode = '';

  it('the resident complains from the home page without a QR code and is not sure of the place', async () => {
    const page = await product.newPage();
    await page.goto(`${product.base}/#/pages/home/index`);
    await visibleButton(page, '没有二维码？选择楼栋或区域反映').click();
    await page.locator('.gz-place__zone', { hasText: '第一责任区域' }).waitFor();
    await shot(page, 'triage-01-complain-without-qr');
    await page.locator('.gz-place__zone', { hasText: '不确定' }).click();
    await page.getByText('公共设施', { exact: true }).click();
    await page.locator('textarea').fill(description);
    await shot(page, 'triage-02-unsure-filled');
    await visibleButton(page, '提交').click();
    await page.getByText('提交成功').waitFor({ timeout: 30_000 });
    trackingCode = (await page.getByTestId('tracking-code').textContent())?.trim() ?? '';
    expect(trackingCode).toMatch(/^[A-Z2-9]{8}$/);
    // Accepted, never refused: it says who will place it.
    await page.getByText('兜底分拨', { exact: true }).waitFor();
    await page.getByText('已受理并转屠忠梅兜底分拨', { exact: false }).waitFor();
    await shot(page, 'triage-03-receipt');
    await page.close();
  });

  it('the secretary finds it on the triage desk and places it in building 12; it is dispatched as usual', async () => {
    const s = await product.t.loginAs('tu-zhongmei');
    const page = await product.newPage();
    await staffLogin(page, s.phone, { open: product.base });
    await page.locator('.nut-cell:visible', { hasText: '兜底分拨' }).click();
    const card = page.locator('.gz-card:visible', { hasText: description });
    await card.waitFor();
    await card.getByText('居民不确定所在楼栋或区域').waitFor();
    await shot(page, 'triage-04-desk');

    await card.locator('.nut-button', { hasText: '分拨' }).click();
    // Staff must choose: no "不确定" here.
    expect(await card.locator('.gz-place__zone', { hasText: '不确定' }).count()).toBe(0);
    await card.locator('input[placeholder="楼号（知道的话请填写），如：12"]').fill('12');
    await card
      .locator('input[placeholder="说明（选填），如：已电话联系居民确认楼号"]')
      .fill('电话联系居民，确认在12号楼东侧');
    await shot(page, 'triage-05-place-form');
    await card.locator('.nut-button', { hasText: '确定分拨' }).click();
    await page.getByText('没有待分拨的投诉').waitFor();
    await shot(page, 'triage-06-desk-empty');
    await page.close();

    const leader = await product.t.loginAs('wu-wenjie');
    const list = await product.t.app.inject({
      url: `/api/issues?community=xiaduoyuan&q=${trackingCode}`,
      headers: leader.auth,
    });
    const id = (list.json().items as { id: string }[])[0]!.id;
    const issue = (
      await product.t.app.inject({ url: `/api/issues/${id}`, headers: leader.auth })
    ).json() as IssueDetail;
    expect(issue).toMatchObject({ status: 'dispatched', tier: 'zone', zone: 'zone-1', building: 12 });
    expect(issue.tasks.map((x) => [x.assignee.key, x.status])).toEqual([['zhang-lifen', 'open']]);
  });

  it('the zone leader sees it on his issue page with the placing on the timeline', async () => {
    const s = await product.t.loginAs('wu-wenjie');
    const page = await product.newPage();
    await staffLogin(page, s.phone, { open: product.base });
    await page.getByText('我的任务').first().waitFor();
    const list = await product.t.app.inject({
      url: `/api/issues?community=xiaduoyuan&q=${trackingCode}`,
      headers: s.auth,
    });
    const id = (list.json().items as { id: string }[])[0]!.id;
    await page.goto(`${product.base}/#/inspector/pages/issue/index?id=${id}`);
    await page.getByText('兜底分拨：定为第一责任区域 12号楼', { exact: false }).first().waitFor();
    await shot(page, 'triage-07-issue-placed');
    await page.close();
  });
});
