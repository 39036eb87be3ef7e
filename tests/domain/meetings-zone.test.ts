import { applyTransition } from '../../packages/domain/src/issues/lifecycle';
import {
  assertCanEscalate,
  canEscalate,
  type EscalatingIssue,
} from '../../packages/domain/src/meetings/escalation';
import {
  type AgendaIssueFacts,
  conveneZoneMeeting,
  recordZoneAttendance,
  recordZoneMinutes,
  ZoneMeeting,
  zoneOutcomeOf,
} from '../../packages/domain/src/meetings/zone-meeting';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

/**
 * 夏朵园's first zone (seed 000): leader 吴文杰 (wu-wenjie, oc); members 张嫩 and 李永康 (rc),
 * 杨琛怡 (grid), 张丽芬 (property). 胡圣家 (hu-shengjia) leads zone 2.
 */
const community = loadXiaduoyuan();
const LEADER = 'wu-wenjie';
const MEMBERS = ['zhang-nen', 'li-yongkang', 'yang-chenyi', 'zhang-lifen'];
const NOW = new Date('2024-05-10T12:00:00Z');

const ISSUES: AgendaIssueFacts[] = [
  { id: 'XDY-1', zone: 'zone-1', tier: 'zone', status: 'dispatched', title: '12号楼外墙渗水' },
  { id: 'XDY-2', zone: 'zone-1', tier: 'zone', status: 'reopened' },
  { id: 'XDY-3', zone: 'zone-2', tier: 'zone', status: 'dispatched' },
  { id: 'XDY-4', zone: 'zone-1', tier: 'line', status: 'dispatched' },
  { id: 'XDY-5', zone: 'zone-1', tier: 'zone', status: 'closed' },
  { id: 'XDY-6', zone: 'zone-1', tier: 'zone', status: 'escalated' },
];

/** The evening of the meeting, after it began (19:00 Shanghai = 11:00 UTC). */
const HELD = new Date('2024-05-10T12:00:00Z');

const conveneInput = {
  zone: 'zone-1',
  at: '2024-05-10T19:00:00+08:00',
  place: '1号楼架空层',
  agenda: ['XDY-1', 'XDY-2'],
};
const convened = () => conveneZoneMeeting(community, LEADER, 'zm-1', conveneInput, ISSUES);
const held = () =>
  recordZoneAttendance(
    community,
    convened(),
    LEADER,
    { attendees: [LEADER, 'zhang-nen', 'zhang-lifen'] },
    HELD,
  );
const minutesInput = {
  minutes: '讨论了12号楼外墙渗水和3号楼绿化问题',
  residentViews: '12号楼住户希望尽快修复',
  outcomes: [
    { issue: 'XDY-2', outcome: { kind: 'resolve_in_zone', plan: '物业本周内补种绿化' } },
    {
      issue: 'XDY-1',
      outcome: {
        kind: 'escalate',
        resolution: '外墙渗水涉及维修资金，区域无法解决，上报联席会议',
        proposal: '申请使用维修资金修复',
      },
    },
  ],
};
const closed = () => recordZoneMinutes(community, held(), LEADER, minutesInput, NOW);

