import { isActiveTask, type UrgeInput } from '@gongzhi/domain';
import type { ServiceContext } from '../context';
import { writeIssue } from '../issues/write-issue';
import { notify } from '../notifications/notify';
import { issueFacts } from '../tasks/open-tasks';
import { runCaseStep } from './case-step';

/**
 * 督办: the leadership or the secretary urges an open issue with a note. The issue counts one more
 * urging (shown on the issue and in the KPIs); its owner and whoever holds the work are told.
 */
export async function urgeIssue(ctx: ServiceContext, id: string, input: UrgeInput) {
  return runCaseStep(ctx, id, 'urge', input, async ({ tx, target, community, person, tasks, now }) => {
    const { issue } = target;
    const { eventId, issue: written } = await writeIssue(ctx, tx, target, {
      action: 'urge',
      stays: true,
      eventNote: input.note,
      count: 'urge',
    });
    const hands = tasks.filter((t) => isActiveTask(t.status)).map((t) => t.assignee);
    await notify(
      tx,
      now,
      `ev:${eventId}`,
      {
        communityId: issue.communityId,
        persons: [issue.owner, ...hands],
        exceptAccountId: target.actorAccountId,
      },
      {
        kind: 'issue_urged',
        issue: issueFacts(community, issue),
        by: community.people.get(person ?? '')?.name ?? '领导',
        note: input.note,
        count: written.urgeCount,
      },
      { issueId: issue.id },
    );
  });
}
