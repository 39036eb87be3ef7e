import { DEFAULT_MEETING_CONFIG, MeetingConfig } from '../../packages/domain/src/meetings/config';
import type { ZoneResolutionRef } from '../../packages/domain/src/meetings/escalation';
import {
  addJointAgendaItem,
  approveJointMinutes,
  carryOverItem,
  chairDesignated,
  checkQuorum,
  deferJointItem,
  designateJointChair,
  editJointMinutes,
  escalationAgendaItem,
  JointMeeting,
  jointMembersOf,
  nextJointMeeting,
  recordConsultation,
  recordJointAttendance,
  recordJointVote,
  recordResolution,
  scheduleJointMeeting,
  secretaryAgendaItem,
  suggestNextRegularMeeting,
} from '../../packages/domain/src/meetings/joint-meeting';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

/**
 * 夏朵园's joint meeting, by the shipped config: secretary 屠忠梅 (tu-zhongmei), Party secretary
 * 闻良 (wen-liang, the leadership group's leader). The members, counted by hand from the config:
 * party 6 (the leadership group), rc 9, oc 5 (the zone leaders), property 5 (the zones' property
 * specialists; no manager is configured) = 25. More than half of 25 is 13.
 */
const community = loadXiaduoyuan();
const SECRETARY = 'tu-zhongmei';
const CHAIR = 'wen-liang';
const NOW = new Date('2024-05-20T13:00:00Z');

const PARTY = ['wen-liang', 'chen-lifeng', 'gu-meifang', 'zhu-bin', 'chen-xixian', 'yu-xingli'];
const RC = [
  'zhang-nen',
  'li-yongkang',
  'chen-xia',
  'liu-jing',
  'shen-bin',
  'lu-jia',
  'lv-mengmeng',
  'shen-kajia',
  'ding-shengmin',
];
const OC = ['wu-wenjie', 'hu-shengjia', 'li-gang', 'ni-qiong', 'zhou-jianguang'];
const PROPERTY = ['zhang-lifen', 'shen-xuli', 'tang-wangwei', 'guo-honghui', 'cao-zulu'];

/** 13 of 25, every organisation represented. */
const QUORUM = [...PARTY.slice(0, 3), ...RC.slice(0, 3), ...OC.slice(0, 3), ...PROPERTY.slice(0, 4)];

const zoneResolution: ZoneResolutionRef = {
  meeting: 'zm-1',
  zone: 'zone-1',
  issue: 'XDY-1',
  resolution: '外墙渗水涉及维修资金，上报联席会议',
  proposal: null,
};
const scheduleInput = { at: '2024-05-20T19:00:00+08:00', place: '居委会会议室' };
const scheduled = () =>
  scheduleJointMeeting(community, SECRETARY, 'jm-5', scheduleInput, [
    escalationAgendaItem(zoneResolution, '12号楼外墙渗水'),
    secretaryAgendaItem(community, SECRETARY, { title: '小区停车秩序整治' }),
  ]);
const held = (present = QUORUM) => recordJointAttendance(community, scheduled(), SECRETARY, { present }, NOW);
const consulted = (present = QUORUM) =>
  recordConsultation(community, held(present), SECRETARY, 1, {
    individual: '会前分别听取了物业和业委会意见',
    joint: '各方同意先查明渗水原因',
  });
const VOTES_PASS = { votes: { for: 7, against: 3, abstain: 3 } };
const voted = () => recordJointVote(community, consulted(), CHAIR, 1, VOTES_PASS);
const RESOLUTION = {
  text: '由物业公司查明渗水原因并制定维修方案，涉及维修资金的按程序公示',
  responsibleOrg: 'property',
  responsiblePerson: 'zhang-lifen',
  dueDate: '2024-06-30',
  milestones: [{ title: '查明原因', dueDate: '2024-06-05' }, { title: '完工验收' }],
};
const resolved = () => recordResolution(community, voted(), SECRETARY, 1, RESOLUTION);
const settled = () => {
  const m = recordConsultation(community, resolved(), SECRETARY, 2, { joint: '暂缓，待交警意见' });
  const failed = recordJointVote(community, m, CHAIR, 2, { votes: { for: 6, against: 5, abstain: 2 } });
  return editJointMinutes(community, failed, SECRETARY, { text: '会议审议了两项议题' });
};
const locked = () => approveJointMinutes(community, settled(), CHAIR, NOW);

