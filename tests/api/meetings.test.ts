import type {
  AgendaPlacementView,
  FundUseView,
  IssueDetail,
  JointMeetingView,
  NotificationPage,
  OwnersAssemblyView,
  ResolutionView,
  TaskView,
  WaitingAgenda,
  ZoneMeetingView,
} from '@gongzhi/domain';
import { count, eq } from 'drizzle-orm';
import {
  fundUsesTable,
  issueEventsTable,
  issuesTable,
  jointAgendaItemsTable,
  jointMeetingsTable,
  outboxTable,
  ownersAssembliesTable,
  resolutionProgressTable,
  resolutionsTable,
  tasksTable,
  zoneMeetingIssuesTable,
  zoneMeetingsTable,
} from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import { resolveTaskOf, uploadPhoto } from '../helpers/issue-flow';
import { JOINT_MEETING_PRESENT } from '../helpers/joint-meeting';

type Session = Awaited<ReturnType<TestApp['loginAs']>>;

let t: TestApp;
// Monday 2026-11-16 10:00 in Shanghai.
const clock = testClock(new Date('2026-11-16T02:00:00Z'));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let wuWenjie: Session; // zone-1 leader (oc): owns zone-1 issues, convenes its meetings
let zhangNen: Session; // zone-1 rc member
let zhangLifen: Session; // zone-1 property specialist
let yangChenyi: Session; // zone-1 grid inspector: reports, not a joint-meeting member
let huShengjia: Session; // zone-2 leader: a joint-meeting member, not of zone 1
let tuZhongmei: Session; // the secretary (四位一体秘书)
let wenLiang: Session; // the Party secretary: chairs the joint meeting

// The members present at a joint meeting: 13 of the 25 members, every organisation represented.

/**
 * Each describe block gets its own app, database and sign-ins, with the clock back at the start:
 * the joint meeting's agenda is community-wide ("the next meeting"), so stories must not share it,
 * and sessions last 30 days on the test clock.
 */
function freshApp() {
  beforeAll(async () => {
    clock.set(new Date('2026-11-16T02:00:00Z'));
    t = await buildTestApp({ now: clock.now });
    wuWenjie = await t.loginAs('wu-wenjie');
    zhangNen = await t.loginAs('zhang-nen');
    zhangLifen = await t.loginAs('zhang-lifen');
    yangChenyi = await t.loginAs('yang-chenyi');
    huShengjia = await t.loginAs('hu-shengjia');
    tuZhongmei = await t.loginAs('tu-zhongmei');
    wenLiang = await t.loginAs('wen-liang');
  });
  afterAll(() => t.close());
}

const call = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: s.auth, ...(payload ? { payload } : {}) });

async function ok<T>(
  s: Session,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: object,
  status = 200,
) {
  const r = await call(s, method, url, payload);
  if (r.statusCode !== status) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json() as T;
}

async function fileIssue(body: Record<string, unknown> = {}) {
  return ok<IssueDetail>(
    yangChenyi,
    'POST',
    '/api/issues',
    {
      community: 'xiaduoyuan',
      building: 12,
      category: 'shared_leak',
      description: '12号楼外墙渗水',
      ...body,
    },
    201,
  );
}
const issue = (s: Session, id: string) => ok<IssueDetail>(s, 'GET', `/api/issues/${id}`);
const inbox = async (s: Session) => {
  await t.deliverOutbox();
  return ok<NotificationPage>(s, 'GET', '/api/me/notifications?limit=100');
};

/** Everything a refused request could have written: rows of every meeting table, issues, and counts. */
async function snapshot() {
  const all = async (q: Promise<unknown[]>) => (await q).map((r) => JSON.stringify(r)).sort();
  return {
    zoneMeetings: await all(t.db.select().from(zoneMeetingsTable)),
    zoneMeetingIssues: await all(t.db.select().from(zoneMeetingIssuesTable)),
    jointMeetings: await all(t.db.select().from(jointMeetingsTable)),
    agendaItems: await all(t.db.select().from(jointAgendaItemsTable)),
    resolutions: await all(t.db.select().from(resolutionsTable)),
    progress: await all(t.db.select().from(resolutionProgressTable)),
    assemblies: await all(t.db.select().from(ownersAssembliesTable)),
    fundUses: await all(t.db.select().from(fundUsesTable)),
    issues: await all(t.db.select().from(issuesTable)),
    events: (await t.db.select({ n: count() }).from(issueEventsTable))[0]!.n,
    tasks: await all(t.db.select().from(tasksTable)),
    outbox: (await t.db.select({ n: count() }).from(outboxTable))[0]!.n,
  };
}

