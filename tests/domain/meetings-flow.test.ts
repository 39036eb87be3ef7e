import { applyTransition } from '../../packages/domain/src/issues/lifecycle';
import type { IssueStatus } from '../../packages/domain/src/issues/schema';
import { decideArt278 } from '../../packages/domain/src/meetings/art278';
import { assertCanEscalate } from '../../packages/domain/src/meetings/escalation';
import { fundUseGate } from '../../packages/domain/src/meetings/fund-use';
import {
  addJointAgendaItem,
  approveJointMinutes,
  editJointMinutes,
  escalationAgendaItem,
  nextJointMeeting,
  recordConsultation,
  recordJointAttendance,
  recordJointVote,
  recordResolution,
  scheduleJointMeeting,
} from '../../packages/domain/src/meetings/joint-meeting';
import {
  recordResolutionProgress,
  requestReconsideration,
  trackResolution,
} from '../../packages/domain/src/meetings/resolution';
import {
  conveneZoneMeeting,
  recordZoneAttendance,
  recordZoneMinutes,
} from '../../packages/domain/src/meetings/zone-meeting';
import { JOINT_MEETING_PRESENT } from '../helpers/joint-meeting';
import { loadXiaduoyuan } from './fixtures';

/**
 * One issue from the zone tier to a re-deliberation, through the pure rules only (the API issue
 * runs the same path against both databases): 12号楼 leaks through a shared wall; zone 1 cannot
 * pay for it, so it goes up; the joint meeting resolves; the owners approve the fund; the fund's
 * order is kept; a member asks for re-deliberation when the cost changes.
 */
const community = loadXiaduoyuan();
const SECRETARY = 'tu-zhongmei';
const CHAIR = 'wen-liang';

it('takes an issue from the zone tier through escalation, a joint vote, progress and a re-deliberation', () => {
  let status: IssueStatus = 'dispatched';
  const issue = { id: 'XDY-2024-0012', zone: 'zone-1', tier: 'zone' as const, title: '12号楼外墙渗水' };

  // The zone meeting decides it cannot solve it.
  let zm = conveneZoneMeeting(
    community,
    'wu-wenjie',
    'zm-1',
    { zone: 'zone-1', at: '2024-05-10T19:00:00+08:00', place: '1号楼架空层', agenda: [issue.id] },
    [{ ...issue, status }],
  );
  zm = recordZoneAttendance(
    community,
    zm,
    'wu-wenjie',
    {
      attendees: ['wu-wenjie', 'zhang-nen', 'zhang-lifen'],
    },
    new Date('2024-05-10T12:00:00Z'),
  );
  zm = recordZoneMinutes(
    community,
    zm,
    'wu-wenjie',
    {
      minutes: '外墙渗水需动用维修资金，区域无法解决',
      outcomes: [
        { issue: issue.id, outcome: { kind: 'escalate', resolution: '上报联席会议研究维修资金使用' } },
      ],
    },
    new Date('2024-05-10T13:00:00Z'),
  );

  // Escalation, with the resolution the lifecycle requires.
  const { zoneResolution, context } = assertCanEscalate({ ...issue, status }, zm);
  status = applyTransition(status, 'escalate', ['owner'], context);
  expect(status).toBe('escalated');

  // The next joint meeting takes it up automatically.
  let may = scheduleJointMeeting(community, SECRETARY, 'jm-5', {
    at: '2024-05-20T19:00:00+08:00',
    place: '居委会会议室',
  });
  expect(nextJointMeeting([may], new Date('2024-05-11T00:00:00Z'))?.id).toBe('jm-5');
  may = addJointAgendaItem(may, escalationAgendaItem(zoneResolution, issue.title));
  may = recordJointAttendance(
    community,
    may,
    SECRETARY,
    { present: JOINT_MEETING_PRESENT },
    new Date('2024-05-20T12:00:00Z'),
  );
  may = recordConsultation(community, may, SECRETARY, 1, { joint: '同意申请使用维修资金修复' });
  may = recordJointVote(community, may, CHAIR, 1, { votes: { for: 11, against: 0, abstain: 2 } });
  may = recordResolution(community, may, SECRETARY, 1, {
    text: '申请使用维修资金修复12号楼外墙，经业主大会表决、公示并报业委会后施工',
    responsibleOrg: 'property',
    responsiblePerson: 'zhang-lifen',
    dueDate: '2024-07-31',
  });
  may = editJointMinutes(community, may, SECRETARY, { text: '审议12号楼外墙渗水' });
  may = approveJointMinutes(community, may, CHAIR, new Date('2024-05-21T01:00:00Z'));
  expect(may.minutes.status).toBe('locked');

  // The issue moves on with the resolution as its plan.
  const item = may.agenda[0]!;
  expect(item.resolution?.disposition).toBe('dispatch');
  status = applyTransition(status, 'decide_dispatch', ['joint_meeting'], { note: item.resolution!.text });
  expect(status).toBe('dispatched');

  // Using the fund: building 12 has 60 owners and 5400.00 m²; 40 owners with 3600.00 m² vote
  // (exactly 2/3 of each), 21 owners with 1800.01 m² for (more than half of each).
  const assembly = decideArt278({
    matter: 'use_fund',
    totalOwners: 60,
    totalArea: 5400,
    totals: {
      participatingOwners: 40,
      participatingArea: 3600,
      consentingOwners: 21,
      consentingArea: 1800.01,
    },
  });
  expect(assembly.passed).toBe(true);
  const state = {
    assemblyPassed: assembly.passed,
    noticeStartedAt: '2024-06-01T09:00:00+08:00',
    reportedToOcAt: '2024-06-08T09:00:00+08:00',
  };
  expect(fundUseGate(state, new Date('2024-06-07T00:00:00Z')).canStart).toBe(false);
  // Reported, but no owners'-committee member has received it yet.
  expect(fundUseGate(state, new Date('2024-06-08T02:00:00Z')).canStart).toBe(false);
  const received = { ...state, ocAcknowledgedAt: '2024-06-08T10:00:00+08:00' };
  expect(fundUseGate(received, new Date('2024-06-08T02:00:00Z')).canStart).toBe(true);

  // Progress, then the cost turns out higher: a member asks for re-deliberation.
  let action = trackResolution(may, 1);
  const update = recordResolutionProgress(
    community,
    action,
    'zhang-lifen',
    { progress: 40, note: '脚手架已搭设' },
    new Date('2024-06-10T02:00:00Z'),
  );
  expect(update.changed).toBe(true);
  action = update.action;
  expect(action.progress).toBe(40);

  const draft = requestReconsideration(
    community,
    may,
    'wu-wenjie',
    1,
    { reason: '拆除后发现钢筋锈蚀，费用超出原方案' },
    new Date('2024-06-12T02:00:00Z'),
  );
  let june = scheduleJointMeeting(community, SECRETARY, 'jm-6', {
    at: '2024-06-17T19:00:00+08:00',
    place: '居委会会议室',
  });
  june = addJointAgendaItem(june, draft);
  expect(june.agenda[0]).toMatchObject({
    no: 1,
    status: 'pending',
    source: 'reconsideration',
    issues: [issue.id],
    reconsiders: { meeting: 'jm-5', item: 1, reason: '拆除后发现钢筋锈蚀，费用超出原方案' },
  });
  // The old resolution stays on record, locked.
  expect(may.agenda[0]!.resolution?.text).toBe(
    '申请使用维修资金修复12号楼外墙，经业主大会表决、公示并报业委会后施工',
  );
  expect(may.minutes.status).toBe('locked');
});