describe('the members of the joint meeting', () => {
  it('are the four organisations of the community, each person once', () => {
    const members = jointMembersOf(community);
    expect(members).toEqual([
      ...PARTY.map((person) => ({ person, org: 'party' })),
      ...RC.map((person) => ({ person, org: 'rc' })),
      ...OC.map((person) => ({ person, org: 'oc' })),
      ...PROPERTY.map((person) => ({ person, org: 'property' })),
    ]);
    // Grid inspectors (庄永亮 …) and the secretary are not members.
    expect(members.some((m) => m.person === 'zhuang-yongliang' || m.person === SECRETARY)).toBe(false);
  });
});

describe('scheduling', () => {
  it('is done by the secretary; the Party secretary chairs; the agenda is numbered', () => {
    const m = scheduled();
    expect(m).toMatchObject({
      id: 'jm-5',
      kind: 'regular',
      at: '2024-05-20T11:00:00.000Z',
      scheduledBy: SECRETARY,
      chair: CHAIR,
      chairDesignatedBy: null,
      status: 'scheduled',
      minutes: { status: 'draft', text: null, approvedBy: null, approvedAt: null },
    });
    expect(m.invitees).toHaveLength(25);
    expect(m.agenda.map((i) => [i.no, i.source, i.status, i.issues])).toEqual([
      [1, 'escalation', 'pending', ['XDY-1']],
      [2, 'secretary', 'pending', []],
    ]);
    expect(m.agenda[0]!.zoneResolution).toEqual(zoneResolution);
  });

  it('records a proposed chair, who chairs once the Party secretary designates them; an ad hoc meeting is ad hoc', () => {
    const m = scheduleJointMeeting(community, SECRETARY, 'jm-6', {
      ...scheduleInput,
      kind: 'ad_hoc',
      chair: 'chen-lifeng',
    });
    expect(m.chair).toBe('chen-lifeng');
    expect(m.chairDesignatedBy).toBeNull();
    expect(m.kind).toBe('ad_hoc');
    expect(chairDesignated(community, m)).toBe(false);

    // Not designated: the proposed chair cannot act as chair; the secretary can still record.
    const held = recordJointAttendance(community, m, SECRETARY, { present: QUORUM }, NOW);
    expect(
      domainErrorOf(() => editJointMinutes(community, held, 'chen-lifeng', { text: '纪要' })),
    ).toMatchObject({
      kind: 'conflict',
      code: 'chair_not_designated',
    });

    // Only the Party secretary designates, and only before the meeting is held.
    expect(
      domainErrorOf(() => designateJointChair(community, m, SECRETARY, { chair: 'chen-lifeng' })),
    ).toMatchObject({ kind: 'forbidden', code: 'not_party_secretary' });
    expect(
      domainErrorOf(() => designateJointChair(community, held, CHAIR, { chair: 'chen-lifeng' })),
    ).toMatchObject({
      kind: 'conflict',
      code: 'meeting_already_held',
    });
    const designated = designateJointChair(community, m, CHAIR, { chair: 'chen-lifeng' });
    expect(designated).toMatchObject({ chair: 'chen-lifeng', chairDesignatedBy: CHAIR });
    expect(chairDesignated(community, designated)).toBe(true);
    const minutes = editJointMinutes(
      community,
      recordJointAttendance(community, designated, 'chen-lifeng', { present: QUORUM }, NOW),
      'chen-lifeng',
      { text: '纪要' },
    );
    expect(minutes.minutes.text).toBe('纪要');
    // The Party secretary may take the chair back: no designation is then needed.
    expect(designateJointChair(community, designated, CHAIR, { chair: CHAIR })).toMatchObject({
      chair: CHAIR,
      chairDesignatedBy: null,
    });
  });

  it('is forbidden to anyone but the secretary', () => {
    const e = domainErrorOf(() => scheduleJointMeeting(community, CHAIR, 'jm-5', scheduleInput));
    expect(e.kind).toBe('forbidden');
    expect(e.code).toBe('not_secretary');
    expect(e.message).toBe('只有联席会议秘书（屠忠梅）才能安排联席会议');
    const item = domainErrorOf(() => secretaryAgendaItem(community, 'wu-wenjie', { title: '停车' }));
    expect(item.code).toBe('not_secretary');
  });

  it('refuses an unknown chair or invitee and a twice-invited person, naming the paths', () => {
    const e = domainErrorOf(() =>
      scheduleJointMeeting(community, SECRETARY, 'jm-5', {
        ...scheduleInput,
        chair: 'nobody',
        invitees: [
          { person: 'wen-liang', org: 'party' },
          { person: 'ghost', org: 'rc' },
          { person: 'wen-liang', org: 'oc' },
        ],
      }),
    );
    expect(e.code).toBe('invalid_joint_meeting');
    expect(e.details?.map((d) => d.path)).toEqual(['chair', 'invitees[1].person', 'invitees[2].person']);
  });

  it('refuses an issue already waiting on the agenda', () => {
    const e = domainErrorOf(() =>
      addJointAgendaItem(scheduled(), escalationAgendaItem(zoneResolution, '再报一次')),
    );
    expect(e.kind).toBe('conflict');
    expect(e.code).toBe('issue_already_on_agenda');
  });

  it('suggests the next regular meeting one cadence later, in Shanghai time', () => {
    expect(suggestNextRegularMeeting('2024-01-31T19:00:00+08:00').toISOString()).toBe(
      '2024-02-29T11:00:00.000Z',
    );
    const quarterly = MeetingConfig.parse({ jointMeeting: { cadence: 'quarterly' } });
    expect(suggestNextRegularMeeting('2024-01-31T19:00:00+08:00', quarterly).toISOString()).toBe(
      '2024-04-30T11:00:00.000Z',
    );
  });

  it('finds the next meeting new items go to', () => {
    const june = scheduleJointMeeting(community, SECRETARY, 'jm-6', {
      ...scheduleInput,
      at: '2024-06-17T19:00:00+08:00',
    });
    const july = scheduleJointMeeting(community, SECRETARY, 'jm-7', {
      ...scheduleInput,
      at: '2024-07-15T19:00:00+08:00',
    });
    expect(nextJointMeeting([july, held(), june], NOW)?.id).toBe('jm-6');
    expect(nextJointMeeting([held()], NOW)).toBeUndefined();
  });
});

