import { accountReach } from '../../packages/domain/src/accounts/access';
import { archiveActions } from '../../packages/domain/src/archive/lock';
import { menuHas, type WorkMenuKey, workMenu } from '../../packages/domain/src/capabilities/work-menu';
import { rolesOf } from '../../packages/domain/src/community/lookup';
import {
  applySwapAction,
  SWAP_ACTIONS,
  SWAP_STATUSES,
  shiftActions,
  swapActions,
} from '../../packages/domain/src/duty/swap';
import {
  applyCampaignAction,
  assertRunsEvaluation,
  CAMPAIGN_ACTIONS,
  CAMPAIGN_STATUSES,
  campaignActions,
} from '../../packages/domain/src/evaluation/campaign';
import type { Actor } from '../../packages/domain/src/issues/access';
import {
  agendaItemActions,
  approveJointMinutes,
  deferJointItem,
  designateJointChair,
  editJointMinutes,
  escalationAgendaItem,
  type JointMeeting,
  jointListActions,
  jointMeetingActions,
  recordConsultation,
  recordJointAttendance,
  recordJointVote,
  recordResolution,
  scheduleJointMeeting,
  secretaryAgendaItem,
} from '../../packages/domain/src/meetings/joint-meeting';
import {
  requestReconsideration,
  resolutionActions,
  trackResolution,
} from '../../packages/domain/src/meetings/resolution';
import {
  conveneZoneMeeting,
  conveneZones,
  recordZoneAttendance,
  zoneMeetingActions,
} from '../../packages/domain/src/meetings/zone-meeting';
import { NOTICE_STATUSES, noticeActions } from '../../packages/domain/src/notices/lifecycle';
import {
  applyTaskTransition,
  TASK_ACTIONS,
  TASK_STATUSES,
  type TaskActor,
  taskActions,
} from '../../packages/domain/src/tasks/lifecycle';
import { JOINT_MEETING_PRESENT } from '../helpers/joint-meeting';
import { loadXiaduoyuan } from './fixtures';

/** Evenings after the meetings below began (19:00 in Shanghai = 11:00 UTC). */
const JOINT_HELD = new Date('2024-05-20T12:00:00Z');
const ZONE_HELD = new Date('2024-05-10T12:00:00Z');
/** A member of the joint meeting the Party secretary may designate to chair (黎刚, a zone leader). */
const OTHER_CHAIR = 'li-gang';

/**
 * Capabilities (docs/architecture.md): what a view offers is computed from the very rule the action
 * runs, so an offered button is never refused for who the caller is or the state of the object.
 */
const community = loadXiaduoyuan();
const actorOf = (person: string | 'admin' | 'resident'): Actor => ({
  accountId: person,
  admin: person === 'admin',
  roles: person === 'admin' || person === 'resident' ? null : rolesOf(community, person),
});
/** Whether a rule lets the step through (a thrown domain error means it is refused). */
const passes = (fn: () => unknown) => {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
};

