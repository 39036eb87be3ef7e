import { z } from 'zod';
import { propertyStaffOf } from '../community/lookup';
import type { Community } from '../community/validate';
import { Conflict, Forbidden, Invalid } from '../errors';
import type { IssueRelation } from '../issues/lifecycle';
import { mediatorsOf } from '../issues/mediation';
import type { IssueStatus } from '../issues/schema';
import type { TaskRole } from '../routing/decide-route';

/**
 * A task is one person's share of the work on an issue (docs/domain.md §6). Routing creates them; the
 * assignee accepts or returns, starts, resolves; the owner or the property manager reassigns.
 */
export const TASK_STATUSES = ['open', 'accepted', 'in_progress', 'done', 'returned', 'cancelled'] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const TASK_STATUS_NAMES: Record<TaskStatus, string> = {
  open: '待接单',
  accepted: '已接单',
  in_progress: '处理中',
  done: '已办结',
  returned: '已退回',
  cancelled: '已撤销',
};

/** Tasks still in someone's hands. */
export const ACTIVE_TASK_STATUSES = [
  'open',
  'accepted',
  'in_progress',
] as const satisfies readonly TaskStatus[];
export const isActiveTask = (s: TaskStatus) => (ACTIVE_TASK_STATUSES as readonly TaskStatus[]).includes(s);

