import {
  ACTIVE_TASK_STATUSES,
  applyTaskTransition,
  applyTransition,
  Conflict,
  type IssueStatus,
  isActiveTask,
  NotFound,
  relationsTo,
  type TaskAction,
  type TaskActor,
  type TaskStatus,
  taskRoleFor,
  Unauthorized,
  workingStatusOf,
} from '@gongzhi/domain';
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { issuesTable, tasksTable } from '../../db/schema';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { actorKeyOf, calendarOf, type ServiceContext } from '../context';
import { appendEvent } from '../issues/append-event';
import { loadReadableIssue } from '../issues/load-readable-issue';
import { photoOwnedBy } from '../issues/persist-issue';
import { accessFacts } from '../issues/to-view';
import { kpiFacts } from '../issues/transition-issue';
import { notify } from '../notifications/notify';
import { attachPhotos } from '../photos/attach-photos';
import { toTaskView } from './list-tasks';
import { issueFacts, openTasks } from './open-tasks';

export type TaskActionInput =
  | { action: 'accept' | 'start' }
  | { action: 'return'; reason: string }
  | { action: 'resolve'; note: string; photoIds: string[] }
  | { action: 'reassign'; assignee: string; note: string };

const WORKING = ['dispatched', 'accepted', 'in_progress'] as const;

/** Cancel every other task still in hand (the issue was resolved, escalated, merged or rejected). */
export async function cancelActiveTasks(tx: Tx, issueId: string, now: Date, exceptId?: string) {
  const active = await tx
    .select({ id: tasksTable.id, status: tasksTable.status })
    .from(tasksTable)
    .where(and(eq(tasksTable.issueId, issueId), inArray(tasksTable.status, [...ACTIVE_TASK_STATUSES])));
  const ids = active.filter((t) => t.id !== exceptId).map((t) => t.id);
  if (ids.length) {
    await tx
      .update(tasksTable)
      .set({ status: 'cancelled', endedAt: now, nextEscalationAt: null })
      .where(inArray(tasksTable.id, ids));
  }
}

/**
 * One step on a task by its assignee (accept, return, start, resolve) or by whoever manages the
 * work (reassign). The issue row and the task row are locked; the task's state machine decides;
 * the issue's working state follows its active tasks; one event records it; notifications are
 * queued in the same transaction.
 */
