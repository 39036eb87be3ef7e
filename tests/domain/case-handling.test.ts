import {
  allowedCaseSteps,
  CASE_STEPS,
  type CaseFacts,
  CaseHandlingConfig,
  type CaseStep,
  casePolicyRefusal,
  caseRelations,
  checkCaseStep,
  ISSUE_STATUSES,
  type IssueAction,
  type IssueRelation,
  type IssueStatus,
  needsInspection,
  parkReviewReminderDue,
  reworkResolveBy,
} from '../../packages/domain/src';
import { domainErrorOf } from './fixtures';

const cfg = (
  over: Partial<{
    categories: string[];
    by: string[];
    reporterCounts: boolean;
    parking: string;
    approval: string;
  }>,
) =>
  CaseHandlingConfig.parse({
    verification: {
      categories: over.categories ?? ['elevator'],
      ...(over.by ? { by: over.by } : {}),
      ...(over.reporterCounts !== undefined ? { reporterCounts: over.reporterCounts } : {}),
    },
    parking: {
      ...(over.parking ? { by: over.parking } : {}),
      ...(over.approval ? { approval: over.approval } : {}),
    },
  });

describe('the config', () => {
  it('defaults: nothing inspected, the grid inspector verifies, the reporter does not count, the owner parks', () => {
    const c = CaseHandlingConfig.parse({});
    expect(c).toEqual({
      verification: { categories: [], by: ['zone_inspector'], reporterCounts: false },
      parking: { by: 'owner', approval: 'none' },
    });
    expect(needsInspection(c, 'elevator')).toBe(false);
    expect(needsInspection(cfg({}), 'elevator')).toBe(true);
    expect(needsInspection(cfg({}), 'greening')).toBe(false);
  });
});

describe('caseRelations: who is a verifier', () => {
  it.each<[string[], IssueRelation[], boolean]>([
    [['zone_inspector'], ['zone_inspector'], true],
    [['zone_inspector'], ['owner', 'zone_leader'], false],
    [['zone_leader'], ['owner', 'zone_leader'], true],
    [['zone_inspector', 'secretary'], ['secretary', 'joint_meeting'], true],
    [['owner'], ['assignee'], false],
    [['zone_inspector'], ['reporter'], false],
  ])('by %j, relations %j → verifier %s', (by, relations, expected) => {
    expect(caseRelations(relations, cfg({ by })).includes('verifier')).toBe(expected);
  });
});

