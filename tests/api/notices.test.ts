import type {
  FundUseView,
  IssueDetail,
  JointMeetingView,
  NoticePage,
  NoticeView,
  ResolutionView,
} from '@gongzhi/domain';
import { count } from 'drizzle-orm';
import { fundUsesTable, issueEventsTable, noticesTable } from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';

type Session = Awaited<ReturnType<TestApp['loginAs']>>;

let t: TestApp;
// Monday 2026-11-16 10:00 in Shanghai.
const clock = testClock(new Date('2026-11-16T02:00:00Z'));

let tuZhongmei: Session; // the secretary
let wenLiang: Session; // the leadership group's leader
let chenLifeng: Session; // a leadership-group member
let wuWenjie: Session; // zone-1 leader
let huShengjia: Session; // zone-2 leader
let yangChenyi: Session; // zone-1 grid inspector: reads zone-1 issues, drafts no notices
let zhangNen: Session; // zone-1 residents' committee

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  tuZhongmei = await t.loginAs('tu-zhongmei');
  wenLiang = await t.loginAs('wen-liang');
  chenLifeng = await t.loginAs('chen-lifeng');
  wuWenjie = await t.loginAs('wu-wenjie');
  huShengjia = await t.loginAs('hu-shengjia');
  yangChenyi = await t.loginAs('yang-chenyi');
  zhangNen = await t.loginAs('zhang-nen');
});
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PUT';
const call = (s: Session | null, method: Method, url: string, payload?: object) =>
  t.app.inject({ method, url, headers: s ? s.auth : {}, ...(payload ? { payload } : {}) });

async function ok<T>(s: Session | null, method: Method, url: string, payload?: object, status = 200) {
  const r = await call(s, method, url, payload);
  if (r.statusCode !== status) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json() as T;
}

/** Everything a refused request could have written. */
async function snapshot() {
  const all = async (q: Promise<unknown[]>) => (await q).map((r) => JSON.stringify(r)).sort();
  return {
    notices: await all(t.db.select().from(noticesTable)),
    fundUses: await all(t.db.select().from(fundUsesTable)),
    events: (await t.db.select({ n: count() }).from(issueEventsTable))[0]!.n,
  };
}

/** Expect a refusal with this status and code, and that nothing was written. */
async function refused(
  s: Session | null,
  method: Method,
  url: string,
  payload: object | undefined,
  status: number,
  code: string,
) {
  const before = await snapshot();
  const r = await call(s, method, url, payload);
  expect({ status: r.statusCode, code: r.json().error?.code }).toEqual({ status, code });
  expect(await snapshot()).toEqual(before);
  return r.json().error as { code: string; message: string; details?: { path?: string; message: string }[] };
}

const draft = (s: Session, body: object) =>
  ok<NoticeView>(s, 'POST', '/api/notices', { community: 'xiaduoyuan', ...body }, 201);
const approve = (s: Session, id: string) => ok<NoticeView>(s, 'POST', `/api/notices/${id}/approve`);
const publish = (s: Session, id: string) => ok<NoticeView>(s, 'POST', `/api/notices/${id}/publish`);
const publicList = (query = '') =>
  ok<NoticePage>(null, 'GET', `/api/communities/xiaduoyuan/notices${query ? `?${query}` : ''}`);

/** Draft, approve (by someone else) and publish a written notice. */
async function published(body: object) {
  const n = await draft(tuZhongmei, { kind: 'joint_decision', ...body });
  await approve(wenLiang, n.id);
  return publish(tuZhongmei, n.id);
}

