import type { ComplaintView, IssueDetail, LetterView, NotificationPage, TaskView } from '@gongzhi/domain';
import { and, count, eq } from 'drizzle-orm';
import {
  issuesTable,
  lapsesTable,
  lettersTable,
  notificationsTable,
  outboxTable,
  tasksTable,
} from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import * as flow from '../helpers/issue-flow';

type Session = flow.Session;

let t: TestApp;
// Monday 2026-11-16 10:00 in Shanghai.
const clock = testClock(new Date('2026-11-16T02:00:00Z'));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let zhangLifen: Session; // zone-1 property specialist: zone-1 tasks go to her
let wuWenjie: Session; // zone-1 leader (oc): owns zone-1 issues
let yangChenyi: Session; // zone-1 grid inspector
let zhangNen: Session; // zone-1 rc member: no task of hers
let shenXuli: Session; // zone-2 property specialist
let zhouJianping: Session; // elevator line leader

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  zhangLifen = await t.loginAs('zhang-lifen');
  wuWenjie = await t.loginAs('wu-wenjie');
  yangChenyi = await t.loginAs('yang-chenyi');
  zhangNen = await t.loginAs('zhang-nen');
  shenXuli = await t.loginAs('shen-xuli');
  zhouJianping = await t.loginAs('zhou-jianping');
});
afterAll(() => t.close());

const complain = (building: number, description: string, category?: string) =>
  flow.complain(t, building, description, category);
const uploadPhoto = (s: Session) => flow.uploadPhoto(t, s);
const issueById = (s: Session, id: string) => flow.issueById(t, s, id);
const issueIdOf = (code: string) => flow.issueIdOf(t, code);
const taskStep = (s: Session, taskId: string, step: string, payload?: object) =>
  flow.taskStep(t, s, taskId, step, payload);
const { openTaskOf } = flow;
const track = (code: string, secret: string) => flow.track(t, code, secret);

async function fileIssue(s: Session, body: Record<string, unknown>) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/issues',
    headers: s.auth,
    payload: { community: 'xiaduoyuan', ...body },
  });
  expect(r.statusCode).toBe(201);
  return r.json() as IssueDetail;
}

const inbox = async (s: Session) => {
  const r = await t.app.inject({ url: '/api/me/notifications', headers: s.auth });
  expect(r.statusCode).toBe(200);
  return r.json() as NotificationPage;
};

