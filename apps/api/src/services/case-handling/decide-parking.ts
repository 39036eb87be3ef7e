import { localDateOf, type ParkingDecisionInput } from '@gongzhi/domain';
import type { ServiceContext } from '../context';
import { writeIssue } from '../issues/write-issue';
import { issueFacts } from '../tasks/open-tasks';
import { decideRequest } from './case-step';

/**
 * The approver decides a pending parking request. Approved: the issue is parked (`park`, fired by
 * the approver with the request's reason and review date; the tasks in hand end). Refused: recorded,
 * the issue keeps its state. Either way whoever asked is told. Returns the issue id.
 */
export async function decideParking(ctx: ServiceContext, id: string, input: ParkingDecisionInput) {
  const step = input.approve ? 'approve_parking' : 'refuse_parking';
  return decideRequest(ctx, id, 'parking', step, input, async ({ tx, target, community, request }) => {
    const { issue } = target;
    const reviewAt = request.newDueAt!;
    const reviewDate = localDateOf(reviewAt, community.config.timezone);
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
    return {
      eventId: decided.eventId,
      message: {
        kind: 'parking_decided',
        issue: issueFacts(community, issue),
        approved: input.approve,
        reviewDate,
        note: input.note ?? null,
      },
    };
  });
}
