import type { ExtensionDecisionInput } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { tasksTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { writeIssue } from '../issues/write-issue';
import { notify } from '../notifications/notify';
import { issueFacts, localTime } from '../tasks/open-tasks';
import { runCaseStep, settleRequest } from './case-step';

/**
 * The owner approves or refuses the pending extension. Approved: the task's resolve deadline (and
 * its overdue clock) and the issue's deadline move to the date asked for, and the issue counts one
 * more extension (KPIs). Either way the assignee is told. Returns the issue id.
 */
export async function decideExtension(ctx: ServiceContext, id: string, input: ExtensionDecisionInput) {
  const step = input.approve ? 'approve_extension' : 'refuse_extension';
  return runCaseStep(
    ctx,
    id,
    step,
    { note: input.note },
    async ({ tx, target, community, person, pending, now }) => {
      const { issue } = target;
      const request = pending.extension!;
      const newDueAt = request.newDueAt!;
      await settleRequest({ tx, target, person, now }, request.id, input.approve, input.note);
      if (input.approve) {
        const [task] = await tx.select().from(tasksTable).where(eq(tasksTable.id, request.taskId!));
        await tx
          .update(tasksTable)
          .set({
            resolveDueAt: newDueAt,
            // An accepted task's next overdue reminder is its resolve deadline.
            ...(task && task.status !== 'open' ? { nextEscalationAt: newDueAt, overdueStage: 0 } : {}),
          })
          .where(eq(tasksTable.id, request.taskId!));
      }
      const later = issue.resolveDueAt === null || newDueAt > issue.resolveDueAt;
      const { eventId } = await writeIssue(ctx, tx, target, {
        action: step,
        stays: true,
        eventNote: input.note ?? null,
        data: { requestId: request.id, taskId: request.taskId, newDueAt: newDueAt.toISOString() },
        ...(input.approve
          ? { count: 'extension' as const, ...(later ? { resolveDueAt: newDueAt } : {}) }
          : {}),
      });
      await notify(
        tx,
        now,
        `ev:${eventId}`,
        {
          communityId: issue.communityId,
          persons: [request.requestedBy],
          exceptAccountId: target.actorAccountId,
        },
        {
          kind: 'extension_decided',
          issue: issueFacts(community, issue),
          approved: input.approve,
          newDue: localTime(newDueAt, community.config.timezone),
          note: input.note ?? null,
        },
        { issueId: issue.id },
      );
    },
  );
}
