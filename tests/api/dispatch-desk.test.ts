import type { DeskPage, IssueDetail, NotificationPage, TaskPage } from '@gongzhi/domain';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import * as flow from '../helpers/issue-flow';

type Session = flow.Session;

let t: TestApp;
// Monday 2026-11-16 10:00 in Shanghai.
const clock = testClock(new Date('2026-11-16T02:00:00Z'));
const DAY = 24 * 3_600_000;

let zhangLifen: Session; // zone-1 property specialist
let wuWenjie: Session; // zone-1 leader: owns zone-1 issues
let yangChenyi: Session; // zone-1 grid inspector
let zhangNen: Session; // zone-1 residents' committee member
let huShengjia: Session; // zone-2 leader
let admin: Session;

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  zhangLifen = await t.loginAs('zhang-lifen');
  wuWenjie = await t.loginAs('wu-wenjie');
  yangChenyi = await t.loginAs('yang-chenyi');
  zhangNen = await t.loginAs('zhang-nen');
  huShengjia = await t.loginAs('hu-shengjia');
  admin = await t.loginAs('admin');
});
afterAll(() => t.close());

const issueById = (s: Session, id: string) => flow.issueById(t, s, id);

async function desk(s: Session, queue?: string) {
  const r = await t.app.inject({
    url: `/api/desk?community=xiaduoyuan${queue ? `&queue=${queue}` : ''}&limit=100`,
    headers: s.auth,
  });
  expect(r.statusCode).toBe(200);
  return r.json() as DeskPage;
}

const post = (s: Session, url: string, payload: object) =>
  t.app.inject({ method: 'POST', url, headers: s.auth, payload });

async function complaint(building: number, text: string, category?: string) {
  const c = await flow.complain(t, building, text, category);
  return { ...c, id: await flow.issueIdOf(t, c.trackingCode) };
}

describe('the desk queue', () => {
  test('a returned task shows on the zone leader’s desk, not on another zone’s; re-dispatch takes it off', async () => {
    const c = await complaint(12, '12号楼楼道堆放杂物');
    const task = flow.openTaskOf(await issueById(zhangLifen, c.id), 'zhang-lifen')!;
    expect(
      (await flow.taskStep(t, zhangLifen, task.id, 'return', { reason: '不属于物业职责' })).statusCode,
    ).toBe(200);

    const returned = await desk(wuWenjie, 'returned');
    const item = returned.items.find((i) => i.issue.id === c.id);
    expect(item?.queues).toEqual(['returned', 'unassigned']);
    expect(item?.lastReturn).toMatchObject({ by: '张丽芬', reason: '不属于物业职责' });
    expect(returned.counts.returned).toBeGreaterThanOrEqual(1);
    expect((await desk(huShengjia)).items.some((i) => i.issue.id === c.id)).toBe(false);

    // The issue page offers the desk's actions, and whom to dispatch to.
    const detail = await issueById(wuWenjie, c.id);
    expect(detail.allowedActions).toEqual(expect.arrayContaining(['redispatch', 'merge', 'reject']));
    expect(detail.candidates.map((x) => x.key)).toContain('zhang-lifen');
    expect(detail.candidates.map((x) => x.key)).not.toContain('zhang-nen'); // not a mediation category
    // The grid inspector may not dispatch: no candidates for him.
    expect((await issueById(yangChenyi, c.id)).candidates).toEqual([]);

    const r = await post(wuWenjie, `/api/issues/${c.id}/dispatch`, {
      assignee: 'zhang-lifen',
      note: '经核实属公共区域，请物业清理',
    });
    expect(r.statusCode).toBe(200);
    expect((await desk(wuWenjie, 'returned')).items.some((i) => i.issue.id === c.id)).toBe(false);
    expect((await desk(wuWenjie, 'unassigned')).items.some((i) => i.issue.id === c.id)).toBe(false);
  });

  test('each queue holds exactly the issues the domain puts in it; overdue and to-verify issues show', async () => {
    const late = await complaint(13, '13号楼路灯不亮', 'public_facility');
    const done = await complaint(14, '14号楼草坪杂草', 'greening');
    await flow.resolveTaskOf(t, zhangLifen, done.id, 'zhang-lifen');
    clock.advance(30 * DAY);
    try {
      const wu = await t.loginAs('wu-wenjie'); // the earlier session's token has expired by now
      const all = await desk(wu);
      expect(all.items.find((i) => i.issue.id === late.id)?.queues).toEqual(['overdue']);
      expect(all.items.find((i) => i.issue.id === done.id)?.queues).toEqual(['verify']);
      // The SQL of each queue agrees with the domain's deskQueuesOf on every item.
      for (const q of ['returned', 'unassigned', 'overdue', 'verify', 'park_review'] as const) {
        const page = await desk(wu, q);
        expect(page.items.length).toBe(page.counts[q]);
        for (const i of page.items) expect(i.queues).toContain(q);
        const fromAll = all.items.filter((i) => i.queues.includes(q)).map((i) => i.issue.id);
        expect(page.items.map((i) => i.issue.id).sort()).toEqual(fromAll.sort());
      }
      for (const i of all.items) expect(i.queues.length).toBeGreaterThan(0);
    } finally {
      clock.advance(-30 * DAY);
    }
  });

  test('who keeps a desk: zone and line leaders, the property manager, admins; not a zone member', async () => {
    const r = await t.app.inject({ url: '/api/desk?community=xiaduoyuan', headers: zhangNen.auth });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('no_desk');
    expect((await desk(admin)).counts).toBeDefined();
    const bad = await t.app.inject({ url: '/api/desk?community=xiaduoyuan&queue=nope', headers: admin.auth });
    expect(bad.statusCode).toBe(400);
  });
});

