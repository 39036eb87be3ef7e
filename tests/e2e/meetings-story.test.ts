import type { IssueDetail } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { shot, startProduct } from './browser';

jest.setTimeout(240_000);

let product: Awaited<ReturnType<typeof startProduct>>;

/**
 * The server's clock, and each phone's: real time, moved on two days when a meeting is to begin
 * (the pages propose tomorrow 19:00 for a meeting, and attendance is taken once it has begun). The
 * phones keep the server's time, so the next meeting they propose is still to come.
 */
const DAY = 24 * 3_600_000;
let offset = 0;
const serverNow = () => new Date(Date.now() + offset);
/** Until the meeting the page just arranged (tomorrow 19:00 in Shanghai) has begun. */
const meetingBegins = () => {
  offset += 2 * DAY;
};

beforeAll(async () => {
  product = await startProduct({ now: serverNow });
});

afterAll(async () => {
  await product?.close();
});

const field = (page: Page, placeholder: string) =>
  page.locator(`input[placeholder="${placeholder}"]:visible`);
const area = (page: Page, placeholder: string) =>
  page.locator(`textarea[placeholder="${placeholder}"]:visible`);
const button = (page: Page, text: string) => page.locator('.nut-button:visible', { hasText: text }).first();
const cell = (page: Page, text: string) => page.locator('.nut-cell:visible', { hasText: text }).first();
/** A 工作台 entry by its title (another entry's description may mention it: 评估报告 names 联席会议). */
const entry = (page: Page, title: string) =>
  page
    .locator('.nut-cell:visible')
    .filter({ has: page.getByText(title, { exact: true }) })
    .first();

/** A person's own phone, logged in on the 工作台 tab. */
async function staffPage(person: string) {
  const session = await product.t.loginAs(person);
  const page = await product.newPage();
  await page.clock.install({ time: serverNow() });
  await page.goto(`${product.base}/#/pages/work/index`);
  await field(page, '请输入手机号').fill(session.phone);
  await field(page, '请输入密码').fill('test-password-1');
  await button(page, '登录').click();
  await page.getByText('会议与决议').waitFor();
  return page;
}

// The members present at the joint meeting: 13 of the 25, every organisation represented.
const PRESENT = [
  '闻良',
  '陈理峰',
  '顾妹芳',
  '张嫩',
  '李永康',
  '陈霞',
  '吴文杰',
  '胡圣家',
  '黎刚',
  '张丽芬',
  '沈旭莉',
  '唐汪伟',
  '郭洪辉',
];

