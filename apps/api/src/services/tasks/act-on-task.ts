import {
  applyTaskTransition,
  Conflict,
  type IssueStatus,
  isActiveTask,
  NotFound,
  relationsTo,
  type TaskAction,
  type TaskStatus,
  taskActorsOf,
  taskRoleFor,
  workingStatusOf,
} from '@gongzhi/domain';
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { preparedIn, updateByIdReturning } from '../../db/prepared';
import { tasksTable } from '../../db/schema';
import { together } from '../../db/together';
import { assertQuarterOpen, quarterLockTaken } from '../archive/quarter-lock';
import { actorKeyOf, callerOf, type ServiceContext } from '../context';
import { loadReadableIssue } from '../issues/load-readable-issue';
import { photoOwnedBy } from '../issues/persist-issue';
import { accessFacts } from '../issues/to-view';
import { activeTasksOf, writeIssue } from '../issues/write-issue';
import { procedureAllowsOf } from '../meetings/fund-use-state';
import { notify } from '../notifications/notify';
import { attachPhotos } from '../photos/attach-photos';
import { toTaskView } from './list-tasks';
import { issueFacts } from './open-tasks';

export type TaskActionInput =
  | { action: 'accept' | 'start' }
  | { action: 'return'; reason: string }
  | { action: 'resolve'; note: string; photoIds: string[] }
  | { action: 'reassign'; assignee: string; note: string };

const WORKING = ['dispatched', 'accepted', 'in_progress'] as const;

/** The statements of a step, built once (db/prepared.ts) and run in the step's transaction. */
const taskIssueOf = (tx: Tx) =>
  preparedIn(tx, 'task_issue_of', () =>
    tx
      .select({ issueId: tasksTable.issueId, communityId: tasksTable.communityId })
      .from(tasksTable)
      .where(eq(tasksTable.id, sql.placeholder('id')))
      .prepare('task_issue_of'),
  );
const taskForUpdate = (tx: Tx) =>
  preparedIn(tx, 'task_for_update', () =>
    tx
      .select()
      .from(tasksTable)
      .where(eq(tasksTable.id, sql.placeholder('id')))
      .for('update')
      .prepare('task_for_update'),
  );

/**
 * One step on a task by its assignee (accept, return, start, resolve) or by whoever manages the
 * work (reassign). The issue row and the task row are locked; the task's state machine decides;
 * the issue's working state follows its active tasks; one event records it; notifications are
 * queued in the same transaction.
 */
export async function actOnTask(ctx: ServiceContext, taskId: string, input: TaskActionInput) {
  const principal = callerOf(ctx);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [ref] = await taskIssueOf(tx).execute({ id: taskId });
    if (!ref) throw NotFound('task_not_found', '任务不存在或您无权查看');
    // The issue locked, the quarter lock of its community (a task's is its issue's), the task
    // locked: sent together, in this order (db/together.ts); the checks follow on what they read.
    // The quarter lock and the task's lock are taken even when the first refuses (the issue not
    // found or not readable by this caller): that refusal is thrown here, the transaction rolls
    // back and both locks end with it, before anything of the task is read out or written.
    const [found, , [task]] = await together(
      loadReadableIssue(ctx, tx, ref.issueId, { lock: true }).catch((err) => {
        throw err?.code === 'issue_not_found' ? NotFound('task_not_found', '任务不存在或您无权查看') : err;
      }),
      quarterLockTaken(tx, ref.communityId),
      taskForUpdate(tx).execute({ id: taskId }),
    );
    const { issue, community, actor } = found;
    await assertQuarterOpen(tx, issue.communityId, issue.createdAt);
    const relations = relationsTo(actor, accessFacts(issue));
    const actors = taskActorsOf(actor.roles?.person ?? null, relations, task!.assignee);

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

    // The task's update, then the tasks in hand as it leaves them: sent together.
    const [[after], active] = await together(
      updateByIdReturning(tx, tasksTable, 'task_step', taskId, {
        status: to,
        note: said ?? task!.note,
        ...(to === 'accepted'
          ? { acceptedAt: now, nextEscalationAt: task!.resolveDueAt, overdueStage: 0 }
          : {}),
        ...(to === 'in_progress' ? { startedAt: now } : {}),
        ...(to === 'done' ? { resolvedAt: now } : {}),
        ...(isActiveTask(to) ? {} : { endedAt: now, nextEscalationAt: null }),
      }),
      activeTasksOf(tx, issue.id),
    );

    // The issue follows: resolved, or the working state of what is still in hand.
    const extra: TaskStatus[] = newRole ? ['open'] : [];
    const follows: IssueStatus =
      to === 'done' ? 'resolved' : workingStatusOf([...active.map((t) => t.status), ...extra]);
    const { eventId, to: next } = await writeIssue(
      ctx,
      tx,
      { issue, community, relations, actorAccountId: principal.accountId, actor: actorKeyOf(principal) },
      {
        action: input.action,
        stays: follows === issue.status,
        inHand: active,
        note,
        reason,
        eventNote: said ?? null,
        data: {
          taskId,
          assignee: task!.assignee,
          ...(input.action === 'reassign' ? { to: input.assignee } : {}),
          ...(photoIds.length ? { photoIds } : {}),
        },
        ...(input.action === 'reassign' && newRole
          ? {
              dispatch: async () => ({
                tasks: [{ assignee: input.assignee, role: newRole }],
                note: input.note,
              }),
            }
          : {}),
      },
    );
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
    // The task as updated above: nothing after it in this transaction writes the task row.
    return toTaskView(
      community,
      after!,
      { ...issue, status: next },
      actor,
      now,
      await procedureAllowsOf(tx, issue, community, now),
    );
  });
}
