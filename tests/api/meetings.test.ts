import type {
  AgendaPlacementView,
  FundUseView,
  IssueDetail,
  JointMeetingView,
  NotificationPage,
  OwnersAssemblyView,
  ResolutionView,
  WaitingAgenda,
  ZoneMeetingView,
} from '@gongzhi/domain';
import { asc, count, eq } from 'drizzle-orm';
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
const PRESENT = [
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
  'guo-honghui',
];

/** Sessions last 30 days on the test clock: each story stays within them. */
async function signIn() {
  wuWenjie = await t.loginAs('wu-wenjie');
  zhangNen = await t.loginAs('zhang-nen');
  zhangLifen = await t.loginAs('zhang-lifen');
  yangChenyi = await t.loginAs('yang-chenyi');
  huShengjia = await t.loginAs('hu-shengjia');
  tuZhongmei = await t.loginAs('tu-zhongmei');
  wenLiang = await t.loginAs('wen-liang');
}

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  await signIn();
});
afterAll(() => t.close());

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

const schedule = (at: string, body: object = {}) =>
  ok<JointMeetingView>(
    tuZhongmei,
    'POST',
    '/api/joint-meetings',
    { community: 'xiaduoyuan', at, place: '居委会会议室', ...body },
    201,
  );

describe('one issue from the zone tier to a re-deliberation', () => {
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
    await refused(
      tuZhongmei,
      'POST',
      `/api/zone-meetings/${zm.id}/attendance`,
      { attendees: ['wu-wenjie'] },
      403,
      'not_zone_member',
    );
    await refused(
      huShengjia,
      'POST',
      `/api/zone-meetings/${zm.id}/attendance`,
      { attendees: ['hu-shengjia'] },
      404,
      'zone_meeting_not_found',
    );
    await refused(
      zhangNen,
      'POST',
      `/api/zone-meetings/${zm.id}/attendance`,
      { attendees: ['zhang-nen'] },
      403,
      'not_zone_leader',
    );
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
    await refused(
      yangChenyi,
      'POST',
      `/api/joint-meetings/${jm.id}/attendance`,
      { present: PRESENT },
      403,
      'not_meeting_recorder',
    );
    jm = await ok<JointMeetingView>(tuZhongmei, 'POST', `/api/joint-meetings/${jm.id}/attendance`, {
      present: PRESENT,
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
    await ok(tuZhongmei, 'POST', `/api/joint-meetings/${december.id}/attendance`, { present: PRESENT });
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
