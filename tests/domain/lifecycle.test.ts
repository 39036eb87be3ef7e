import {
  allowedActions,
  applyTransition,
  FINAL_STATUSES,
  ISSUE_ACTIONS,
  ISSUE_RELATIONS,
  ISSUE_STATUSES,
  type IssueAction,
  type IssueRelation,
  type IssueStatus,
  isFinal,
  type TransitionContext,
} from '../../packages/domain/src';
import { domainErrorOf } from './fixtures';

/**
 * docs/domain.md §6 written out by hand. Deliberately NOT derived from TRANSITIONS: a table compared
 * with itself cannot fail.
 */
const OPEN: IssueStatus[] = [
  'submitted',
  'dispatched',
  'accepted',
  'in_progress',
  'resolved',
  'reopened',
  'escalated',
  'parked',
];
const PARKERS: IssueRelation[] = ['owner', 'zone_leader', 'joint_meeting'];
const EXPECTED: Record<IssueAction, { from: IssueStatus[]; to: IssueStatus; by: IssueRelation[] }> = {
  dispatch: { from: ['submitted'], to: 'dispatched', by: ['system', 'owner', 'admin'] },
  refer: { from: ['submitted'], to: 'escalated', by: ['system'] },
  redispatch: {
    from: ['dispatched', 'reopened'],
    to: 'dispatched',
    by: ['system', 'owner', 'property_manager', 'admin'],
  },
  reassign: {
    from: ['dispatched', 'accepted', 'in_progress'],
    to: 'dispatched',
    by: ['owner', 'property_manager', 'admin'],
  },
  accept: { from: ['dispatched'], to: 'accepted', by: ['assignee'] },
  return: { from: ['dispatched', 'accepted'], to: 'dispatched', by: ['assignee'] },
  start: { from: ['accepted'], to: 'in_progress', by: ['assignee'] },
  resolve: { from: ['accepted', 'in_progress'], to: 'resolved', by: ['assignee'] },
  verify: { from: ['resolved'], to: 'closed', by: ['reporter', 'zone_inspector'] },
  auto_close: { from: ['resolved'], to: 'closed', by: ['system'] },
  reject_fix: { from: ['resolved'], to: 'reopened', by: ['reporter', 'zone_inspector'] },
  escalate: { from: ['dispatched', 'accepted', 'in_progress', 'reopened'], to: 'escalated', by: ['owner'] },
  decide_dispatch: { from: ['escalated'], to: 'dispatched', by: ['joint_meeting'] },
  decide_close: { from: ['escalated'], to: 'closed', by: ['joint_meeting'] },
  merge: { from: OPEN, to: 'merged', by: ['owner', 'admin'] },
  reject: { from: OPEN, to: 'rejected', by: ['owner', 'admin'] },
  inspect_pass: { from: ['resolved'], to: 'closed', by: ['verifier'] },
  inspect_fail: { from: ['resolved'], to: 'reopened', by: ['verifier'] },
  park: { from: ['dispatched', 'accepted', 'in_progress', 'reopened'], to: 'parked', by: PARKERS },
  repark: { from: ['parked'], to: 'parked', by: PARKERS },
  unpark: { from: ['parked'], to: 'dispatched', by: PARKERS },
};

/** Everything any transition can need, so that only state and permission decide. */
const FULL_CONTEXT: TransitionContext = {
  tier: 'zone',
  note: '已更换电梯按钮',
  reason: '现场仍漏水',
  hasZoneResolution: true,
  mergeTarget: 'XDY-2024-0001',
  photoCount: 1,
  now: new Date('2026-03-02T00:00:00Z'),
  reviewAt: new Date('2026-04-01T00:00:00Z'),
};

const expectedAllowedFrom = (status: IssueStatus) =>
  ISSUE_ACTIONS.filter((a) => EXPECTED[a].from.includes(status)).sort();

