import {
  applyTaskTransition,
  checkRedispatch,
  TASK_ACTIONS,
  TASK_STATUSES,
  type TaskAction,
  type TaskActor,
  type TaskStatus,
  taskRoleFor,
  validateCommunityConfig,
  workingStatusOf,
} from '../../packages/domain/src';
import { domainErrorOf, expectValid, loadXiaduoyuan, shippedConfig } from './fixtures';

// Every (state, action) pair: the state it leads to, or null when the task's state refuses it.
const EXPECTED: Record<TaskStatus, Record<TaskAction, TaskStatus | null>> = {
  open: {
    accept: 'accepted',
    return: 'returned',
    start: null,
    resolve: null,
    reassign: 'cancelled',
    cancel: 'cancelled',
  },
  accepted: {
    accept: null,
    return: 'returned',
    start: 'in_progress',
    resolve: 'done',
    reassign: 'cancelled',
    cancel: 'cancelled',
  },
  in_progress: {
    accept: null,
    return: null,
    start: null,
    resolve: 'done',
    reassign: 'cancelled',
    cancel: 'cancelled',
  },
  done: { accept: null, return: null, start: null, resolve: null, reassign: null, cancel: null },
  returned: { accept: null, return: null, start: null, resolve: null, reassign: null, cancel: null },
  cancelled: { accept: null, return: null, start: null, resolve: null, reassign: null, cancel: null },
};

// The actor each action needs, and a context that satisfies its other checks.
const ACTOR: Record<TaskAction, TaskActor> = {
  accept: 'assignee',
  return: 'assignee',
  start: 'assignee',
  resolve: 'assignee',
  reassign: 'manager',
  cancel: 'system',
};
const FULL_CTX = {
  note: '已更换灯泡',
  reason: '不属于物业职责',
  photoCount: 1,
  role: 'property_specialist' as const,
};

describe('applyTaskTransition: every state × action', () => {
  const rows = TASK_STATUSES.flatMap((s) => TASK_ACTIONS.map((a) => [s, a, EXPECTED[s][a]] as const));
  it.each(rows)('%s + %s → %s', (status, action, to) => {
    if (to) {
      expect(applyTaskTransition(status, action, [ACTOR[action]], FULL_CTX)).toBe(to);
    } else {
      const err = domainErrorOf(() => applyTaskTransition(status, action, [ACTOR[action]], FULL_CTX));
      expect(err.code).toBe('invalid_task_transition');
      expect(err.kind).toBe('conflict');
      // The refusal lists exactly the actions this state allows (cancel is the system's, not offered).
      const allowed = TASK_ACTIONS.filter((a) => a !== 'cancel' && EXPECTED[status][a] !== null);
      expect(err.details?.[0]).toMatchObject({ path: 'action', state: status, allowed });
      expect(err.message).toContain(allowed.length ? '当前可执行' : '该任务已结束');
    }
  });
});

describe('applyTaskTransition: who may act, checked before the state', () => {
  it.each([
    ['accept', ['manager'], 'not_task_assignee'],
    ['return', ['system'], 'not_task_assignee'],
    ['start', [], 'not_task_assignee'],
    ['resolve', ['manager', 'system'], 'not_task_assignee'],
    ['reassign', ['assignee'], 'action_not_permitted'],
    ['cancel', ['assignee'], 'action_not_permitted'],
  ] as const)('%s by %j → 403 %s', (action, actors, code) => {
    // 'done' would refuse every action: the actor check must come first.
    const err = domainErrorOf(() => applyTaskTransition('done', action, actors, FULL_CTX));
    expect(err.kind).toBe('forbidden');
    expect(err.code).toBe(code);
  });

  it('a manager may also cancel', () => {
    expect(applyTaskTransition('accepted', 'cancel', ['manager'])).toBe('cancelled');
  });
});