describe('attendance and quorum', () => {
  it('holds the meeting and shows the quorum arithmetic by organisation', () => {
    const m = held();
    expect(m.status).toBe('held');
    const q = checkQuorum(m);
    expect(q.met).toBe(true);
    expect(q.byOrg.map((o) => [o.org, o.present, o.invited])).toEqual([
      ['party', 3, 6],
      ['rc', 3, 9],
      ['oc', 3, 5],
      ['property', 4, 5],
    ]);
    expect(q.text).toEqual([
      '出席 13 人 / 应到 25 人 = 52.00%，需 > 1/2（50.00%）：达到',
      '各单位出席：居民区党总支 3/6 人，居委会 3/9 人，业委会 3/5 人，物业公司 4/5 人；各成员单位均有人出席：达到',
    ]);
  });

  it('is not met by 12 of 25, nor by 13 without the property company', () => {
    const twelve = checkQuorum(held(QUORUM.slice(0, 12)));
    expect(twelve.met).toBe(false);
    expect(twelve.missingOrgs).toEqual([]);
    expect(twelve.text[0]).toBe('出席 12 人 / 应到 25 人 = 48.00%，需 > 1/2（50.00%）：未达到');
    const noProperty = checkQuorum(held([...QUORUM.slice(0, 9), ...RC.slice(3, 7)]));
    expect(noProperty.present).toBe(13);
    expect(noProperty.met).toBe(false);
    expect(noProperty.missingOrgs).toEqual(['property']);
    expect(noProperty.text[1]).toBe(
      '各单位出席：居民区党总支 3/6 人，居委会 7/9 人，业委会 3/5 人，物业公司 0/5 人；无人出席的成员单位：物业公司：未达到',
    );
  });

  it('follows a configured rule', () => {
    const partyOnly = MeetingConfig.parse({
      jointMeeting: { quorum: { requiredOrgs: ['party'], presentOverPercent: 10 } },
    });
    // 3 of 25 = 12 % > 10 %, and the Party is there.
    expect(checkQuorum(held(['wen-liang', 'zhang-nen', 'wu-wenjie']), partyOnly).met).toBe(true);
    expect(checkQuorum(held(['zhang-nen', 'li-yongkang', 'wu-wenjie']), partyOnly).met).toBe(false);
  });

  it('refuses a person who is not a member, naming the path (400)', () => {
    const e = domainErrorOf(() =>
      recordJointAttendance(community, scheduled(), SECRETARY, { present: [CHAIR, 'zhuang-yongliang'] }, NOW),
    );
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe('attendee_not_invited');
    expect(e.details).toEqual([{ path: 'present[1]', message: '庄永亮 不是本次联席会议的成员' }]);
  });

  it('is recorded only by the secretary or the chair (403)', () => {
    const e = domainErrorOf(() =>
      recordJointAttendance(community, scheduled(), 'wu-wenjie', { present: QUORUM }, NOW),
    );
    expect(e.kind).toBe('forbidden');
    expect(e.code).toBe('not_meeting_recorder');
  });

  it('is not recorded before the meeting begins (409)', () => {
    const early = new Date('2024-05-20T10:59:00Z'); // 18:59 in Shanghai, the meeting is at 19:00
    const e = domainErrorOf(() =>
      recordJointAttendance(community, scheduled(), SECRETARY, { present: QUORUM }, early),
    );
    expect(e.kind).toBe('conflict');
    expect(e.code).toBe('meeting_not_started');
    expect(e.message).toContain('2024-05-20 19:00');
    const onTime = recordJointAttendance(
      community,
      scheduled(),
      SECRETARY,
      { present: QUORUM },
      new Date('2024-05-20T11:00:00Z'),
    );
    expect(onTime.status).toBe('held');
  });

  it('is frozen once a vote was counted against it', () => {
    const e = domainErrorOf(() =>
      recordJointAttendance(community, voted(), SECRETARY, { present: QUORUM.slice(0, 12) }, NOW),
    );
    expect(e.code).toBe('votes_already_recorded');
  });
});