describe('convening a zone meeting', () => {
  it('is done by the zone leader, who invites every other zone member', () => {
    const m = convened();
    expect(m).toEqual({
      id: 'zm-1',
      zone: 'zone-1',
      convenedBy: LEADER,
      at: '2024-05-10T11:00:00.000Z',
      place: '1号楼架空层',
      agenda: [{ issue: 'XDY-1', title: '12号楼外墙渗水' }, { issue: 'XDY-2' }],
      invitees: MEMBERS,
      status: 'convened',
      attendees: [],
      residentViews: null,
      minutes: null,
      outcomes: [],
      minutesRecordedAt: null,
    });
  });

  it.each([
    ['a member who is not the leader', 'zhang-nen', 'not_zone_leader'],
    ['the leader of another zone', 'hu-shengjia', 'not_zone_member'],
    ['the secretary', 'tu-zhongmei', 'not_zone_member'],
  ])('is refused to %s (403)', (_label, actor, code) => {
    const e = domainErrorOf(() => conveneZoneMeeting(community, actor, 'zm-1', conveneInput, ISSUES));
    expect(e.kind).toBe('forbidden');
    expect(e.code).toBe(code);
  });

  it.each([
    ['an issue of another zone', ['XDY-1', 'XDY-3'], 'agenda[1]', '问题 XDY-3 不属于第一责任区域'],
    ['a line-tier issue', ['XDY-4'], 'agenda[0]', '问题 XDY-4 由专业条线处理，不在区域会议议题范围内'],
    ['a closed issue', ['XDY-5'], 'agenda[0]', '问题 XDY-5 已关闭，无需再议'],
    ['an issue already escalated', ['XDY-6'], 'agenda[0]', '问题 XDY-6 已上报联席会议，由联席会议审议'],
    ['an unknown issue', ['XDY-9'], 'agenda[0]', '问题 XDY-9 不存在'],
    ['the same issue twice', ['XDY-1', 'XDY-1'], 'agenda[1]', '议题 XDY-1 重复'],
  ])('refuses %s on the agenda, naming its path', (_label, agenda, path, message) => {
    const e = domainErrorOf(() =>
      conveneZoneMeeting(community, LEADER, 'zm-1', { ...conveneInput, agenda }, ISSUES),
    );
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe('invalid_zone_agenda');
    expect(e.details).toEqual([{ path, message }]);
  });

  it('refuses a meeting without time, place or agenda', () => {
    const e = domainErrorOf(() =>
      conveneZoneMeeting(
        community,
        LEADER,
        'zm-1',
        { zone: 'zone-1', at: '明天', place: ' ', agenda: [] },
        ISSUES,
      ),
    );
    expect(e.code).toBe('invalid_zone_meeting');
    expect(e.details?.map((d) => d.path)).toEqual(['at', 'place', 'agenda']);
  });
});

describe('recording attendance', () => {
  it('makes the meeting held, with the attendees in the order given', () => {
    const m = held();
    expect(m.status).toBe('held');
    expect(m.attendees).toEqual([LEADER, 'zhang-nen', 'zhang-lifen']);
  });

  it('is not recorded before the meeting begins (409)', () => {
    const e = domainErrorOf(() =>
      recordZoneAttendance(
        community,
        convened(),
        LEADER,
        { attendees: [LEADER] },
        new Date('2024-05-10T10:00:00Z'),
      ),
    );
    expect(e.kind).toBe('conflict');
    expect(e.code).toBe('meeting_not_started');
  });

  it('can be corrected while the meeting is held', () => {
    const m = recordZoneAttendance(community, held(), LEADER, { attendees: [LEADER, 'li-yongkang'] }, HELD);
    expect(m.attendees).toEqual([LEADER, 'li-yongkang']);
  });

  it('is forbidden to a non-member of the zone (403 not_zone_member)', () => {
    const e = domainErrorOf(() =>
      recordZoneAttendance(community, convened(), 'hu-shengjia', { attendees: [LEADER] }, HELD),
    );
    expect(e.kind).toBe('forbidden');
    expect(e.code).toBe('not_zone_member');
    expect(e.message).toBe('您不是第一责任区域的成员，不能登记区域会议出席情况');
  });

  it('is forbidden to a member who is not the leader (403 not_zone_leader)', () => {
    const e = domainErrorOf(() =>
      recordZoneAttendance(community, convened(), 'zhang-nen', { attendees: [LEADER] }, HELD),
    );
    expect(e.kind).toBe('forbidden');
    expect(e.code).toBe('not_zone_leader');
  });

  it('refuses an attendee who is not a zone member, naming the path (400)', () => {
    const e = domainErrorOf(() =>
      recordZoneAttendance(
        community,
        convened(),
        LEADER,
        {
          attendees: [LEADER, 'hu-shengjia', 'zhang-nen'],
        },
        HELD,
      ),
    );
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe('attendee_not_zone_member');
    expect(e.details).toEqual([{ path: 'attendees[1]', message: '胡圣家 不是第一责任区域的成员' }]);
  });

  it('refuses the same attendee twice, and nobody at all', () => {
    const twice = domainErrorOf(() =>
      recordZoneAttendance(community, convened(), LEADER, { attendees: [LEADER, LEADER] }, HELD),
    );
    expect(twice.code).toBe('duplicate_attendee');
    expect(twice.details).toEqual([{ path: 'attendees[1]', message: '吴文杰 重复登记' }]);
    const none = domainErrorOf(() =>
      recordZoneAttendance(community, convened(), LEADER, { attendees: [] }, HELD),
    );
    expect(none.code).toBe('invalid_attendance');
    expect(none.details?.[0]?.path).toBe('attendees');
  });
});

