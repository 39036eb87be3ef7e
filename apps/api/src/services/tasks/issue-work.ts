import {
  Conflict,
  checkRedispatch,
  Forbidden,
  Invalid,
  isActiveTask,
  relationsTo,
  taskRoleFor,
} from '@gongzhi/domain';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { issueRequestsTable, reportBacksTable, tasksTable } from '../../db/schema';
import { actorKeyOf, type ServiceContext } from '../context';
import { appendEvent } from '../issues/append-event';
import { loadReadableIssue } from '../issues/load-readable-issue';
import { accessFacts } from '../issues/to-view';
import {
  type AfterTransition,
  type IssueRef,
  type TransitionRequest,
  transitionIssue,
} from '../issues/transition-issue';
import { SYSTEM_ACTOR, writeIssue } from '../issues/write-issue';
import { assertFundWorkMayStartFor } from '../meetings/fund-use-state';
import { notify } from '../notifications/notify';
import { issueFacts } from './open-tasks';

/**
 * The owner (or the property manager, or an admin) dispatches an issue by hand: after a task came
 * back, after the fix was rejected, or to add a hand. Dispatching to the person who returned it
 * needs a note saying what changed.
 */
export async function dispatchIssue(
  ctx: ServiceContext,
  id: string,
  input: { assignee: string; note?: string | undefined },
) {
  return transitionIssue(ctx, id, redispatchRequest(ctx, input));
}

/**
 * The owner's dispatch as a transition request, for dispatchIssue and for a zone meeting that
 * dispatches its plan in its own transaction. Work paid from the maintenance fund is refused until
 * its procedure is complete (409 fund_use_not_ready naming what is missing).
 */
export function redispatchRequest(
  ctx: ServiceContext,
  input: { assignee: string; note?: string | undefined; data?: Record<string, unknown> },
): TransitionRequest {
  return {
    action: 'redispatch',
    note: input.note,
    data: { to: input.assignee, ...input.data },
    dispatch: async ({ tx, issue, community }) => {
      await assertFundWorkMayStartFor(tx, issue, community, ctx.now());
      const role = taskRoleFor(community, issue, input.assignee);
      // Newest first (seq orders tasks opened in the same instant too).
      const tasks = await tx
        .select({ assignee: tasksTable.assignee, status: tasksTable.status })
        .from(tasksTable)
        .where(eq(tasksTable.issueId, issue.id))
        .orderBy(desc(tasksTable.seq));
      if (tasks.some((t) => isActiveTask(t.status) && t.assignee === input.assignee)) {
        throw Conflict('already_assigned', '该人员已有此问题的在办任务', [
          { path: 'assignee', message: '已派给此人' },
        ]);
      }
      const lastOf = new Map<string, string>();
      for (const t of tasks) if (!lastOf.has(t.assignee)) lastOf.set(t.assignee, t.status);
      checkRedispatch(
        input.assignee,
        [...lastOf].filter(([, s]) => s === 'returned').map(([p]) => p),
        input.note,
      );
      return { tasks: [{ assignee: input.assignee, role }], note: input.note ?? null };
    },
  };
}

/** The reporter (signed in, or by tracking secret) or a zone inspector confirms the fix: closed. */
export async function verifyIssue(ctx: ServiceContext, ref: IssueRef, note?: string) {
  return transitionIssue(ctx, ref, verifyRequest(ctx, note));
}

/** The verify step (the fix confirmed → closed; the resolvers and the owner are told). */
export function verifyRequest(ctx: ServiceContext, note?: string): TransitionRequest {
  return {
    action: 'verify',
    note,
    after: async ({ tx, issue, community, eventId }) => {
      const done = await tx
        .select({ assignee: tasksTable.assignee })
        .from(tasksTable)
        .where(and(eq(tasksTable.issueId, issue.id), eq(tasksTable.status, 'done')));
      await notify(
        tx,
        ctx.now(),
        `ev:${eventId}`,
        {
          communityId: issue.communityId,
          persons: [issue.owner, ...done.map((d) => d.assignee)],
          exceptAccountId: ctx.principal?.accountId,
        },
        { kind: 'issue_closed', issue: issueFacts(community, issue), auto: false },
        { issueId: issue.id },
      );
    },
  };
}

/**
 * "Not fixed" (reason required): the issue reopens, and the system dispatches it again at once to
 * whoever resolved it last, with the reason as the note (docs/domain.md §6: reopened → dispatched).
 */
export async function rejectFix(ctx: ServiceContext, ref: IssueRef, reason: string) {
  return transitionIssue(ctx, ref, rejectFixRequest(ctx, reason));
}

export function rejectFixRequest(ctx: ServiceContext, reason: string): TransitionRequest {
  return { action: 'reject_fix', reason, after: (a) => redispatchToResolvers(ctx, a, reason) };
}