describe('voting', () => {
  it('passes with more than half of those present voting for: 7 of 13', () => {
    const item = voted().agenda[0]!;
    expect(item.status).toBe('voted');
    expect(item.vote).toEqual({
      for: 7,
      against: 3,
      abstain: 3,
      present: 13,
      passed: true,
      text: '赞成 7 票 / 出席 13 人 = 53.85%，需 > 1/2（50.00%）：通过（反对 3 票，弃权 3 票）',
    });
  });

  it('fails with 6 of 13 even when fewer vote against', () => {
    const m = recordJointVote(community, consulted(), CHAIR, 1, {
      votes: { for: 6, against: 1, abstain: 6 },
    });
    expect(m.agenda[0]!.vote?.passed).toBe(false);
    expect(m.agenda[0]!.vote?.text).toBe(
      '赞成 6 票 / 出席 13 人 = 46.15%，需 > 1/2（50.00%）：未通过（反对 1 票，弃权 6 票）',
    );
  });

  it('follows a configured pass share: more than 66 % of 13 needs 9', () => {
    const config = MeetingConfig.parse({ jointMeeting: { passOverPercentOfPresent: 66 } });
    const pass = recordJointVote(
      community,
      consulted(),
      CHAIR,
      1,
      { votes: { for: 9, against: 4, abstain: 0 } },
      config,
    );
    expect(pass.agenda[0]!.vote?.passed).toBe(true);
    const fail = recordJointVote(
      community,
      consulted(),
      CHAIR,
      1,
      { votes: { for: 8, against: 5, abstain: 0 } },
      config,
    );
    expect(fail.agenda[0]!.vote?.passed).toBe(false);
  });

  it('refuses votes above the number present (400 votes_exceed_present, naming the field)', () => {
    const e = domainErrorOf(() =>
      recordJointVote(community, consulted(), CHAIR, 1, { votes: { for: 7, against: 3, abstain: 4 } }),
    );
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe('votes_exceed_present');
    expect(e.details).toEqual([
      {
        path: 'votes',
        message: '赞成 7 + 反对 3 + 弃权 4 = 14 票，超过出席人数 13 人',
        cast: 14,
        present: 13,
      },
    ]);
  });

  it('accepts exactly the number present', () => {
    const m = recordJointVote(community, consulted(), CHAIR, 1, {
      votes: { for: 13, against: 0, abstain: 0 },
    });
    expect(m.agenda[0]!.vote?.passed).toBe(true);
  });

  it.each([
    ['a negative count', { for: 7, against: -1, abstain: 3 }, ['votes.against']],
    ['a fraction', { for: 6.5, against: 3, abstain: 3 }, ['votes.for']],
    ['a missing count', { for: 7, against: 3 }, ['votes.abstain']],
    ['text', { for: '七', against: 3, abstain: 3 }, ['votes.for']],
  ])('refuses %s (400 invalid_votes)', (_label, votes, paths) => {
    const e = domainErrorOf(() => recordJointVote(community, consulted(), CHAIR, 1, { votes }));
    expect(e.code).toBe('invalid_votes');
    expect(e.details?.map((d) => d.path)).toEqual(paths);
  });

  it('is recorded by the chair only (403)', () => {
    const e = domainErrorOf(() => recordJointVote(community, consulted(), SECRETARY, 1, VOTES_PASS));
    expect(e.kind).toBe('forbidden');
    expect(e.code).toBe('not_chair');
  });

  it.each([
    [
      'before attendance',
      () => recordJointVote(community, scheduled(), CHAIR, 1, VOTES_PASS),
      'meeting_not_held',
    ],
    [
      'before the consultation',
      () => recordJointVote(community, held(), CHAIR, 1, VOTES_PASS),
      'consultation_required',
    ],
    [
      'without a quorum',
      () => recordJointVote(community, consulted(QUORUM.slice(0, 12)), CHAIR, 1, VOTES_PASS),
      'quorum_not_met',
    ],
    [
      'on a resolved item',
      () => recordJointVote(community, resolved(), CHAIR, 1, VOTES_PASS),
      'agenda_item_state',
    ],
  ])('is refused %s (409)', (_label, act, code) => {
    const e = domainErrorOf(act);
    expect(e.kind).toBe('conflict');
    expect(e.code).toBe(code);
  });

  it('names a missing item (404)', () => {
    const e = domainErrorOf(() => recordJointVote(community, consulted(), CHAIR, 9, VOTES_PASS));
    expect(e.kind).toBe('not_found');
  });
});