describe('the full story of a resident complaint', () => {
  test('routed, dispatched, accepted, resolved with a photo, rejected, reopened, resolved again, verified, closed', async () => {
    const { trackingCode, secret } = await complain(12, '12号楼门口垃圾三天没人清');
    const id = await issueIdOf(trackingCode);

    // Routed to zone 1: owner the zone leader, one task to the zone's property specialist.
    let issue = await issueById(zhangLifen, id);
    expect(issue.status).toBe('dispatched');
    expect(issue.owner?.key).toBe('wu-wenjie');
    expect(issue.tasks.map((x) => [x.assignee.key, x.status, x.role])).toEqual([
      ['zhang-lifen', 'open', 'property_specialist'],
    ]);
    // Normal urgency: accept within 1 working day, resolve within 7 (Mon 10:00 → Tue 10:00, Wed next week 10:00).
    expect(issue.tasks[0]!.acceptDueAt).toBe('2026-11-17T02:00:00.000Z');
    expect(issue.tasks[0]!.resolveDueAt).toBe('2026-11-25T02:00:00.000Z');
    expect(issue.allowedActions).toEqual(expect.arrayContaining(['accept', 'return']));

    // The inbox: the specialist is told of the new task.
    await t.deliverOutbox();
    const told = await inbox(zhangLifen);
    expect(told.unread).toBeGreaterThanOrEqual(1);
    expect(told.items.some((n) => n.issueId === id && n.kind === 'task_assigned')).toBe(true);

    const first = openTaskOf(issue, 'zhang-lifen')!;
    clock.advance(HOUR);
    expect((await taskStep(zhangLifen, first.id, 'accept')).statusCode).toBe(200);
    expect((await taskStep(zhangLifen, first.id, 'start')).statusCode).toBe(200);
    const photo = await uploadPhoto(zhangLifen);
    const resolved = await taskStep(zhangLifen, first.id, 'resolve', {
      note: '已清运垃圾',
      photoIds: [photo],
    });
    expect(resolved.statusCode).toBe(200);
    expect((resolved.json() as TaskView).status).toBe('done');

    let seen = await track(trackingCode, secret);
    expect(seen.status).toBe('resolved');
    expect(seen.canVerify).toBe(true);
    expect(seen.photos.map((p) => p.id)).toContain(photo);

    // The resident says it is not fixed: reopened, and dispatched again to whoever resolved it.
    const noReason = await t.app.inject({
      method: 'POST',
      url: `/api/complaints/${trackingCode}/reject-fix`,
      headers: { 'x-tracking-secret': secret },
      payload: { reason: '' },
    });
    expect(noReason.statusCode).toBe(400);
    const rejected = await t.app.inject({
      method: 'POST',
      url: `/api/complaints/${trackingCode}/reject-fix`,
      headers: { 'x-tracking-secret': secret },
      payload: { reason: '垃圾又堆起来了，根本没清干净' },
    });
    expect(rejected.statusCode).toBe(200);
    expect((rejected.json() as ComplaintView).status).toBe('dispatched');

    issue = await issueById(zhangLifen, id);
    const second = openTaskOf(issue, 'zhang-lifen')!;
    expect(second.id).not.toBe(first.id);
    expect(second.note).toBe('垃圾又堆起来了，根本没清干净');
    expect((await taskStep(zhangLifen, second.id, 'accept')).statusCode).toBe(200);
    expect(
      (
        await taskStep(zhangLifen, second.id, 'resolve', {
          note: '彻底清理并消毒',
          photoIds: [await uploadPhoto(zhangLifen)],
        })
      ).statusCode,
    ).toBe(200);

    const verified = await t.app.inject({
      method: 'POST',
      url: `/api/complaints/${trackingCode}/verify`,
      headers: { 'x-tracking-secret': secret },
    });
    expect(verified.statusCode).toBe(200);
    seen = verified.json() as ComplaintView;
    expect(seen.status).toBe('closed');
    expect(seen.canVerify).toBe(false);

    issue = await issueById(wuWenjie, id);
    expect(issue.events.map((e) => [e.action, e.toStatus, e.actor])).toEqual([
      ['submit', 'submitted', 'resident'],
      ['dispatch', 'dispatched', 'system'],
      ['accept', 'accepted', 'zhang-lifen'],
      ['start', 'in_progress', 'zhang-lifen'],
      ['resolve', 'resolved', 'zhang-lifen'],
      ['reject_fix', 'reopened', 'resident'],
      ['redispatch', 'dispatched', 'system'],
      ['accept', 'accepted', 'zhang-lifen'],
      ['resolve', 'resolved', 'zhang-lifen'],
      ['verify', 'closed', 'resident'],
    ]);
    expect(issue.events[5]!.note).toBe('垃圾又堆起来了，根本没清干净');
    expect(issue.tasks.map((x) => x.status)).toEqual(['done', 'done']);
    expect(issue.assignees).toEqual([]);
    // After-photos hang on the resolve events.
    expect(issue.photos).toHaveLength(2);

    // The owner heard of the resolution and of the rejected fix.
    await t.deliverOutbox();
    const ownerKinds = (await inbox(wuWenjie)).items.filter((n) => n.issueId === id).map((n) => n.kind);
    expect(ownerKinds).toEqual(expect.arrayContaining(['task_accepted', 'issue_resolved', 'fix_rejected']));
  });
});

