import { readFileSync } from 'node:fs';
import type { HonorEntryPage, NoticeView } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { complain } from '../helpers/issue-flow';
import { readXlsx } from '../helpers/xlsx-read';
import { shot, startProduct } from './browser';

jest.setTimeout(300_000);

/**
 * Issue 16, items 7 and 8 on the phone: a zone leader drafts a 停水 announcement, the secretary
 * approves and publishes it, a resident sees it on the home page; the 居委会 downloads the issue
 * ledger; the Party branch records a red-list entry and it is published through the notice flow.
 */
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
const chip = (page: Page, text: string) =>
  page.locator('.gz-notice__chip:visible', { hasText: text }).first();

async function staffPage(person: string) {
  const session = await product.t.loginAs(person);
  const page = await product.newPage();
  await page.goto(`${product.base}/#/pages/work/index`);
  await field(page, '请输入手机号').fill(session.phone);
  await field(page, '请输入密码').fill('test-password-1');
  await button(page, '登录').click();
  await cell(page, '修改密码').waitFor();
  return page;
}

const noticeIdOf = (page: Page) => new URL(page.url().replace('#', '')).searchParams.get('id')!;

describe('announcements, the issue ledger and the red and black lists', () => {
  let announcement: string;

  it('a zone leader drafts a 停水 announcement on the compose page', async () => {
    const page = await staffPage('wu-wenjie');
    await cell(page, '公告管理').click();
    await button(page, '起草公告').click();
    await page.getByText('生成方式').waitFor();
    await chip(page, '通知公告').click();
    await chip(page, '第一责任区域').click();
    await page
      .locator('.gz-input:visible input, input.gz-input:visible')
      .first()
      .fill('第一责任区域停水通知');
    await page
      .locator('textarea:visible')
      .first()
      .fill('因二次供水水箱清洗，明日 8:00–16:00 第一责任区域停水，请提前储水。<b>谢谢配合</b>');
    await field(page, '如 3').fill('2');
    await shot(page, 'announcements-01-compose');
    await button(page, '保存草稿').click();
    await page.getByText('草稿，尚未发布，居民看不到').waitFor();
    await page.locator('.gz-notice__title', { hasText: '第一责任区域停水通知' }).waitFor();
    announcement = noticeIdOf(page);
    expect(announcement).toMatch(/^[0-9a-f-]{36}$/);
    // The author may not approve their own notice: the page offers no such button.
    expect(await page.locator('.nut-button:visible', { hasText: '审核通过' }).count()).toBe(0);
    await page.close();
  });

  it('the secretary approves and publishes it on the detail page', async () => {
    const page = await staffPage('tu-zhongmei');
    await page.goto(`${product.base}/#/notices/pages/detail/index?id=${announcement}`);
    await button(page, '审核通过').click();
    await button(page, '发布').waitFor();
    await button(page, '发布').click();
    await page.locator('.gz-notice__number').waitFor();
    expect(await page.locator('.gz-notice__number').textContent()).toMatch(
      /^夏朵园居民区公告〔\d{4}〕\d+号$/,
    );
    await page.getByText('有效期：', { exact: false }).waitFor();
    await page.locator('.nut-toast').waitFor({ state: 'hidden' });
    await shot(page, 'announcements-02-published');
    await page.close();
  });

  it('a resident sees it on the home page, valid, the markup shown as text', async () => {
    const page = await product.newPage();
    await page.goto(`${product.base}/`);
    await page.getByText('公告公示').waitFor();
    const item = page.locator('.gz-notice-item', { hasText: '第一责任区域停水通知' });
    await item.locator('.gz-tag', { hasText: '通知公告' }).waitFor();
    await item.getByText('有效期内').waitFor();
    await shot(page, 'announcements-03-home');
    await item.click();
    await page.getByText('<b>谢谢配合</b>', { exact: false }).waitFor();
    expect(await page.locator('.gz-notice__body b').count()).toBe(0);
    await page.close();
  });

  it('the residents’ committee downloads the month’s issue ledger as Excel', async () => {
    await complain(product.t, 5, '5号楼楼道堆物', 'sanitation');
    await complain(product.t, 60, '60号楼门口垃圾未清', 'sanitation');
    const page = await staffPage('zhang-nen');
    await cell(page, '工单台账').click();
    await page.getByText('筛选').waitFor();
    await shot(page, 'announcements-04-ledger');
    const [download] = await Promise.all([page.waitForEvent('download'), button(page, '导出 Excel').click()]);
    expect(download.suggestedFilename()).toMatch(/^夏朵园居民区-工单台账-\d{4}-\d{2}\.xlsx$/);
    const [sheet] = readXlsx(readFileSync((await download.path())!));
    expect(sheet!.name).toBe('工单台账');
    expect(sheet!.rows[0]![1]).toBe('编号');
    // Zone 1's member reads zone 1's issues only: the building-60 complaint (zone 2) is not there.
    expect(sheet!.rows.slice(1).map((r) => r[7])).toEqual(['5号楼楼道堆物']);
    await page.close();
  });

  it('the Party branch records a red-list entry and publishes it through the notice flow', async () => {
    const page = await staffPage('wen-liang');
    await cell(page, '红黑榜').click();
    await page.getByText('记录上榜').waitFor();
    await field(page, '如 12号楼302室').fill('12号楼302室');
    await page.locator('textarea:visible').first().fill('主动清理楼道堆物，带动邻居');
    await button(page, '记录（记录后不可修改）').click();
    const entry = page.locator('.gz-honor__entry', { hasText: '12号楼302室' });
    await entry.getByText('未公布', { exact: false }).waitFor();
    await entry.click();
    await shot(page, 'announcements-05-honor-roll');
    await button(page, '生成红黑榜公告').click();
    await page.locator('.gz-notice__title', { hasText: '红榜' }).waitFor();
    const id = noticeIdOf(page);

    const { t } = product;
    const secretary = await t.loginAs('tu-zhongmei');
    for (const step of ['approve', 'publish']) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/notices/${id}/${step}`,
        headers: secretary.auth,
        payload: {},
      });
      expect(r.statusCode).toBe(200);
    }
    const published = (await t.app.inject({ url: `/api/notices/${id}` })).json() as NoticeView;
    expect(published.status).toBe('published');

    await page.goBack();
    await page.reload();
    await page
      .locator('.gz-honor__entry', { hasText: '12号楼302室' })
      .getByText(`已公布 ${published.number}`)
      .waitFor();
    await shot(page, 'announcements-06-honor-published');
    const leader = await t.loginAs('wen-liang');
    const history = (
      await t.app.inject({ url: '/api/communities/xiaduoyuan/honor-roll', headers: leader.auth })
    ).json() as HonorEntryPage;
    expect(history.items.map((e) => [e.subject, e.notice?.id])).toEqual([['12号楼302室', id]]);
    await page.close();

    const resident = await product.newPage();
    await resident.goto(`${product.base}/`);
    await resident
      .locator('.gz-notice-item', { hasText: '红榜' })
      .locator('.gz-tag', { hasText: '红黑榜' })
      .waitFor();
    await resident.close();
  });
});
