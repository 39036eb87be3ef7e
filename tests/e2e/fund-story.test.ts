import type { FundUseView, IssueDetail, NoticeView } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { resolveTaskOf, uploadPhoto } from '../helpers/issue-flow';
import { shot, startProduct } from './browser';

jest.setTimeout(300_000);

let product: Awaited<ReturnType<typeof startProduct>>;

/** The server's clock and each phone's: real time, moved on past the 7-day 公示 when it has run. */
const DAY = 24 * 3_600_000;
let offset = 0;
const serverNow = () => new Date(Date.now() + offset);

beforeAll(async () => {
  product = await startProduct({ now: serverNow });
});
afterAll(async () => {
  await product?.close();
});

const field = (page: Page, placeholder: string) =>
  page.locator(`input[placeholder="${placeholder}"]:visible`);
const button = (page: Page, text: string) => page.locator('.nut-button:visible', { hasText: text }).first();

async function as<T>(person: string, method: 'GET' | 'POST', url: string, payload?: object, status = 200) {
  const s = await product.t.loginAs(person);
  const r = await product.t.app.inject({ method, url, headers: s.auth, ...(payload ? { payload } : {}) });
  if (r.statusCode !== status) throw new Error(`${person} ${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json() as T;
}

/** A person's own phone, logged in, on the issue's 业主大会与维修资金 page. */
async function fundPage(person: string, issueId: string) {
  const session = await product.t.loginAs(person);
  const page = await product.newPage();
  await page.clock.install({ time: serverNow() });
  await page.goto(`${product.base}/#/pages/work/index`);
  await field(page, '请输入手机号').fill(session.phone);
  await field(page, '请输入密码').fill('test-password-1');
  await button(page, '登录').click();
  await page.getByText('会议与决议').waitFor();
  await page.goto(`${product.base}/#/meetings/pages/assembly/index?issue=${issueId}`);
  await page.getByText('维修资金使用程序').waitFor();
  return page;
}

const day = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('a maintenance-fund issue: nothing closes before the owners’ committee has done its part', () => {
  let issue: IssueDetail;

  it('filed with the fund and shared parts: the first look cannot be resolved', async () => {
    issue = await as<IssueDetail>(
      'yang-chenyi',
      'POST',
      '/api/issues',
      {
        community: 'xiaduoyuan',
        building: 18,
        category: 'shared_leak',
        description: '18号楼二次供水管道老化，需整体更换',
        usesMaintenanceFund: true,
        touchesSharedParts: true,
      },
      201,
    );
    const specialist = await product.t.loginAs('zhang-lifen');
    const look = issue.tasks[0]!;
    await as('zhang-lifen', 'POST', `/api/tasks/${look.id}/accept`);
    const photo = await uploadPhoto(product.t, specialist);
    const r = await product.t.app.inject({
      method: 'POST',
      url: `/api/tasks/${look.id}/resolve`,
      headers: specialist.auth,
      payload: { note: '已更换', photoIds: [photo] },
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('fund_use_not_ready');
    await as('zhang-lifen', 'POST', `/api/tasks/${look.id}/return`, {
      reason: '需动用维修资金，待业主大会表决',
    });
    const owner = await as<IssueDetail>('wu-wenjie', 'GET', `/api/issues/${issue.id}`);
    expect(owner.allowedActions).not.toContain('redispatch');

    // The owner sees where it stands, and nothing to press but what is his.
    const page = await fundPage('wu-wenjie', issue.id);
    await page
      .getByText('尚未经业主大会表决（使用维修资金须经参与表决面积和人数均过半数的业主同意）')
      .waitFor();
    expect(await button(page, '上报业委会').count()).toBe(0);
    await shot(page, 'fund-01-nothing-yet');
    await page.context().close();
  });

  it('a 业委会 member enters the assembly: a failed vote, then a passing one — both kept', async () => {
    const page = await fundPage('hu-shengjia', issue.id);
    await page.getByText('录入业主大会表决结果').waitFor();
    const fill = async (heldOn: string, consenting: string, area: string) => {
      await field(page, '召开日期 YYYY-MM-DD').fill(heldOn);
      await field(page, '业主总人数').fill('60');
      await field(page, '专有部分总面积（m²）').fill('6000');
      await field(page, '参与表决人数').fill('45');
      await field(page, '参与表决面积（m²）').fill('4600');
      await field(page, '同意人数').fill(consenting);
      await field(page, '同意面积（m²）').fill(area);
      await button(page, '录入表决结果').click();
    };
    await fill(day(new Date(serverNow().getTime() - 3 * DAY)), '20', '2000');
    await page.getByText('第 1 次表决 · 使用建筑物及其附属设施的维修资金').waitFor();
    await page.getByText('表决未通过', { exact: true }).first().waitFor();
    await fill(day(serverNow()), '38', '3900');
    await page.getByText('第 2 次表决 · 使用建筑物及其附属设施的维修资金').waitFor();
    await page.getByText('表决通过', { exact: true }).first().waitFor();
    await page.getByText('第 1 次表决 · 使用建筑物及其附属设施的维修资金').waitFor();
    await page.getByText('业主大会已表决通过使用维修资金').waitFor();
    await shot(page, 'fund-02-two-votes');
    const list = await as<{ items: { attempt: number; passed: boolean }[] }>(
      'wu-wenjie',
      'GET',
      `/api/issues/${issue.id}/owners-assembly`,
    );
    expect(list.items.map((i) => [i.attempt, i.passed])).toEqual([
      [1, false],
      [2, true],
    ]);
    await page.context().close();
  });

  it('the owner drafts the 公示; once approved and published, its 7 days run', async () => {
    const page = await fundPage('wu-wenjie', issue.id);
    await button(page, '起草维修资金公示').click();
    await page.getByText('草稿，尚未发布，居民看不到').waitFor();
    const id = new URL(page.url().replace('#', '')).searchParams.get('id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await shot(page, 'fund-03-notice-draft');
    await as('tu-zhongmei', 'POST', `/api/notices/${id}/approve`, {});
    const published = await as<NoticeView>('wen-liang', 'POST', `/api/notices/${id}/publish`, {});
    expect(published.inNoticePeriod).toBe(true);
    const fund = await as<FundUseView>('wu-wenjie', 'GET', `/api/issues/${issue.id}/fund-use`);
    expect(fund.notice).toEqual({ id, number: published.number });
    expect(fund.missing).toHaveLength(2);
    await page.context().close();
  });

  it('after the period the owner reports to the 业委会; another member receives it', async () => {
    offset += 7 * DAY + 3_600_000;
    const owner = await fundPage('wu-wenjie', issue.id);
    await button(owner, '上报业委会').click();
    await owner.getByText('待业委会成员签收').first().waitFor();
    expect(await button(owner, '业委会签收').count()).toBe(0);
    await shot(owner, 'fund-04-reported');
    await owner.context().close();

    const member = await fundPage('hu-shengjia', issue.id);
    await button(member, '业委会签收').click();
    await member.getByText('可以施工').waitFor();
    await member.getByText('业委会成员胡圣家签收').waitFor();
    await shot(member, 'fund-05-received');
    await member.context().close();
  });

  it('now the work is dispatched, done and the issue closes', async () => {
    await as('wu-wenjie', 'POST', `/api/issues/${issue.id}/dispatch`, {
      assignee: 'zhang-lifen',
      note: '按公示方案更换管道',
    });
    await resolveTaskOf(product.t, await product.t.loginAs('zhang-lifen'), issue.id, 'zhang-lifen');
    await as('yang-chenyi', 'POST', `/api/issues/${issue.id}/verify`, {});
    const closed = await as<IssueDetail>('wu-wenjie', 'GET', `/api/issues/${issue.id}`);
    expect(closed.status).toBe('closed');
    expect(closed.events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['owners_assembly', 'fund_notice', 'fund_oc_report', 'fund_oc_acknowledged']),
    );
  });
});
