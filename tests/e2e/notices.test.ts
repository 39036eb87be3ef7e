import type { IssueDetail, NoticeView } from '@gongzhi/domain';
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

async function staffPage(person: string) {
  const session = await product.t.loginAs(person);
  const page = await product.newPage();
  await page.goto(`${product.base}/#/pages/work/index`);
  await field(page, '请输入手机号').fill(session.phone);
  await field(page, '请输入密码').fill('test-password-1');
  await button(page, '登录').click();
  await page.getByText('公告公示').first().waitFor();
  return page;
}

describe('notices: drafted and published by staff, read and printed by residents', () => {
  let rosterId: string;
  let fund: NoticeView;

  it('the secretary generates the zone-1 roster in the mini-program; the leader approves; she publishes', async () => {
    const page = await staffPage('tu-zhongmei');
    await cell(page, '公告管理').click();
    await button(page, '起草公告').click();
    await page.getByText('生成方式').waitFor();
    await page.locator('.gz-notice__chip:visible', { hasText: '第一责任区域' }).click();
    await shot(page, 'notices-01-compose');
    await button(page, '保存草稿').click();
    await page.getByText('草稿，尚未发布，居民看不到').waitFor();
    await page.getByText('第一责任区域责任名单公示').waitFor();
    rosterId = new URL(page.url().replace('#', '')).searchParams.get('id')!;
    expect(rosterId).toMatch(/^[0-9a-f-]{36}$/);

    // Approved by the Party secretary (not the author), then published by her on the page.
    const leader = await product.t.loginAs('wen-liang');
    const approved = await product.t.app.inject({
      method: 'POST',
      url: `/api/notices/${rosterId}/approve`,
      headers: leader.auth,
      payload: {},
    });
    expect(approved.statusCode).toBe(200);
    await page.reload();
    await button(page, '发布').click();
    // The first notice of the year (the real clock's year): numbered on publication.
    await page.locator('.gz-notice__number').waitFor();
    expect(await page.locator('.gz-notice__number').textContent()).toMatch(/^夏朵园居民区公告〔\d{4}〕1号$/);
    await page.locator('.nut-toast').waitFor({ state: 'hidden' });
    await shot(page, 'notices-02-staff-detail');
    await page.close();
  });

  it('a maintenance-fund notice is published (API) and listed as 公示中', async () => {
    const { t } = product;
    const inspector = await t.loginAs('yang-chenyi');
    const leader = await t.loginAs('wu-wenjie');
    const secretary = await t.loginAs('tu-zhongmei');
    const inject = async <T>(
      s: { auth: Record<string, string> },
      method: 'POST',
      url: string,
      payload: object,
    ) => {
      const r = await t.app.inject({ method, url, headers: s.auth, payload });
      if (r.statusCode >= 300) throw new Error(`${url} → ${r.statusCode} ${r.body}`);
      return r.json() as T;
    };
    const issue = await inject<IssueDetail>(inspector, 'POST', '/api/issues', {
      community: 'xiaduoyuan',
      building: 18,
      category: 'shared_leak',
      description: '18号楼二次供水管道老化，需整体更换',
      usesMaintenanceFund: true,
      touchesSharedParts: true,
    });
    await inject(leader, 'POST', `/api/issues/${issue.id}/owners-assembly`, {
      matter: 'use_fund',
      heldOn: '2026-01-05',
      totalOwners: 60,
      totalArea: 6000,
      totals: {
        participatingOwners: 45,
        participatingArea: 4600,
        consentingOwners: 38,
        consentingArea: 3900,
      },
    });
    fund = await inject<NoticeView>(leader, 'POST', '/api/notices', {
      community: 'xiaduoyuan',
      source: { kind: 'fund_notice', issue: issue.id },
    });
    await inject(secretary, 'POST', `/api/notices/${fund.id}/approve`, {});
    const wenLiang = await t.loginAs('wen-liang');
    fund = await inject<NoticeView>(wenLiang, 'POST', `/api/notices/${fund.id}/publish`, {});
    expect(fund.inNoticePeriod).toBe(true);
  });

  it('a resident sees both on the home page, opens the fund notice and its printable page', async () => {
    const page = await product.newPage();
    await page.goto(`${product.base}/`);
    await page.getByText('公告公示').waitFor();
    const fundItem = page.locator('.gz-notice-item', { hasText: fund.title });
    await fundItem.getByText('公示中').waitFor();
    await fundItem.locator('.gz-tag', { hasText: '维修资金公示' }).waitFor();
    await page
      .locator('.gz-notice-item', { hasText: '第一责任区域责任名单公示' })
      .locator('.gz-tag', { hasText: '区域责任名单' })
      .waitFor();
    // The roster has no period: no badge.
    expect(
      await page
        .locator('.gz-notice-item', { hasText: '第一责任区域责任名单公示' })
        .getByText('公示中')
        .count(),
    ).toBe(0);
    await shot(page, 'notices-03-home');

    await fundItem.click();
    await page.locator('.gz-notice__title', { hasText: fund.title }).waitFor();
    await page.getByText(`公示期：${fund.periodText}`).waitFor();
    await page.getByText('业主大会表决', { exact: false }).first().waitFor();
    await button(page, '打印').waitFor();
    // A resident is offered no staff actions.
    expect(await page.getByText('审核与发布').count()).toBe(0);
    await shot(page, 'notices-04-detail');

    await page.goBack();
    await page.getByText('更多 ›').click();
    await page.locator('.gz-notice__chip', { hasText: '全部' }).waitFor();
    await page.locator('.gz-notice-item').nth(1).waitFor();
    await shot(page, 'notices-05-list');

    await page.goto(`${product.base}${fund.printPath}`);
    await page.locator('h1', { hasText: fund.title }).waitFor();
    await page.getByText(fund.number!).waitFor();
    await page.screenshot({ path: 'screenshots/notices-06-print.png', fullPage: true });
    await page.close();
  });
});