export async function actOnTask(ctx: ServiceContext, taskId: string, input: TaskActionInput) {
  const principal = ctx.principal;
  if (!principal) throw Unauthorized('token_missing', '请先登录');
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [ref] = await tx
      .select({ issueId: tasksTable.issueId })
      .from(tasksTable)
      .where(eq(tasksTable.id, taskId));
    if (!ref) throw NotFound('task_not_found', '任务不存在或您无权查看');
    const found = await loadReadableIssue(ctx, tx, ref.issueId, { lock: true }).catch((err) => {
      throw err?.code === 'issue_not_found' ? NotFound('task_not_found', '任务不存在或您无权查看') : err;
    });
    const { issue, community, actor } = found;
    await assertQuarterOpen(tx, issue.communityId, issue.createdAt);
    const [task] = await tx.select().from(tasksTable).where(eq(tasksTable.id, taskId)).for('update');
    const relations = relationsTo(actor, accessFacts(issue));
    const actors: TaskActor[] = [];
    if (actor.roles && actor.roles.person === task!.assignee) actors.push('assignee');
    if (relations.some((r) => r === 'owner' || r === 'property_manager' || r === 'admin'))
      actors.push('manager');

    const photoIds = input.action === 'resolve' ? input.photoIds : [];
    const note = 'note' in input ? input.note : undefined;
    const reason = 'reason' in input ? input.reason : undefined;
    /** What the person said with this step: a return reason, a resolve or reassign note. */
    const said = reason ?? note;
    const to = applyTaskTransition(task!.status, input.action as TaskAction, actors, {
      note,
      reason,
      photoCount: new Set(photoIds).size,
      role: task!.role,
    });
    if (!(WORKING as readonly string[]).includes(issue.status)) {
      throw Conflict('issue_not_in_work', `问题当前状态为“${issue.status}”，任务不能再操作`, [
        { path: 'action', message: `state=${issue.status}`, state: issue.status },
      ]);
    }
    const newRole = input.action === 'reassign' ? taskRoleFor(community, issue, input.assignee) : null;

    await tx
      .update(tasksTable)
      .set({
        status: to,
        note: said ?? task!.note,
        ...(to === 'accepted'
          ? { acceptedAt: now, nextEscalationAt: task!.resolveDueAt, overdueStage: 0 }
          : {}),
        ...(to === 'in_progress' ? { startedAt: now } : {}),
        ...(to === 'done' ? { resolvedAt: now } : {}),
        ...(isActiveTask(to) ? {} : { endedAt: now, nextEscalationAt: null }),
      })
      .where(eq(tasksTable.id, taskId));
    if (to === 'done') await cancelActiveTasks(tx, issue.id, now, taskId);

    // The issue follows: resolved, or the working state of what is still in hand.
    const active = await tx
      .select({ assignee: tasksTable.assignee, status: tasksTable.status })
      .from(tasksTable)
      .where(and(eq(tasksTable.issueId, issue.id), inArray(tasksTable.status, [...ACTIVE_TASK_STATUSES])));
    const extra: TaskStatus[] = newRole ? ['open'] : [];
    let next: IssueStatus =
      to === 'done' ? 'resolved' : workingStatusOf([...active.map((t) => t.status), ...extra]);
    if (next !== issue.status) {
      const issueAction = input.action === 'reassign' ? 'reassign' : input.action;
      next = applyTransition(issue.status, issueAction, relations, {
        note,
        reason,
      });
    }
    const assignees = [
      ...new Set([
        ...active.map((t) => t.assignee),
        ...(newRole && input.action === 'reassign' ? [input.assignee] : []),
      ]),
    ];
    await tx
      .update(issuesTable)
      .set({
        status: next,
        assignees,
        updatedAt: now,
        ...(next === 'resolved' ? { resolvedAt: now } : {}),
        ...kpiFacts(input.action, next, now),
      })
      .where(eq(issuesTable.id, issue.id));
    const eventId = await appendEvent(tx, {
      issueId: issue.id,
      action: input.action,
      fromStatus: issue.status,
      toStatus: next,
      actorAccountId: principal.accountId,
      actor: actorKeyOf(principal),
      note: said ?? null,
      data: {
        taskId,
        assignee: task!.assignee,
        ...(input.action === 'reassign' ? { to: input.assignee } : {}),
        ...(photoIds.length ? { photoIds } : {}),
      },
      at: now,
    });
    if (photoIds.length) {
      await attachPhotos(tx, {
        issueId: issue.id,
        communityId: issue.communityId,
        photoIds,
        owner: photoOwnedBy(principal.accountId, []),
        eventId,
        path: 'photoIds',
      });
    }
    const facts = issueFacts(community, issue);
    const by = community.people.get(task!.assignee)?.name ?? task!.assignee;
    const key = `ev:${eventId}`;
    const toOwner = {
      communityId: issue.communityId,
      persons: [issue.owner],
      exceptAccountId: principal.accountId,
    };
    if (input.action === 'accept')
      await notify(tx, now, key, toOwner, { kind: 'task_accepted', issue: facts, by }, { issueId: issue.id });
    if (input.action === 'return') {
      await notify(
        tx,
        now,
        key,
        toOwner,
        { kind: 'task_returned', issue: facts, by, reason: input.reason },
        { issueId: issue.id },
      );
    }
    if (input.action === 'resolve') {
      await notify(
        tx,
        now,
        key,
        toOwner,
        { kind: 'issue_resolved', issue: facts, by, forReporter: false },
        { issueId: issue.id },
      );
      await notify(
        tx,
        now,
        `${key}:reporter`,
        {
          communityId: issue.communityId,
          accountIds: [issue.reporterAccountId],
          exceptAccountId: principal.accountId,
        },
        { kind: 'issue_resolved', issue: facts, by, forReporter: true },
        { issueId: issue.id },
      );
    }
    if (input.action === 'reassign' && newRole) {
      await openTasks(tx, {
        community,
        calendar: calendarOf(ctx, community),
        issue,
        tasks: [{ assignee: input.assignee, role: newRole }],
        note: input.note,
        now,
        sourceKey: key,
      });
    }
    const [after] = await tx.select().from(tasksTable).where(eq(tasksTable.id, taskId));
    return toTaskView(community, after!, { ...issue, status: next }, now);
  });
}