describe('a zone roster from draft to print', () => {
  let roster: NoticeView;

  test('generated from config as a draft nobody outside sees', async () => {
    roster = await draft(tuZhongmei, { source: { kind: 'zone_roster', zone: 'zone-1' } });
    expect(roster).toMatchObject({
      kind: 'zone_roster',
      kindName: '区域责任名单',
      status: 'draft',
      zone: 'zone-1',
      zoneName: '第一责任区域',
      title: '第一责任区域责任名单公示',
      number: null,
      drafted: { by: '屠忠梅' },
      source: { kind: 'zone_roster', zone: 'zone-1' },
      // The author may publish once it is approved, but not approve it.
      allowedActions: ['edit', 'withdraw'],
    });
    expect(roster.body).toContain('组长：吴文杰（业委会）');
    expect(roster.body).toContain('居委会：张嫩、李永康');

    expect((await publicList()).items).toEqual([]);
    await refused(null, 'GET', `/api/notices/${roster.id}`, undefined, 404, 'notice_not_found');
    await refused(yangChenyi, 'GET', `/api/notices/${roster.id}`, undefined, 404, 'notice_not_found');
    await refused(null, 'GET', `/api/notices/${roster.id}/print`, undefined, 404, 'notice_not_found');
    // The zone-1 leader reads drafts, and may edit this one (their zone).
    expect((await ok<NoticeView>(wuWenjie, 'GET', `/api/notices/${roster.id}`)).allowedActions).toEqual([
      'edit',
    ]);
  });

  test('approval: not by its author, not by a zone leader; publication only once approved', async () => {
    const own = await refused(
      tuZhongmei,
      'POST',
      `/api/notices/${roster.id}/approve`,
      {},
      403,
      'own_notice_approval',
    );
    expect(own.message).toBe('不能审核自己起草的公告，请由领导小组其他成员或秘书审核');
    await refused(wuWenjie, 'POST', `/api/notices/${roster.id}/approve`, {}, 403, 'not_notice_approver');
    await refused(tuZhongmei, 'POST', `/api/notices/${roster.id}/publish`, {}, 409, 'notice_not_approved');

    const approved = await approve(wenLiang, roster.id);
    expect(approved).toMatchObject({ status: 'approved', approved: { by: '闻良' } });
    await refused(wuWenjie, 'POST', `/api/notices/${roster.id}/publish`, {}, 403, 'not_notice_publisher');
    await refused(wenLiang, 'POST', `/api/notices/${roster.id}/approve`, {}, 409, 'notice_not_draft');
  });

  test('editing an approved notice sends it back for approval', async () => {
    const edited = await ok<NoticeView>(wuWenjie, 'PUT', `/api/notices/${roster.id}`, {
      body: `${roster.body}\n联系地址：1号楼架空层`,
    });
    expect(edited).toMatchObject({ status: 'draft', approved: null });
    expect(edited.body).toContain('联系地址：1号楼架空层');
    await approve(chenLifeng, roster.id);
  });

  test('published: numbered, public, printable, and never edited again', async () => {
    clock.advance(60_000);
    roster = await publish(tuZhongmei, roster.id);
    expect(roster).toMatchObject({
      status: 'published',
      number: '夏朵园居民区公告〔2026〕1号',
      publishedAt: '2026-11-16T02:01:00.000Z',
      published: { by: '屠忠梅' },
      inNoticePeriod: false,
    });
    const list = await publicList();
    expect(list.items.map((n) => n.id)).toEqual([roster.id]);
    const anon = await ok<NoticeView>(null, 'GET', `/api/notices/${roster.id}`);
    expect(anon.allowedActions).toEqual([]);

    await refused(wuWenjie, 'PUT', `/api/notices/${roster.id}`, { title: '改标题' }, 409, 'notice_published');
    await refused(tuZhongmei, 'POST', `/api/notices/${roster.id}/publish`, {}, 409, 'notice_not_approved');

    const print = await t.app.inject({ method: 'GET', url: `/api/notices/${roster.id}/print` });
    expect(print.statusCode).toBe(200);
    expect(print.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(print.body).toContain('@page { size: A4 portrait');
    expect(print.body).toContain('<div class="org">夏朵园居民区</div>');
    expect(print.body).toContain('夏朵园居民区公告〔2026〕1号');
    expect(print.body).toContain('<h1>第一责任区域责任名单公示</h1>');
    expect(print.body).toContain('<p>2026年11月16日</p>');
    expect(print.body).not.toContain('class="stamp"');
  });
});

describe('lists, zones, corrections and withdrawals', () => {
  let zone2: NoticeView;
  let wide: NoticeView;
  test('a zone sees its own notices and the community-wide ones, newest first, a page at a time', async () => {
    clock.advance(60_000);
    zone2 = await published({ title: '二区通知', body: '二区事项', zone: 'zone-2' });
    clock.advance(60_000);
    wide = await published({ title: '全小区通知', body: '全小区事项' });
    expect(wide.number).toBe('夏朵园居民区公告〔2026〕3号');

    const all = await publicList();
    expect(all.items.map((n) => n.title)).toEqual(['全小区通知', '二区通知', '第一责任区域责任名单公示']);
    const zone1 = await publicList('zone=zone-1');
    expect(zone1.items.map((n) => n.title)).toEqual(['全小区通知', '第一责任区域责任名单公示']);
    expect((await publicList('kind=zone_roster')).items.map((n) => n.kind)).toEqual(['zone_roster']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: NoticePage = await publicList(`limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBe(1);
      seen.push(page.items[0]!.title);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((n) => n.title));
  });

  test('staff see drafts too; a drafter of nothing is refused', async () => {
    clock.advance(60_000);
    const d = await draft(wuWenjie, {
      kind: 'zone_roster',
      title: '一区草稿',
      body: '草稿正文',
      zone: 'zone-1',
    });
    const staff = await ok<NoticePage>(tuZhongmei, 'GET', '/api/notices?community=xiaduoyuan');
    expect(staff.items[0]).toMatchObject({ id: d.id, status: 'draft' });
    const drafts = await ok<NoticePage>(wenLiang, 'GET', '/api/notices?community=xiaduoyuan&status=draft');
    expect(drafts.items.map((n) => n.id)).toEqual([d.id]);
    await refused(
      yangChenyi,
      'GET',
      '/api/notices?community=xiaduoyuan',
      undefined,
      403,
      'notices_not_permitted',
    );
    await refused(null, 'GET', '/api/notices?community=xiaduoyuan', undefined, 401, 'token_missing');
    expect((await publicList()).items.map((n) => n.id)).not.toContain(d.id);
  });

  test('a correction supersedes the published notice when it is published itself', async () => {
    const fix = await draft(tuZhongmei, {
      kind: 'joint_decision',
      title: '全小区通知（更正）',
      body: '更正后的事项',
      supersedes: wide.id,
    });
    expect(fix.supersedes).toBe(wide.id);
    // Until then the old one stands.
    expect((await publicList()).items[0]!.id).toBe(wide.id);
    await approve(wenLiang, fix.id);
    clock.advance(60_000);
    await publish(tuZhongmei, fix.id);
    const old = await ok<NoticeView>(null, 'GET', `/api/notices/${wide.id}`);
    expect(old).toMatchObject({ status: 'superseded', statusName: '已更正', supersededBy: fix.id });
    expect((await publicList()).items.map((n) => n.title)).toEqual([
      '全小区通知（更正）',
      '二区通知',
      '第一责任区域责任名单公示',
    ]);
    expect((await t.app.inject({ method: 'GET', url: `/api/notices/${wide.id}/print` })).body).toContain(
      '<div class="stamp">已更正</div>',
    );
    // A superseded notice is corrected no more, and a second correction of it cannot be published.
    await refused(
      tuZhongmei,
      'POST',
      '/api/notices',
      { community: 'xiaduoyuan', kind: 'joint_decision', title: 't', body: 'b', supersedes: wide.id },
      409,
      'notice_not_published',
    );
    await refused(
      tuZhongmei,
      'POST',
      '/api/notices',
      { community: 'xiaduoyuan', kind: 'zone_roster', title: 't', body: 'b', supersedes: fix.id },
      400,
      'correction_kind_mismatch',
    );
  });

  test('a withdrawn notice leaves the public list and is kept with the reason', async () => {
    await refused(
      zhangNen,
      'POST',
      `/api/notices/${zone2.id}/withdraw`,
      { reason: '错误' },
      403,
      'not_notice_publisher',
    );
    const w = await ok<NoticeView>(chenLifeng, 'POST', `/api/notices/${zone2.id}/withdraw`, {
      reason: '内容有误',
    });
    expect(w).toMatchObject({ status: 'withdrawn', withdrawn: { by: '陈理峰', reason: '内容有误' } });
    expect((await publicList()).items.map((n) => n.id)).not.toContain(zone2.id);
    await refused(null, 'GET', `/api/notices/${zone2.id}`, undefined, 404, 'notice_not_found');
    expect((await ok<NoticeView>(tuZhongmei, 'GET', `/api/notices/${zone2.id}`)).status).toBe('withdrawn');
    await refused(
      tuZhongmei,
      'POST',
      `/api/notices/${zone2.id}/withdraw`,
      { reason: '再撤' },
      409,
      'notice_not_withdrawable',
    );
  });
});

describe('a maintenance-fund notice and its period', () => {
  let issue: IssueDetail;
  test('generated from the fund use, published, 公示中 for exactly 7 days; the fund records the notice', async () => {
    issue = await ok<IssueDetail>(
      yangChenyi,
      'POST',
      '/api/issues',
      {
        community: 'xiaduoyuan',
        building: 18,
        category: 'shared_leak',
        description: '18号楼二次供水管道更换',
        usesMaintenanceFund: true,
        touchesSharedParts: true,
      },
      201,
    );
    await ok(
      wuWenjie,
      'POST',
      `/api/issues/${issue.id}/owners-assembly`,
      {
        matter: 'use_fund',
        heldOn: '2026-01-05',
        totalOwners: 60,
        totalArea: 6000,
        totals: {
          participatingOwners: 40,
          participatingArea: 4000,
          consentingOwners: 21,
          consentingArea: 2000.01,
        },
      },
      201,
    );
    // Who may not: a grid inspector reads the issue but drafts no notice; a zone-2 leader does not see it.
    await refused(
      yangChenyi,
      'POST',
      '/api/notices',
      { community: 'xiaduoyuan', source: { kind: 'fund_notice', issue: issue.id } },
      403,
      'not_notice_drafter',
    );
    await refused(
      huShengjia,
      'POST',
      '/api/notices',
      { community: 'xiaduoyuan', source: { kind: 'fund_notice', issue: issue.id } },
      404,
      'issue_not_found',
    );

    const fund = await draft(wuWenjie, { source: { kind: 'fund_notice', issue: issue.id } });
    expect(fund).toMatchObject({
      kind: 'fund_notice',
      zone: 'zone-1',
      periodStart: null,
      periodDays: 7,
      periodText: '自发布之时起 7 天',
      title: '维修资金使用公示：18号楼二次供水管道更换',
    });
    expect(fund.body).toContain(`问题编号 ${issue.code}`);
    expect(fund.body).toContain('位置：第一责任区域 18号楼');
    expect(fund.body).toContain('业主大会表决：“使用建筑物及其附属设施的维修资金”表决通过');

    await approve(tuZhongmei, fund.id);
    clock.set(new Date('2026-11-20T02:00:00Z'));
    const live = await publish(wenLiang, fund.id);
    expect(live).toMatchObject({
      periodStart: '2026-11-20T02:00:00.000Z',
      periodEnd: '2026-11-27T02:00:00.000Z',
      periodText: '2026-11-20 10:00 至 2026-11-27 10:00',
      inNoticePeriod: true,
    });
    const fundUse = await ok<FundUseView>(wuWenjie, 'GET', `/api/issues/${issue.id}/fund-use`);
    expect(fundUse).toMatchObject({
      noticeStartedAt: '2026-11-20T02:00:00.000Z',
      noticeEndsAt: '2026-11-27T02:00:00.000Z',
    });
    const timeline = (await ok<IssueDetail>(wuWenjie, 'GET', `/api/issues/${issue.id}`)).events;
    expect(timeline.at(-1)).toMatchObject({ action: 'fund_notice' });

    const print = await t.app.inject({ method: 'GET', url: `/api/notices/${fund.id}/print` });
    expect(print.body).toContain('公示期：2026-11-20 10:00 至 2026-11-27 10:00');

    clock.set(new Date('2026-11-27T01:59:59Z'));
    expect((await publicList('kind=fund_notice')).items[0]).toMatchObject({
      id: fund.id,
      inNoticePeriod: true,
    });
    clock.set(new Date('2026-11-27T02:00:00Z'));
    expect((await publicList('kind=fund_notice')).items[0]).toMatchObject({
      id: fund.id,
      inNoticePeriod: false,
    });
  });

  test('an issue that does not use the fund has nothing to notice', async () => {
    const plain = await ok<IssueDetail>(
      yangChenyi,
      'POST',
      '/api/issues',
      { community: 'xiaduoyuan', building: 12, category: 'sanitation', description: '垃圾堆放' },
      201,
    );
    await refused(
      wuWenjie,
      'POST',
      '/api/notices',
      { community: 'xiaduoyuan', source: { kind: 'fund_notice', issue: plain.id } },
      409,
      'fund_not_used',
    );
  });
});

describe('a joint-meeting decision', () => {
  test('generated from the recorded resolution', async () => {
    clock.set(new Date('2026-11-30T02:00:00Z'));
    const filed = await ok<IssueDetail>(
      yangChenyi,
      'POST',
      '/api/issues',
      { community: 'xiaduoyuan', building: 12, category: 'shared_leak', description: '12号楼外墙渗水' },
      201,
    );
    const zm = await ok<{ id: string }>(
      wuWenjie,
      'POST',
      '/api/zone-meetings',
      {
        community: 'xiaduoyuan',
        zone: 'zone-1',
        at: '2026-12-01T19:00:00+08:00',
        place: '1号楼架空层',
        agenda: [filed.id],
      },
      201,
    );
    clock.set(new Date('2026-12-01T11:30:00Z')); // the zone meeting has begun
    await ok(wuWenjie, 'POST', `/api/zone-meetings/${zm.id}/attendance`, {
      attendees: ['wu-wenjie', 'zhang-nen'],
    });
    await ok(wuWenjie, 'POST', `/api/zone-meetings/${zm.id}/minutes`, {
      minutes: '区域无法解决，上报联席会议',
      outcomes: [{ issue: filed.id, outcome: { kind: 'escalate', resolution: '上报联席会议研究' } }],
    });
    await ok(wuWenjie, 'POST', `/api/issues/${filed.id}/escalate`);
    const jm = await ok<JointMeetingView>(
      tuZhongmei,
      'POST',
      '/api/joint-meetings',
      { community: 'xiaduoyuan', at: '2026-12-02T19:00:00+08:00', place: '居委会会议室' },
      201,
    );
    clock.set(new Date('2026-12-02T11:00:00Z'));
    await ok(tuZhongmei, 'POST', `/api/joint-meetings/${jm.id}/attendance`, {
      present: [
        'wen-liang',
        'chen-lifeng',
        'gu-meifang',
        'zhang-nen',
        'li-yongkang',
        'chen-xia',
        'wu-wenjie',
        'hu-shengjia',
        'li-gang',
        'zhang-lifen',
        'shen-xuli',
        'tang-wangwei',
        'ni-qiong',
      ],
    });
    await ok(tuZhongmei, 'POST', `/api/joint-meetings/${jm.id}/items/1/consultation`, {
      joint: '同意由物业维修',
    });
    await ok(wenLiang, 'POST', `/api/joint-meetings/${jm.id}/items/1/vote`, {
      votes: { for: 11, against: 0, abstain: 2 },
    });
    const resolution = await ok<ResolutionView>(
      tuZhongmei,
      'POST',
      `/api/joint-meetings/${jm.id}/items/1/resolution`,
      {
        text: '由物业公司修复12号楼外墙，年底前完成',
        responsibleOrg: 'property',
        responsiblePerson: 'zhang-lifen',
        dueDate: '2026-12-31',
      },
      201,
    );

    // A zone leader does not draft community-wide notices.
    await refused(
      wuWenjie,
      'POST',
      '/api/notices',
      { community: 'xiaduoyuan', source: { kind: 'joint_decision', resolution: resolution.id } },
      403,
      'not_notice_drafter',
    );
    const n = await draft(tuZhongmei, { source: { kind: 'joint_decision', resolution: resolution.id } });
    expect(n).toMatchObject({
      kind: 'joint_decision',
      zone: null,
      title: `联席会议决议：${resolution.title}`,
    });
    expect(n.body).toContain('2026年12月2日，夏朵园居民区社区联席会议（主持人：闻良）');
    expect(n.body).toContain('由物业公司修复12号楼外墙，年底前完成');
    expect(n.body).toContain('表决情况：赞成 11 票 / 出席 13 人');
    expect(n.body).toContain('责任单位：物业公司（责任人：张丽芬），完成时限：2026年12月31日。');
  });
});

describe('bad input changes nothing', () => {
  const post = (s: Session | null, body: object, status: number, code: string) =>
    refused(s, 'POST', '/api/notices', { community: 'xiaduoyuan', ...body }, status, code);

  test('bodies', async () => {
    const missing = await post(tuZhongmei, { kind: 'joint_decision' }, 400, 'validation_failed');
    expect(missing.details?.map((d) => d.path).sort()).toEqual(['body.body', 'body.title']);
    expect(missing.message).toContain('请填写');
    const period = await post(
      tuZhongmei,
      { kind: 'fund_notice', title: 't', body: 'b' },
      400,
      'validation_failed',
    );
    expect(period.details?.[0]).toMatchObject({ path: 'body.period' });
    await post(tuZhongmei, { source: { kind: 'zone_roster', zone: 'zone-9' } }, 400, 'unknown_zone');
    await post(
      tuZhongmei,
      { kind: 'joint_decision', title: 't', body: 'b', zone: 'zone-9' },
      400,
      'unknown_zone',
    );
    await post(
      tuZhongmei,
      { source: { kind: 'joint_decision', resolution: crypto.randomUUID() } },
      404,
      'resolution_not_found',
    );
    await post(
      tuZhongmei,
      { kind: 'joint_decision', title: 't', body: 'b', extra: 1 },
      400,
      'validation_failed',
    );
    await refused(
      tuZhongmei,
      'POST',
      '/api/notices',
      { community: 'nowhere', kind: 'joint_decision', title: 't', body: 'b' },
      404,
      'community_not_found',
    );
    await post(null, { kind: 'joint_decision', title: 't', body: 'b' }, 401, 'token_missing');
    await post(
      yangChenyi,
      { kind: 'joint_decision', title: 't', body: 'b', zone: 'zone-1' },
      403,
      'not_notice_drafter',
    );
  });

  test('parameters and steps', async () => {
    const d = await draft(tuZhongmei, { kind: 'joint_decision', title: '草稿', body: '正文' });
    await refused(tuZhongmei, 'PUT', `/api/notices/${d.id}`, {}, 400, 'validation_failed');
    await refused(tuZhongmei, 'PUT', `/api/notices/${d.id}`, { periodDays: 7 }, 400, 'period_not_allowed');
    await refused(huShengjia, 'PUT', `/api/notices/${d.id}`, { title: '改' }, 403, 'not_notice_drafter');
    await refused(
      tuZhongmei,
      'POST',
      `/api/notices/${d.id}/withdraw`,
      { reason: ' ' },
      400,
      'validation_failed',
    );
    await refused(tuZhongmei, 'POST', '/api/notices/not-an-id/approve', {}, 400, 'validation_failed');
    await refused(
      wenLiang,
      'POST',
      `/api/notices/${crypto.randomUUID()}/approve`,
      {},
      404,
      'notice_not_found',
    );
    const limit = await call(null, 'GET', '/api/communities/xiaduoyuan/notices?limit=0');
    expect({ status: limit.statusCode, code: limit.json().error.code }).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    const cursor = await call(null, 'GET', '/api/communities/xiaduoyuan/notices?cursor=bad');
    expect({ status: cursor.statusCode, code: cursor.json().error.code }).toEqual({
      status: 400,
      code: 'invalid_cursor',
    });
  });
});