export const TASK_ACTIONS = ['accept', 'return', 'start', 'resolve', 'reassign', 'cancel'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

export const TASK_ACTION_NAMES: Record<TaskAction, string> = {
  accept: '接单',
  return: '退单',
  start: '开始处理',
  resolve: '办结',
  reassign: '改派',
  cancel: '撤销',
};

/** Who may fire a task action: the task's own assignee, a manager of the work, or the system. */
export type TaskActor = 'assignee' | 'manager' | 'system';

interface TaskTransition {
  action: TaskAction;
  from: readonly TaskStatus[];
  to: TaskStatus;
  by: readonly TaskActor[];
}

export const TASK_TRANSITIONS: readonly TaskTransition[] = [
  { action: 'accept', from: ['open'], to: 'accepted', by: ['assignee'] },
  { action: 'return', from: ['open', 'accepted'], to: 'returned', by: ['assignee'] },
  { action: 'start', from: ['accepted'], to: 'in_progress', by: ['assignee'] },
  { action: 'resolve', from: ['accepted', 'in_progress'], to: 'done', by: ['assignee'] },
  { action: 'reassign', from: ACTIVE_TASK_STATUSES, to: 'cancelled', by: ['manager'] },
  { action: 'cancel', from: ACTIVE_TASK_STATUSES, to: 'cancelled', by: ['system', 'manager'] },
];

/** The issue states in which its tasks may still be worked on. */
export const TASK_WORKING_ISSUE_STATUSES = [
  'dispatched',
  'accepted',
  'in_progress',
] as const satisfies readonly IssueStatus[];

/**
 * Who the caller is to a task: its assignee (the task's person), a manager of the work (the issue's
 * owner, the property manager, an administrator — from the caller's relations to the issue).
 */
export function taskActorsOf(
  person: string | null,
  relations: readonly IssueRelation[],
  assignee: string,
): TaskActor[] {
  const actors: TaskActor[] = [];
  if (person !== null && person === assignee) actors.push('assignee');
  if (relations.some((r) => r === 'owner' || r === 'property_manager' || r === 'admin'))
    actors.push('manager');
  return actors;
}

/**
 * What a person may do to a task now (the task view's `allowedActions`): the transitions of
 * TASK_TRANSITIONS from its state that one of their task roles may fire, while the issue is still
 * in work. `cancel` is the system's (and follows from the issue); it is not a button.
 */
export function taskActions(
  status: TaskStatus,
  issueStatus: IssueStatus,
  actors: readonly TaskActor[],
): TaskAction[] {
  if (!(TASK_WORKING_ISSUE_STATUSES as readonly IssueStatus[]).includes(issueStatus)) return [];
  return TASK_TRANSITIONS.filter(
    (t) => t.action !== 'cancel' && t.from.includes(status) && t.by.some((a) => actors.includes(a)),
  ).map((t) => t.action);
}

/** Roles whose work is property work: resolving it needs an after-photo (docs/domain.md §6). */
export const PROPERTY_TASK_ROLES: readonly TaskRole[] = ['property_manager', 'property_specialist'];

export interface TaskTransitionContext {
  note?: string;
  reason?: string;
  photoCount?: number;
  role?: TaskRole;
}

/**
 * Check one task transition. Refuses, in this order: someone with no standing (403 — e.g. accepting
 * a task assigned to someone else), an action the task's state does not allow (409 listing what is
 * allowed), a missing reason, note or after-photo (400). Returns the task's new state.
 */
export function applyTaskTransition(
  status: TaskStatus,
  action: TaskAction,
  actors: readonly TaskActor[],
  ctx: TaskTransitionContext = {},
): TaskStatus {
  const t = TASK_TRANSITIONS.find((x) => x.action === action)!;
  if (!t.by.some((a) => actors.includes(a))) {
    throw Forbidden(
      t.by.includes('assignee') ? 'not_task_assignee' : 'action_not_permitted',
      t.by.includes('assignee')
        ? `该任务不是派给您的，不能“${TASK_ACTION_NAMES[action]}”`
        : `您无权对该任务执行“${TASK_ACTION_NAMES[action]}”`,
    );
  }
  if (!t.from.includes(status)) {
    const allowed = TASK_TRANSITIONS.filter((x) => x.from.includes(status) && x.action !== 'cancel').map(
      (x) => x.action,
    );
    throw Conflict(
      'invalid_task_transition',
      `任务当前状态为“${TASK_STATUS_NAMES[status]}”，不能执行“${TASK_ACTION_NAMES[action]}”。` +
        (allowed.length
          ? `当前可执行：${allowed.map((a) => TASK_ACTION_NAMES[a]).join('、')}`
          : '该任务已结束。'),
      [{ path: 'action', message: `state=${status}`, state: status, allowed }],
    );
  }
  if (action === 'return' && !ctx.reason?.trim()) {
    throw Invalid('reason_required', '退单需要填写原因', [{ path: 'reason', message: '请填写退单原因' }]);
  }
  if (action === 'reassign' && !ctx.note?.trim()) {
    throw Invalid('note_required', '改派需要填写说明', [{ path: 'note', message: '请填写改派说明' }]);
  }
  if (action === 'resolve') {
    if (!ctx.note?.trim()) {
      throw Invalid('note_required', '办结需要填写处理说明', [{ path: 'note', message: '请填写处理说明' }]);
    }
    if (ctx.role && PROPERTY_TASK_ROLES.includes(ctx.role) && !ctx.photoCount) {
      throw Invalid('after_photo_required', '物业处置办结须上传至少一张处置后照片', [
        { path: 'photoIds', message: '请上传处置后照片' },
      ]);
    }
  }
  return t.to;
}

/**
 * The working state of an issue follows its active tasks: in progress when any task is, accepted
 * when any is accepted, otherwise dispatched (which, with no active task, means the issue is back
 * with its owner for re-dispatch).
 */
export function workingStatusOf(
  active: readonly TaskStatus[],
): Extract<IssueStatus, 'dispatched' | 'accepted' | 'in_progress'> {
  if (active.includes('in_progress')) return 'in_progress';
  if (active.includes('accepted')) return 'accepted';
  return 'dispatched';
}

/**
 * Dispatching again to the person who just returned the task is allowed only with a note that says
 * what changed (docs/domain.md §6: "to someone else, or the same person with a note").
 */
export function checkRedispatch(
  assignee: string,
  lastReturnedBy: readonly string[],
  note: string | undefined,
) {
  if (lastReturnedBy.includes(assignee) && !note?.trim()) {
    throw Invalid('note_required_same_assignee', '重新派给退单人时须填写说明（例如补充了什么条件）', [
      { path: 'note', message: '请填写说明' },
    ]);
  }
}

/**
 * The role a person takes when an owner dispatches an issue to them by hand: the property manager,
 * a property specialist of the issue's zone, the leader (or designated assignee) of the issue's
 * line, or the zone's leader. Anyone else cannot take a task: tasks are property or line work.
 */
export function taskRoleFor(
  community: Community,
  issue: { zone: string; line: string | null; category?: string },
  person: string,
): TaskRole {
  if (!community.people.has(person)) {
    throw Invalid('unknown_person', `人员 "${person}" 不存在`, [{ path: 'assignee', message: '未知人员' }]);
  }
  if (community.config.propertyManager === person) return 'property_manager';
  const zone = community.zones.get(issue.zone);
  if (zone && propertyStaffOf(zone).includes(person)) return 'property_specialist';
  const line = issue.line ? community.lines.get(issue.line) : undefined;
  if (line?.assignee === person) return 'line_assignee';
  if (line?.leader === person) return 'line_leader';
  if (zone?.leader.person === person) return 'zone_leader';
  if (zone && mediatorsOf(community, { ...issue, zone: zone.key }).includes(person)) return 'rc_mediator';
  throw Invalid(
    'assignee_not_eligible',
    '只能派给本区域的物业专员、物业经理、本条线负责人、本区域组长，或调解类问题的本区域居委会成员',
    [{ path: 'assignee', message: '该人员不能承接此任务' }],
  );
}