describe('merging duplicates', () => {
  test('the duplicate closes as merged, the survivor notes it, the reporter follows the survivor and is told', async () => {
    const survivor = await complaint(20, '20号楼门口下水道堵塞');
    const dup = await complaint(20, '20号楼下水道又堵了');
    const r = await post(wuWenjie, `/api/issues/${dup.id}/merge`, {
      into: survivor.trackingCode.toLowerCase(),
      note: '同一处下水道',
    });
    expect(r.statusCode).toBe(200);
    const merged = r.json() as IssueDetail;
    expect(merged.status).toBe('merged');
    expect(merged.mergedInto).toEqual({ id: survivor.id, code: survivor.trackingCode });
    expect(merged.tasks.every((x) => x.status === 'cancelled')).toBe(true);
    const s = await issueById(wuWenjie, survivor.id);
    expect(s.events.at(-1)).toMatchObject({ action: 'merged_in', data: { fromCode: dup.trackingCode } });

    // The duplicate's tracking code shows the survivor's progress.
    const tracked = await flow.track(t, dup.trackingCode, dup.secret);
    expect(tracked.status).toBe('merged');
    expect(tracked.mergedInto).toMatchObject({ code: survivor.trackingCode, status: 'dispatched' });
    await flow.resolveTaskOf(t, zhangLifen, survivor.id, 'zhang-lifen');
    expect((await flow.track(t, dup.trackingCode, dup.secret)).mergedInto?.status).toBe('resolved');
  });

  test('a staff reporter of the duplicate is told in the inbox', async () => {
    const survivor = await complaint(21, '21号楼垃圾桶满溢');
    const f = await post(yangChenyi, '/api/issues', {
      community: 'xiaduoyuan',
      building: 21,
      category: 'sanitation',
      description: '巡查发现21号楼垃圾桶满溢',
    });
    expect(f.statusCode).toBe(201);
    const dupId = (f.json() as IssueDetail).id;
    expect((await post(wuWenjie, `/api/issues/${dupId}/merge`, { into: survivor.id })).statusCode).toBe(200);
    await t.deliverOutbox();
    const r = await t.app.inject({ url: '/api/me/notifications', headers: yangChenyi.auth });
    const told = (r.json() as NotificationPage).items.find((n) => n.kind === 'issue_merged');
    expect(told?.title).toContain('问题已合并');
    expect(told?.body).toContain(survivor.trackingCode);
  });

  test('guards: not itself, not a finished issue, not unknown or unreadable, only the owner or an admin', async () => {
    const a = await complaint(22, '22号楼外墙脱落');
    const b = await complaint(22, '22号楼外墙瓷砖掉落');
    const other = await complaint(50, '50号楼外墙瓷砖掉落'); // zone 2: wu-wenjie cannot read it
    const cases: [Session, string, object, number, string][] = [
      [wuWenjie, a.id, { into: a.trackingCode }, 400, 'merge_into_itself'],
      [wuWenjie, a.id, { into: 'XDY-NOPE' }, 400, 'merge_target_not_found'],
      [wuWenjie, a.id, { into: other.trackingCode }, 400, 'merge_target_not_found'],
      [yangChenyi, a.id, { into: b.trackingCode }, 403, 'action_not_permitted'],
      [wuWenjie, a.id, {}, 400, 'validation_failed'],
    ];
    for (const [s, id, body, status, code] of cases) {
      const r = await post(s, `/api/issues/${id}/merge`, body);
      expect([r.statusCode, r.json().error.code]).toEqual([status, code]);
    }
    // b merged into a; then merging a into b (finished) is refused, and so is merging b again.
    expect((await post(wuWenjie, `/api/issues/${b.id}/merge`, { into: a.trackingCode })).statusCode).toBe(
      200,
    );
    const back = await post(wuWenjie, `/api/issues/${a.id}/merge`, { into: b.trackingCode });
    expect([back.statusCode, back.json().error.code]).toEqual([409, 'merge_target_final']);
    const again = await post(wuWenjie, `/api/issues/${b.id}/merge`, { into: a.trackingCode });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'invalid_transition']);
    expect((await issueById(wuWenjie, a.id)).status).toBe('dispatched');
  });
});

