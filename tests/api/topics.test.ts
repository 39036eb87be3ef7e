import type { IssueDetail, MonthlyTopicsPage, NotificationPage, SimilarIssues } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { issueFollowersTable, jointAgendaItemsTable, monthlyTopicsTable } from '../../apps/api/src/db/schema';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { buildTestApp, TEST_QR_SECRET, type TestApp, testClock } from '../helpers/build-app';
import * as flow from '../helpers/issue-flow';

type Session = flow.Session;

let t: TestApp;
// Thursday 2026-10-15 10:00 in Shanghai: October's complaints first.
const clock = testClock(new Date('2026-10-15T02:00:00Z'));
const DAY = 24 * 3_600_000;
let sec: Session;
let ldr: Session;
let in1: Session;
let ps1: Session;

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  sec = await t.loginAs('tu-zhongmei');
  ldr = await t.loginAs('wen-liang');
  in1 = await t.loginAs('yang-chenyi');
  ps1 = await t.loginAs('zhang-lifen');
});
afterAll(() => t.close());

let addr = 0;
async function resident() {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/auth/dev-resident',
    remoteAddress: `10.88.0.${++addr}`,
  });
  expect(r.statusCode).toBe(200);
  return { authorization: `Bearer ${r.json().accessToken as string}` };
}
const similar = (query: string) =>
  t.app.inject({ url: `/api/complaints/similar?${query}`, remoteAddress: `10.89.0.${++addr}` });

describe('duplicates at intake: "这也是我的问题"', () => {
  let first: Awaited<ReturnType<typeof flow.complain>> & { id: string };

  test('open issues of the same building and category are offered, with safe fields only', async () => {
    const c = await flow.complain(t, 12, '12号楼3单元门口垃圾堆了三天，我是502的张三，电话13800001111');
    first = { ...c, id: await flow.issueIdOf(t, c.trackingCode) };
    await flow.complain(t, 13, '13号楼门口垃圾'); // another building
    await flow.complain(t, 12, '12号楼绿化带没人修剪', 'greening'); // another category
    const r = await similar(`qr=${encodeURIComponent(flow.qrFor(12))}&category=sanitation`);
    expect(r.statusCode).toBe(200);
    const { items } = r.json() as SimilarIssues;
    expect(items).toEqual([
      {
        id: first.id,
        categoryName: '环境卫生',
        zoneName: '第一责任区域',
        building: 12,
        statusName: '已派单',
        filedOn: '2026-10-15',
        interest: 0,
      },
    ]);
    // Nothing a person wrote, nothing that names anyone.
    expect(r.body).not.toContain('张三');
    expect(r.body).not.toContain('13800001111');
    expect(r.body).not.toContain(first.trackingCode);
    // Without a QR code, by the building chosen on the home page.
    const byPlace = await similar('community=xiaduoyuan&building=12&category=sanitation');
    expect((byPlace.json() as SimilarIssues).items.map((i) => i.id)).toEqual([first.id]);
    // A place routing cannot place has none.
    expect(
      (await similar('community=xiaduoyuan&building=999&category=sanitation').then((x) => x.json())).items,
    ).toEqual([]);
    const bad = await similar('community=xiaduoyuan&building=x&category=sanitation');
    expect([bad.statusCode, bad.json().error.details[0].path]).toEqual([400, 'querystring.building']);
  });

  test('a resident follows it: counted as interest, told what the reporter is told; refusals write nothing', async () => {
    const url = `/api/issues/${first.id}/follow`;
    expect((await t.app.inject({ method: 'POST', url })).statusCode).toBe(401);
    const staff = await t.app.inject({ method: 'POST', url, headers: in1.auth });
    expect([staff.statusCode, staff.json().error.code]).toEqual([403, 'residents_only']);
    const followers = async () =>
      (await t.db.select().from(issueFollowersTable).where(eq(issueFollowersTable.issueId, first.id))).length;
    expect(await followers()).toBe(0);

    const me = await resident();
    const r = await t.app.inject({ method: 'POST', url, headers: me });
    expect(r.json()).toEqual({ following: true, interest: 1 });
    // Twice is once.
    expect((await t.app.inject({ method: 'POST', url, headers: me })).json()).toEqual({
      following: true,
      interest: 1,
    });
    const other = await resident();
    expect((await t.app.inject({ method: 'POST', url, headers: other })).json().interest).toBe(2);
    expect(((await flow.issueById(t, sec, first.id)) as IssueDetail).interest).toBe(2);
    expect(
      (await similar('community=xiaduoyuan&building=12&category=sanitation')).json().items[0].interest,
    ).toBe(2);

    // Progress: the fix is announced to the followers as to the reporter.
    await flow.resolveTaskOf(t, ps1, first.id, 'zhang-lifen');
    await t.deliverOutbox();
    const inbox = (
      await t.app.inject({ url: '/api/me/notifications', headers: me })
    ).json() as NotificationPage;
    // In a follower's own words, and asked nothing: confirming and rating are the reporter's.
    const told = inbox.items.find((n) => n.issueId === first.id && n.kind === 'issue_resolved')!;
    expect(told.title).toBe(`您关注的问题已办结 ${first.trackingCode}`);
    expect(told.body).not.toMatch(/请确认|评分/);
    expect(told.body).toContain('待反映人确认');

    // A finished issue is not followed.
    await t.app.inject({
      method: 'POST',
      url: `/api/complaints/${first.trackingCode}/verify`,
      headers: { 'x-tracking-secret': first.secret },
    });
    const late = await t.app.inject({ method: 'POST', url, headers: await resident() });
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'issue_finished']);
    expect(await followers()).toBe(2);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/issues/00000000-0000-4000-8000-000000000000/follow',
      headers: me,
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('每月一题: proposals, the pick, the trend', () => {
  test('the most frequent clusters of a month are proposed; the secretary picks one onto the joint meeting’s agenda', async () => {
    // More of October: 12号楼 环境卫生 three in all (one closed above still counts), 20号楼 停车 two.
    await flow.complain(t, 12, '12号楼垃圾桶满了');
    await flow.complain(t, 12, '12号楼楼道垃圾');
    await flow.complain(t, 20, '20号楼门口乱停车', 'parking');
    await flow.complain(t, 20, '20号楼消防通道停车', 'parking');
    // November: fewer of the topic's kind.
    clock.set(new Date('2026-11-10T02:00:00Z'));
    await flow.complain(t, 12, '12号楼门口又有垃圾');
    clock.set(new Date('2026-12-02T02:00:00Z'));
    // Weeks later: fresh sessions.
    sec = await t.loginAs('tu-zhongmei');
    ldr = await t.loginAs('wen-liang');
    in1 = await t.loginAs('yang-chenyi');

    const denied = await t.app.inject({ url: '/api/monthly-topics?community=xiaduoyuan', headers: in1.auth });
    expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'not_topic_picker']);
    const r = await t.app.inject({
      url: '/api/monthly-topics?community=xiaduoyuan&month=2026-10',
      headers: ldr.auth,
    });
    expect(r.statusCode).toBe(200);
    const page = r.json() as MonthlyTopicsPage;
    expect(page.canPick).toBe(true);
    expect(page.proposals.map((p) => p.title)).toEqual([
      '12号楼 · 环境卫生（3 件）',
      '20号楼 · 停车管理（2 件）',
    ]);

    const pick = (s: Session, body: object) =>
      t.app.inject({ method: 'POST', url: '/api/monthly-topics', headers: s.auth, payload: body });
    const topic = {
      community: 'xiaduoyuan',
      month: '2026-10',
      zone: 'zone-1',
      building: 12,
      category: 'sanitation',
    };
    const before = (await t.db.select().from(jointAgendaItemsTable)).length;
    const wrong = await pick(in1, topic);
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([403, 'not_topic_picker']);
    const malformed = await pick(sec, { ...topic, month: '2026-13' });
    expect([malformed.statusCode, malformed.json().error.details[0].path]).toEqual([400, 'body.month']);
    const mismatch = await pick(sec, { ...topic, zone: 'zone-2' });
    expect([mismatch.statusCode, mismatch.json().error.code]).toEqual([400, 'building_zone_mismatch']);
    expect((await t.db.select().from(monthlyTopicsTable)).length).toBe(0);
    expect((await t.db.select().from(jointAgendaItemsTable)).length).toBe(before);

    const ok = await pick(sec, { ...topic, note: '连续三个月集中反映，请物业和区域组长拿出根治方案' });
    expect(ok.statusCode).toBe(201);
    const picked = (ok.json() as MonthlyTopicsPage).topics[0]!;
    expect(picked).toMatchObject({ month: '2026-10', building: 12, categoryName: '环境卫生', count: 3 });
    // Before (Jul–Oct) and after (Nov, Dec so far): the kind's monthly counts.
    expect(picked.trend.months).toEqual([
      { month: '2026-07', count: 0 },
      { month: '2026-08', count: 0 },
      { month: '2026-09', count: 0 },
      { month: '2026-10', count: 3 },
      { month: '2026-11', count: 1 },
      { month: '2026-12', count: 0 },
    ]);
    expect([picked.trend.beforeAverage, picked.trend.afterAverage]).toEqual([0.8, 0.5]); // (0+0+0+3)/4 and (1+0)/2, to one decimal
    const agenda = await t.db.select().from(jointAgendaItemsTable);
    expect(agenda.length).toBe(before + 1);
    expect(agenda.some((a) => a.title.startsWith('每月一题（2026-10）：12号楼 · 环境卫生'))).toBe(true);

    const again = await pick(ldr, { ...topic, building: 20, category: 'parking' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'topic_already_picked']);
    expect((await t.db.select().from(monthlyTopicsTable)).length).toBe(1);
  });
});

