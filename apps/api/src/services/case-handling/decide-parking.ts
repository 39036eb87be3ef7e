import { localDateOf, type ParkingDecisionInput } from '@gongzhi/domain';
import type { ServiceContext } from '../context';
import { writeIssue } from '../issues/write-issue';
import { notify } from '../notifications/notify';
import { issueFacts } from '../tasks/open-tasks';
import { runCaseStep, settleRequest } from './case-step';

/**
 * The approver decides a pending parking request. Approved: the issue is parked (`park`, fired by
 * the approver with the request's reason and review date; the tasks in hand end). Refused: recorded,
 * the issue keeps its state. Either way whoever asked is told. Returns the issue id.
 */
export async function decideParking(ctx: ServiceContext, id: string, input: ParkingDecisionInput) {
  const step = input.approve ? 'approve_parking' : 'refuse_parking';
  return runCaseStep(
    ctx,
    id,
    step,
    { note: input.note },
    async ({ tx, target, community, person, pending, now }) => {
      const { issue } = target;
      const request = pending.parking!;
      const reviewAt = request.newDueAt!;
      const reviewDate = localDateOf(reviewAt, community.config.timezone);
      await settleRequest({ tx, target, person, now }, request.id, input.approve, input.note);
      const decided = await writeIssue(ctx, tx, target, {
        action: step,
        stays: true,
        eventNote: input.note ?? null,
        data: { requestId: request.id, reviewDate },
      });
      if (input.approve) {
        await writeIssue(
          ctx,
          tx,
          { ...target, issue: decided.issue },
          {
            action: 'park',
            reason: request.reason,
            reviewAt,
            parkingApproved: true,
            data: { reviewDate, requestId: request.id, requestedBy: request.requestedBy },
          },
        );
      }
      await notify(
        tx,
        now,
        `ev:${decided.eventId}`,
        {
          communityId: issue.communityId,
          persons: [request.requestedBy],
          exceptAccountId: target.actorAccountId,
        },
        {
          kind: 'parking_decided',
          issue: issueFacts(community, issue),
          approved: input.approve,
          reviewDate,
          note: input.note ?? null,
        },
        { issueId: issue.id },
      );
    },
  );
}