describe('the work menu', () => {
  const menuOf = (person: string | 'admin' | 'resident') => {
    const actor = actorOf(person);
    const mine = actor.roles ? community : null;
    return workMenu({
      kind: person === 'admin' ? 'admin' : person === 'resident' ? 'resident' : 'staff',
      actor,
      community: mine,
      accountReach: accountReach({
        admin: actor.admin,
        community: mine?.key ?? null,
        leadership: !!actor.roles?.leadership,
        leadershipManages: community.config.accounts.leadershipManages,
      }),
    });
  };
  const ALWAYS: WorkMenuKey[] = ['zone_issues', 'my_tasks', 'inbox'];

  it.each<[string, string, WorkMenuKey[], WorkMenuKey[]]>([
    [
      'the secretary',
      'tu-zhongmei',
      [
        'archive',
        'notices',
        'kpis',
        'letters',
        'credit',
        'overdue_tasks',
        'joint_meetings',
        'my_shifts',
        'ledger',
      ],
      [
        'evaluation_admin',
        'people',
        'patrol_report',
        'verify_homes',
        'honor_roll',
        'rollup',
        'open311_keys',
        'bans',
      ],
    ],
    [
      'the leadership group leader',
      'wen-liang',
      ['evaluation_admin', 'archive', 'notices', 'kpis', 'resolutions', 'honor_roll', 'ledger'],
      ['people', 'patrol_report'],
    ],
    [
      'a zone leader (owners committee)',
      'wu-wenjie',
      [
        'patrol_report',
        'overdue_tasks',
        'zone_meetings',
        'notices',
        'verify_homes',
        'kpis',
        'letters',
        'honor_roll',
      ],
      ['archive', 'evaluation_admin', 'people'],
    ],
    [
      "a zone's property specialist",
      'zhang-lifen',
      ['patrol_report', 'letters', 'credit', 'zone_meetings'],
      ['verify_homes', 'kpis', 'notices', 'overdue_tasks', 'archive'],
    ],
    [
      "a zone's grid inspector",
      'yang-chenyi',
      ['patrol_report', 'verify_homes', 'letters', 'ledger'],
      ['overdue_tasks', 'kpis', 'notices', 'honor_roll'],
    ],
    [
      'an administrator',
      'admin',
      ['people', 'accounts', 'kpis', 'overdue_tasks', 'password', 'rollup', 'open311_keys', 'bans'],
      [
        'my_shifts',
        'letters',
        'notices',
        'archive',
        'patrol_report',
        'zone_meetings',
        'honor_roll',
        'ledger',
      ],
    ],
    [
      'a resident',
      'resident',
      ALWAYS,
      [
        'password',
        'my_shifts',
        'letters',
        'kpis',
        'accounts',
        'people',
        'overdue_tasks',
        'ledger',
        'honor_roll',
        'rollup',
        'open311_keys',
        'bans',
      ],
    ],
  ])('%s (%s)', (_, who, has, lacks) => {
    const menu = menuOf(who);
    for (const key of [...ALWAYS, ...has])
      expect({ key, offered: menuHas(menu, key) }).toEqual({ key, offered: true });
    for (const key of lacks) expect({ key, offered: menuHas(menu, key) }).toEqual({ key, offered: false });
  });

  it.each([
    ['tu-zhongmei', 'joint_meetings', 'secretary'],
    ['wen-liang', 'joint_meetings', null],
    ['wu-wenjie', 'zone_meetings', 'leader'],
    ['zhang-nen', 'zone_meetings', null],
    ['tu-zhongmei', 'credit', 'property'],
    ['zhang-nen', 'credit', 'rc'],
    ['admin', 'accounts', 'all'],
  ])('%s gets %s in the form %s', (who, key, variant) => {
    expect(menuOf(who).find((e) => e.key === key)?.variant).toBe(variant);
  });

  it('offers the residents only what everyone has', () => {
    expect(menuOf('resident').map((e) => e.key)).toEqual(ALWAYS);
  });
});

describe('tasks: offered exactly when the transition lets the caller through', () => {
  const ACTOR_SETS: TaskActor[][] = [[], ['assignee'], ['manager'], ['assignee', 'manager']];
  it.each(TASK_STATUSES.flatMap((s) => ACTOR_SETS.map((a) => [s, a] as const)))(
    '%s by %j',
    (status, actors) => {
      const offered = taskActions(status, 'dispatched', actors);
      for (const action of TASK_ACTIONS.filter((a) => a !== 'cancel')) {
        const allowed = passes(() =>
          applyTaskTransition(status, action, actors, {
            note: '说明',
            reason: '原因',
            photoCount: 1,
            role: 'zone_leader',
          }),
        );
        expect({ action, offered: offered.includes(action) }).toEqual({ action, offered: allowed });
      }
    },
  );

  it.each(['resolved', 'closed', 'escalated', 'submitted'] as const)(
    'nothing while the issue is %s',
    (issue) => {
      expect(taskActions('open', issue, ['assignee', 'manager'])).toEqual([]);
    },
  );
});

describe('swap requests: the counterpart answers, the requester withdraws', () => {
  const parties = { requester: 'zhang-nen', counterpart: 'li-yongkang' };
  it.each(
    SWAP_STATUSES.flatMap((s) => ['zhang-nen', 'li-yongkang', 'yang-chenyi'].map((p) => [s, p] as const)),
  )('%s, seen by %s', (status, actor) => {
    const offered = swapActions(status, { ...parties, actor });
    for (const action of SWAP_ACTIONS) {
      const allowed = passes(() => applySwapAction(status, action, { ...parties, actor }));
      expect({ action, offered: offered.includes(action) }).toEqual({ action, offered: allowed });
    }
  });
});