describe('mediation by the residents’ committee', () => {
  test('a 邻里纠纷 goes to a 居委会 member of the zone, who sees it and resolves it without a photo', async () => {
    const c = await complaint(15, '楼上邻居深夜噪音，协商未果', 'neighbour_dispute');
    const detail = await issueById(wuWenjie, c.id);
    expect(detail.candidates).toEqual(
      expect.arrayContaining([{ key: 'zhang-nen', name: '张嫩', roleName: '居委会（调解）' }]),
    );
    const r = await post(wuWenjie, `/api/issues/${c.id}/dispatch`, {
      assignee: 'zhang-nen',
      note: '请居委会调解',
    });
    expect(r.statusCode).toBe(200);
    const task = flow.openTaskOf(r.json() as IssueDetail, 'zhang-nen')!;
    expect(task.role).toBe('rc_mediator');

    const mine = await t.app.inject({
      url: '/api/tasks?community=xiaduoyuan&view=mine',
      headers: zhangNen.auth,
    });
    expect((mine.json() as TaskPage).items.map((x) => x.id)).toContain(task.id);
    expect((await issueById(zhangNen, c.id)).status).toBe('dispatched');
    expect((await flow.taskStep(t, zhangNen, task.id, 'accept')).statusCode).toBe(200);
    const resolved = await flow.taskStep(t, zhangNen, task.id, 'resolve', {
      note: '双方达成谅解',
      photoIds: [],
    });
    expect(resolved.statusCode).toBe(200);
  });

  test('a 居委会 member cannot take a category that is not mediation', async () => {
    const c = await complaint(16, '16号楼垃圾未清运');
    const r = await post(wuWenjie, `/api/issues/${c.id}/dispatch`, { assignee: 'zhang-nen', note: '试试' });
    expect([r.statusCode, r.json().error.code]).toEqual([400, 'assignee_not_eligible']);
  });
});