describe('refused steps (each changes nothing)', () => {
  let issue: IssueDetail;
  let task: TaskView;
  const snapshot = async () => ({
    issue: (await t.db.select().from(issuesTable).where(eq(issuesTable.id, issue.id)))[0],
    tasks: await t.db.select().from(tasksTable).where(eq(tasksTable.issueId, issue.id)),
  });
  beforeAll(async () => {
    issue = await fileIssue(yangChenyi, { building: 5, category: 'sanitation', description: '楼道堆放杂物' });
    task = openTaskOf(issue, 'zhang-lifen')!;
  });

  test('accepting a task assigned to someone else → 403', async () => {
    const before = await snapshot();
    const r = await taskStep(zhangNen, task.id, 'accept');
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('not_task_assignee');
    expect(r.json().error.message).toMatch(/不是派给您的/);
    expect(await snapshot()).toEqual(before);
  });

  test('a task on an issue one may not read → 404', async () => {
    const r = await taskStep(shenXuli, task.id, 'accept');
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('task_not_found');
  });

  test('returning without a reason → 400 naming the field', async () => {
    const before = await snapshot();
    const r = await taskStep(zhangLifen, task.id, 'return', { reason: ' ' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details[0].path).toContain('reason');
    expect(await snapshot()).toEqual(before);
  });

  test('starting before accepting → 409 listing what is allowed', async () => {
    const r = await taskStep(zhangLifen, task.id, 'start');
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('invalid_task_transition');
    expect(r.json().error.message).toContain('当前可执行：接单、退单');
  });

  test('resolving without a note → 400; property work without an after-photo → 400', async () => {
    expect((await taskStep(zhangLifen, task.id, 'accept')).statusCode).toBe(200);
    const before = await snapshot();
    const noNote = await taskStep(zhangLifen, task.id, 'resolve', { note: '', photoIds: [] });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().error.details[0].path).toContain('note');
    const noPhoto = await taskStep(zhangLifen, task.id, 'resolve', { note: '已处理完毕', photoIds: [] });
    expect(noPhoto.statusCode).toBe(400);
    expect(noPhoto.json().error.code).toBe('after_photo_required');
    // Someone else's photo cannot be passed off as one's own.
    const theirs = await uploadPhoto(yangChenyi);
    const stolen = await taskStep(zhangLifen, task.id, 'resolve', { note: '已处理完毕', photoIds: [theirs] });
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().error.code).toBe('photo_not_found');
    expect(await snapshot()).toEqual(before);
  });

  test('verifying an issue that is not resolved → 409 naming the state', async () => {
    const before = await snapshot();
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${issue.id}/verify`,
      headers: yangChenyi.auth,
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('invalid_transition');
    expect(r.json().error.message).toContain('已接单');
    expect(r.json().error.details[0].state).toBe('accepted');
    expect(await snapshot()).toEqual(before);
  });

  test('reassigning is for the owner or the manager, not a zone member → 403', async () => {
    const r = await taskStep(zhangNen, task.id, 'reassign', { assignee: 'wu-wenjie', note: '换人处理' });
    expect(r.statusCode).toBe(403);
  });

  test('a body with unknown fields → 400', async () => {
    const r = await taskStep(zhangLifen, task.id, 'return', { reason: '不归我管', extra: 1 });
    expect(r.statusCode).toBe(400);
  });
});

describe('return and re-dispatch by the owner', () => {
  test('returned to the owner; the same person again needs a note; someone else does not', async () => {
    const issue = await fileIssue(yangChenyi, {
      building: 7,
      category: 'sanitation',
      description: '垃圾桶破损',
    });
    const task = openTaskOf(issue, 'zhang-lifen')!;
    const back = await taskStep(zhangLifen, task.id, 'return', { reason: '垃圾桶属于环卫所，不归物业' });
    expect(back.statusCode).toBe(200);
    let now = await issueById(wuWenjie, issue.id);
    expect(now.status).toBe('dispatched');
    expect(now.assignees).toEqual([]);
    expect(now.events.at(-1)).toMatchObject({ action: 'return', note: '垃圾桶属于环卫所，不归物业' });

    const again = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${issue.id}/dispatch`,
      headers: wuWenjie.auth,
      payload: { assignee: 'zhang-lifen' },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('note_required_same_assignee');

    const notEligible = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${issue.id}/dispatch`,
      headers: wuWenjie.auth,
      payload: { assignee: 'zhang-nen' },
    });
    expect(notEligible.statusCode).toBe(400);
    expect(notEligible.json().error.code).toBe('assignee_not_eligible');

    const byOther = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${issue.id}/dispatch`,
      headers: zhangNen.auth,
      payload: { assignee: 'zhang-lifen', note: '请再看看' },
    });
    expect(byOther.statusCode).toBe(403);

    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${issue.id}/dispatch`,
      headers: wuWenjie.auth,
      payload: { assignee: 'zhang-lifen', note: '已与环卫所确认由物业更换' },
    });
    expect(ok.statusCode).toBe(200);
    now = ok.json() as IssueDetail;
    expect(now.tasks.map((x) => x.status)).toEqual(['returned', 'open']);
    expect(now.assignees.map((a) => a.key)).toEqual(['zhang-lifen']);

    // The owner reassigns the open task to himself (the zone leader may take it).
    const newTask = openTaskOf(now, 'zhang-lifen')!;
    const moved = await taskStep(wuWenjie, newTask.id, 'reassign', {
      assignee: 'wu-wenjie',
      note: '组长亲自处理',
    });
    expect(moved.statusCode).toBe(200);
    expect((moved.json() as TaskView).status).toBe('cancelled');
    now = await issueById(wuWenjie, issue.id);
    expect(now.tasks.map((x) => [x.assignee.key, x.status])).toEqual([
      ['zhang-lifen', 'returned'],
      ['zhang-lifen', 'cancelled'],
      ['wu-wenjie', 'open'],
    ]);
    expect(now.assignees.map((a) => a.key)).toEqual(['wu-wenjie']);
  });

  test('the task inbox lists what is dispatched to me, and the owner sees the tasks of his issues', async () => {
    const mine = await t.app.inject({ url: '/api/tasks?community=xiaduoyuan', headers: zhangLifen.auth });
    expect(mine.statusCode).toBe(200);
    const items = (mine.json() as { items: TaskView[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(
      items.every(
        (x) => x.assignee.key === 'zhang-lifen' && ['open', 'accepted', 'in_progress'].includes(x.status),
      ),
    ).toBe(true);
    const owned = await t.app.inject({
      url: '/api/tasks?community=xiaduoyuan&view=owned&status=all',
      headers: wuWenjie.auth,
    });
    const ownedItems = (owned.json() as { items: TaskView[] }).items;
    expect(ownedItems.some((x) => x.assignee.key === 'zhang-lifen')).toBe(true);
    const bad = await t.app.inject({
      url: '/api/tasks?community=xiaduoyuan&view=everything',
      headers: wuWenjie.auth,
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('the emergency path', () => {
  test('dispatched at once to the property company; report-backs to zone and line leaders; a missed one is a lapse and a warning letter', async () => {
    clock.set(new Date('2026-11-18T06:00:00Z'));
    const issue = await fileIssue(yangChenyi, {
      building: 12,
      category: 'elevator',
      urgency: 'emergency',
      description: '12号楼电梯困人',
    });
    expect(issue.tier).toBe('line');
    expect(issue.owner?.key).toBe('zhou-jianping');
    expect(issue.tasks.map((x) => x.assignee.key)).toEqual(['zhang-lifen']);
    // Emergencies are wall-clock: accept within 15 minutes, resolve within 4 hours.
    expect(issue.tasks[0]!.acceptDueAt).toBe('2026-11-18T06:15:00.000Z');
    expect(issue.tasks[0]!.resolveDueAt).toBe('2026-11-18T10:00:00.000Z');
    expect(issue.reportBacks.map((b) => [b.to.key, b.dueAt, b.doneAt, b.lapsed])).toEqual([
      ['wu-wenjie', '2026-11-18T06:30:00.000Z', null, false],
      ['zhou-jianping', '2026-11-18T06:30:00.000Z', null, false],
    ]);

    const wrongPerson = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${issue.id}/report-backs`,
      headers: zhangNen.auth,
      payload: { to: 'wu-wenjie', note: '已派人' },
    });
    expect(wrongPerson.statusCode).toBe(403);

    clock.advance(10 * 60_000);
    const done = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${issue.id}/report-backs`,
      headers: zhangLifen.auth,
      payload: { to: 'wu-wenjie', note: '维修工已到场，正在放人' },
    });
    expect(done.statusCode).toBe(200);
    const twice = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${issue.id}/report-backs`,
      headers: zhangLifen.auth,
      payload: { to: 'wu-wenjie', note: '再报一次' },
    });
    expect(twice.statusCode).toBe(409);

    clock.advance(21 * 60_000); // 06:31: the line leader's report-back is late
    const pass = await t.runFollowUp();
    expect(pass.lapsedReportBacks).toBe(1);
    const after = await issueById(zhouJianping, issue.id);
    expect(after.reportBacks.map((b) => [b.to.key, b.doneAt !== null, b.lapsed])).toEqual([
      ['wu-wenjie', true, false],
      ['zhou-jianping', false, true],
    ]);
    expect(after.events.map((e) => e.action)).toContain('report_back_missed');
    const lapses = await t.db
      .select()
      .from(lapsesTable)
      .where(and(eq(lapsesTable.issueId, issue.id), eq(lapsesTable.kind, 'report_back_missed')));
    expect(lapses.map((l) => [l.org, l.person])).toEqual([['property', 'zhou-jianping']]);
    const [warning] = await t.db
      .select()
      .from(lettersTable)
      .where(and(eq(lettersTable.kind, 'warning'), eq(lettersTable.org, 'property')));
    expect(warning!.issueIds).toEqual([issue.id]);
    expect(warning!.text).toContain('警示函');
    expect(warning!.text).toContain(issue.code);
    // A second pass finds nothing new.
    expect((await t.runFollowUp()).lapsedReportBacks).toBe(0);
  });
});