describe('a zone issue goes through a zone meeting, is escalated, and the joint meeting votes on it', () => {
  const description = '12号楼外墙渗水，多户室内墙面发霉';
  let issue: IssueDetail;

  it('an inspector files a zone issue (API); the zone leader 吴文杰 owns it', async () => {
    const inspector = await product.t.loginAs('yang-chenyi');
    const r = await product.t.app.inject({
      method: 'POST',
      url: '/api/issues',
      headers: inspector.auth,
      payload: { community: 'xiaduoyuan', building: 12, category: 'shared_leak', description },
    });
    expect(r.statusCode).toBe(201);
    issue = r.json() as IssueDetail;
    expect(issue).toMatchObject({ tier: 'zone', owner: { key: 'wu-wenjie' } });
  });

  it('the zone leader convenes a zone meeting, records attendance and minutes, and escalates', async () => {
    const page = await staffPage('wu-wenjie');
    await shot(page, 'm01-workbench-zone-leader');
    await entry(page, '区域会议').click();
    await button(page, '召集第一责任区域会议').click();
    await field(page, '例如：1号楼架空层').fill('1号楼架空层');
    await cell(page, issue.code).click();
    await page.getByText('议题（已选 1 项）').waitFor();
    await shot(page, 'm02-convene');
    await button(page, '召集会议').click();

    await page.getByText('通知已发给', { exact: false }).waitFor();
    // Before the meeting begins nobody takes attendance; once it has, the leader does.
    await page.getByText('张嫩', { exact: false }).first().waitFor();
    expect(await button(page, '登记出席').count()).toBe(0);
    meetingBegins();
    await page.clock.setSystemTime(serverNow());
    await page.reload();
    await cell(page, '张嫩').click();
    await button(page, '登记出席').click();
    await page.getByText('会议纪要与处理意见').waitFor();
    await area(page, '会议讨论情况').fill('外墙渗水涉及多户和共用部位，区域内无法解决');
    await area(page, '会上听取的居民意见').fill('居民希望尽快维修');
    await page.locator('.gz-seg__opt:visible', { hasText: '上报联席会议' }).click();
    await area(page, '上报联席会议的决议（为什么区域内无法解决）').fill('需动用维修资金，上报联席会议研究');
    await shot(page, 'm03-zone-minutes');
    await button(page, '保存纪要').click();
    await page.getByText('处理意见', { exact: true }).waitFor();
    await button(page, '上报联席会议').click();
    await page.getByText('已上报，列入下次联席会议议程').waitFor();
    await shot(page, 'm04-zone-escalated');
    await page.close();

    const wu = await product.t.loginAs('wu-wenjie');
    const detail = await product.t.app.inject({
      method: 'GET',
      url: `/api/issues/${issue.id}`,
      headers: wu.auth,
    });
    expect(detail.json()).toMatchObject({ status: 'escalated', tier: 'joint_meeting' });
  });

  let meetingUrl = '';

  it('the secretary sees it waiting, schedules the joint meeting, records attendance and consultation', async () => {
    const page = await staffPage('tu-zhongmei');
    await entry(page, '联席会议').click();
    await page.getByText('待上会议题（1）').waitFor();
    await page.getByText('需动用维修资金，上报联席会议研究', { exact: false }).waitFor();
    await shot(page, 'm05-joint-agenda');
    await button(page, '安排会议').click();

    await page.getByText('未达到法定人数').waitFor();
    meetingUrl = page.url();
    meetingBegins();
    await page.clock.setSystemTime(serverNow());
    await page.reload();
    await page.getByText('未达到法定人数').waitFor();
    for (const who of PRESENT) await page.locator('.gz-org .nut-cell:visible', { hasText: who }).click();
    await button(page, '登记出席').click();
    await page.getByText('达到法定人数').waitFor();
    await page.getByText('出席（13/25 人）').waitFor();
    await shot(page, 'm06-joint-attendance');
    await area(page, '会上共同协商情况').fill('各方同意先做渗水检测，再定维修方案');
    await button(page, '记录协商').click();
    await page.getByText('协商情况：', { exact: false }).waitFor();
    await page.close();
  });

  it('the chair records the vote and the resolution; its progress is tracked', async () => {
    const page = await staffPage('wen-liang');
    await page.goto(meetingUrl);
    await page.getByText('民主表决（出席 13 人）').waitFor();
    await field(page, '赞成').fill('11');
    await field(page, '反对').fill('1');
    await field(page, '弃权').fill('1');
    await button(page, '记录表决').click();
    await page.locator('.gz-vote-result', { hasText: '通过' }).waitFor();
    await shot(page, 'm07-joint-vote');

    await area(page, '决议内容').fill('由物业公司委托检测并出具维修方案，动用维修资金前按程序公示');
    await page.locator('.gz-agenda-item .nut-cell:visible', { hasText: '张丽芬' }).click();
    await button(page, '形成决议').click();
    await button(page, '查看落实进度').waitFor();
    await shot(page, 'm08-joint-resolution');

    await button(page, '查看落实进度').click();
    await page.getByText('当前进度 0%').waitFor();
    await field(page, '进度百分比').fill('30');
    await area(page, '本次进展情况').fill('检测单位已进场');
    await button(page, '更新进度').click();
    await page.getByText('当前进度 30%').waitFor();
    await shot(page, 'm09-resolution-progress');

    // The chair writes and approves the minutes: the meeting is then read-only.
    await page.goto(meetingUrl);
    await area(page, '会议纪要').fill('会议审议外墙渗水问题，表决通过，由物业公司牵头落实');
    await button(page, '保存纪要').click();
    await page.getByText('纪要已保存').waitFor();
    await button(page, '审定纪要').click();
    await button(page, '审定并锁定').click();
    await page.getByText('会议纪要已审定锁定，本页只读', { exact: false }).waitFor();
    await expect(page.locator('.nut-button:visible', { hasText: '保存纪要' }).count()).resolves.toBe(0);
    await expect(page.locator('textarea:visible').count()).resolves.toBe(0);
    await shot(page, 'm10-joint-minutes-locked');

    // Facts changed: the chair, a member of that meeting, asks for re-deliberation (复议).
    await button(page, '查看落实进度').click();
    await button(page, '申请复议').click();
    await area(page, '执行中发现了哪些新情况').fill('检测发现屋面防水也已失效，维修范围需扩大');
    await button(page, '确定').click();
    await page.getByText('申请复议：检测发现屋面防水也已失效', { exact: false }).waitFor();
    await shot(page, 'm11-reconsideration');
    await page.close();

    const tu = await product.t.loginAs('tu-zhongmei');
    const waiting = await product.t.app.inject({
      method: 'GET',
      url: '/api/joint-agenda?community=xiaduoyuan',
      headers: tu.auth,
    });
    expect(waiting.json().items).toEqual([expect.objectContaining({ source: 'reconsideration' })]);
  });

  it('the secretary adds a topic of her own from the page; no issue waits to be carried', async () => {
    const page = await staffPage('tu-zhongmei');
    await entry(page, '联席会议').click();
    await page.getByText('待上会议题（1）').waitFor();
    await button(page, '添加议题').click();
    await page.getByText('关联问题（已选 0 项，可不选）').waitFor();
    // The meeting's issue went back to work with its resolution: nothing waits to be carried.
    await page.getByText('没有可关联的问题', { exact: false }).waitFor();
    await field(page, '例如：小区停车管理办法修订').fill('小区停车管理办法修订');
    await shot(page, 'm12-agenda-topic');
    await button(page, '添加议题').click();
    await page.getByText('待上会议题（2）').waitFor();
    await page.getByText('小区停车管理办法修订').waitFor();
    await page.close();

    const tu = await product.t.loginAs('tu-zhongmei');
    const waiting = await product.t.app.inject({
      method: 'GET',
      url: '/api/joint-agenda?community=xiaduoyuan',
      headers: tu.auth,
    });
    expect(waiting.json().items).toEqual([
      expect.objectContaining({ source: 'reconsideration' }),
      expect.objectContaining({ source: 'secretary', title: '小区停车管理办法修订', issues: [] }),
    ]);
  });
});