describe('shifts', () => {
  const NOW = new Date('2026-11-16T02:00:00Z');
  const later = new Date('2026-11-17T00:30:00Z');
  const earlier = new Date('2026-11-15T00:30:00Z');
  it.each([
    [
      'my shift to come',
      { person: 'a', start: later },
      { person: 'a', managesRota: false },
      ['request_swap'],
    ],
    ['my shift already started', { person: 'a', start: earlier }, { person: 'a', managesRota: false }, []],
    ["someone else's shift", { person: 'b', start: later }, { person: 'a', managesRota: false }, []],
    [
      'any shift, for a rota manager',
      { person: 'b', start: earlier },
      { person: 'a', managesRota: true },
      ['override'],
    ],
    ['no person', { person: 'b', start: later }, { person: null, managesRota: false }, []],
  ] as const)('%s', (_, shift, viewer, expected) => {
    expect(shiftActions(shift, viewer, NOW)).toEqual(expected);
  });
});

describe('notices', () => {
  const zoneNotice = { zone: 'zone-1', author: 'wu-wenjie' };
  it.each([
    [
      'the secretary, her own draft',
      'tu-zhongmei',
      'draft',
      { zone: null, author: 'tu-zhongmei' },
      ['edit', 'withdraw'],
    ],
    [
      'a leader, the secretary’s draft',
      'wen-liang',
      'draft',
      { zone: null, author: 'tu-zhongmei' },
      ['edit', 'approve', 'withdraw'],
    ],
    [
      'a leader, an approved notice',
      'wen-liang',
      'approved',
      { zone: null, author: 'tu-zhongmei' },
      ['edit', 'publish', 'withdraw'],
    ],
    [
      'a leader, a published notice',
      'wen-liang',
      'published',
      { zone: null, author: 'tu-zhongmei' },
      ['withdraw'],
    ],
    ['the zone leader, his zone’s draft', 'wu-wenjie', 'draft', zoneNotice, ['edit']],
    ['another zone’s leader', 'hu-shengjia', 'draft', zoneNotice, []],
    ['an administrator', 'admin', 'draft', zoneNotice, ['edit']],
    ['a grid inspector', 'yang-chenyi', 'draft', zoneNotice, []],
  ] as const)('%s', (_, who, status, facts, expected) => {
    expect(noticeActions(actorOf(who), { ...facts, status })).toEqual(expected);
  });

  it('offers nothing to a visitor and nothing on a withdrawn or superseded notice', () => {
    expect(noticeActions(null, { zone: null, author: null, status: 'draft' })).toEqual([]);
    for (const status of NOTICE_STATUSES.filter((s) => s === 'withdrawn' || s === 'superseded')) {
      expect(noticeActions(actorOf('wen-liang'), { zone: null, author: 'tu-zhongmei', status })).toEqual([]);
    }
  });
});

describe('campaigns: steps offered exactly when the leadership may take them from the status', () => {
  it.each(
    CAMPAIGN_STATUSES.flatMap((s) => ['wen-liang', 'tu-zhongmei', 'admin'].map((p) => [s, p] as const)),
  )('%s, seen by %s', (status, who) => {
    const roles = actorOf(who).roles;
    const offered = campaignActions(roles, status);
    for (const action of CAMPAIGN_ACTIONS) {
      const allowed = passes(() => {
        assertRunsEvaluation(roles);
        applyCampaignAction(status, action);
      });
      expect({ action, offered: offered.includes(action) }).toEqual({ action, offered: allowed });
    }
  });

  it.each([
    ['draft', 'wen-liang', ['open', 'codes']],
    ['open', 'wen-liang', ['close', 'codes', 'audit']],
    ['closed', 'wen-liang', ['publish', 'results', 'audit']],
    ['published', 'wen-liang', ['results', 'audit']],
    ['closed', 'tu-zhongmei', []],
    ['published', 'resident', ['results']],
  ] as const)('%s, seen by %s: %j', (status, who, expected) => {
    expect(campaignActions(actorOf(who).roles, status)).toEqual(expected);
  });
});

describe('archives', () => {
  it.each([
    ['tu-zhongmei', ['create'], ['download']],
    ['chen-lifeng', ['create'], ['download']],
    ['admin', ['create'], ['download']],
    ['wu-wenjie', [], []],
  ] as const)('%s', (who, list, pkg) => {
    expect(archiveActions(actorOf(who), 'list')).toEqual(list);
    expect(archiveActions(actorOf(who), 'package')).toEqual(pkg);
  });
});