describe('resolutions', () => {
  it('record text, responsible organisation and person, due date, milestones', () => {
    const item = resolved().agenda[0]!;
    expect(item.status).toBe('resolved');
    expect(item.resolution).toEqual({
      text: '由物业公司查明渗水原因并制定维修方案，涉及维修资金的按程序公示',
      responsibleOrg: 'property',
      responsiblePerson: 'zhang-lifen',
      dueDate: '2024-06-30',
      disposition: 'dispatch',
      milestones: [
        { title: '查明原因', dueDate: '2024-06-05' },
        { title: '完工验收', dueDate: null },
      ],
    });
  });

  it.each([
    ['an unknown person', { responsiblePerson: 'nobody' }, 'unknown_person', ['responsiblePerson']],
    // 张嫩 sits for the residents' committee; 周建平 leads the elevator line, which is the property company's.
    [
      'a person outside the organisation',
      { responsiblePerson: 'zhang-nen' },
      'person_not_in_org',
      ['responsiblePerson'],
    ],
    [
      'the owners committee answerable through a property specialist',
      { responsibleOrg: 'oc', responsiblePerson: 'zhang-lifen' },
      'person_not_in_org',
      ['responsiblePerson'],
    ],
    ['a due date before the meeting', { dueDate: '2024-05-19' }, 'due_before_meeting', ['dueDate']],
    ['a malformed due date', { dueDate: '6月30日' }, 'invalid_resolution', ['dueDate']],
    ['an unknown organisation', { responsibleOrg: 'city' }, 'invalid_resolution', ['responsibleOrg']],
    ['no text', { text: '' }, 'invalid_resolution', ['text']],
  ])('refuse %s (400)', (_label, change, code, paths) => {
    const e = domainErrorOf(() =>
      recordResolution(community, voted(), SECRETARY, 1, { ...RESOLUTION, ...change }),
    );
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe(code);
    expect(e.details?.map((d) => d.path)).toEqual(paths);
  });

  it('name a person of the organisation they make answerable', () => {
    for (const [org, person] of [
      ['property', 'zhou-jianping'],
      ['rc', 'zhang-nen'],
      ['oc', 'wu-wenjie'],
      ['party', 'wen-liang'],
    ] as const) {
      const r = recordResolution(community, voted(), SECRETARY, 1, {
        ...RESOLUTION,
        responsibleOrg: org,
        responsiblePerson: person,
      });
      expect(r.agenda[0]!.resolution).toMatchObject({ responsibleOrg: org, responsiblePerson: person });
    }
  });

  it('need a passed vote (409)', () => {
    expect(domainErrorOf(() => recordResolution(community, consulted(), SECRETARY, 1, RESOLUTION)).code).toBe(
      'vote_required',
    );
    const failed = recordJointVote(community, consulted(), CHAIR, 1, {
      votes: { for: 5, against: 8, abstain: 0 },
    });
    expect(domainErrorOf(() => recordResolution(community, failed, SECRETARY, 1, RESOLUTION)).code).toBe(
      'item_not_passed',
    );
  });

  it('are recorded once per item (409): a second, by the chair or anyone, is refused', () => {
    for (const who of [SECRETARY, CHAIR]) {
      const e = domainErrorOf(() => recordResolution(community, resolved(), who, 1, RESOLUTION));
      expect({ kind: e.kind, code: e.code }).toEqual({ kind: 'conflict', code: 'agenda_item_state' });
    }
  });
});

