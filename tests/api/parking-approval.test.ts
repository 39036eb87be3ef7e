import type { IssueDetail, NotificationPage } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { issueRequestsTable } from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import * as flow from '../helpers/issue-flow';

/**
 * 挂账 "with the zone leader or the joint meeting as configured" (issue 17 item 3): here the owner
 * asks and the joint meeting (the secretary or the leadership group) decides. A refusal is recorded
 * and the issue stays at work; an approval parks it with the request's reason and review date.
 */
type Session = flow.Session;

let t: TestApp;
// Monday 2026-11-16 10:00 in Shanghai.
const clock = testClock(new Date('2026-11-16T02:00:00Z'));

let wuWenjie: Session; // zone-1 leader: owner of zone-1 issues, the party that parks
let tuZhongmei: Session; // secretary: the joint meeting's approver
let zhangLifen: Session; // the handler

beforeAll(async () => {
  t = await buildTestApp({
    now: clock.now,
    editConfig: (raw) => {
      raw.caseHandling = { parking: { by: 'owner', approval: 'joint_meeting' } };
    },
  });
  wuWenjie = await t.loginAs('wu-wenjie');
  tuZhongmei = await t.loginAs('tu-zhongmei');
  zhangLifen = await t.loginAs('zhang-lifen');
});
afterAll(() => t.close());

const step = (s: Session, id: string, path: string, payload: object) =>
  flow.issueStep(t, s, id, path, payload);
const refused = (s: Session, id: string, ...rest: flow.RefusedStepRest) =>
  flow.refusedStep(t, s, id, ...rest);

async function titles(s: Session) {
  while ((await t.deliverOutbox()) > 0);
  const r = await t.app.inject({ url: '/api/me/notifications?limit=50', headers: s.auth });
  return (r.json() as NotificationPage).items.map((n) => n.title);
}

describe('parking with the joint meeting’s approval', () => {
  test('the owner asks; the secretary refuses, then approves a second request; each step is recorded', async () => {
    const c = await flow.complain(t, 13, '13号楼化粪池满溢，需市政管网改造', 'sanitation');
    const id = await flow.issueIdOf(t, c.trackingCode);
    const request = { reason: '需市政管网改造，纳入明年计划', reviewDate: '2026-12-20' };

    // Parking directly is no longer the owner's: he is told to ask.
    await refused(wuWenjie, id, 'park', request, 409, {
      code: 'parking_needs_approval',
      allowed: ['request_parking'],
    });
    const owner = await flow.issueById(t, wuWenjie, id);
    expect(owner.allowedActions).not.toContain('park');
    expect(owner.caseActions).toContain('request_parking');
    // Nor the approver's without a request.
    await refused(tuZhongmei, id, 'park', request, 403, { code: 'parking_not_permitted' });
    await refused(zhangLifen, id, 'park-request', request, 403);
    await refused(wuWenjie, id, 'park-request', { reason: '需改造', reviewDate: '2026-11-16' }, 400, {
      code: 'review_date_required',
      path: 'reviewDate',
    });
    await refused(wuWenjie, id, 'park-request', { reviewDate: '2026-12-20' }, 400, { path: 'reason' });
    await refused(tuZhongmei, id, 'park-request/decision', { approve: true }, 409, {
      code: 'case_step_not_allowed',
    });

    const asked = await step(wuWenjie, id, 'park-request', request);
    expect(asked.statusCode).toBe(200);
    const pending = asked.json() as IssueDetail;
    expect(pending.status).toBe('dispatched');
    expect(pending.caseHandling.pendingParking).toMatchObject({
      by: { key: 'wu-wenjie' },
      reason: request.reason,
      reviewAt: '2026-12-19T16:00:00.000Z',
    });
    await refused(wuWenjie, id, 'park-request', request, 409, { code: 'case_step_not_allowed' });
    expect(await titles(tuZhongmei)).toContain(`挂账申请 ${c.trackingCode}`);
    expect((await flow.issueById(t, tuZhongmei, id)).caseActions).toEqual(
      expect.arrayContaining(['approve_parking', 'refuse_parking']),
    );
    await refused(wuWenjie, id, 'park-request/decision', { approve: true }, 403);
    await refused(tuZhongmei, id, 'park-request/decision', { approve: 'yes' }, 400, { path: 'approve' });

    const no = await step(tuZhongmei, id, 'park-request/decision', {
      approve: false,
      note: '请先协调物业临时清掏',
    });
    expect(no.statusCode).toBe(200);
    const refusedView = no.json() as IssueDetail;
    expect(refusedView.status).toBe('dispatched');
    expect(refusedView.caseHandling).toMatchObject({ pendingParking: null, parkCount: 0 });
    expect(await titles(wuWenjie)).toContain(`挂账未同意 ${c.trackingCode}`);

    expect((await step(wuWenjie, id, 'park-request', request)).statusCode).toBe(200);
    const yes = await step(tuZhongmei, id, 'park-request/decision', { approve: true, note: '同意挂账' });
    expect(yes.statusCode).toBe(200);
    const parked = yes.json() as IssueDetail;
    expect(parked.status).toBe('parked');
    expect(parked.assignees).toEqual([]);
    expect(parked.caseHandling).toMatchObject({
      parkCount: 1,
      parkedUntil: '2026-12-19T16:00:00.000Z',
      pendingParking: null,
    });
    expect(parked.events.map((e) => e.action).slice(-5)).toEqual([
      'request_parking',
      'refuse_parking',
      'request_parking',
      'approve_parking',
      'park',
    ]);
    expect(parked.events.at(-1)).toMatchObject({ note: request.reason });
    expect(await titles(wuWenjie)).toContain(`挂账已同意 ${c.trackingCode}`);
    const rows = await t.db.select().from(issueRequestsTable).where(eq(issueRequestsTable.issueId, id));
    expect(rows.map((r) => [r.kind, r.status, r.decidedBy]).sort()).toEqual([
      ['parking', 'approved', 'tu-zhongmei'],
      ['parking', 'refused', 'tu-zhongmei'],
    ]);
    // Parked: nothing more to ask; the review is the owner's (or the approver's).
    await refused(wuWenjie, id, 'park-request', request, 409, { code: 'case_step_not_allowed' });
    expect((await flow.issueById(t, wuWenjie, id)).allowedActions).toEqual(
      expect.arrayContaining(['repark', 'unpark']),
    );
  });
});