describe('casePolicyRefusal', () => {
  const ins = { category: 'elevator', resolvedBy: 'wang', person: 'li' };
  const own = { ...ins, person: 'wang' };
  const plain = { ...ins, category: 'greening' };
  const approved = { ...ins, parkingApproved: true };
  const withApproval = cfg({ approval: 'joint_meeting' });
  type Row = [
    string,
    IssueAction,
    IssueRelation[],
    typeof ins & { parkingApproved?: boolean },
    ReturnType<typeof cfg>,
    string | null,
  ];
  it.each<Row>([
    ['another inspector passes', 'inspect_pass', ['verifier'], ins, cfg({}), null],
    ['another inspector fails', 'inspect_fail', ['verifier'], ins, cfg({}), null],
    ['the resolver inspects his own fix', 'inspect_pass', ['verifier'], own, cfg({}), 'forbidden:own_fix'],
    ['the resolver fails his own fix', 'inspect_fail', ['verifier'], own, cfg({}), 'forbidden:own_fix'],
    [
      'inspection where the category needs none',
      'inspect_pass',
      ['verifier'],
      plain,
      cfg({}),
      'conflict:inspection_not_required',
    ],
    [
      'an inspector confirms without the on-site check',
      'verify',
      ['zone_inspector'],
      ins,
      cfg({}),
      'conflict:inspection_required',
    ],
    [
      "the reporter's confirmation does not count",
      'verify',
      ['reporter'],
      ins,
      cfg({}),
      'conflict:inspection_required',
    ],
    ["the reporter's confirmation counts", 'verify', ['reporter'], ins, cfg({ reporterCounts: true }), null],
    ['an inspector confirms an ordinary fix', 'verify', ['zone_inspector'], plain, cfg({}), null],
    [
      'an inspector confirms his own ordinary fix',
      'verify',
      ['zone_inspector'],
      { ...plain, person: 'wang' },
      cfg({}),
      'forbidden:own_fix',
    ],
    [
      'a reporter who resolved it confirms as reporter',
      'verify',
      ['reporter', 'zone_inspector'],
      { ...plain, person: 'wang' },
      cfg({}),
      null,
    ],
    [
      'auto-close of an issue awaiting inspection',
      'auto_close',
      ['system'],
      ins,
      cfg({}),
      'conflict:inspection_required',
    ],
    ['auto-close of an ordinary issue', 'auto_close', ['system'], plain, cfg({}), null],
    ['the owner parks (owner configured)', 'park', ['owner'], ins, cfg({}), null],
    [
      'the owner parks (joint meeting configured)',
      'park',
      ['owner'],
      ins,
      cfg({ parking: 'joint_meeting' }),
      'forbidden:parking_not_permitted',
    ],
    [
      'the secretary parks (joint meeting configured)',
      'park',
      ['joint_meeting'],
      ins,
      cfg({ parking: 'joint_meeting' }),
      null,
    ],
    [
      'the zone leader reviews (owner configured)',
      'unpark',
      ['zone_leader'],
      ins,
      cfg({}),
      'forbidden:parking_not_permitted',
    ],
    [
      'the zone leader re-parks (zone leader configured)',
      'repark',
      ['zone_leader'],
      ins,
      cfg({ parking: 'zone_leader' }),
      null,
    ],
    // 挂账 with an approval step (owner requests, the joint meeting approves).
    [
      'the owner parks directly where approval is needed',
      'park',
      ['owner'],
      ins,
      withApproval,
      'conflict:parking_needs_approval',
    ],
    ['the approver parks by approving the request', 'park', ['joint_meeting'], approved, withApproval, null],
    [
      'the approver parks without a request',
      'park',
      ['joint_meeting'],
      ins,
      withApproval,
      'forbidden:parking_not_permitted',
    ],
    [
      'the owner cannot pass a request as approved',
      'park',
      ['owner'],
      approved,
      withApproval,
      'conflict:parking_needs_approval',
    ],
    ['an admin parks directly', 'park', ['admin'], ins, withApproval, null],
    ['the owner reviews a parked issue', 'unpark', ['owner'], ins, withApproval, null],
    ['the approver re-parks', 'repark', ['joint_meeting'], ins, withApproval, null],
    [
      'someone else re-parks',
      'repark',
      ['zone_leader'],
      ins,
      withApproval,
      'forbidden:parking_not_permitted',
    ],
    ['anything else passes through', 'resolve', ['assignee'], own, cfg({}), null],
  ])('%s', (_, action, relations, facts, c, expected) => {
    const err = casePolicyRefusal(action, relations, facts, c);
    expect(err ? `${err.kind}:${err.code}` : null).toBe(expected);
    if (err) expect(err.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

const NOW = new Date('2026-03-02T08:00:00Z');
const LATER = new Date('2026-03-05T08:00:00Z');
const base: CaseFacts = {
  status: 'dispatched',
  tier: 'zone',
  now: NOW,
  ownTaskDueAt: null,
  pendingExtension: false,
  pendingDispute: false,
  disputableReturn: false,
  parkingRequester: null,
  parkingApprover: null,
  pendingParking: false,
};
/** A community whose owner asks the joint meeting before parking. */
const APPROVAL = { parkingRequester: 'owner', parkingApprover: 'joint_meeting' } as const;
const PARKABLE: IssueStatus[] = ['dispatched', 'accepted', 'in_progress', 'reopened'];

/** Written out by hand (not derived from CASE_RULES): the states each step stands in. */
const STATES: Record<CaseStep, IssueStatus[]> = {
  request_extension: ['dispatched', 'accepted', 'in_progress'],
  approve_extension: ['dispatched', 'accepted', 'in_progress'],
  refuse_extension: ['dispatched', 'accepted', 'in_progress'],
  dispute_return: ['dispatched'],
  uphold_return: ['dispatched'],
  overrule_return: ['dispatched'],
  urge: ['submitted', 'dispatched', 'accepted', 'in_progress', 'resolved', 'reopened', 'escalated', 'parked'],
  request_parking: PARKABLE,
  approve_parking: PARKABLE,
  refuse_parking: PARKABLE,
};
/** Facts under which each step's own condition holds. */
const READY: Record<CaseStep, Partial<CaseFacts>> = {
  request_extension: { ownTaskDueAt: LATER },
  approve_extension: { pendingExtension: true },
  refuse_extension: { pendingExtension: true },
  dispute_return: { disputableReturn: true },
  uphold_return: { pendingDispute: true },
  overrule_return: { pendingDispute: true },
  urge: {},
  request_parking: APPROVAL,
  approve_parking: { ...APPROVAL, pendingParking: true },
  refuse_parking: { ...APPROVAL, pendingParking: true },
};
const WHO: Record<CaseStep, IssueRelation> = {
  request_extension: 'assignee',
  approve_extension: 'owner',
  refuse_extension: 'owner',
  dispute_return: 'owner',
  uphold_return: 'zone_leader',
  overrule_return: 'zone_leader',
  urge: 'leadership',
  request_parking: 'owner',
  approve_parking: 'joint_meeting',
  refuse_parking: 'joint_meeting',
};
const GOOD = {
  reason: '需要采购配件',
  note: '请尽快办理',
  newDueAt: new Date('2026-03-10T08:00:00Z'),
  reviewAt: new Date('2026-04-01T16:00:00Z'),
};
const ALL: IssueRelation[] = [
  'owner',
  'assignee',
  'zone_leader',
  'secretary',
  'leadership',
  'admin',
  'reporter',
  'zone_inspector',
];

describe('checkCaseStep over every (status × step)', () => {
  const pairs = ISSUE_STATUSES.flatMap((status) => CASE_STEPS.map((step) => ({ status, step })));
  it('covers 110 pairs', () => expect(pairs).toHaveLength(110));
  it.each(pairs)('$step from $status', ({ status, step }) => {
    const f = { ...base, ...READY[step], status };
    if (STATES[step].includes(status)) {
      expect(() => checkCaseStep(step, [WHO[step]], f, GOOD)).not.toThrow();
    } else {
      const err = domainErrorOf(() => checkCaseStep(step, ALL, f, GOOD));
      expect(err.kind).toBe('conflict');
      expect(err.code).toBe('case_step_not_allowed');
      expect((err.details?.[0] as { state?: string } | undefined)?.state).toBe(status);
    }
  });
});

describe('each step refuses the wrong person with 403', () => {
  it.each(
    CASE_STEPS.flatMap((step) => ALL.filter((r) => r !== WHO[step]).map((relation) => ({ step, relation }))),
  )('$relation may not $step', ({ step, relation }) => {
    const f = { ...base, ...READY[step], status: STATES[step][0]! };
    const mayAlso: Partial<Record<CaseStep, IssueRelation[]>> = {
      approve_extension: ['admin'],
      refuse_extension: ['admin'],
      urge: ['secretary'],
      approve_parking: ['admin'],
      refuse_parking: ['admin'],
    };
    if (mayAlso[step]?.includes(relation)) {
      expect(() => checkCaseStep(step, [relation], f, GOOD)).not.toThrow();
      return;
    }
    const err = domainErrorOf(() => checkCaseStep(step, [relation], f, GOOD));
    expect(err.kind).toBe('forbidden');
  });
});

describe('the case conditions (409 with the steps allowed now)', () => {
  it.each<[string, CaseStep, Partial<CaseFacts>]>([
    ['an extension after the deadline', 'request_extension', { ownTaskDueAt: NOW }],
    ['an extension with no task in hand', 'request_extension', { ownTaskDueAt: null }],
    ['a second pending extension', 'request_extension', { ownTaskDueAt: LATER, pendingExtension: true }],
    ['approving what nobody asked', 'approve_extension', {}],
    ['refusing what nobody asked', 'refuse_extension', {}],
    ['disputing when nobody returned it', 'dispute_return', {}],
    ['disputing twice', 'dispute_return', { disputableReturn: true, pendingDispute: true }],
    ['deciding a dispute nobody raised', 'uphold_return', {}],
    ['overruling a dispute nobody raised', 'overrule_return', {}],
    [
      'a parking request where the config needs no approval',
      'request_parking',
      { parkingRequester: 'owner' },
    ],
    ['a second pending parking request', 'request_parking', { ...APPROVAL, pendingParking: true }],
    ['approving a parking nobody asked for', 'approve_parking', APPROVAL],
    ['refusing a parking nobody asked for', 'refuse_parking', APPROVAL],
  ])('%s', (_, step, facts) => {
    const err = domainErrorOf(() => checkCaseStep(step, ALL, { ...base, ...facts }, GOOD));
    expect(err.kind).toBe('conflict');
    expect(err.message).toMatch(/[\u4e00-\u9fff]/);
    const allowed = (err.details?.[0] as unknown as { allowed: string[] } | undefined)?.allowed ?? [];
    expect(allowed).not.toContain(step);
    expect(allowed).toContain('urge');
  });
});

describe('the arbiter of a disputed return', () => {
  const f = { ...base, pendingDispute: true };
  it('is the zone leader for a zone issue, not the secretary', () => {
    expect(() => checkCaseStep('uphold_return', ['zone_leader'], f)).not.toThrow();
    expect(domainErrorOf(() => checkCaseStep('uphold_return', ['secretary'], f)).message).toContain(
      '区域组长',
    );
  });
  it('is the secretary for a line issue, not the zone leader', () => {
    const line = { ...f, tier: 'line' as const };
    expect(() => checkCaseStep('overrule_return', ['secretary'], line)).not.toThrow();
    expect(domainErrorOf(() => checkCaseStep('overrule_return', ['zone_leader'], line)).message).toContain(
      '书记',
    );
  });
});

describe('malformed steps (400 with the field)', () => {
  it.each<[string, CaseStep, Partial<typeof GOOD>, string, string]>([
    ['an extension without a reason', 'request_extension', { reason: ' ' }, 'reason_required', 'reason'],
    [
      'an extension without a date',
      'request_extension',
      { newDueAt: undefined },
      'new_due_invalid',
      'newDueDate',
    ],
    [
      'an extension to before the deadline',
      'request_extension',
      { newDueAt: new Date('2026-03-04T08:00:00Z') },
      'new_due_invalid',
      'newDueDate',
    ],
    ['a dispute without a reason', 'dispute_return', { reason: undefined }, 'reason_required', 'reason'],
    ['urging without a note', 'urge', { note: '' }, 'note_required', 'note'],
    ['a parking request without a reason', 'request_parking', { reason: '' }, 'reason_required', 'reason'],
    [
      'a parking request without a review date',
      'request_parking',
      { reviewAt: undefined },
      'review_date_required',
      'reviewDate',
    ],
    [
      'a parking request reviewed today',
      'request_parking',
      { reviewAt: NOW },
      'review_date_required',
      'reviewDate',
    ],
  ])('%s', (_, step, input, code, path) => {
    const f = { ...base, ...READY[step], status: STATES[step][0]! };
    const err = domainErrorOf(() => checkCaseStep(step, [WHO[step]], f, { ...GOOD, ...input }));
    expect(err.kind).toBe('invalid');
    expect(err.code).toBe(code);
    expect(err.details?.[0]?.path).toBe(path);
  });
});

describe('allowedCaseSteps (the capabilities of the issue view)', () => {
  it.each<[string, IssueRelation[], Partial<CaseFacts>, CaseStep[]]>([
    [
      'the assignee before the deadline',
      ['assignee'],
      { status: 'accepted', ownTaskDueAt: LATER },
      ['request_extension'],
    ],
    ['the assignee after the deadline', ['assignee'], { status: 'accepted', ownTaskDueAt: NOW }, []],
    [
      'the owner with a pending extension',
      ['owner'],
      { status: 'in_progress', pendingExtension: true },
      ['approve_extension', 'refuse_extension'],
    ],
    ['the owner after a return', ['owner'], { disputableReturn: true }, ['dispute_return']],
    [
      'the zone leader who owns it, disputed',
      ['owner', 'zone_leader'],
      { pendingDispute: true },
      ['uphold_return', 'overrule_return'],
    ],
    ['the leadership', ['leadership', 'joint_meeting'], { status: 'parked' }, ['urge']],
    ['the leadership on a closed issue', ['leadership'], { status: 'closed' }, []],
    [
      'the owner where parking needs approval',
      ['owner'],
      { ...APPROVAL, status: 'reopened' },
      ['request_parking'],
    ],
    ['the owner where parking needs none', ['owner'], { status: 'reopened' }, []],
    [
      'the secretary with a parking request',
      ['secretary', 'joint_meeting'],
      { ...APPROVAL, pendingParking: true },
      ['urge', 'approve_parking', 'refuse_parking'],
    ],
    ['a resident', ['reporter'], { status: 'in_progress', pendingExtension: true }, []],
  ])('%s', (_, relations, facts, expected) => {
    expect(allowedCaseSteps(relations, { ...base, ...facts })).toEqual(expected);
  });
});

describe('reworkResolveBy: a rework never ends before the approved extension', () => {
  const fresh = new Date('2026-11-19T10:00:00Z');
  const earlier = new Date('2026-11-18T15:59:59Z');
  const later = new Date('2026-11-25T15:59:59Z');
  it.each([
    ['no extension approved: the fresh SLA deadline', null, fresh],
    ['an approved extension later than the fresh deadline stands', later, later],
    ['an approved extension already past: the fresh deadline', earlier, fresh],
    ['the same instant: either', fresh, fresh],
  ] as const)('%s', (_, approved, expected) => {
    expect(reworkResolveBy(fresh, approved)).toEqual(expected);
  });
});

describe('parkReviewReminderDue: once per review date', () => {
  const review = new Date('2026-12-19T16:00:00Z'); // 2026-12-20 00:00 in Shanghai
  const before = new Date('2026-12-19T15:59:59Z');
  const on = new Date('2026-12-20T01:00:00Z');
  const earlierReminder = new Date('2026-11-30T02:00:00Z'); // for an earlier review date
  it.each([
    ['parked, the date not come', 'parked', review, null, before, false],
    ['parked, the date has come, never reminded', 'parked', review, null, on, true],
    ['the date has come at 00:00 exactly', 'parked', review, null, review, true],
    ['reminded for this date already (another pass, a restart)', 'parked', review, on, on, false],
    ['reminded for an earlier date, re-parked to this one', 'parked', review, earlierReminder, on, true],
    ['back at work: no reminder', 'dispatched', null, null, on, false],
    ['closed while parkedUntil lingers: no reminder', 'closed', review, null, on, false],
  ] as const)('%s', (_, status, parkedUntil, lastRemindedAt, now, expected) => {
    expect(parkReviewReminderDue({ status, parkedUntil, lastRemindedAt }, now)).toBe(expected);
  });
});