describe('deadlines, reminders and letters under a controllable clock', () => {
  test('an overdue task gets a reminder, then a 提示函 to the organisation, which acknowledges it', async () => {
    // Wednesday 2026-09-30 10:00 Shanghai: the National Day holiday and its make-up Saturday follow.
    clock.set(new Date('2026-09-30T02:00:00Z'));
    const issue = await fileIssue(yangChenyi, {
      building: 20,
      category: 'sanitation',
      description: '楼道灯不亮',
    });
    const task = openTaskOf(issue, 'zhang-lifen')!;
    // 1 working day: 14 h of Sep 30, Oct 1–7 off, 10 h of Oct 8. 7 working days: Oct 10 (Saturday) is a workday.
    expect(task.acceptDueAt).toBe('2026-10-08T02:00:00.000Z');
    expect(task.resolveDueAt).toBe('2026-10-15T02:00:00.000Z');

    clock.set(new Date('2026-10-07T12:00:00Z')); // still before the deadline
    let pass = await t.runFollowUp();
    expect(pass.reminders).toBe(0);

    clock.set(new Date('2026-10-08T02:00:00Z')); // due now
    // Two instances' passes at once: the row lock lets exactly one of them remind.
    const both = await Promise.all([t.runFollowUp(), t.runFollowUp()]);
    expect(both.map((p) => p.reminders).sort()).toEqual([0, 1]);
    expect(both.map((p) => p.letters)).toEqual([0, 0]);
    await t.deliverOutbox();
    const reminders = await t.db
      .select()
      .from(lapsesTable)
      .where(and(eq(lapsesTable.taskId, task.id), eq(lapsesTable.kind, 'accept_overdue')));
    expect(reminders).toHaveLength(1);
    for (const who of [zhangLifen, wuWenjie]) {
      const n = (await inbox(who)).items.find((x) => x.issueId === issue.id && x.kind === 'overdue_reminder');
      expect(n?.title).toContain('超时未接单');
    }
    expect((await t.runFollowUp()).reminders).toBe(0); // once only

    const overdue = await t.app.inject({
      url: '/api/tasks?community=xiaduoyuan&view=owned&overdue=true',
      headers: wuWenjie.auth,
    });
    expect((overdue.json() as { items: TaskView[] }).items.find((x) => x.id === task.id)?.overdue).toBe(
      'accept',
    );

    // Still not accepted one more working day later (Fri Oct 9 10:00): a reminder letter.
    clock.set(new Date('2026-10-09T01:59:00Z'));
    expect((await t.runFollowUp()).letters).toBe(0);
    clock.set(new Date('2026-10-09T02:00:00Z'));
    pass = await t.runFollowUp();
    expect(pass.letters).toBe(1);
    const letters = await t.app.inject({
      url: '/api/letters?community=xiaduoyuan&org=property',
      headers: zhangLifen.auth,
    });
    expect(letters.statusCode).toBe(200);
    const letter = (letters.json() as { items: LetterView[] }).items.find((l) =>
      l.issues.some((i) => i.id === issue.id),
    )!;
    expect(letter.kind).toBe('reminder');
    expect(letter.number).toMatch(/^夏朵园居民区提示〔2026〕\d+号$/);
    expect(letter.text).toContain('物业公司：');
    expect(letter.text).toContain(issue.code);
    expect(letter.text).toContain('张丽芬承办的任务超时未接单');
    expect(letter.acknowledgedAt).toBeNull();

    // Only the organisation acknowledges; an rc member cannot even see property letters.
    const rc = await t.app.inject({
      method: 'POST',
      url: `/api/letters/${letter.id}/acknowledge`,
      headers: zhangNen.auth,
      payload: {},
    });
    expect(rc.statusCode).toBe(404);
    const ack = await t.app.inject({
      method: 'POST',
      url: `/api/letters/${letter.id}/acknowledge`,
      headers: zhangLifen.auth,
      payload: { note: '已安排专人跟进' },
    });
    expect(ack.statusCode).toBe(200);
    expect((ack.json() as LetterView).acknowledgedBy).toBe('张丽芬');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/letters/${letter.id}/acknowledge`,
      headers: zhangLifen.auth,
    });
    expect(again.statusCode).toBe(409);

    // The clock of this task has stopped; accepting starts the resolve clock from zero.
    expect((await t.runFollowUp()).letters).toBe(0);
    expect((await taskStep(zhangLifen, task.id, 'accept')).statusCode).toBe(200);
    const [row] = await t.db.select().from(tasksTable).where(eq(tasksTable.id, task.id));
    expect(row!.overdueStage).toBe(0);
    expect(row!.nextEscalationAt?.toISOString()).toBe('2026-10-15T02:00:00.000Z');
  });

  test('unverified resolved issues close automatically after the configured days', async () => {
    clock.set(new Date('2026-11-02T02:00:00Z'));
    const issue = await fileIssue(yangChenyi, {
      building: 3,
      category: 'sanitation',
      description: '单元门口积水',
    });
    const task = openTaskOf(issue, 'zhang-lifen')!;
    await taskStep(zhangLifen, task.id, 'accept');
    await taskStep(zhangLifen, task.id, 'resolve', {
      note: '已疏通',
      photoIds: [await uploadPhoto(zhangLifen)],
    });
    clock.advance(7 * DAY - 60_000);
    await t.runFollowUp();
    expect((await issueById(wuWenjie, issue.id)).status).toBe('resolved');
    clock.advance(60_000);
    const pass = await t.runFollowUp();
    expect(pass.autoClosed).toBeGreaterThanOrEqual(1);
    const closed = await issueById(wuWenjie, issue.id);
    expect(closed.status).toBe('closed');
    expect(closed.events.at(-1)).toMatchObject({ action: 'auto_close', actor: 'system' });
  });
});

describe('notifications', () => {
  test('the outbox commits with the event; delivery is at least once, the inbox sees it once', async () => {
    clock.set(new Date('2026-11-19T02:00:00Z'));
    const issue = await fileIssue(yangChenyi, {
      building: 9,
      category: 'sanitation',
      description: '消防通道堆物',
    });
    const pending = await t.db
      .select()
      .from(outboxTable)
      .where(and(eq(outboxTable.status, 'pending'), eq(outboxTable.kind, 'task_assigned')));
    expect(pending.some((r) => r.payload.issueId === issue.id)).toBe(true);
    // A crash after the inbox insert but before the outbox row was marked: put one row back to pending.
    await t.deliverOutbox();
    const [row] = await t.db
      .select()
      .from(outboxTable)
      .where(and(eq(outboxTable.kind, 'task_assigned'), eq(outboxTable.channel, 'inbox')));
    await t.db
      .update(outboxTable)
      .set({ status: 'pending', nextAttemptAt: clock.now() })
      .where(eq(outboxTable.id, row!.id));
    await t.deliverOutbox();
    const [{ n }] = (await t.db
      .select({ n: count() })
      .from(notificationsTable)
      .where(eq(notificationsTable.sourceKey, row!.dedupeKey))) as [{ n: number }];
    expect(n).toBe(1);
  });

  test('a rejected issue: its reporter is told why, and the tasks in hand are cancelled', async () => {
    const issue = await fileIssue(yangChenyi, {
      building: 11,
      category: 'sanitation',
      description: '重复上报的问题',
    });
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${issue.id}/reject`,
      headers: wuWenjie.auth,
      payload: { reason: '与已有问题重复' },
    });
    expect(r.statusCode).toBe(200);
    expect((r.json() as IssueDetail).tasks.map((x) => x.status)).toEqual(['cancelled']);
    await t.deliverOutbox();
    const told = (await inbox(yangChenyi)).items.find(
      (n) => n.issueId === issue.id && n.kind === 'issue_rejected',
    );
    expect(told?.body).toContain('与已有问题重复');
  });

  test('read one, read all, the unread count; someone else’s notification is not found', async () => {
    const page = await inbox(zhangLifen);
    expect(page.unread).toBeGreaterThan(0);
    const first = page.items.find((x) => x.readAt === null)!;
    const read = await t.app.inject({
      method: 'POST',
      url: `/api/me/notifications/${first.id}/read`,
      headers: zhangLifen.auth,
    });
    expect(read.statusCode).toBe(200);
    expect(read.json().unread).toBe(page.unread - 1);
    const theirs = await t.app.inject({
      method: 'POST',
      url: `/api/me/notifications/${first.id}/read`,
      headers: wuWenjie.auth,
    });
    expect(theirs.statusCode).toBe(404);
    await t.app.inject({ method: 'POST', url: '/api/me/notifications/read-all', headers: zhangLifen.auth });
    const count0 = await t.app.inject({
      url: '/api/me/notifications/unread-count',
      headers: zhangLifen.auth,
    });
    expect(count0.json()).toEqual({ unread: 0 });
  });
});
