import type { ComplaintView, IssueDetail, NotificationPage, TriagePage } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { issueEventsTable, issuesTable } from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import * as flow from '../helpers/issue-flow';

type Session = flow.Session;

let t: TestApp;
const clock = testClock(new Date('2026-11-16T02:00:00Z'));

let zhangNen: Session; // zone-1 residents' committee member: keeps the triage desk in this config
let tuZhongmei: Session; // the secretary: reads everything, does not keep this desk
let wuWenjie: Session; // zone-1 leader
let chenLifeng: Session; // leadership group: reads all issues
let zhangLifen: Session; // zone-1 property specialist

beforeAll(async () => {
  t = await buildTestApp({
    now: clock.now,
    editConfig: (raw) => {
      // 其他 is owned by no one; the rc desk keeps the triage desk.
      const cats = raw.categories as { key: string; triage?: boolean }[];
      cats.find((c) => c.key === 'other')!.triage = true;
      raw.intake = { triageOwner: 'zhang-nen' };
    },
  });
  zhangNen = await t.loginAs('zhang-nen');
  tuZhongmei = await t.loginAs('tu-zhongmei');
  wuWenjie = await t.loginAs('wu-wenjie');
  chenLifeng = await t.loginAs('chen-lifeng');
  zhangLifen = await t.loginAs('zhang-lifen');
});
afterAll(() => t.close());

let addr = 0;
const complainRaw = (payload: object) =>
  t.app.inject({
    method: 'POST',
    url: '/api/complaints',
    payload,
    remoteAddress: `10.77.0.${++addr}`,
  });
async function complainWithout(
  place: { building?: number; zone?: string },
  description: string,
  category = 'sanitation',
) {
  const r = await complainRaw({ community: 'xiaduoyuan', ...place, category, description });
  expect(r.statusCode).toBe(201);
  const body = r.json() as { trackingCode: string; secret: string; complaint: ComplaintView };
  return { ...body, id: await flow.issueIdOf(t, body.trackingCode) };
}

