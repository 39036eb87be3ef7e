import { type ParkReviewInput, startOfLocalDay } from '@gongzhi/domain';
import type { ServiceContext } from '../context';
import { loadActingOn, transitionLoaded } from '../issues/transition-issue';
import { redispatchRequest } from '../tasks/issue-work';

/**
 * The review of a parked issue: back to work (`unpark`, a task opens for the person named, the note
 * says what changed) or parked again until a new date (`repark`, with the reason). Returns the id.
 */
export async function reviewParking(ctx: ServiceContext, id: string, input: ParkReviewInput) {
  return ctx.db.transaction(async (tx) => {
    const target = await loadActingOn(ctx, tx, id);
    if (input.decision === 'unpark') {
      const dispatch = redispatchRequest(ctx, { assignee: input.assignee, note: input.note });
      return transitionLoaded(ctx, tx, target, { ...dispatch, action: 'unpark' });
    }
    return transitionLoaded(ctx, tx, target, {
      action: 'repark',
      reason: input.reason,
      reviewAt: startOfLocalDay(input.reviewDate, target.community.config.timezone),
      data: { reviewDate: input.reviewDate },
    });
  });
}