describe('joint meetings: each offered step is one its function lets the caller take', () => {
  const SECRETARY = 'tu-zhongmei';
  const CHAIR = 'wen-liang';
  const OTHER = 'yang-chenyi';
  const PRESENT = [...JOINT_MEETING_PRESENT];
  const scheduled = () =>
    scheduleJointMeeting(community, SECRETARY, 'jm-1', { at: '2024-05-20T19:00:00+08:00', place: '会议室' }, [
      escalationAgendaItem(
        { meeting: 'zm-1', zone: 'zone-1', issue: 'XDY-1', resolution: '上报', proposal: null },
        '12号楼外墙渗水',
      ),
      secretaryAgendaItem(community, SECRETARY, { title: '小区停车秩序整治' }),
    ]);
  const held = () =>
    recordJointAttendance(community, scheduled(), SECRETARY, { present: PRESENT }, JOINT_HELD);
  const consulted = () => recordConsultation(community, held(), SECRETARY, 1, { joint: '各方同意' });
  const voted = () =>
    recordJointVote(community, consulted(), CHAIR, 1, { votes: { for: 10, against: 2, abstain: 1 } });
  const RESOLUTION = {
    text: '由物业公司查明渗水原因',
    responsibleOrg: 'property',
    responsiblePerson: 'zhang-lifen',
    dueDate: '2024-06-30',
  };
  const resolved = () => recordResolution(community, voted(), SECRETARY, 1, RESOLUTION);
  const locked = () => {
    const m = editJointMinutes(community, resolved(), SECRETARY, { text: '纪要' });
    return approveJointMinutes(
      community,
      deferJointItem(community, m, CHAIR, 2, { reason: '再议' }),
      CHAIR,
      new Date(),
    );
  };
  const STAGES: [string, () => JointMeeting][] = [
    ['scheduled', scheduled],
    ['held', held],
    ['consulted', consulted],
    ['voted', voted],
    ['resolved', resolved],
    ['locked', locked],
  ];
  const ITEM_STEP = {
    consult: (m: JointMeeting, a: string, no: number) =>
      recordConsultation(community, m, a, no, { joint: '协商' }),
    vote: (m: JointMeeting, a: string, no: number) =>
      recordJointVote(community, m, a, no, { votes: { for: 10, against: 2, abstain: 1 } }),
    resolve: (m: JointMeeting, a: string, no: number) => recordResolution(community, m, a, no, RESOLUTION),
    defer: (m: JointMeeting, a: string, no: number) =>
      deferJointItem(community, m, a, no, { reason: '再议' }),
  };
  const MEETING_STEP = {
    designate_chair: (m: JointMeeting, a: string) => designateJointChair(community, m, a, { chair: CHAIR }),
    record_attendance: (m: JointMeeting, a: string) =>
      recordJointAttendance(community, m, a, { present: PRESENT }, JOINT_HELD),
    edit_minutes: (m: JointMeeting, a: string) => editJointMinutes(community, m, a, { text: '纪要' }),
    approve_minutes: (m: JointMeeting, a: string) =>
      approveJointMinutes(
        community,
        editJointMinutes(community, m, SECRETARY, { text: '纪要' }),
        a,
        new Date(),
      ),
  };

  it.each(
    STAGES.flatMap(([name, make]) => [SECRETARY, CHAIR, OTHER].map((who) => [name, who, make] as const)),
  )('%s, seen by %s', (_, who, make) => {
    const m = make();
    for (const action of jointMeetingActions(community, m, who, JOINT_HELD)) {
      expect({ action, allowed: passes(() => MEETING_STEP[action](m, who)) }).toEqual({
        action,
        allowed: true,
      });
    }
    for (const item of m.agenda) {
      for (const action of agendaItemActions(community, m, item, who)) {
        const allowed = passes(() => ITEM_STEP[action](m, who, item.no));
        expect({ item: item.no, action, allowed }).toEqual({ item: item.no, action, allowed: true });
      }
    }
    if (who === OTHER) {
      expect(jointMeetingActions(community, m, who, JOINT_HELD)).toEqual([]);
      expect(m.agenda.flatMap((i) => agendaItemActions(community, m, i, who))).toEqual([]);
    }
  });

  it('offers attendance only once the meeting has begun, and a proposed chair nothing of the chair until designated', () => {
    const before = new Date('2024-05-20T10:59:00Z');
    expect(jointMeetingActions(community, scheduled(), SECRETARY, before)).not.toContain('record_attendance');
    expect(jointMeetingActions(community, scheduled(), SECRETARY, JOINT_HELD)).toContain('record_attendance');
    const proposed = scheduleJointMeeting(community, SECRETARY, 'jm-2', {
      at: '2024-05-20T19:00:00+08:00',
      place: '会议室',
      chair: OTHER_CHAIR,
    });
    expect(jointMeetingActions(community, proposed, OTHER_CHAIR, JOINT_HELD)).toEqual([]);
    expect(jointMeetingActions(community, proposed, CHAIR, JOINT_HELD)).toEqual(['designate_chair']);
    const designated = designateJointChair(community, proposed, CHAIR, { chair: OTHER_CHAIR });
    expect(jointMeetingActions(community, designated, OTHER_CHAIR, JOINT_HELD)).toEqual([
      'record_attendance',
      'edit_minutes',
    ]);
  });

  it('offers the secretary, and only her, arranging meetings', () => {
    expect(jointListActions(community, SECRETARY)).toEqual(['schedule', 'add_item']);
    expect(jointListActions(community, CHAIR)).toEqual([]);
    expect(jointListActions(community, null)).toEqual([]);
  });

  it("offers a resolution's progress to its responsible person, the chair and the secretary; re-deliberation to the meeting's members", () => {
    const meeting = resolved();
    const action = trackResolution(meeting, 1);
    const state = { superseded: false, meeting, reconsiderationPending: false };
    const member = (who: string | null) =>
      who !== null && (who === meeting.chair || meeting.invitees.some((m) => m.person === who));
    for (const who of ['zhang-lifen', CHAIR, SECRETARY, OTHER, null] as const) {
      const expected = [
        ...(who !== null && who !== OTHER ? ['progress'] : []),
        ...(member(who) ? ['request_reconsideration'] : []),
      ];
      expect({ who, actions: resolutionActions(community, action, who, state) }).toEqual({
        who,
        actions: expected,
      });
      // An offered re-deliberation passes the rule; one not offered is refused by it.
      const ask = () =>
        requestReconsideration(community, meeting, who ?? 'nobody', 1, { reason: '情况有变化' }, meeting.at);
      expect({ who, passes: passes(ask) }).toEqual({ who, passes: member(who) });
    }
    expect(resolutionActions(community, action, SECRETARY, { ...state, superseded: true })).toEqual([]);
    expect(resolutionActions(community, action, CHAIR, { ...state, reconsiderationPending: true })).toEqual([
      'progress',
    ]);
  });
});

