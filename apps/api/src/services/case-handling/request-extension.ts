import { type ExtensionInput, endOfLocalDay, isActiveTask } from '@gongzhi/domain';
import { issueRequestsTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { writeIssue } from '../issues/write-issue';
import { notify } from '../notifications/notify';
import { issueFacts, localTime } from '../tasks/open-tasks';
import { runCaseStep } from './case-step';

/**
 * 延期: the assignee asks, before their task's resolve deadline, for a later one (the end of the day
 * asked for) with a reason. The owner is told and decides (decide-extension.ts). Returns the issue id.
 */
export async function requestExtension(ctx: ServiceContext, id: string, input: ExtensionInput) {
  return runCaseStep(
    ctx,
    id,
    'request_extension',
    (c) => ({ reason: input.reason, newDueAt: endOfLocalDay(input.newDueDate, c.config.timezone) }),
    async ({ tx, target, community, person, tasks, facts, now }) => {
      const { issue } = target;
      const task = tasks.find((t) => t.assignee === person && isActiveTask(t.status))!;
      const newDueAt = endOfLocalDay(input.newDueDate, community.config.timezone);
      await tx.insert(issueRequestsTable).values({
        issueId: issue.id,
        kind: 'extension',
        status: 'pending',
        taskId: task.id,
        requestedBy: person!,
        reason: input.reason,
        currentDueAt: facts.ownTaskDueAt,
        newDueAt,
        createdAt: now,
      });
      const { eventId } = await writeIssue(ctx, tx, target, {
        action: 'request_extension',
        stays: true,
        eventNote: input.reason,
        data: {
          taskId: task.id,
          newDueAt: newDueAt.toISOString(),
          currentDueAt: facts.ownTaskDueAt?.toISOString(),
        },
      });
      await notify(
        tx,
        now,
        `ev:${eventId}`,
        { communityId: issue.communityId, persons: [issue.owner], exceptAccountId: target.actorAccountId },
        {
          kind: 'extension_requested',
          issue: issueFacts(community, issue),
          by: community.people.get(person!)?.name ?? person!,
          reason: input.reason,
          newDue: localTime(newDueAt, community.config.timezone),
        },
        { issueId: issue.id },
      );
    },
  );
}