describe('the vocabulary', () => {
  it('has the statuses, actions and relations this table was written for', () => {
    expect([...ISSUE_STATUSES].sort()).toEqual([...OPEN, 'closed', 'merged', 'rejected'].sort());
    expect([...ISSUE_ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect([...ISSUE_RELATIONS].sort()).toEqual(
      [
        'system',
        'admin',
        'owner',
        'assignee',
        'reporter',
        'zone_inspector',
        'property_manager',
        'joint_meeting',
        'zone_leader',
        'secretary',
        'leadership',
        'verifier',
      ].sort(),
    );
  });

  it.each(ISSUE_STATUSES.map((s) => [s, ['closed', 'merged', 'rejected'].includes(s)] as const))(
    'isFinal(%s) is %s',
    (status, final) => {
      expect(isFinal(status)).toBe(final);
      expect((FINAL_STATUSES as readonly string[]).includes(status)).toBe(final);
    },
  );
});

const pairs = ISSUE_STATUSES.flatMap((status) => ISSUE_ACTIONS.map((action) => ({ status, action })));

describe('applyTransition over every (status × action) pair', () => {
  it('covers all 231 pairs', () => {
    expect(pairs).toHaveLength(ISSUE_STATUSES.length * ISSUE_ACTIONS.length);
    expect(pairs).toHaveLength(231);
  });

  const allowed = pairs.filter(({ status, action }) => EXPECTED[action].from.includes(status));
  const refused = pairs.filter(({ status, action }) => !EXPECTED[action].from.includes(status));

  it('has the expected number of allowed pairs (sanity of the literal table)', () => {
    // dispatch 1, refer 1, redispatch 2, reassign 3, accept 1, return 2, start 1, resolve 2, verify 1,
    // auto_close 1, reject_fix 1, escalate 4, decide_dispatch 1, decide_close 1, merge 8, reject 8,
    // inspect_pass 1, inspect_fail 1, park 4, repark 1, unpark 1
    expect(allowed).toHaveLength(46);
  });

  it.each(allowed)('$status --$action--> allowed', ({ status, action }) => {
    const { to, by } = EXPECTED[action];
    for (const relation of by) {
      expect(applyTransition(status, action, [relation], FULL_CONTEXT)).toBe(to);
    }
  });

  it.each(refused)('$status --$action--> refused as invalid_transition', ({ status, action }) => {
    // Every relation at once: the state alone must refuse.
    const err = domainErrorOf(() => applyTransition(status, action, ISSUE_RELATIONS, FULL_CONTEXT));
    expect(err.kind).toBe('conflict');
    expect(err.code).toBe('invalid_transition');
    const detail = err.details?.[0] as { allowed?: IssueAction[]; state?: string } | undefined;
    expect(detail?.state).toBe(status);
    expect([...(detail?.allowed ?? ['<missing>'])].sort()).toEqual(expectedAllowedFrom(status));
  });
});

describe('final states', () => {
  it.each(['closed', 'merged', 'rejected'] as const)(
    '%s allows nothing and says the issue is over',
    (status) => {
      expect(expectedAllowedFrom(status)).toEqual([]);
      expect(allowedActions(status, ISSUE_RELATIONS)).toEqual([]);
      const err = domainErrorOf(() => applyTransition(status, 'reject', ['admin'], FULL_CONTEXT));
      expect(err.message).toContain('已结束');
    },
  );

  it('the refusal from an open state names what can be done instead', () => {
    const err = domainErrorOf(() => applyTransition('resolved', 'accept', ['assignee'], FULL_CONTEXT));
    expect(err.message).toContain('已办结');
    expect(err.message).toContain('确认解决');
    expect(err.message).toContain('未解决，重开');
  });
});

describe('who may fire each transition', () => {
  const cases = ISSUE_ACTIONS.flatMap((action) =>
    EXPECTED[action].from.flatMap((status) =>
      ISSUE_RELATIONS.filter((r) => !EXPECTED[action].by.includes(r)).map((relation) => ({
        action,
        status,
        relation,
      })),
    ),
  );

  it.each(cases)('$relation may not $action from $status', ({ action, status, relation }) => {
    const err = domainErrorOf(() => applyTransition(status, action, [relation], FULL_CONTEXT));
    expect(err.kind).toBe('forbidden');
    expect(err.code).toBe('action_not_permitted');
  });

  it.each(ISSUE_ACTIONS.map((a) => [a, EXPECTED[a].from[0]!] as const))(
    'nobody without a relation may %s',
    (action, status) => {
      const err = domainErrorOf(() => applyTransition(status, action, [], FULL_CONTEXT));
      expect(err.kind).toBe('forbidden');
    },
  );

  it('a permitted relation among others is enough', () => {
    expect(
      applyTransition('dispatched', 'accept', ['reporter', 'zone_inspector', 'assignee'], FULL_CONTEXT),
    ).toBe('accepted');
  });

  it('checks the state before the permission', () => {
    expect(domainErrorOf(() => applyTransition('closed', 'verify', [], {})).code).toBe('invalid_transition');
  });

  it('checks the permission before the requirements', () => {
    expect(domainErrorOf(() => applyTransition('in_progress', 'resolve', ['reporter'], {})).kind).toBe(
      'forbidden',
    );
  });
});

describe('requirements', () => {
  const without = (key: keyof TransitionContext, value?: string): TransitionContext => ({
    ...FULL_CONTEXT,
    [key]: value,
  });

  it.each<
    [string, IssueStatus, IssueAction, IssueRelation, TransitionContext, string, string, string | undefined]
  >([
    [
      'resolve without a note',
      'in_progress',
      'resolve',
      'assignee',
      without('note'),
      'invalid',
      'note_required',
      'note',
    ],
    [
      'resolve with a blank note',
      'accepted',
      'resolve',
      'assignee',
      without('note', '  \n'),
      'invalid',
      'note_required',
      'note',
    ],
    [
      'decide_dispatch without a note',
      'escalated',
      'decide_dispatch',
      'joint_meeting',
      without('note'),
      'invalid',
      'note_required',
      'note',
    ],
    [
      'decide_close without a note',
      'escalated',
      'decide_close',
      'joint_meeting',
      without('note'),
      'invalid',
      'note_required',
      'note',
    ],
    [
      'return without a reason',
      'dispatched',
      'return',
      'assignee',
      without('reason'),
      'invalid',
      'reason_required',
      'reason',
    ],
    [
      'return from accepted without a reason',
      'accepted',
      'return',
      'assignee',
      without('reason', ' '),
      'invalid',
      'reason_required',
      'reason',
    ],
    [
      'reject_fix without a reason',
      'resolved',
      'reject_fix',
      'reporter',
      without('reason'),
      'invalid',
      'reason_required',
      'reason',
    ],
    [
      'reject without a reason',
      'submitted',
      'reject',
      'admin',
      without('reason'),
      'invalid',
      'reason_required',
      'reason',
    ],
    [
      'reject from escalated without a reason',
      'escalated',
      'reject',
      'owner',
      without('reason', ''),
      'invalid',
      'reason_required',
      'reason',
    ],
    [
      'merge without a target',
      'dispatched',
      'merge',
      'owner',
      without('mergeTarget'),
      'invalid',
      'merge_target_required',
      'target',
    ],
    [
      'merge with an empty target',
      'resolved',
      'merge',
      'admin',
      without('mergeTarget', ''),
      'invalid',
      'merge_target_required',
      'target',
    ],
    [
      'escalate in the line tier',
      'in_progress',
      'escalate',
      'owner',
      { ...FULL_CONTEXT, tier: 'line' },
      'conflict',
      'not_zone_tier',
      undefined,
    ],
    [
      'escalate at the joint meeting',
      'dispatched',
      'escalate',
      'owner',
      { ...FULL_CONTEXT, tier: 'joint_meeting' },
      'conflict',
      'not_zone_tier',
      undefined,
    ],
    [
      'escalate with no tier known',
      'reopened',
      'escalate',
      'owner',
      without('tier'),
      'conflict',
      'not_zone_tier',
      undefined,
    ],
    [
      'escalate in the line tier, even without a zone resolution',
      'accepted',
      'escalate',
      'owner',
      { ...FULL_CONTEXT, tier: 'line', hasZoneResolution: false },
      'conflict',
      'not_zone_tier',
      undefined,
    ],
    [
      'escalate without a zone resolution',
      'accepted',
      'escalate',
      'owner',
      { ...FULL_CONTEXT, hasZoneResolution: false },
      'conflict',
      'zone_resolution_required',
      undefined,
    ],
    [
      'inspect_pass without photos',
      'resolved',
      'inspect_pass',
      'verifier',
      { ...FULL_CONTEXT, photoCount: 0 },
      'invalid',
      'photos_required',
      'photoIds',
    ],
    [
      'inspect_fail without a reason',
      'resolved',
      'inspect_fail',
      'verifier',
      without('reason'),
      'invalid',
      'reason_required',
      'reason',
    ],
    [
      'inspect_fail without photos',
      'resolved',
      'inspect_fail',
      'verifier',
      { ...FULL_CONTEXT, photoCount: undefined },
      'invalid',
      'photos_required',
      'photoIds',
    ],
    [
      'park without a review date',
      'in_progress',
      'park',
      'owner',
      { ...FULL_CONTEXT, reviewAt: undefined },
      'invalid',
      'review_date_required',
      'reviewDate',
    ],
    [
      'park with a review date in the past',
      'dispatched',
      'park',
      'owner',
      { ...FULL_CONTEXT, reviewAt: new Date('2026-03-01T00:00:00Z') },
      'invalid',
      'review_date_required',
      'reviewDate',
    ],
    [
      'repark without a reason',
      'parked',
      'repark',
      'zone_leader',
      without('reason'),
      'invalid',
      'reason_required',
      'reason',
    ],
    [
      'unpark without a note',
      'parked',
      'unpark',
      'owner',
      without('note'),
      'invalid',
      'note_required',
      'note',
    ],
    [
      'escalate with the resolution unknown',
      'dispatched',
      'escalate',
      'owner',
      { ...FULL_CONTEXT, hasZoneResolution: undefined },
      'conflict',
      'zone_resolution_required',
      undefined,
    ],
  ])('%s → %s', (_, status, action, relation, ctx, kind, code, path) => {
    const err = domainErrorOf(() => applyTransition(status, action, [relation], ctx));
    expect(err.kind).toBe(kind);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(/[\u4e00-\u9fff]/);
    if (path) expect(err.details?.[0]?.path).toBe(path);
  });

  it.each<[IssueStatus, IssueAction, IssueRelation, TransitionContext, IssueStatus]>([
    ['in_progress', 'resolve', 'assignee', { note: '已修复' }, 'resolved'],
    ['dispatched', 'return', 'assignee', { reason: '不属于物业职责' }, 'dispatched'],
    ['resolved', 'reject_fix', 'zone_inspector', { reason: '仍未修好' }, 'reopened'],
    ['in_progress', 'escalate', 'owner', { tier: 'zone', hasZoneResolution: true }, 'escalated'],
    ['submitted', 'merge', 'owner', { mergeTarget: 'XDY-1' }, 'merged'],
    ['escalated', 'decide_close', 'joint_meeting', { note: '表决通过，不予处理' }, 'closed'],
    ['submitted', 'dispatch', 'system', {}, 'dispatched'],
    ['resolved', 'verify', 'reporter', {}, 'closed'],
    ['resolved', 'auto_close', 'system', {}, 'closed'],
    ['dispatched', 'accept', 'assignee', {}, 'accepted'],
  ])('%s --%s by %s--> with only what it needs → %s', (status, action, relation, ctx, to) => {
    expect(applyTransition(status, action, [relation], ctx)).toBe(to);
  });

  it('transitions without requirements do not need a context at all', () => {
    expect(applyTransition('accepted', 'start', ['assignee'])).toBe('in_progress');
    expect(applyTransition('submitted', 'refer', ['system'])).toBe('escalated');
  });
});

describe('allowedActions', () => {
  it.each<[IssueStatus, IssueRelation[], IssueAction[]]>([
    ['submitted', ['system'], ['dispatch', 'refer']],
    ['submitted', ['owner'], ['dispatch', 'merge', 'reject']],
    ['submitted', ['assignee'], []],
    ['dispatched', ['assignee'], ['accept', 'return']],
    ['dispatched', ['owner'], ['redispatch', 'reassign', 'escalate', 'merge', 'reject', 'park']],
    ['dispatched', ['property_manager'], ['redispatch', 'reassign']],
    ['accepted', ['assignee'], ['return', 'start', 'resolve']],
    ['in_progress', ['assignee'], ['resolve']],
    ['in_progress', ['owner', 'assignee'], ['resolve', 'reassign', 'escalate', 'merge', 'reject', 'park']],
    ['resolved', ['verifier'], ['inspect_pass', 'inspect_fail']],
    ['parked', ['owner'], ['repark', 'unpark', 'merge', 'reject']],
    ['parked', ['zone_leader'], ['repark', 'unpark']],
    ['parked', ['assignee'], []],
    ['resolved', ['reporter'], ['verify', 'reject_fix']],
    ['resolved', ['zone_inspector'], ['verify', 'reject_fix']],
    ['resolved', ['system'], ['auto_close']],
    ['resolved', ['assignee'], []],
    ['reopened', ['admin'], ['redispatch', 'merge', 'reject']],
    ['reopened', ['system'], ['redispatch']],
    ['escalated', ['joint_meeting'], ['decide_dispatch', 'decide_close']],
    ['escalated', ['owner'], ['merge', 'reject']],
    ['closed', [...ISSUE_RELATIONS], []],
    ['dispatched', [], []],
  ])('%s for %j → %j', (status, relations, expected) => {
    expect([...allowedActions(status, relations)].sort()).toEqual([...expected].sort());
  });

  it.each(ISSUE_STATUSES.flatMap((status) => ISSUE_RELATIONS.map((relation) => ({ status, relation }))))(
    'from $status, $relation may fire exactly what the literal table says',
    ({ status, relation }) => {
      const expected = ISSUE_ACTIONS.filter(
        (a) => EXPECTED[a].from.includes(status) && EXPECTED[a].by.includes(relation),
      ).sort();
      expect([...allowedActions(status, [relation])].sort()).toEqual(expected);
    },
  );

  it('every action it offers is accepted by applyTransition (with the requirements met)', () => {
    for (const status of ISSUE_STATUSES) {
      for (const relation of ISSUE_RELATIONS) {
        for (const action of allowedActions(status, [relation])) {
          expect(applyTransition(status, action, [relation], FULL_CONTEXT)).toBe(EXPECTED[action].to);
        }
      }
    }
  });
});
