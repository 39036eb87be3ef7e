import type { ExtensionDecisionInput } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { tasksTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { writeIssue } from '../issues/write-issue';
import { issueFacts, localTime } from '../tasks/open-tasks';
import { decideRequest } from './case-step';

/**
 * The owner approves or refuses the pending extension. Approved: the task's resolve deadline (and
 * its overdue clock) and the issue's deadline move to the date asked for, and the issue counts one
 * more extension (KPIs). Either way the assignee is told. Returns the issue id.
 */
export async function decideExtension(ctx: ServiceContext, id: string, input: ExtensionDecisionInput) {
  const step = input.approve ? 'approve_extension' : 'refuse_extension';
  return decideRequest(ctx, id, 'extension', step, input, async ({ tx, target, community, request }) => {
    const { issue } = target;
    const newDueAt = request.newDueAt!;
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
      ...(input.approve ? { count: 'extension' as const, ...(later ? { resolveDueAt: newDueAt } : {}) } : {}),
    });
    return {
      eventId,
      message: {
        kind: 'extension_decided',
        issue: issueFacts(community, issue),
        approved: input.approve,
        newDue: localTime(newDueAt, community.config.timezone),
        note: input.note ?? null,
      },
    };
  });
}