describe('applyTaskTransition: what each step needs', () => {
  it.each([
    ['return without a reason', 'open', 'return', 'assignee', {}, 'reason_required', 'reason'],
    [
      'return with a blank reason',
      'accepted',
      'return',
      'assignee',
      { reason: '  ' },
      'reason_required',
      'reason',
    ],
    ['reassign without a note', 'open', 'reassign', 'manager', {}, 'note_required', 'note'],
    [
      'resolve without a note',
      'in_progress',
      'resolve',
      'assignee',
      { photoCount: 2 },
      'note_required',
      'note',
    ],
    [
      'property work resolved without an after-photo',
      'in_progress',
      'resolve',
      'assignee',
      { note: '已修好', role: 'property_specialist', photoCount: 0 },
      'after_photo_required',
      'photoIds',
    ],
    [
      "the property manager's work too",
      'accepted',
      'resolve',
      'assignee',
      { note: '已修好', role: 'property_manager' },
      'after_photo_required',
      'photoIds',
    ],
  ] as const)('%s → 400 %s at %s', (_name, status, action, actor, ctx, code, path) => {
    const err = domainErrorOf(() => applyTaskTransition(status, action, [actor], ctx));
    expect(err.kind).toBe('invalid');
    expect(err.code).toBe(code);
    expect(err.details?.[0]?.path).toBe(path);
  });

  it.each([
    ['a line leader', 'line_leader'],
    ['a zone leader', 'zone_leader'],
  ] as const)('%s resolves without a photo (not property work)', (_name, role) => {
    expect(applyTaskTransition('accepted', 'resolve', ['assignee'], { note: '已协调', role })).toBe('done');
  });
});

describe('workingStatusOf: the issue follows its active tasks', () => {
  it.each([
    [[], 'dispatched'],
    [['open'], 'dispatched'],
    [['open', 'accepted'], 'accepted'],
    [['accepted', 'in_progress', 'open'], 'in_progress'],
    [['in_progress'], 'in_progress'],
  ] as const)('%j → %s', (active, status) => {
    expect(workingStatusOf(active)).toBe(status);
  });
});

describe('checkRedispatch: the same person again only with a note', () => {
  it.each([
    ['someone else, no note', 'shen-xuli', ['zhang-lifen'], undefined, null],
    ['the one who returned it, with a note', 'zhang-lifen', ['zhang-lifen'], '已联系业主，可以入户', null],
    [
      'the one who returned it, no note',
      'zhang-lifen',
      ['zhang-lifen'],
      undefined,
      'note_required_same_assignee',
    ],
    [
      'the one who returned it, blank note',
      'zhang-lifen',
      ['zhang-lifen'],
      ' ',
      'note_required_same_assignee',
    ],
  ] as const)('%s', (_name, assignee, returnedBy, note, code) => {
    if (code) expect(domainErrorOf(() => checkRedispatch(assignee, returnedBy, note)).code).toBe(code);
    else expect(() => checkRedispatch(assignee, returnedBy, note)).not.toThrow();
  });
});

describe('taskRoleFor: who can take a task by hand', () => {
  const community = loadXiaduoyuan();
  it.each([
    ['the zone-1 property specialist', { zone: 'zone-1', line: null }, 'zhang-lifen', 'property_specialist'],
    [
      'the elevator line leader on an elevator issue',
      { zone: 'zone-1', line: 'elevator' },
      'zhou-jianping',
      'line_leader',
    ],
    ['the zone-1 leader', { zone: 'zone-1', line: null }, 'wu-wenjie', 'zone_leader'],
  ] as const)('%s', (_name, issue, person, role) => {
    expect(taskRoleFor(community, issue, person)).toBe(role);
  });

  it.each([
    ['an unknown person', { zone: 'zone-1', line: null }, 'nobody', 'unknown_person'],
    [
      "another zone's property specialist",
      { zone: 'zone-1', line: null },
      'shen-xuli',
      'assignee_not_eligible',
    ],
    ['a residents-committee member', { zone: 'zone-1', line: null }, 'zhang-nen', 'assignee_not_eligible'],
    [
      'a line leader on an issue of no line',
      { zone: 'zone-1', line: null },
      'zhou-jianping',
      'assignee_not_eligible',
    ],
  ] as const)('%s is refused', (_name, issue, person, code) => {
    const err = domainErrorOf(() => taskRoleFor(community, issue, person));
    expect(err.code).toBe(code);
    expect(err.details?.[0]?.path).toBe('assignee');
  });

  it('the property manager and a line assignee when the config names them', () => {
    const raw = shippedConfig();
    raw.propertyManager = 'cao-zulu';
    raw.lines = raw.lines.map((l) => (l.key === 'pump' ? { ...l, assignee: 'guo-honghui' } : l));
    const c = expectValid(validateCommunityConfig(raw));
    expect(taskRoleFor(c, { zone: 'zone-1', line: null }, 'cao-zulu')).toBe('property_manager');
    expect(taskRoleFor(c, { zone: 'zone-1', line: 'pump' }, 'guo-honghui')).toBe('line_assignee');
    expect(taskRoleFor(c, { zone: 'zone-1', line: 'pump' }, 'he-xianyang')).toBe('line_leader');
  });
});