async function triage(s: Session) {
  const r = await t.app.inject({ url: '/api/triage?community=xiaduoyuan', headers: s.auth });
  expect(r.statusCode).toBe(200);
  return r.json() as TriagePage;
}
const place = (s: Session, id: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/issues/${id}/place`, headers: s.auth, payload });

/** What a refusal must leave untouched: the row and its events. */
async function snapshot(id: string) {
  const [row] = await t.db.select().from(issuesTable).where(eq(issuesTable.id, id));
  const events = await t.db.select().from(issueEventsTable).where(eq(issueEventsTable.issueId, id));
  return { row, events: events.length };
}

describe('complaints without a QR code', () => {
  test('a building chosen on the home page routes as a QR code would (channel resident_app)', async () => {
    const c = await complainWithout({ building: 12 }, '12号楼门口垃圾没人清');
    expect(c.complaint).toMatchObject({
      status: 'dispatched',
      tier: 'zone',
      zoneName: '第一责任区域',
      building: 12,
    });
    const detail = await flow.issueById(t, wuWenjie, c.id);
    expect(detail.channel).toBe('resident_app');
    expect(flow.openTaskOf(detail, 'zhang-lifen')).toBeDefined();
  });

  test('a zone without numbers routes to that zone', async () => {
    const c = await complainWithout({ zone: 'zone-4' }, '商业街旁绿地有积水');
    expect(c.complaint).toMatchObject({ status: 'dispatched', zoneName: '第四责任区域', building: null });
  });

  test.each([
    [{ category: 'noise', description: '楼下噪音' }, 'body.qr'],
    [
      { qr: flow.qrFor(12), community: 'xiaduoyuan', category: 'noise', description: '楼下噪音' },
      'body.community',
    ],
    [{ community: 'nowhere', category: 'noise', description: '楼下噪音' }, 'body.community'],
    [{ community: 'xiaduoyuan', zone: 'zone-9', category: 'noise', description: '楼下噪音' }, 'body.zone'],
    [{ community: 'xiaduoyuan', building: 0, category: 'noise', description: '楼下噪音' }, 'body.building'],
    [{ community: 'xiaduoyuan', building: 12, category: 'nope', description: '楼下噪音' }, 'body.category'],
  ])('malformed %j → 400 naming %s, nothing written', async (payload, path) => {
    const before = await t.db.select({ id: issuesTable.id }).from(issuesTable);
    const r = await complainRaw(payload);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details[0].path).toBe(path);
    expect((await t.db.select({ id: issuesTable.id }).from(issuesTable)).length).toBe(before.length);
  });
});

describe('the triage desk (兜底)', () => {
  test('a building in no zone is accepted, not refused: it waits on the keeper’s desk, who is told', async () => {
    const c = await complainWithout({ building: 999 }, '不知道几号楼，小区东门路灯不亮');
    expect(c.complaint).toMatchObject({
      status: 'submitted',
      tier: 'triage',
      tierName: '兜底分拨',
      zoneName: '待确定区域',
      building: 999,
    });
    expect(c.complaint.responsible.join('')).toContain('张嫩兜底分拨');
    const desk = await triage(zhangNen);
    expect(desk).toMatchObject({ owner: { key: 'zhang-nen', name: '张嫩' }, canPlace: true });
    const item = desk.items.find((i) => i.issue.id === c.id);
    expect(item?.reasons).toEqual(['楼号不在任何责任区域内']);
    // Told through the inbox; nobody holds a task.
    await t.deliverOutbox();
    const inbox = (
      await t.app.inject({ url: '/api/me/notifications', headers: zhangNen.auth })
    ).json() as NotificationPage;
    expect(inbox.items.some((n) => n.kind === 'issue_filed' && n.issueId === c.id)).toBe(true);
    const detail = await flow.issueById(t, zhangNen, c.id);
    expect(detail.tasks).toEqual([]);
    expect(detail.owner?.key).toBe('zhang-nen');
    // Not on the dispatch desk of the zone leader (it waits here, not there).
    const d = await t.app.inject({ url: '/api/desk?community=xiaduoyuan&limit=100', headers: wuWenjie.auth });
    expect((d.json() as { items: { issue: { id: string } }[] }).items.some((i) => i.issue.id === c.id)).toBe(
      false,
    );
  });

  test('no place at all, and a category no one owns, each go to the desk with their reason', async () => {
    const nowhere = await complainWithout({}, '说不清在哪里，夜里有人烧东西');
    clock.advance(60_000);
    const other = (
      await complainRaw({ qr: flow.qrFor(12), category: 'other', description: '不知道该找谁，快递柜占道' })
    ).json() as { trackingCode: string; complaint: ComplaintView };
    expect(other.complaint).toMatchObject({ status: 'submitted', tier: 'triage', zoneName: '第一责任区域' });
    const desk = await triage(zhangNen);
    const otherId = await flow.issueIdOf(t, other.trackingCode);
    expect(desk.items.find((i) => i.issue.id === nowhere.id)?.reasons).toEqual(['居民不确定所在楼栋或区域']);
    expect(desk.items.find((i) => i.issue.id === otherId)?.reasons).toEqual(['该类别没有负责的条线或区域']);
    // Oldest first.
    const ids = desk.items.map((i) => i.issue.id);
    expect(ids.indexOf(nowhere.id)).toBeLessThan(ids.indexOf(otherId));
  });

  test('who sees the desk: its keeper places; the secretary and the leadership look; a zone leader is refused', async () => {
    expect((await triage(tuZhongmei)).canPlace).toBe(false);
    expect((await triage(chenLifeng)).canPlace).toBe(false);
    const r = await t.app.inject({ url: '/api/triage?community=xiaduoyuan', headers: wuWenjie.auth });
    expect([r.statusCode, r.json().error.code]).toEqual([403, 'not_triage_owner']);
    const anon = await t.app.inject({ url: '/api/triage?community=xiaduoyuan' });
    expect(anon.statusCode).toBe(401);
  });

  test('placing by hand: refusals write nothing; then it routes as usual and the resident sees it', async () => {
    const c = await complainWithout({ building: 998 }, '楼号记不清，单元门禁坏了', 'public_facility');
    const before = await snapshot(c.id);
    const refusals: [Session, object, number, string, string | null][] = [
      [zhangNen, {}, 400, 'validation_failed', 'body.zone'],
      [zhangNen, { building: 999 }, 400, 'building_not_in_zone', 'body.building'],
      [zhangNen, { building: 12, zone: 'zone-2' }, 400, 'building_zone_mismatch', 'body.zone'],
      [zhangNen, { zone: 'zone-1', category: 'nope' }, 400, 'unknown_category', 'body.category'],
      [tuZhongmei, { zone: 'zone-1' }, 403, 'not_triage_owner', null],
      [chenLifeng, { zone: 'zone-1' }, 403, 'not_triage_owner', null],
      // Cannot read an unplaced issue: as if it did not exist.
      [wuWenjie, { zone: 'zone-1' }, 404, 'issue_not_found', null],
    ];
    for (const [s, body, status, code, path] of refusals) {
      const r = await place(s, c.id, body);
      expect([r.statusCode, r.json().error.code]).toEqual([status, code]);
      if (path) expect(r.json().error.details[0].path).toBe(path);
    }
    expect(await snapshot(c.id)).toEqual(before);

    const r = await place(zhangNen, c.id, { building: 12, note: '电话联系居民，确认是12号楼' });
    expect(r.statusCode).toBe(200);
    const placed = r.json() as IssueDetail;
    expect(placed).toMatchObject({ status: 'dispatched', tier: 'zone', zone: 'zone-1', building: 12 });
    expect(placed.owner?.key).toBe('wu-wenjie');
    expect(flow.openTaskOf(placed, 'zhang-lifen')).toBeDefined();
    const ev = placed.events.at(-1)!;
    expect(ev).toMatchObject({
      action: 'dispatch',
      actor: 'zhang-nen',
      fromStatus: 'submitted',
      toStatus: 'dispatched',
    });
    expect(ev.note).toContain('兜底分拨：定为第一责任区域 12号楼');
    // Off the desk; the zone leader is told as of a new issue; the resident follows the same code.
    expect((await triage(zhangNen)).items.some((i) => i.issue.id === c.id)).toBe(false);
    await t.deliverOutbox();
    const inbox = (
      await t.app.inject({ url: '/api/me/notifications', headers: wuWenjie.auth })
    ).json() as NotificationPage;
    expect(inbox.items.some((n) => n.kind === 'issue_filed' && n.issueId === c.id)).toBe(true);
    const tracked = await flow.track(t, c.trackingCode, c.secret);
    expect(tracked).toMatchObject({ status: 'dispatched', zoneName: '第一责任区域', building: 12 });
    // The specialist works it as any other.
    expect(flow.openTaskOf(await flow.issueById(t, zhangLifen, c.id), 'zhang-lifen')).toBeDefined();

    // Placed once: a second placing is a wrong state (409, with what may be done instead), writing nothing.
    const after = await snapshot(c.id);
    const again = await place(zhangNen, c.id, { zone: 'zone-2' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'not_in_triage']);
    expect(again.json().error.details[0]).toMatchObject({ state: 'dispatched', allowed: expect.any(Array) });
    expect(await snapshot(c.id)).toEqual(after);
  });

  test('a category no one owns is placed with a better one; a community matter goes to the joint meeting', async () => {
    const r0 = await complainRaw({
      qr: flow.qrFor(20),
      category: 'other',
      description: '电梯按钮不亮，不知道找谁',
    });
    const id = await flow.issueIdOf(t, (r0.json() as { trackingCode: string }).trackingCode);
    const r = await place(zhangNen, id, { zone: 'zone-1', category: 'elevator' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'dispatched',
      tier: 'line',
      line: 'elevator',
      category: 'elevator',
    });
  });
});
