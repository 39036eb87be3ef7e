import {
  addJointAgendaItem,
  type JointMeeting,
  recordConsultation,
  recordJointAttendance,
  recordJointVote,
  recordResolution,
  scheduleJointMeeting,
  secretaryAgendaItem,
} from '../../packages/domain/src/meetings/joint-meeting';
import {
  isResolutionOverdue,
  recordResolutionProgress,
  requestReconsideration,
  TrackedAction,
  trackResolution,
} from '../../packages/domain/src/meetings/resolution';
import { JOINT_MEETING_PRESENT } from '../helpers/joint-meeting';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

const community = loadXiaduoyuan();
const SECRETARY = 'tu-zhongmei';
const CHAIR = 'wen-liang';
const RESPONSIBLE = 'zhang-lifen';
/** 13 of the 25 members, every organisation represented: a quorum (see meetings-joint.test.ts). */
const at = (day: string) => new Date(`${day}T02:00:00Z`);

/** A May meeting whose item 1 resolved: 物业 (张丽芬) fixes the leak by 30 June. */
function mayMeeting(): JointMeeting {
  let m = scheduleJointMeeting(community, SECRETARY, 'jm-5', {
    at: '2024-05-20T19:00:00+08:00',
    place: '居委会会议室',
  });
  m = addJointAgendaItem(
    m,
    secretaryAgendaItem(community, SECRETARY, { title: '12号楼外墙渗水', issues: ['XDY-1'] }),
  );
  m = recordJointAttendance(
    community,
    m,
    SECRETARY,
    { present: JOINT_MEETING_PRESENT },
    new Date('2024-05-20T11:00:00Z'),
  );
  m = recordConsultation(community, m, SECRETARY, 1, { joint: '同意维修' });
  m = recordJointVote(community, m, CHAIR, 1, { votes: { for: 10, against: 1, abstain: 2 } });
  return recordResolution(community, m, SECRETARY, 1, {
    text: '物业公司修复12号楼外墙渗水',
    responsibleOrg: 'property',
    responsiblePerson: RESPONSIBLE,
    dueDate: '2024-06-30',
    milestones: [{ title: '查明原因' }, { title: '完工验收' }],
  });
}

const tracked = () => trackResolution(mayMeeting(), 1);
const progress = (action: TrackedAction, input: object, by = RESPONSIBLE, day = '2024-06-01') =>
  recordResolutionProgress(community, action, by, input, at(day));

describe('a resolution as a tracked action', () => {
  it('starts at 0 % with the resolution’s facts', () => {
    expect(tracked()).toEqual({
      meeting: 'jm-5',
      item: 1,
      chair: CHAIR,
      issues: ['XDY-1'],
      text: '物业公司修复12号楼外墙渗水',
      responsibleOrg: 'property',
      responsiblePerson: RESPONSIBLE,
      dueDate: '2024-06-30',
      disposition: 'dispatch',
      milestones: [
        { title: '查明原因', dueDate: null },
        { title: '完工验收', dueDate: null },
      ],
      progress: 0,
      done: false,
      history: [],
    });
  });

  it('needs a resolved item', () => {
    const m = mayMeeting();
    const unresolved = {
      ...m,
      agenda: m.agenda.map((i) => ({ ...i, status: 'voted' as const, resolution: null })),
    };
    expect(domainErrorOf(() => trackResolution(unresolved, 1)).code).toBe('resolution_required');
  });
});