/** The deadline of the newest approved extension (延期) on an issue, or null. */
async function approvedExtensionOf(tx: Tx, issueId: string): Promise<Date | null> {
  const [row] = await tx
    .select({ newDueAt: issueRequestsTable.newDueAt })
    .from(issueRequestsTable)
    .where(
      and(
        eq(issueRequestsTable.issueId, issueId),
        eq(issueRequestsTable.kind, 'extension'),
        eq(issueRequestsTable.status, 'approved'),
      ),
    )
    .orderBy(desc(issueRequestsTable.decidedAt))
    .limit(1);
  return row?.newDueAt ?? null;
}

export async function redispatchToResolvers(ctx: ServiceContext, a: AfterTransition, reason: string) {
  const { tx, issue, community } = a;
  const now = ctx.now();
  const [last] = await tx
    .select()
    .from(tasksTable)
    .where(and(eq(tasksTable.issueId, issue.id), eq(tasksTable.status, 'done')))
    .orderBy(desc(tasksTable.resolvedAt))
    .limit(1);
  const facts = issueFacts(community, issue);
  await notify(
    tx,
    now,
    `ev:${a.eventId}`,
    { communityId: issue.communityId, persons: [issue.owner], exceptAccountId: ctx.principal?.accountId },
    { kind: 'fix_rejected', issue: facts, reason },
    { issueId: issue.id },
  );
  // Nobody resolved it through a task (closed by a joint-meeting decision, say): it stays reopened for the owner.
  if (!last) return;
  await writeIssue(
    ctx,
    tx,
    { issue, community, ...SYSTEM_ACTOR },
    {
      action: 'redispatch',
      eventNote: `未解决，重新派给${community.people.get(last.assignee)?.name ?? last.assignee}：${reason}`,
      data: { to: last.assignee },
      dispatch: async () => ({
        tasks: [{ assignee: last.assignee, role: last.role }],
        note: reason,
        resolveNotBefore: await approvedExtensionOf(tx, issue.id),
      }),
    },
  );
}

/**
 * The property company reports an emergency back to the zone leader or the line leader. Only those
 * handling it (an assignee, the property manager, an admin) may; each report-back is recorded once.
 */
export async function recordReportBack(ctx: ServiceContext, id: string, input: { to: string; note: string }) {
  const principal = ctx.principal!;
  await transitionlessStep(ctx, id, async ({ tx, issue, community, relations }) => {
    if (!relations.some((r) => r === 'assignee' || r === 'property_manager' || r === 'admin')) {
      throw Forbidden('action_not_permitted', '只有处置该问题的物业人员可以报备');
    }
    const now = ctx.now();
    const [row] = await tx
      .update(reportBacksTable)
      .set({ doneAt: now, doneBy: actorKeyOf(principal), note: input.note })
      .where(
        and(
          eq(reportBacksTable.issueId, issue.id),
          eq(reportBacksTable.toPerson, input.to),
          isNull(reportBacksTable.doneAt),
        ),
      )
      .returning();
    if (!row) {
      const [exists] = await tx
        .select({ id: reportBacksTable.id })
        .from(reportBacksTable)
        .where(and(eq(reportBacksTable.issueId, issue.id), eq(reportBacksTable.toPerson, input.to)));
      if (exists) throw Conflict('report_back_done', '已向该负责人报备过');
      throw Invalid('report_back_not_required', '该问题不需要向此人报备', [
        { path: 'to', message: '无需报备' },
      ]);
    }
    const eventId = await appendEvent(tx, {
      issueId: issue.id,
      action: 'report_back',
      fromStatus: issue.status,
      toStatus: issue.status,
      actorAccountId: principal.accountId,
      actor: actorKeyOf(principal),
      note: input.note,
      data: { to: input.to, late: now > row.dueAt },
      at: now,
    });
    await notify(
      tx,
      now,
      `ev:${eventId}`,
      { communityId: issue.communityId, persons: [input.to] },
      {
        kind: 'report_back',
        issue: issueFacts(community, issue),
        by: principal.displayName,
        note: input.note,
      },
      { issueId: issue.id },
    );
  });
}

/** Lock a readable issue and run a step that records an event without changing its state. */
async function transitionlessStep(
  ctx: ServiceContext,
  id: string,
  step: (a: Omit<AfterTransition, 'eventId'>) => Promise<void>,
) {
  await ctx.db.transaction(async (tx) => {
    const found = await loadReadableIssue(ctx, tx, id, { lock: true });
    await step({
      tx,
      issue: found.issue,
      community: found.community,
      relations: relationsTo(found.actor, accessFacts(found.issue)),
    });
  });
}