describe('zone meetings: the zone leader records them', () => {
  const ISSUES = [{ id: 'XDY-1', zone: 'zone-1', tier: 'zone' as const, status: 'dispatched' as const }];
  const input = { zone: 'zone-1', at: '2024-05-10T19:00:00+08:00', place: '1号楼架空层', agenda: ['XDY-1'] };
  const convened = conveneZoneMeeting(community, 'wu-wenjie', 'zm-1', input, ISSUES);
  const zone = community.zones.get('zone-1');
  it.each([
    ['the leader, convened', 'wu-wenjie', convened, ['record_attendance']],
    [
      'the leader, held',
      'wu-wenjie',
      recordZoneAttendance(community, convened, 'wu-wenjie', { attendees: ['wu-wenjie'] }, ZONE_HELD),
      ['record_attendance', 'record_minutes'],
    ],
    ['a member', 'zhang-nen', convened, []],
    ['nobody', null, convened, []],
  ] as const)('%s', (_, who, meeting, expected) => {
    expect(zoneMeetingActions(zone, meeting, who, ZONE_HELD)).toEqual(expected);
  });

  it('offers attendance only once the meeting has begun', () => {
    expect(zoneMeetingActions(zone, convened, 'wu-wenjie', new Date('2024-05-10T10:59:00Z'))).toEqual([]);
  });

  it('lists the zones a leader convenes', () => {
    expect(conveneZones(community.zones.values(), 'wu-wenjie')).toEqual(['zone-1']);
    expect(conveneZones(community.zones.values(), 'zhang-nen')).toEqual([]);
  });
});