describe('progress', () => {
  it('goes up with milestones, tells the reporters, and is done at 100', () => {
    const a = progress(tracked(), { progress: 30, milestone: '查明原因', note: '外墙裂缝导致渗水' });
    expect(a.changed).toBe(true);
    expect(a.notice).toBe(
      '联席会议决议“物业公司修复12号楼外墙渗水”办理进度：0% → 30%；已到节点“查明原因”；说明：外墙裂缝导致渗水',
    );
    expect(a.action.history).toEqual([
      {
        at: '2024-06-01T02:00:00.000Z',
        by: RESPONSIBLE,
        from: 0,
        to: 30,
        note: '外墙裂缝导致渗水',
        milestone: '查明原因',
      },
    ]);
    const b = progress(a.action, { progress: 100, milestone: '完工验收' }, CHAIR, '2024-06-20');
    expect(b.action).toMatchObject({ progress: 100, done: true });
    expect(TrackedAction.parse(JSON.parse(JSON.stringify(b.action)))).toEqual(b.action);
    expect(b.notice).toBe(
      '联席会议决议“物业公司修复12号楼外墙渗水”办理进度：30% → 100%；已到节点“完工验收”；已办结',
    );
    expect(b.action.history.map((h) => [h.from, h.to, h.by])).toEqual([
      [0, 30, RESPONSIBLE],
      [30, 100, CHAIR],
    ]);
  });

  it('may go back only with a note saying why', () => {
    const sixty = progress(tracked(), { progress: 60 }).action;
    const e = domainErrorOf(() => progress(sixty, { progress: 40 }));
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe('progress_regression_needs_note');
    expect(e.details).toEqual([{ path: 'note', message: '进度回退时必须填写原因' }]);
    const back = progress(sixty, { progress: 40, note: '验收发现仍渗水，需返工' });
    expect(back.action.progress).toBe(40);
    expect(back.changed).toBe(true);
    expect(back.notice).toBe(
      '联席会议决议“物业公司修复12号楼外墙渗水”办理进度：60% → 40%；说明：验收发现仍渗水，需返工',
    );
  });

  it('reopens a done action when it goes back from 100', () => {
    const done = progress(tracked(), { progress: 100 }).action;
    expect(progress(done, { progress: 90, note: '复查不合格' }).action.done).toBe(false);
  });

  it('records a note without a change of percentage, and tells nobody', () => {
    const r = progress(tracked(), { progress: 0, note: '施工单位已进场勘察' });
    expect(r.changed).toBe(false);
    expect(r.action.history).toHaveLength(1);
  });

  it.each([
    ['above 100', { progress: 101 }, 'invalid_progress', 'progress'],
    ['below 0', { progress: -5 }, 'invalid_progress', 'progress'],
    ['a fraction', { progress: 33.3 }, 'invalid_progress', 'progress'],
    ['nothing new', { progress: 0 }, 'progress_unchanged', 'progress'],
    ['an unknown milestone', { progress: 20, milestone: '开香槟' }, 'unknown_milestone', 'milestone'],
  ])('refuses %s (400)', (_label, input, code, path) => {
    const e = domainErrorOf(() => progress(tracked(), input));
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe(code);
    expect(e.details?.[0]?.path).toBe(path);
  });

  it('is recorded by the responsible person, the chair or the secretary only (403)', () => {
    expect(progress(tracked(), { progress: 10 }, SECRETARY).action.progress).toBe(10);
    const e = domainErrorOf(() => progress(tracked(), { progress: 10 }, 'wu-wenjie'));
    expect(e.kind).toBe('forbidden');
    expect(e.code).toBe('not_resolution_owner');
  });

  it('is overdue after the due date unless done', () => {
    const a = tracked();
    expect(isResolutionOverdue(a, '2024-06-30')).toBe(false);
    expect(isResolutionOverdue(a, '2024-07-01')).toBe(true);
    expect(isResolutionOverdue(progress(a, { progress: 100 }).action, '2024-07-01')).toBe(false);
  });
});

describe('re-deliberation (复议)', () => {
  it('puts the item on the next agenda, linked to the old resolution, which stays', () => {
    const may = mayMeeting();
    const before = structuredClone(may);
    const draft = requestReconsideration(
      community,
      may,
      'wu-wenjie',
      1,
      { reason: '施工中发现需动用维修资金' },
      at('2024-06-10'),
    );
    expect(draft).toEqual({
      title: '复议：12号楼外墙渗水（吴文杰申请）',
      source: 'reconsideration',
      issues: ['XDY-1'],
      zoneResolution: null,
      reconsiders: {
        meeting: 'jm-5',
        item: 1,
        resolution: '物业公司修复12号楼外墙渗水',
        reason: '施工中发现需动用维修资金',
        requestedBy: 'wu-wenjie',
        requestedAt: '2024-06-10T02:00:00.000Z',
      },
    });
    expect(may).toEqual(before);
    expect(may.agenda[0]!.resolution?.text).toBe('物业公司修复12号楼外墙渗水');

    const june = addJointAgendaItem(
      scheduleJointMeeting(community, SECRETARY, 'jm-6', {
        at: '2024-06-17T19:00:00+08:00',
        place: '居委会会议室',
      }),
      draft,
    );
    expect(june.agenda[0]).toMatchObject({
      no: 1,
      source: 'reconsideration',
      status: 'pending',
      reconsiders: { meeting: 'jm-5', item: 1 },
    });
  });

  it('needs a reason (400)', () => {
    const e = domainErrorOf(() =>
      requestReconsideration(community, mayMeeting(), 'wu-wenjie', 1, { reason: '' }, at('2024-06-10')),
    );
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe('reason_required');
    expect(e.details?.[0]?.path).toBe('reason');
  });

  it('is for members of the meeting only (403)', () => {
    const e = domainErrorOf(() =>
      requestReconsideration(
        community,
        mayMeeting(),
        'zhuang-yongliang',
        1,
        { reason: '新情况' },
        at('2024-06-10'),
      ),
    );
    expect(e.kind).toBe('forbidden');
    expect(e.code).toBe('not_joint_member');
  });

  it('is refused while one is already waiting, and for an item without a resolution (409)', () => {
    const may = mayMeeting();
    const first = requestReconsideration(
      community,
      may,
      'wu-wenjie',
      1,
      { reason: '新情况' },
      at('2024-06-10'),
    );
    const again = domainErrorOf(() =>
      requestReconsideration(community, may, 'hu-shengjia', 1, { reason: '新情况' }, at('2024-06-11'), [
        first,
      ]),
    );
    expect(again.kind).toBe('conflict');
    expect(again.code).toBe('reconsideration_pending');
    const noResolution = addJointAgendaItem(
      may,
      secretaryAgendaItem(community, SECRETARY, { title: '停车' }),
    );
    expect(
      domainErrorOf(() =>
        requestReconsideration(
          community,
          noResolution,
          'wu-wenjie',
          2,
          { reason: '新情况' },
          at('2024-06-10'),
        ),
      ).code,
    ).toBe('resolution_required');
  });
});