describe('recording the minutes and the outcome of each issue', () => {
  it('closes the meeting with one outcome per agenda issue, in agenda order', () => {
    const m = closed();
    expect(m.status).toBe('minutes_recorded');
    expect(m.minutes).toBe('讨论了12号楼外墙渗水和3号楼绿化问题');
    expect(m.residentViews).toBe('12号楼住户希望尽快修复');
    expect(m.minutesRecordedAt).toBe('2024-05-10T12:00:00.000Z');
    expect(m.outcomes.map((o) => [o.issue, o.outcome.kind])).toEqual([
      ['XDY-1', 'escalate'],
      ['XDY-2', 'resolve_in_zone'],
    ]);
    expect(ZoneMeeting.parse(JSON.parse(JSON.stringify(m)))).toEqual(m);
    expect(zoneOutcomeOf(m, 'XDY-2')).toEqual({ kind: 'resolve_in_zone', plan: '物业本周内补种绿化' });
  });

  it.each([
    [
      'a missing outcome',
      [{ issue: 'XDY-1', outcome: { kind: 'resolve_in_zone', plan: '修' } }],
      'invalid_zone_outcomes',
      ['outcomes'],
    ],
    [
      'two outcomes for one issue',
      [
        { issue: 'XDY-1', outcome: { kind: 'resolve_in_zone', plan: '修' } },
        { issue: 'XDY-2', outcome: { kind: 'resolve_in_zone', plan: '种' } },
        { issue: 'XDY-1', outcome: { kind: 'escalate', resolution: '上报' } },
      ],
      'invalid_zone_outcomes',
      ['outcomes[2].issue'],
    ],
    [
      'an outcome for an issue not on the agenda',
      [
        { issue: 'XDY-1', outcome: { kind: 'resolve_in_zone', plan: '修' } },
        { issue: 'XDY-2', outcome: { kind: 'resolve_in_zone', plan: '种' } },
        { issue: 'XDY-3', outcome: { kind: 'resolve_in_zone', plan: '扫' } },
      ],
      'invalid_zone_outcomes',
      ['outcomes[2].issue'],
    ],
    [
      'an escalation without resolution text',
      [
        { issue: 'XDY-1', outcome: { kind: 'escalate', resolution: '  ' } },
        { issue: 'XDY-2', outcome: { kind: 'resolve_in_zone', plan: '种' } },
      ],
      'invalid_zone_minutes',
      ['outcomes[0].outcome.resolution'],
    ],
    [
      'a plan without text',
      [
        { issue: 'XDY-1', outcome: { kind: 'escalate', resolution: '上报' } },
        { issue: 'XDY-2', outcome: { kind: 'resolve_in_zone' } },
      ],
      'invalid_zone_minutes',
      ['outcomes[1].outcome.plan'],
    ],
    [
      'an outcome of an unknown kind',
      [
        { issue: 'XDY-1', outcome: { kind: 'ignore' } },
        { issue: 'XDY-2', outcome: { kind: 'resolve_in_zone', plan: '种' } },
      ],
      'invalid_zone_minutes',
      ['outcomes[0].outcome.kind'],
    ],
  ])('refuses %s (400)', (_label, outcomes, code, paths) => {
    const e = domainErrorOf(() =>
      recordZoneMinutes(community, held(), LEADER, { minutes: '纪要', outcomes }, NOW),
    );
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe(code);
    expect(e.details?.map((d) => d.path)).toEqual(paths);
  });
});