// Last: its complaints would join October's clusters above.
describe('duplicates at a facility', () => {
  test('nearby facilities: a lift car code and its building offer each other open lift issues', async () => {
    const liftQr = signQrTarget(TEST_QR_SECRET, {
      community: 'xiaduoyuan',
      kind: 'facility',
      facility: 'lift-50-1',
    });
    // Filed through the lift car's own code (building 50, category elevator) …
    const viaLift = await t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      payload: { qr: liftQr, category: 'elevator', description: '50号楼1号电梯按键失灵' },
      remoteAddress: '10.89.9.1',
    });
    expect(viaLift.statusCode).toBe(201);
    const liftIssue = await flow.issueIdOf(t, (viaLift.json() as { trackingCode: string }).trackingCode);
    // … is offered to a resident at the building's door with the same category …
    const fromBuilding = (
      await similar(`qr=${encodeURIComponent(flow.qrFor(50))}&category=elevator`)
    ).json() as SimilarIssues;
    expect(fromBuilding.items.map((i) => i.id)).toEqual([liftIssue]);
    // … and one filed at the building is offered at the lift's code; another category is not.
    const c = await flow.complain(t, 50, '50号楼电梯门关不上', 'elevator');
    await flow.complain(t, 50, '50号楼门口垃圾');
    const atLift = (
      await similar(`qr=${encodeURIComponent(liftQr)}&category=elevator`)
    ).json() as SimilarIssues;
    expect(atLift.items.map((i) => i.id).sort()).toEqual(
      [await flow.issueIdOf(t, c.trackingCode), liftIssue].sort(),
    );
  });
});
