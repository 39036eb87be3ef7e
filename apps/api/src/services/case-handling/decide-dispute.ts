import type { DisputeDecisionInput } from '@gongzhi/domain';
import type { ServiceContext } from '../context';
import { writeIssue } from '../issues/write-issue';
import { notify } from '../notifications/notify';
import { issueFacts } from '../tasks/open-tasks';
import { runCaseStep, settleRequest } from './case-step';

/**
 * The arbiter decides a disputed return. The return stands: the owner re-dispatches (told so).
 * It does not: the person who returned it must take it back — a new task opens for them (the
 * request's status `approved` = the owner's dispute upheld, `refused` = the return stands).
 */
export async function decideDispute(ctx: ServiceContext, id: string, input: DisputeDecisionInput) {
  const step = input.returnStands ? 'uphold_return' : 'overrule_return';
  return runCaseStep(
    ctx,
    id,
    step,
    { note: input.note },
    async ({ tx, target, community, person, tasks, pending, now }) => {
      const { issue } = target;
      const request = pending.dispute!;
      const returned = tasks.find((t) => t.id === request.taskId)!;
      await settleRequest({ tx, target, person, now }, request.id, !input.returnStands, input.note);
      const { eventId } = await writeIssue(ctx, tx, target, {
        action: step,
        stays: true,
        eventNote: input.note,
        data: { requestId: request.id, taskId: returned.id, assignee: returned.assignee },
        ...(input.returnStands
          ? {}
          : {
              dispatch: async () => ({
                tasks: [{ assignee: returned.assignee, role: returned.role }],
                note: `退单争议裁定：${input.note}`,
              }),
            }),
      });
      await notify(
        tx,
        now,
        // The task opened by the same event tells the assignee of the task; this says why.
        `ev:${eventId}:decided`,
        {
          communityId: issue.communityId,
          persons: [issue.owner, returned.assignee],
          exceptAccountId: target.actorAccountId,
        },
        {
          kind: 'dispute_decided',
          issue: issueFacts(community, issue),
          returnStands: input.returnStands,
          note: input.note,
        },
        { issueId: issue.id },
      );
    },
  );
}