describe('the zone meeting state machine', () => {
  it.each([
    [
      'minutes before attendance',
      () => recordZoneMinutes(community, convened(), LEADER, minutesInput, NOW),
      '已召集',
      '记录会议纪要和处理意见',
    ],
    [
      'minutes twice',
      () => recordZoneMinutes(community, closed(), LEADER, minutesInput, NOW),
      '已形成纪要（会议结束）',
      '记录会议纪要和处理意见',
    ],
    [
      'attendance after the minutes',
      () => recordZoneAttendance(community, closed(), LEADER, { attendees: [LEADER] }, HELD),
      '已形成纪要（会议结束）',
      '登记出席',
    ],
  ] as const)('refuses %s (409, naming the state)', (_label, act, stateName, actionName) => {
    const e = domainErrorOf(act);
    expect(e.kind).toBe('conflict');
    expect(e.code).toBe('zone_meeting_state');
    expect(e.message).toBe(`区域会议当前状态为“${stateName}”，不能${actionName}`);
  });

  it('gives no outcome before the minutes are recorded', () => {
    expect(zoneOutcomeOf(held(), 'XDY-1')).toBeUndefined();
  });
});

describe('escalation', () => {
  const issue: EscalatingIssue = { id: 'XDY-1', zone: 'zone-1', tier: 'zone', status: 'dispatched' };

  it('is allowed with the zone meeting escalation resolution, and feeds the lifecycle', () => {
    const check = assertCanEscalate(issue, closed());
    expect(check.zoneResolution).toEqual({
      meeting: 'zm-1',
      zone: 'zone-1',
      issue: 'XDY-1',
      resolution: '外墙渗水涉及维修资金，区域无法解决，上报联席会议',
      proposal: '申请使用维修资金修复',
    });
    expect(applyTransition('dispatched', 'escalate', ['owner'], check.context)).toBe('escalated');
  });

  const cases: [string, EscalatingIssue, ZoneMeeting | null, string, string][] = [
    [
      'without any zone meeting',
      issue,
      null,
      'zone_resolution_required',
      '上报联席会议前须先召开区域会议并形成上报决议：尚未关联区域会议',
    ],
    [
      'with a meeting still without minutes',
      issue,
      held(),
      'zone_resolution_required',
      '上报联席会议前须先召开区域会议并形成上报决议：所附区域会议已召开，尚未形成会议纪要',
    ],
    [
      'when the meeting decided to resolve it in the zone',
      { ...issue, id: 'XDY-2' },
      closed(),
      'zone_resolution_required',
      '上报联席会议前须先召开区域会议并形成上报决议：区域会议决定在区域内解决该问题，未决议上报',
    ],
    [
      'with a meeting that did not discuss it',
      { ...issue, id: 'XDY-7' },
      closed(),
      'zone_resolution_required',
      '上报联席会议前须先召开区域会议并形成上报决议：所附区域会议未讨论该问题',
    ],
    [
      'with another zone’s meeting',
      { ...issue, zone: 'zone-2' },
      closed(),
      'zone_resolution_required',
      '上报联席会议前须先召开区域会议并形成上报决议：所附区域会议不是本问题所在区域的会议',
    ],
    [
      'from the line tier',
      { ...issue, tier: 'line' },
      closed(),
      'not_zone_tier',
      '该问题由专业条线处理，只有责任区域层级的问题才能由区域上报联席会议',
    ],
    [
      'from a closed issue',
      { ...issue, status: 'closed' },
      closed(),
      'invalid_transition',
      '问题当前状态为“已关闭”，不能上报联席会议',
    ],
  ];
  it.each(cases)('is refused %s (409)', (_label, which, meeting, code, message) => {
    const check = canEscalate(which, meeting);
    expect(check.ok).toBe(false);
    const e = domainErrorOf(() => assertCanEscalate(which, meeting));
    expect(e.kind).toBe('conflict');
    expect(e.code).toBe(code);
    expect(e.message).toBe(message);
  });
});