/** Expect a refusal with this status and code, and that nothing at all was written. */
async function refused(
  s: Session,
  method: 'POST' | 'PUT',
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

/** Attendance is taken once a meeting has begun: the test clock moves on to its time if it is earlier. */
function begun(m: { at: string }) {
  if (clock.now().getTime() < new Date(m.at).getTime()) clock.set(new Date(m.at));
}

async function zoneMeetingOn(issueIds: string[], at = '2026-11-18T19:00:00+08:00') {
  return ok<ZoneMeetingView>(
    wuWenjie,
    'POST',
    '/api/zone-meetings',
    { community: 'xiaduoyuan', zone: 'zone-1', at, place: '1号楼架空层', agenda: issueIds },
    201,
  );
}

async function escalatedIssue(description: string) {
  const filed = await fileIssue({ description });
  const zm = await zoneMeetingOn([filed.id]);
  begun(zm);
  await ok(wuWenjie, 'POST', `/api/zone-meetings/${zm.id}/attendance`, {
    attendees: ['wu-wenjie', 'zhang-nen'],
  });
  await ok(wuWenjie, 'POST', `/api/zone-meetings/${zm.id}/minutes`, {
    minutes: '区域无法解决，上报联席会议',
    outcomes: [{ issue: filed.id, outcome: { kind: 'escalate', resolution: '上报联席会议研究' } }],
  });
  await ok(wuWenjie, 'POST', `/api/issues/${filed.id}/escalate`);
  return filed.id;
}

/** Each owners' assembly is held on a day of its own (a result is entered once): 2026-01-01, 01-02, … */
let assemblyDays = 0;
const heldOn = () => new Date(Date.UTC(2026, 0, 1 + assemblyDays++)).toISOString().slice(0, 10);

/** Art. 278 totals: participating owners and area, consenting owners and area. */
const totals = (po: number, pa: number, co: number, ca: number) => ({
  participatingOwners: po,
  participatingArea: pa,
  consentingOwners: co,
  consentingArea: ca,
});

const schedule = (at: string, body: object = {}) =>
  ok<JointMeetingView>(
    tuZhongmei,
    'POST',
    '/api/joint-meetings',
    { community: 'xiaduoyuan', at, place: '居委会会议室', ...body },
    201,
  );

describe('one issue from the zone tier to a re-deliberation', () => {
  freshApp();
  test('zone meeting → escalation → joint-meeting vote → resolution with progress → 复议, on this database', async () => {
    const filed = await fileIssue();
    expect(filed).toMatchObject({ status: 'dispatched', tier: 'zone', owner: { key: 'wu-wenjie' } });

    // No zone resolution yet: escalation is refused, and nothing moves.
    const early = await refused(
      wuWenjie,
      'POST',
      `/api/issues/${filed.id}/escalate`,
      {},
      409,
      'zone_resolution_required',
    );
    expect(early.message).toContain('尚未关联区域会议');

    // The zone leader convenes; the zone's members get the notice.
    const zm = await zoneMeetingOn([filed.id]);
    expect(zm).toMatchObject({
      zone: 'zone-1',
      status: 'convened',
      convenedBy: 'wu-wenjie',
      invitees: ['zhang-nen', 'li-yongkang', 'yang-chenyi', 'zhang-lifen'],
      agenda: [{ issue: filed.id, code: filed.code }],
    });
    const notice = (await inbox(zhangNen)).items.find((n) => n.kind === 'zone_meeting_convened');
    expect(notice?.title).toBe('区域会议通知：第一责任区域');
    expect(notice?.body).toContain('1号楼架空层');

    // Someone outside the zone may not record its attendance: the secretary (who reads every zone)
    // is refused, a leader of another zone does not even see the meeting.
    begun(zm);
    await refused(
      tuZhongmei,
      'POST',
      `/api/zone-meetings/${zm.id}/attendance`,
      { attendees: ['wu-wenjie'] },
      403,
      'not_zone_member',
    );
    begun(zm);
    await refused(
      huShengjia,
      'POST',
      `/api/zone-meetings/${zm.id}/attendance`,
      { attendees: ['hu-shengjia'] },
      404,
      'zone_meeting_not_found',
    );
    begun(zm);
    await refused(
      zhangNen,
      'POST',
      `/api/zone-meetings/${zm.id}/attendance`,
      { attendees: ['zhang-nen'] },
      403,
      'not_zone_leader',
    );
    begun(zm);
    const held = await ok<ZoneMeetingView>(wuWenjie, 'POST', `/api/zone-meetings/${zm.id}/attendance`, {
      attendees: ['wu-wenjie', 'zhang-nen', 'zhang-lifen'],
    });
    expect(held.status).toBe('held');

    clock.set(new Date('2026-11-18T12:00:00Z'));
    const minuted = await ok<ZoneMeetingView>(wuWenjie, 'POST', `/api/zone-meetings/${zm.id}/minutes`, {
      minutes: '外墙渗水需动用公共资金维修，区域无法协调解决',
      residentViews: '12号楼住户希望尽快在雨季前修好',
      outcomes: [
        {
          issue: filed.id,
          outcome: {
            kind: 'escalate',
            resolution: '上报联席会议研究外墙维修',
            proposal: '由物业牵头评估维修方案',
          },
        },
      ],
    });
    expect(minuted).toMatchObject({
      status: 'minutes_recorded',
      residentViews: '12号楼住户希望尽快在雨季前修好',
      outcomes: [{ issue: filed.id, outcome: { kind: 'escalate', resolution: '上报联席会议研究外墙维修' } }],
    });

    // Escalation with the resolution attached: the issue leaves the zone and waits for the next meeting.
    const escalated = await ok<IssueDetail>(wuWenjie, 'POST', `/api/issues/${filed.id}/escalate`);
    expect(escalated).toMatchObject({ status: 'escalated', tier: 'joint_meeting', assignees: [] });
    expect(escalated.events.at(-1)).toMatchObject({
      action: 'escalate',
      toStatus: 'escalated',
      note: '上报联席会议研究外墙维修',
      data: { zoneMeeting: zm.id },
    });
    expect(escalated.tasks.every((x) => x.status === 'cancelled')).toBe(true);
    const waiting = await ok<WaitingAgenda>(tuZhongmei, 'GET', '/api/joint-agenda?community=xiaduoyuan');
    expect(waiting.items).toEqual([
      expect.objectContaining({
        source: 'escalation',
        issues: [filed.id],
        meeting: null,
        zoneResolution: expect.objectContaining({
          meeting: zm.id,
          resolution: '上报联席会议研究外墙维修',
          proposal: '由物业牵头评估维修方案',
        }),
      }),
    ]);
    expect((await inbox(tuZhongmei)).items.some((n) => n.kind === 'joint_agenda_added')).toBe(true);

    // The secretary schedules the monthly meeting; it takes up the waiting item.
    let jm = await schedule('2026-11-25T19:00:00+08:00');
    expect(jm).toMatchObject({
      kind: 'regular',
      chair: 'wen-liang',
      chairName: '闻良',
      status: 'scheduled',
      agenda: [{ no: 1, status: 'pending', source: 'escalation', issues: [filed.id] }],
      minutes: { status: 'draft' },
    });
    expect(jm.invitees).toHaveLength(25);
    expect(
      (await ok<WaitingAgenda>(tuZhongmei, 'GET', '/api/joint-agenda?community=xiaduoyuan')).items,
    ).toEqual([]);
    expect((await inbox(wenLiang)).items.some((n) => n.kind === 'joint_meeting_scheduled')).toBe(true);

    clock.set(new Date('2026-11-25T11:00:00Z'));
    // Attendance: only the secretary or the chair records it; a grid inspector is not a member.
    begun(jm);
    await refused(
      yangChenyi,
      'POST',
      `/api/joint-meetings/${jm.id}/attendance`,
      { present: JOINT_MEETING_PRESENT },
      403,
      'not_meeting_recorder',
    );
    begun(jm);
    jm = await ok<JointMeetingView>(tuZhongmei, 'POST', `/api/joint-meetings/${jm.id}/attendance`, {
      present: JOINT_MEETING_PRESENT,
    });
    expect(jm.status).toBe('held');
    expect(jm.quorum).toMatchObject({ met: true, invited: 25, present: 13, missingOrgs: [] });
    expect(jm.quorum.text[0]).toBe('出席 13 人 / 应到 25 人 = 52.00%，需 > 1/2（50.00%）：达到');

    // 个别酝酿、共同协商 before 民主表决.
    await refused(
      wenLiang,
      'POST',
      `/api/joint-meetings/${jm.id}/items/1/vote`,
      { votes: { for: 11, against: 0, abstain: 2 } },
      409,
      'consultation_required',
    );
    await ok(tuZhongmei, 'POST', `/api/joint-meetings/${jm.id}/items/1/consultation`, {
      individual: '会前分别听取了物业和业委会意见',
      joint: '同意由物业牵头维修外墙',
    });
    // More votes than members present, and a vote recorded by someone other than the chair.
    const tooMany = await refused(
      wenLiang,
      'POST',
      `/api/joint-meetings/${jm.id}/items/1/vote`,
      { votes: { for: 10, against: 3, abstain: 1 } },
      400,
      'votes_exceed_present',
    );
    expect(tooMany.message).toContain('= 14 票，超过出席人数 13 人');
    expect(tooMany.details?.[0]?.path).toBe('votes');
    await refused(
      tuZhongmei,
      'POST',
      `/api/joint-meetings/${jm.id}/items/1/vote`,
      { votes: { for: 11, against: 0, abstain: 2 } },
      403,
      'not_chair',
    );
    jm = await ok<JointMeetingView>(wenLiang, 'POST', `/api/joint-meetings/${jm.id}/items/1/vote`, {
      votes: { for: 11, against: 0, abstain: 2 },
    });
    expect(jm.agenda[0]!.vote).toMatchObject({ for: 11, against: 0, abstain: 2, present: 13, passed: true });
    expect(jm.agenda[0]!.vote?.text).toBe(
      '赞成 11 票 / 出席 13 人 = 84.62%，需 > 1/2（50.00%）：通过（反对 0 票，弃权 2 票）',
    );

    // The resolution becomes a tracked action; the issue is dispatched with it as the plan.
    const resolution = await ok<ResolutionView>(
      tuZhongmei,
      'POST',
      `/api/joint-meetings/${jm.id}/items/1/resolution`,
      {
        text: '由物业公司修复12号楼外墙，年底前完成',
        responsibleOrg: 'property',
        responsiblePerson: 'zhang-lifen',
        dueDate: '2026-12-31',
        milestones: [{ title: '搭设脚手架', dueDate: '2026-12-10' }, { title: '修复完成' }],
      },
      201,
    );
    expect(resolution).toMatchObject({
      meeting: jm.id,
      item: 1,
      progress: 0,
      done: false,
      responsiblePersonName: '张丽芬',
      issues: [filed.id],
      issueRefs: [{ id: filed.id, code: filed.code, status: 'dispatched' }],
      supersededBy: null,
      overdue: false,
    });
    let now = await issue(wuWenjie, filed.id);
    expect(now.status).toBe('dispatched');
    expect(now.events.at(-1)).toMatchObject({
      action: 'decide_dispatch',
      actor: 'tu-zhongmei',
      note: '由物业公司修复12号楼外墙，年底前完成',
      data: { resolution: resolution.id, to: ['zhang-lifen'] },
    });
    const task = now.tasks.find((x) => x.status === 'open');
    expect(task).toMatchObject({
      assignee: { key: 'zhang-lifen' },
      note: '由物业公司修复12号楼外墙，年底前完成',
    });
    expect(
      (await inbox(yangChenyi)).items.some((n) => n.kind === 'joint_resolution' && n.issueId === filed.id),
    ).toBe(true);
    expect((await inbox(zhangLifen)).items.some((n) => n.kind === 'resolution_assigned')).toBe(true);

    // Progress: the responsible person reports; the reporter is told of the change.
    clock.set(new Date('2026-12-05T02:00:00Z'));
    await refused(
      huShengjia,
      'POST',
      `/api/resolutions/${resolution.id}/progress`,
      { progress: 50 },
      403,
      'not_resolution_owner',
    );
    await refused(
      zhangLifen,
      'POST',
      `/api/resolutions/${resolution.id}/progress`,
      { progress: 120 },
      400,
      'validation_failed',
    );
    await refused(
      zhangLifen,
      'POST',
      `/api/resolutions/${resolution.id}/progress`,
      { progress: 40, milestone: '验收' },
      400,
      'unknown_milestone',
    );
    const progressed = await ok<ResolutionView>(
      zhangLifen,
      'POST',
      `/api/resolutions/${resolution.id}/progress`,
      {
        progress: 40,
        milestone: '搭设脚手架',
        note: '脚手架已搭设',
      },
    );
    expect(progressed).toMatchObject({ progress: 40, done: false });
    expect(progressed.history).toEqual([
      expect.objectContaining({
        by: 'zhang-lifen',
        from: 0,
        to: 40,
        milestone: '搭设脚手架',
        note: '脚手架已搭设',
      }),
    ]);
    const told = (await inbox(yangChenyi)).items.find((n) => n.kind === 'resolution_progress');
    expect(told?.body).toContain('0% → 40%');
    expect(told?.issueId).toBe(filed.id);
    now = await issue(wuWenjie, filed.id);
    expect(now.events.at(-1)).toMatchObject({ action: 'resolution_progress', toStatus: 'dispatched' });

    // The chair approves the minutes; the meeting is locked.
    await ok(tuZhongmei, 'PUT', `/api/joint-meetings/${jm.id}/minutes`, {
      text: '审议12号楼外墙渗水，表决通过由物业维修',
    });
    await refused(
      tuZhongmei,
      'POST',
      `/api/joint-meetings/${jm.id}/minutes/approve`,
      undefined,
      403,
      'not_chair',
    );
    jm = await ok<JointMeetingView>(wenLiang, 'POST', `/api/joint-meetings/${jm.id}/minutes/approve`);
    expect(jm.minutes).toMatchObject({ status: 'locked', approvedBy: 'wen-liang' });
    const locked = await refused(
      tuZhongmei,
      'PUT',
      `/api/joint-meetings/${jm.id}/minutes`,
      { text: '改写纪要' },
      409,
      'minutes_locked',
    );
    expect(locked.message).toContain('请申请复议');

    // Facts change: a member asks for re-deliberation; the old resolution stays on record.
    clock.set(new Date('2026-12-08T02:00:00Z'));
    await refused(
      yangChenyi,
      'POST',
      `/api/resolutions/${resolution.id}/reconsideration`,
      { reason: '费用超支' },
      403,
      'not_joint_member',
    );
    await refused(
      wuWenjie,
      'POST',
      `/api/resolutions/${resolution.id}/reconsideration`,
      { reason: '  ' },
      400,
      'validation_failed',
    );
    const redo = await ok<AgendaPlacementView>(
      wuWenjie,
      'POST',
      `/api/resolutions/${resolution.id}/reconsideration`,
      { reason: '拆除后发现钢筋锈蚀，费用超出原方案' },
      201,
    );
    expect(redo).toMatchObject({
      source: 'reconsideration',
      issues: [filed.id],
      meeting: null,
      status: 'pending',
      reconsiders: {
        meeting: jm.id,
        item: 1,
        resolution: '由物业公司修复12号楼外墙，年底前完成',
        reason: '拆除后发现钢筋锈蚀，费用超出原方案',
        requestedBy: 'wu-wenjie',
      },
    });
    await refused(
      zhangLifen,
      'POST',
      `/api/resolutions/${resolution.id}/reconsideration`,
      { reason: '再次申请' },
      409,
      'reconsideration_pending',
    );
    const old = await ok<ResolutionView>(tuZhongmei, 'GET', `/api/resolutions/${resolution.id}`);
    expect(old).toMatchObject({
      text: '由物业公司修复12号楼外墙，年底前完成',
      progress: 40,
      supersededBy: null,
    });
    expect(old.reconsiderations).toEqual([
      expect.objectContaining({
        item: redo.id,
        meeting: null,
        status: 'pending',
        reason: '拆除后发现钢筋锈蚀，费用超出原方案',
      }),
    ]);

    // The next meeting takes it up, linked to the old resolution, and decides anew.
    let december = await schedule('2026-12-14T19:00:00+08:00');
    expect(december.agenda).toEqual([
      expect.objectContaining({
        no: 1,
        id: redo.id,
        source: 'reconsideration',
        reconsiders: expect.objectContaining({ meeting: jm.id, item: 1 }),
      }),
    ]);
    clock.set(new Date('2026-12-14T11:00:00Z'));
    begun(december);
    await ok(tuZhongmei, 'POST', `/api/joint-meetings/${december.id}/attendance`, {
      present: JOINT_MEETING_PRESENT,
    });
    await ok(tuZhongmei, 'POST', `/api/joint-meetings/${december.id}/items/1/consultation`, {
      joint: '同意追加预算',
    });
    await ok(wenLiang, 'POST', `/api/joint-meetings/${december.id}/items/1/vote`, {
      votes: { for: 9, against: 2, abstain: 2 },
    });
    const renewed = await ok<ResolutionView>(
      wenLiang,
      'POST',
      `/api/joint-meetings/${december.id}/items/1/resolution`,
      {
        text: '追加预算，更换锈蚀钢筋后继续修复',
        responsibleOrg: 'property',
        responsiblePerson: 'zhang-lifen',
        dueDate: '2027-01-31',
      },
      201,
    );
    december = await ok<JointMeetingView>(tuZhongmei, 'GET', `/api/joint-meetings/${december.id}`);
    expect(december.agenda[0]).toMatchObject({ status: 'resolved', resolutionId: renewed.id });
    const superseded = await ok<ResolutionView>(tuZhongmei, 'GET', `/api/resolutions/${resolution.id}`);
    expect(superseded).toMatchObject({
      text: '由物业公司修复12号楼外墙，年底前完成',
      supersededBy: renewed.id,
    });
    expect(superseded.reconsiderations[0]).toMatchObject({ meeting: december.id, no: 1, status: 'resolved' });
    // The issue was already dispatched: the new resolution goes into its record, the work carries on.
    now = await issue(wuWenjie, filed.id);
    expect(now.status).toBe('dispatched');
    expect(now.events.map((e) => e.action)).toEqual([
      'submit',
      'dispatch',
      'zone_resolution',
      'escalate',
      'decide_dispatch',
      'resolution_progress',
      'reconsideration',
      'joint_resolution',
    ]);
  });
});

describe('zone meetings', () => {
  freshApp();

  test('the OpenAPI document describes every meetings operation, with strict bodies', async () => {
    const doc = (await t.app.inject('/openapi.json')).json() as {
      paths: Record<
        string,
        Record<
          string,
          {
            operationId: string;
            requestBody?: { content: Record<string, { schema: { additionalProperties?: boolean } }> };
          }
        >
      >;
    };
    const ops = Object.values(doc.paths).flatMap((m) => Object.values(m).map((o) => o.operationId));
    expect(ops).toEqual(
      expect.arrayContaining([
        'conveneZoneMeeting',
        'listZoneMeetings',
        'getZoneMeeting',
        'recordZoneAttendance',
        'recordZoneMinutes',
        'escalateIssue',
        'scheduleJointMeeting',
        'listJointMeetings',
        'getJointMeeting',
        'recordJointAttendance',
        'recordConsultation',
        'recordJointVote',
        'recordResolution',
        'deferAgendaItem',
        'editJointMinutes',
        'approveJointMinutes',
        'listWaitingAgenda',
        'addAgendaItem',
        'listResolutions',
        'getResolution',
        'recordResolutionProgress',
        'requestReconsideration',
        'recordOwnersAssembly',
        'listOwnersAssemblies',
        'getFundUse',
        'recordFundNotice',
        'reportFundUseToOc',
      ]),
    );
    const vote = doc.paths['/api/joint-meetings/{id}/items/{no}/vote']!.post!;
    expect(vote.requestBody?.content['application/json']?.schema.additionalProperties).toBe(false);
  });

  test('a plan to resolve in the zone is dispatched by the owner’s dispatch path, or carried on by whoever holds the task', async () => {
    // The specialist sends the first issue back; the second stays with her.
    const returned = await fileIssue({
      building: 15,
      category: 'public_facility',
      description: '15号楼单元门禁损坏',
    });
    const carried = await fileIssue({
      building: 16,
      category: 'sanitation',
      description: '16号楼垃圾房异味',
    });
    const first = returned.tasks[0]!;
    await ok(zhangLifen, 'POST', `/api/tasks/${first.id}/return`, { reason: '门禁需业委会确认更换方案' });

    const zm = await zoneMeetingOn([returned.id, carried.id]);
    begun(zm);
    await ok(wuWenjie, 'POST', `/api/zone-meetings/${zm.id}/attendance`, {
      attendees: ['wu-wenjie', 'zhang-lifen'],
    });
    const minuted = await ok<ZoneMeetingView>(wuWenjie, 'POST', `/api/zone-meetings/${zm.id}/minutes`, {
      minutes: '两项均在区域内解决',
      outcomes: [
        { issue: carried.id, outcome: { kind: 'resolve_in_zone', plan: '每日清运两次并消毒' } },
        {
          issue: returned.id,
          outcome: { kind: 'resolve_in_zone', plan: '更换门禁读卡器，费用由物业承担' },
          assignee: 'zhang-lifen',
        },
      ],
    });
    // Outcomes are kept in agenda order, whatever order they came in.
    expect(minuted.outcomes.map((o) => [o.issue, o.assignee])).toEqual([
      [returned.id, 'zhang-lifen'],
      [carried.id, null],
    ]);

    const dispatched = await issue(wuWenjie, returned.id);
    expect(dispatched.events.at(-1)).toMatchObject({
      action: 'redispatch',
      actor: 'wu-wenjie',
      note: '更换门禁读卡器，费用由物业承担',
      data: { to: 'zhang-lifen', zoneMeeting: zm.id },
    });
    expect(dispatched.tasks.at(-1)).toMatchObject({ status: 'open', note: '更换门禁读卡器，费用由物业承担' });

    const kept = await issue(wuWenjie, carried.id);
    expect(kept.tasks.filter((x) => x.status === 'open')).toHaveLength(1);
    expect(kept.events.at(-1)).toMatchObject({
      action: 'zone_plan',
      note: '每日清运两次并消毒',
      toStatus: 'dispatched',
    });
    const told = (await inbox(zhangLifen)).items.find((n) => n.kind === 'zone_plan');
    expect(told).toMatchObject({ issueId: carried.id });
    expect(told?.body).toContain('每日清运两次并消毒');
  });

  test('refused: not the leader, an agenda outside the zone, minutes before attendance, a missing outcome — nothing written', async () => {
    const mine = await fileIssue({ building: 20, category: 'greening', description: '20号楼绿化带枯死' });
    const zone2 = await ok<IssueDetail>(
      huShengjia,
      'POST',
      '/api/issues',
      { community: 'xiaduoyuan', building: 50, category: 'greening', description: '50号楼草坪' },
      201,
    );
    const body = {
      community: 'xiaduoyuan',
      zone: 'zone-1',
      at: '2026-11-20T19:00:00+08:00',
      place: '活动室',
    };
    await refused(
      zhangNen,
      'POST',
      '/api/zone-meetings',
      { ...body, agenda: [mine.id] },
      403,
      'not_zone_leader',
    );
    const outside = await refused(
      wuWenjie,
      'POST',
      '/api/zone-meetings',
      { ...body, agenda: [mine.id, zone2.id] },
      400,
      'invalid_zone_agenda',
    );
    expect(outside.details).toEqual([{ path: 'agenda[1]', message: `问题 ${zone2.id} 不属于第一责任区域` }]);
    const badId = await refused(
      wuWenjie,
      'POST',
      '/api/zone-meetings',
      { ...body, agenda: ['12'] },
      400,
      'validation_failed',
    );
    expect(badId.details?.[0]).toEqual({ path: 'body.agenda.0', message: '问题编号无效' });

    const zm = await zoneMeetingOn([mine.id]);
    const outcomes = [{ issue: mine.id, outcome: { kind: 'resolve_in_zone', plan: '补种' } }];
    await refused(
      wuWenjie,
      'POST',
      `/api/zone-meetings/${zm.id}/minutes`,
      { minutes: '纪要', outcomes },
      409,
      'zone_meeting_state',
    );
    begun(zm);
    await refused(
      wuWenjie,
      'POST',
      `/api/zone-meetings/${zm.id}/attendance`,
      { attendees: ['hu-shengjia'] },
      400,
      'attendee_not_zone_member',
    );
    begun(zm);
    await ok(wuWenjie, 'POST', `/api/zone-meetings/${zm.id}/attendance`, { attendees: ['wu-wenjie'] });
    const missing = await refused(
      wuWenjie,
      'POST',
      `/api/zone-meetings/${zm.id}/minutes`,
      { minutes: '纪要', outcomes: [] },
      400,
      'invalid_zone_outcomes',
    );
    expect(missing.details?.[0]).toMatchObject({ path: 'outcomes', missing: [mine.id] });
    await refused(
      wuWenjie,
      'POST',
      `/api/zone-meetings/${zm.id}/minutes`,
      {
        minutes: '纪要',
        outcomes: [
          { issue: mine.id, outcome: { kind: 'escalate', resolution: '上报' }, assignee: 'zhang-lifen' },
        ],
      },
      400,
      'assignee_without_plan',
    );
    // A plan dispatched to someone who may not take the task: refused at its row, all of it rolled back.
    const wrong = await refused(
      wuWenjie,
      'POST',
      `/api/zone-meetings/${zm.id}/minutes`,
      { minutes: '纪要', outcomes: [{ ...outcomes[0]!, assignee: 'zhang-nen' }] },
      400,
      'assignee_not_eligible',
    );
    expect(wrong.details?.[0]?.path).toBe('outcomes[0].assignee');
  });

  test('escalation is refused without an escalation resolution of the zone meeting, and for anyone but the owner', async () => {
    const filed = await fileIssue({ building: 21, description: '21号楼外墙空鼓' });
    const zm = await zoneMeetingOn([filed.id]);
    await refused(zhangNen, 'POST', `/api/issues/${filed.id}/escalate`, {}, 403, 'action_not_permitted');
    const open = await refused(
      wuWenjie,
      'POST',
      `/api/issues/${filed.id}/escalate`,
      undefined,
      409,
      'zone_resolution_required',
    );
    expect(open.message).toContain('尚未形成会议纪要');

    begun(zm);
    await ok(wuWenjie, 'POST', `/api/zone-meetings/${zm.id}/attendance`, { attendees: ['wu-wenjie'] });
    await ok(wuWenjie, 'POST', `/api/zone-meetings/${zm.id}/minutes`, {
      minutes: '区域自行修复',
      outcomes: [{ issue: filed.id, outcome: { kind: 'resolve_in_zone', plan: '物业修补空鼓' } }],
    });
    const inZone = await refused(
      wuWenjie,
      'POST',
      `/api/issues/${filed.id}/escalate`,
      {},
      409,
      'zone_resolution_required',
    );
    expect(inZone.message).toContain('区域会议决定在区域内解决该问题');
  });
});

describe('the joint meeting', () => {
  freshApp();

  test('quorum, a failed vote, deferral with carry-over, closing an issue by resolution, approval only when settled', async () => {
    const toClose = await escalatedIssue('22号楼屋顶漏水（物业已自行修复）');
    const toDefer = await escalatedIssue('23号楼地下室积水');
    const toFail = await escalatedIssue('24号楼加装电梯');
    const waiting = await ok<WaitingAgenda>(tuZhongmei, 'GET', '/api/joint-agenda?community=xiaduoyuan');
    expect(waiting.items.map((i) => i.issues[0])).toEqual([toClose, toDefer, toFail]);

    await refused(
      wuWenjie,
      'POST',
      '/api/joint-meetings',
      { community: 'xiaduoyuan', at: '2026-11-26T19:00:00+08:00', place: '会议室' },
      403,
      'not_secretary',
    );
    const proposed = await schedule('2026-11-26T19:00:00+08:00', { kind: 'ad_hoc', chair: 'li-gang' });
    expect(proposed).toMatchObject({ kind: 'ad_hoc', chair: 'li-gang', chairDesignatedBy: null });
    // The chair is the Party secretary's to designate: not the secretary's, not the proposed chair's.
    const liGang = await t.loginAs('li-gang');
    for (const s of [tuZhongmei, liGang])
      await refused(
        s,
        'POST',
        `/api/joint-meetings/${proposed.id}/chair`,
        { chair: 'li-gang' },
        403,
        'not_party_secretary',
      );
    const designee = await ok<JointMeetingView>(
      wenLiang,
      'POST',
      `/api/joint-meetings/${proposed.id}/chair`,
      {
        chair: 'li-gang',
      },
    );
    expect(designee).toMatchObject({ kind: 'ad_hoc', chair: 'li-gang', chairDesignatedBy: 'wen-liang' });
    expect(designee.agenda.map((i) => [i.no, i.issues[0]])).toEqual([
      [1, toClose],
      [2, toDefer],
      [3, toFail],
    ]);
    const id = designee.id;

    // 12 of 25 present is not more than half: no vote.
    begun(designee);
    await ok(tuZhongmei, 'POST', `/api/joint-meetings/${id}/attendance`, {
      present: JOINT_MEETING_PRESENT.slice(0, 12),
    });
    for (const no of [1, 3])
      await ok(tuZhongmei, 'POST', `/api/joint-meetings/${id}/items/${no}/consultation`, {
        joint: '充分协商',
      });
    const thin = await refused(
      await t.loginAs('li-gang'),
      'POST',
      `/api/joint-meetings/${id}/items/1/vote`,
      { votes: { for: 12, against: 0, abstain: 0 } },
      409,
      'quorum_not_met',
    );
    expect(thin.message).toContain('出席 12 人 / 应到 25 人 = 48.00%，需 > 1/2（50.00%）：未达到');
    begun(designee);
    await ok(tuZhongmei, 'POST', `/api/joint-meetings/${id}/attendance`, { present: JOINT_MEETING_PRESENT });

    await ok(liGang, 'POST', `/api/joint-meetings/${id}/items/1/vote`, {
      votes: { for: 13, against: 0, abstain: 0 },
    });
    // The designated chair (not of the leadership group) records the decision; the issue closes.
    await ok(
      liGang,
      'POST',
      `/api/joint-meetings/${id}/items/1/resolution`,
      {
        text: '物业已修复屋顶，经核实无渗漏，向住户说明后关闭',
        responsibleOrg: 'rc',
        responsiblePerson: 'zhang-nen',
        dueDate: '2026-11-30',
        disposition: 'close',
      },
      201,
    );
    const closed = await issue(wuWenjie, toClose);
    expect(closed.status).toBe('closed');
    expect(closed.events.at(-1)).toMatchObject({
      action: 'decide_close',
      actor: 'li-gang',
      note: '物业已修复屋顶，经核实无渗漏，向住户说明后关闭',
    });
    expect(
      (await inbox(yangChenyi)).items.find((n) => n.kind === 'joint_resolution' && n.issueId === toClose)
        ?.body,
    ).toContain('该问题已关闭');

    // 6 for of 13 present is not more than half: failed, and no resolution can follow.
    const failed = await ok<JointMeetingView>(liGang, 'POST', `/api/joint-meetings/${id}/items/3/vote`, {
      votes: { for: 6, against: 5, abstain: 2 },
    });
    expect(failed.agenda[2]!.vote).toMatchObject({ passed: false });
    await refused(
      tuZhongmei,
      'POST',
      `/api/joint-meetings/${id}/items/3/resolution`,
      { text: '加装电梯', responsibleOrg: 'oc', responsiblePerson: 'wu-wenjie', dueDate: '2027-06-30' },
      409,
      'item_not_passed',
    );
    await ok(tuZhongmei, 'PUT', `/api/joint-meetings/${id}/minutes`, { text: '临时会议纪要' });
    const unsettled = await refused(
      liGang,
      'POST',
      `/api/joint-meetings/${id}/minutes/approve`,
      undefined,
      409,
      'agenda_items_open',
    );
    expect(unsettled.details).toEqual([expect.objectContaining({ path: 'agenda[1]', item: 2 })]);

    // Deferred with a reason: carried over to the next meeting, which is not planned yet.
    await refused(
      liGang,
      'POST',
      `/api/joint-meetings/${id}/items/2/defer`,
      { reason: '' },
      400,
      'validation_failed',
    );
    const deferred = await ok<JointMeetingView>(liGang, 'POST', `/api/joint-meetings/${id}/items/2/defer`, {
      reason: '等待排水检测报告',
    });
    expect(deferred.agenda[1]).toMatchObject({ status: 'deferred', deferReason: '等待排水检测报告' });
    const carried = await ok<WaitingAgenda>(tuZhongmei, 'GET', '/api/joint-agenda?community=xiaduoyuan');
    expect(carried.items).toEqual([
      expect.objectContaining({ issues: [toDefer], source: 'escalation', meeting: null }),
    ]);

    const approved = await ok<JointMeetingView>(liGang, 'POST', `/api/joint-meetings/${id}/minutes/approve`);
    expect(approved.minutes.status).toBe('locked');
    // A locked meeting takes nothing more: no attendance change, no new item.
    begun(designee);
    await refused(
      tuZhongmei,
      'POST',
      `/api/joint-meetings/${id}/attendance`,
      { present: JOINT_MEETING_PRESENT },
      409,
      'minutes_locked',
    );
    await refused(
      tuZhongmei,
      'POST',
      '/api/joint-agenda',
      { community: 'xiaduoyuan', title: '补充议题', meeting: id },
      409,
      'minutes_locked',
    );
  });

  test('an issue referred at intake waits on the agenda; the secretary adds topics, never an issue twice, never one that is not waiting', async () => {
    const referred = await fileIssue({
      building: 30,
      category: 'parking',
      description: '全小区停车位规划',
      scope: 'community',
    });
    expect(referred).toMatchObject({ status: 'escalated', tier: 'joint_meeting' });
    // Routing sent it to the joint meeting: it is on the waiting agenda at once, and the secretary
    // and the zone leader are told.
    const waiting = await ok<WaitingAgenda>(tuZhongmei, 'GET', '/api/joint-agenda?community=xiaduoyuan');
    const referral = waiting.items.find((i) => i.issues.includes(referred.id));
    expect(referral).toMatchObject({ source: 'referral', meeting: null, status: 'pending' });
    expect(referral?.title).toContain('全小区停车位规划');
    expect(
      (await inbox(tuZhongmei)).items.find(
        (n) => n.kind === 'joint_agenda_added' && n.body.includes('全小区停车位规划'),
      ),
    ).toBeTruthy();
    expect(
      (await inbox(wuWenjie)).items.find((n) => n.kind === 'issue_filed' && n.issueId === referred.id),
    ).toMatchObject({
      title: `新问题 ${referred.code}`,
    });
    const notWaiting = await fileIssue({ building: 31, category: 'sanitation', description: '31号楼垃圾' });
    const december = await schedule('2026-12-10T19:00:00+08:00');

    await refused(
      wuWenjie,
      'POST',
      '/api/joint-agenda',
      { community: 'xiaduoyuan', title: '停车', issues: [referred.id] },
      403,
      'not_secretary',
    );
    const wrong = await refused(
      tuZhongmei,
      'POST',
      '/api/joint-agenda',
      { community: 'xiaduoyuan', title: '垃圾', issues: [notWaiting.id] },
      400,
      'invalid_agenda_issues',
    );
    expect(wrong.details?.[0]?.path).toBe('issues[0]');
    await refused(
      tuZhongmei,
      'POST',
      '/api/joint-agenda',
      { community: 'xiaduoyuan', title: '停车再议', issues: [referred.id] },
      409,
      'issue_already_on_agenda',
    );
    const topic = await ok<AgendaPlacementView>(
      tuZhongmei,
      'POST',
      '/api/joint-agenda',
      { community: 'xiaduoyuan', title: '物业经理年度述职' },
      201,
    );
    expect(topic).toMatchObject({ meeting: december.id, issues: [], source: 'secretary', status: 'pending' });
    const meeting = await ok<JointMeetingView>(zhangNen, 'GET', `/api/joint-meetings/${december.id}`);
    // What was waiting (the item the previous meeting deferred, the referral) the new meeting took up first.
    expect(meeting.agenda.map((i) => [i.no, i.source, i.issues])).toEqual([
      [1, 'escalation', [expect.any(String)]],
      [2, 'referral', [referred.id]],
      [topic.no, 'secretary', []],
    ]);
    expect(meeting.agenda[0]!.title).toContain('23号楼');
  });
});

describe('the owners’ assembly by Civil Code art. 278, through the API', () => {
  freshApp();
  let shared: IssueDetail;
  beforeAll(async () => {
    shared = await fileIssue({ building: 40, description: '40号楼屋面整体翻修', touchesSharedParts: true });
  });
  const vote = (body: object) =>
    call(wuWenjie, 'POST', `/api/issues/${shared.id}/owners-assembly`, {
      totalOwners: 60,
      totalArea: 6000,
      heldOn: heldOn(),
      ...body,
    });

  // 60 owners, 6000.00 m²: 2/3 is 40 owners and 4000.00 m²; 3/4 of 40 owners / 4000.00 m² is 30 / 3000.00.
  test.each([
    ['rebuild', 'exactly 2/3 take part, exactly 3/4 consent', totals(40, 4000, 30, 3000), true, []],
    [
      'rebuild',
      'one owner short of 2/3 taking part',
      totals(39, 4000, 30, 3000),
      false,
      ['participation_owners'],
    ],
    [
      'rebuild',
      '0.01 m² short of 2/3 taking part',
      totals(40, 3999.99, 30, 3000),
      false,
      ['participation_area'],
    ],
    ['rebuild', 'one owner short of 3/4 consent', totals(40, 4000, 29, 3000), false, ['consent_owners']],
    ['rebuild', '0.01 m² short of 3/4 consent', totals(40, 4000, 30, 2999.99), false, ['consent_area']],
    ['raise_fund', 'exactly 3/4 consent', totals(40, 4000, 30, 3000), true, []],
    ['change_use', 'one owner short of 3/4 consent', totals(40, 4000, 29, 3000), false, ['consent_owners']],
    [
      'use_fund',
      'exactly half consent is not more than half',
      totals(40, 4000, 20, 2000.01),
      false,
      ['consent_owners'],
    ],
    ['use_fund', 'one owner over half, 0.01 m² over half', totals(40, 4000, 21, 2000.01), true, []],
    ['use_fund', 'exactly half of the area', totals(40, 4000, 21, 2000), false, ['consent_area']],
  ] as const)('%s: %s', async (matter, _why, t278, passed, failing) => {
    const r = await vote({ matter, totals: t278 });
    expect(r.statusCode).toBe(201);
    const view = r.json() as OwnersAssemblyView;
    expect(view.passed).toBe(passed);
    expect(view.result.checks.filter((c) => !c.met).map((c) => c.key)).toEqual(failing);
    expect(view.result.rule).toBe(matter === 'use_fund' ? 'more_than_half' : 'three_quarters');
  });

  test('the arithmetic is shown, and each owner’s vote with their area counts exactly', async () => {
    // 6 owners of 100.00 m² each: 4 vote (exactly 2/3), 3 for (exactly 3/4).
    const owners = (n: number, f: number) =>
      Array.from({ length: n }, (_, i) => ({
        owner: `40-${i + 1}01`,
        area: 100,
        vote: i < f ? 'for' : 'against',
      }));
    const body = { matter: 'rebuild', totalOwners: 6, totalArea: 600 };
    const pass = await ok<OwnersAssemblyView>(
      wuWenjie,
      'POST',
      `/api/issues/${shared.id}/owners-assembly`,
      { ...body, heldOn: heldOn(), votes: owners(4, 3) },
      201,
    );
    expect(pass.passed).toBe(true);
    expect(pass.result.checks.map((c) => c.text)).toEqual([
      '参与表决业主 4 人 / 总人数 6 人 = 66.67%，需 ≥ 2/3（66.67%）：达到',
      '参与表决业主专有部分面积 400.00 m² / 总面积 600.00 m² = 66.67%，需 ≥ 2/3（66.67%）：达到',
      '同意业主 3 人 / 参与表决业主 4 人 = 75.00%，需 ≥ 3/4（75.00%）：达到',
      '同意业主专有部分面积 300.00 m² / 参与表决面积 400.00 m² = 75.00%，需 ≥ 3/4（75.00%）：达到',
    ]);
    expect(pass.votes).toHaveLength(4);
    expect(pass.result.tally).toMatchObject({ againstOwners: 1, abstainingOwners: 0 });
    const short = await ok<OwnersAssemblyView>(
      wuWenjie,
      'POST',
      `/api/issues/${shared.id}/owners-assembly`,
      { ...body, heldOn: heldOn(), votes: owners(3, 3) },
      201,
    );
    expect(short.passed).toBe(false);
    expect(short.result.summary).toContain('参与表决人数、参与表决面积未达到要求');
    const list = await ok<{ items: OwnersAssemblyView[] }>(
      zhangNen,
      'GET',
      `/api/issues/${shared.id}/owners-assembly`,
    );
    expect(list.items.at(-1)?.id).toBe(short.id);
    // Every attempt is kept and numbered, the failed one after the passed one.
    expect(list.items.at(-1)?.attempt).toBe(list.items.length);
    expect(list.items.at(-2)).toMatchObject({ id: pass.id, passed: true });
    expect((await issue(wuWenjie, shared.id)).events.at(-1)).toMatchObject({
      action: 'owners_assembly',
      note: short.result.summary,
    });
  });

  test('refused: an issue with no shared parts or fund, votes and totals together, someone not handling it — nothing written', async () => {
    const plain = await fileIssue({ building: 41, category: 'noise', description: '41号楼装修噪声' });
    const body = {
      matter: 'other',
      totalOwners: 10,
      totalArea: 1000,
      heldOn: '2026-11-01',
      totals: totals(7, 700, 6, 600),
    };
    await refused(
      wuWenjie,
      'POST',
      `/api/issues/${plain.id}/owners-assembly`,
      body,
      409,
      'assembly_not_required',
    );
    // The 业委会 enters the vote: not an rc member, nor the secretary.
    await refused(zhangNen, 'POST', `/api/issues/${shared.id}/owners-assembly`, body, 403, 'not_oc_member');
    await refused(tuZhongmei, 'POST', `/api/issues/${shared.id}/owners-assembly`, body, 403, 'not_oc_member');
    // Each vote is its own assembly, entered once: the same day again (re-typing a result until it
    // passes) is refused, and so is a day to come.
    await ok(huShengjia, 'POST', `/api/issues/${shared.id}/owners-assembly`, body, 201);
    const again = await refused(
      wuWenjie,
      'POST',
      `/api/issues/${shared.id}/owners-assembly`,
      { ...body, totals: totals(7, 700, 7, 700) },
      409,
      'assembly_already_recorded',
    );
    expect(again.message).toContain('不能修改或重新录入');
    await refused(
      wuWenjie,
      'POST',
      `/api/issues/${shared.id}/owners-assembly`,
      { ...body, heldOn: '2026-11-17' },
      400,
      'assembly_in_future',
    );
    const both = await refused(
      wuWenjie,
      'POST',
      `/api/issues/${shared.id}/owners-assembly`,
      { ...body, votes: [{ owner: 'a', area: 100, vote: 'for' }] },
      400,
      'art278_votes_or_totals',
    );
    expect(both.details?.[0]?.path).toBe('votes');
    await refused(
      wuWenjie,
      'POST',
      `/api/issues/${shared.id}/owners-assembly`,
      { ...body, totals: totals(11, 700, 6, 600) },
      400,
      'art278_owners_exceed_total',
    );
  });
});

describe('the maintenance fund: assembly, public notice, report to the owners’ committee, then work', () => {
  freshApp();

  test('gated at intake: the first look cannot be resolved, nor the work dispatched, before each step; in order it closes', async () => {
    const filed = await fileIssue({
      building: 18,
      description: '18号楼二次供水管道更换',
      category: 'shared_leak',
      usesMaintenanceFund: true,
      touchesSharedParts: true,
    });
    expect(filed.route.procedures.map((p) => p.kind)).toEqual([
      'owners_assembly',
      'public_notice',
      'report_to_oc',
    ]);
    // The intake task is a first look: accepted, but not resolved (nor offered).
    const look = filed.tasks[0]!;
    const accepted = await ok<TaskView>(zhangLifen, 'POST', `/api/tasks/${look.id}/accept`);
    expect(accepted.allowedActions).toEqual(['return', 'start']);
    const photo = await uploadPhoto(t, zhangLifen);
    const early = await refused(
      zhangLifen,
      'POST',
      `/api/tasks/${look.id}/resolve`,
      { note: '已更换', photoIds: [photo] },
      409,
      'fund_use_not_ready',
    );
    expect(early.message).toContain('不能“办结”');
    expect(early.details?.map((d) => d.path)).toEqual([
      'assembly',
      'public_notice',
      'notice_period',
      'oc_report',
    ]);
    // The specialist hands it back with the finding: the work itself waits for the fund.
    await ok(zhangLifen, 'POST', `/api/tasks/${look.id}/return`, { reason: '需动用维修资金' });
    const dispatch = { assignee: 'zhang-lifen', note: '按方案更换管道' };
    const url = `/api/issues/${filed.id}/dispatch`;
    expect((await issue(wuWenjie, filed.id)).allowedActions).not.toContain('redispatch');
    const none = await refused(wuWenjie, 'POST', url, dispatch, 409, 'fund_use_not_ready');
    expect(none.message).toContain('尚未经业主大会表决');
    await refused(
      wuWenjie,
      'POST',
      `/api/issues/${filed.id}/fund-use/oc-report`,
      {},
      409,
      'notice_period_not_over',
    );

    // 公示 only from a published fund notice of this issue.
    await refused(
      wuWenjie,
      'POST',
      `/api/issues/${filed.id}/fund-use/notice`,
      { notice: '00000000-0000-4000-8000-000000000000' },
      409,
      'fund_notice_not_published',
    );

    // The 业委会 enters the votes: a failed one, then a passing one; both kept.
    const vote = (s: Session, day: string, consenting: number) =>
      ok<OwnersAssemblyView>(
        s,
        'POST',
        `/api/issues/${filed.id}/owners-assembly`,
        {
          matter: 'use_fund',
          heldOn: day,
          totalOwners: 60,
          totalArea: 6000,
          totals: totals(40, 4000, consenting, consenting * 100 + 0.01),
        },
        201,
      );
    expect((await vote(huShengjia, '2026-11-10', 20)).passed).toBe(false);
    const passed = await vote(huShengjia, '2026-11-14', 21);
    expect(passed).toMatchObject({ passed: true, attempt: 2, heldOn: '2026-11-14' });
    const votes = await ok<{ items: OwnersAssemblyView[] }>(
      wuWenjie,
      'GET',
      `/api/issues/${filed.id}/owners-assembly`,
    );
    expect(votes.items.map((v) => [v.attempt, v.heldOn, v.passed])).toEqual([
      [1, '2026-11-10', false],
      [2, '2026-11-14', true],
    ]);

    // A draft is not a 公示: it counts once published (the publication links it).
    const draft = await ok<{ id: string }>(
      wuWenjie,
      'POST',
      '/api/notices',
      { community: 'xiaduoyuan', source: { kind: 'fund_notice', issue: filed.id } },
      201,
    );
    await refused(
      wuWenjie,
      'POST',
      `/api/issues/${filed.id}/fund-use/notice`,
      { notice: draft.id },
      409,
      'fund_notice_not_published',
    );
    await ok(tuZhongmei, 'POST', `/api/notices/${draft.id}/approve`);
    await ok(tuZhongmei, 'POST', `/api/notices/${draft.id}/publish`);
    const noticed = await ok<FundUseView>(wuWenjie, 'GET', `/api/issues/${filed.id}/fund-use`);
    expect(noticed).toMatchObject({
      noticeDays: 7,
      noticeStartedAt: '2026-11-16T02:00:00.000Z',
      noticeEndsAt: '2026-11-23T02:00:00.000Z',
      notice: { id: draft.id, number: expect.stringContaining('号') },
      canStart: false,
    });
    const duringNotice = await refused(wuWenjie, 'POST', url, dispatch, 409, 'fund_use_not_ready');
    expect(duringNotice.details?.map((d) => d.path)).toEqual(['notice_period', 'oc_report']);

    clock.advance(7 * DAY - 1);
    const tooEarly = await refused(
      wuWenjie,
      'POST',
      `/api/issues/${filed.id}/fund-use/oc-report`,
      {},
      409,
      'notice_period_not_over',
    );
    expect(tooEarly.message).toContain('2026-11-23 10:00 届满');
    clock.advance(1);
    const reported = await ok<FundUseView>(wuWenjie, 'POST', `/api/issues/${filed.id}/fund-use/oc-report`, {
      note: '方案及公示情况上报业委会',
    });
    // Reported is not received: the owner's own tick does not open the work.
    expect(reported).toMatchObject({ canStart: false, reportedToOcAt: '2026-11-23T02:00:00.000Z' });
    expect(reported.missing).toEqual(['已于 2026-11-23 10:00 上报业委会，待业委会成员签收']);
    const unreceived = await refused(wuWenjie, 'POST', url, dispatch, 409, 'fund_use_not_ready');
    expect(unreceived.details?.map((d) => d.path)).toEqual(['oc_report']);
    const ack = `/api/issues/${filed.id}/fund-use/oc-report/acknowledge`;
    await refused(wuWenjie, 'POST', ack, {}, 403, 'own_oc_report');
    await refused(zhangNen, 'POST', ack, {}, 403, 'not_oc_member');
    // Another committee member (zone 2's leader) reads the issue for the committee and receives it.
    const seen = await ok<FundUseView>(huShengjia, 'GET', `/api/issues/${filed.id}/fund-use`);
    expect(seen.allowedActions).toContain('acknowledge_oc_report');
    const received = await ok<FundUseView>(huShengjia, 'POST', ack, { note: '业委会已收悉' });
    expect(received).toMatchObject({
      canStart: true,
      missing: [],
      ocAcknowledgedBy: { key: 'hu-shengjia' },
      ocAcknowledgedAt: '2026-11-23T02:00:00.000Z',
    });
    await refused(huShengjia, 'POST', ack, {}, 409, 'oc_report_acknowledged');
    // The received procedure is a record: the database refuses to rewrite it (migration 0019).
    const rewrite = await t.db
      .update(fundUsesTable)
      .set({ reportedBy: 'someone-else' })
      .where(eq(fundUsesTable.issueId, filed.id))
      .then(
        () => null,
        (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
      );
    expect(rewrite).toMatch(/fund_uses is a record/);

    const done = await ok<IssueDetail>(wuWenjie, 'POST', url, dispatch);
    expect(done.tasks.at(-1)).toMatchObject({ assignee: { key: 'zhang-lifen' }, status: 'open' });
    expect(done.events.slice(-5).map((e) => e.action)).toEqual([
      'owners_assembly',
      'fund_notice',
      'fund_oc_report',
      'fund_oc_acknowledged',
      'redispatch',
    ]);
    const resolved = await resolveTaskOf(t, zhangLifen, filed.id, 'zhang-lifen');
    expect(resolved.status).toBe('done');
    expect((await issue(wuWenjie, filed.id)).status).toBe('resolved');
  });

  test('shared parts without the fund: nothing resolves before the latest assembly vote passed', async () => {
    const filed = await fileIssue({
      building: 20,
      description: '20号楼屋顶改建为晾晒平台',
      touchesSharedParts: true,
    });
    const look = filed.tasks[0]!;
    await ok(zhangLifen, 'POST', `/api/tasks/${look.id}/accept`);
    const photo = await uploadPhoto(t, zhangLifen);
    const body = { note: '已改建', photoIds: [photo] };
    await refused(zhangLifen, 'POST', `/api/tasks/${look.id}/resolve`, body, 409, 'owners_assembly_required');
    const sheet = { matter: 'change_use', totalOwners: 60, totalArea: 6000 };
    await ok(
      wuWenjie,
      'POST',
      `/api/issues/${filed.id}/owners-assembly`,
      { ...sheet, heldOn: '2026-11-01', totals: totals(40, 4000, 30, 3000) },
      201,
    );
    await ok(
      wuWenjie,
      'POST',
      `/api/issues/${filed.id}/owners-assembly`,
      { ...sheet, heldOn: '2026-11-15', totals: totals(40, 4000, 29, 3000) },
      201,
    );
    // The latest vote failed: the earlier pass does not count any more.
    const refusedAfter = await refused(
      zhangLifen,
      'POST',
      `/api/tasks/${look.id}/resolve`,
      body,
      409,
      'owners_assembly_required',
    );
    expect(refusedAfter.message).toContain('最近一次业主大会表决未通过');
    await ok(
      wuWenjie,
      'POST',
      `/api/issues/${filed.id}/owners-assembly`,
      { ...sheet, heldOn: '2026-11-16', totals: totals(40, 4000, 30, 3000) },
      201,
    );
    await ok(zhangLifen, 'POST', `/api/tasks/${look.id}/resolve`, body);
  });

  test('a joint-meeting decision to do fund work before the procedure moves the issue on without tasks', async () => {
    const id = await escalatedIssue('19号楼外立面整修（动用维修资金）');
    await t.db.update(issuesTable).set({ usesMaintenanceFund: true }).where(eq(issuesTable.id, id));
    const jm = await schedule('2026-12-01T19:00:00+08:00');
    begun(jm);
    await ok(tuZhongmei, 'POST', `/api/joint-meetings/${jm.id}/attendance`, {
      present: JOINT_MEETING_PRESENT,
    });
    await ok(tuZhongmei, 'POST', `/api/joint-meetings/${jm.id}/items/1/consultation`, {
      joint: '同意申请维修资金',
    });
    await ok(wenLiang, 'POST', `/api/joint-meetings/${jm.id}/items/1/vote`, {
      votes: { for: 13, against: 0, abstain: 0 },
    });
    await ok(
      tuZhongmei,
      'POST',
      `/api/joint-meetings/${jm.id}/items/1/resolution`,
      {
        text: '申请维修资金整修外立面',
        responsibleOrg: 'property',
        responsiblePerson: 'zhang-lifen',
        dueDate: '2027-03-31',
      },
      201,
    );
    const after = await issue(wuWenjie, id);
    expect(after.status).toBe('dispatched');
    expect(after.tasks.filter((x) => x.status === 'open')).toEqual([]);
    expect(after.events.at(-1)).toMatchObject({ action: 'decide_dispatch', data: { to: [] } });
    expect((after.events.at(-1)!.data as { fundUseMissing: string[] }).fundUseMissing).toHaveLength(4);
  });
});
