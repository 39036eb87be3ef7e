import type { DisputeInput } from '@gongzhi/domain';
import { arbiterOf } from '@gongzhi/domain';
import { issueRequestsTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { writeIssue } from '../issues/write-issue';
import { notify } from '../notifications/notify';
import { issueFacts } from '../tasks/open-tasks';
import { runCaseStep } from './case-step';

/**
 * 退单争议: the owner disagrees with the return that left the issue without a hand and sends it to
 * the arbiter — the zone's leader for a zone issue, the secretary otherwise — who is told.
 */
export async function disputeReturn(ctx: ServiceContext, id: string, input: DisputeInput) {
  return runCaseStep(
    ctx,
    id,
    'dispute_return',
    input,
    async ({ tx, target, community, person, tasks, now }) => {
      const { issue } = target;
      const returned = tasks.at(-1)!;
      await tx.insert(issueRequestsTable).values({
        issueId: issue.id,
        kind: 'dispute',
        status: 'pending',
        taskId: returned.id,
        requestedBy: person ?? target.actor,
        reason: input.reason,
        createdAt: now,
      });
      const { eventId } = await writeIssue(ctx, tx, target, {
        action: 'dispute_return',
        stays: true,
        eventNote: input.reason,
        data: { taskId: returned.id, assignee: returned.assignee },
      });
      const zone = community.config.zones.find((z) => z.key === issue.zone);
      const arbiter =
        arbiterOf(issue.tier) === 'zone_leader' ? zone?.leader.person : community.config.secretary;
      await notify(
        tx,
        now,
        `ev:${eventId}`,
        { communityId: issue.communityId, persons: [arbiter], exceptAccountId: target.actorAccountId },
        {
          kind: 'return_disputed',
          issue: issueFacts(community, issue),
          by: community.people.get(person ?? '')?.name ?? target.actor,
          reason: input.reason,
        },
        { issueId: issue.id },
      );
    },
  );
}