describe('deferring an item', () => {
  it('needs a reason, and the item can go onto a later agenda', () => {
    const m = deferJointItem(community, held(), CHAIR, 2, { reason: '等待交警部门意见' });
    expect(m.agenda[1]).toMatchObject({ status: 'deferred', deferReason: '等待交警部门意见' });
    const later = addJointAgendaItem(
      scheduleJointMeeting(community, SECRETARY, 'jm-6', scheduleInput),
      carryOverItem(m.agenda[1]!),
    );
    expect(later.agenda.map((i) => [i.no, i.title, i.status])).toEqual([[1, '小区停车秩序整治', 'pending']]);
    expect(domainErrorOf(() => deferJointItem(community, held(), CHAIR, 2, { reason: ' ' })).code).toBe(
      'reason_required',
    );
  });
});

describe('minutes', () => {
  it('are approved by the chair and then locked', () => {
    const m = locked();
    // Plain JSON: what a service stores parses back to the same meeting.
    expect(JointMeeting.parse(JSON.parse(JSON.stringify(m)))).toEqual(m);
    expect(m.minutes).toEqual({
      status: 'locked',
      text: '会议审议了两项议题',
      approvedBy: CHAIR,
      approvedAt: '2024-05-20T13:00:00.000Z',
    });
  });

  const edits: [string, (m: JointMeeting) => unknown][] = [
    ['editing the text', (m) => editJointMinutes(community, m, SECRETARY, { text: '改一下' })],
    ['approving again', (m) => approveJointMinutes(community, m, CHAIR, NOW)],
    ['changing a vote', (m) => recordJointVote(community, m, CHAIR, 2, VOTES_PASS)],
    ['changing a resolution', (m) => recordResolution(community, m, SECRETARY, 1, RESOLUTION)],
    ['changing attendance', (m) => recordJointAttendance(community, m, SECRETARY, { present: QUORUM }, NOW)],
    [
      'adding an item',
      (m) => addJointAgendaItem(m, secretaryAgendaItem(community, SECRETARY, { title: '补充议题' })),
    ],
    ['recording a consultation', (m) => recordConsultation(community, m, SECRETARY, 2, { joint: '补记' })],
    ['deferring an item', (m) => deferJointItem(community, m, CHAIR, 2, { reason: '补记' })],
  ];
  it.each(edits)('refuse %s once locked (409 minutes_locked)', (_label, edit) => {
    const e = domainErrorOf(() => edit(locked()));
    expect(e.kind).toBe('conflict');
    expect(e.code).toBe('minutes_locked');
    expect(e.message).toBe('会议纪要已由主持人审定并锁定，不能再修改；如情况变化，请申请复议');
  });

  it('are approved by the chair only (403)', () => {
    const e = domainErrorOf(() => approveJointMinutes(community, settled(), SECRETARY, NOW));
    expect(e.kind).toBe('forbidden');
    expect(e.code).toBe('not_chair');
  });

  it.each([
    [
      'before the meeting is held',
      () => approveJointMinutes(community, scheduled(), CHAIR, NOW),
      'meeting_not_held',
    ],
    [
      'without text',
      () =>
        approveJointMinutes(
          community,
          recordJointVote(
            community,
            recordConsultation(community, resolved(), SECRETARY, 2, { joint: '议' }),
            CHAIR,
            2,
            VOTES_PASS,
          ),
          CHAIR,
          NOW,
        ),
      'minutes_empty',
    ],
    [
      'while an item is undecided',
      () =>
        approveJointMinutes(
          community,
          editJointMinutes(community, resolved(), SECRETARY, { text: '纪要' }),
          CHAIR,
          NOW,
        ),
      'agenda_items_open',
    ],
  ])('cannot be approved %s (409)', (_label, act, code) => {
    const e = domainErrorOf(act);
    expect(e.kind).toBe('conflict');
    expect(e.code).toBe(code);
  });

  it('list the open items when approval is refused', () => {
    const passedNoResolution = editJointMinutes(community, voted(), SECRETARY, { text: '纪要' });
    const e = domainErrorOf(() => approveJointMinutes(community, passedNoResolution, CHAIR, NOW));
    expect(e.message).toBe(
      '以下议题尚未办结，不能审定纪要：第 1 项“12号楼外墙渗水”已通过但未记录决议；第 2 项“小区停车秩序整治”未表决（或暂缓）',
    );
    expect(e.details?.map((d) => d.path)).toEqual(['agenda[0]', 'agenda[1]']);
  });
});

describe('the default configuration', () => {
  it('is monthly, with all four organisations and more than half present, and more than half of those present to pass', () => {
    expect(DEFAULT_MEETING_CONFIG).toEqual({
      jointMeeting: {
        cadence: 'monthly',
        quorum: { requiredOrgs: ['party', 'rc', 'oc', 'property'], presentOverPercent: 50 },
        passOverPercentOfPresent: 50,
      },
      fundUse: { requireAssembly: true },
    });
  });

  it('refuses a pass share of 100 % or a fraction', () => {
    expect(MeetingConfig.safeParse({ jointMeeting: { passOverPercentOfPresent: 100 } }).success).toBe(false);
    expect(MeetingConfig.safeParse({ jointMeeting: { quorum: { presentOverPercent: 50.5 } } }).success).toBe(
      false,
    );
    expect(MeetingConfig.safeParse({ jointMeeting: { quorum: { requiredOrgs: ['grid'] } } }).success).toBe(
      false,
    );
  });
});
