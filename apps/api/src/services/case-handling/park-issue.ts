import { type ParkInput, startOfLocalDay } from '@gongzhi/domain';
import type { ServiceContext } from '../context';
import { loadActingOn, transitionLoaded } from '../issues/transition-issue';

/**
 * 挂账: an issue that cannot be solved now is parked with a reason until its review date (from the
 * start of that day on the community's clock). The tasks in hand end; it leaves the overdue lists;
 * on the review date it shows on the owner's desk (queue `park_review`). Who parks is the config's
 * `caseHandling.parking.by`. Returns the issue id.
 */
export async function parkIssue(ctx: ServiceContext, id: string, input: ParkInput) {
  return ctx.db.transaction(async (tx) => {
    const target = await loadActingOn(ctx, tx, id);
    const tz = target.community.config.timezone;
    return transitionLoaded(ctx, tx, target, {
      action: 'park',
      reason: input.reason,
      reviewAt: startOfLocalDay(input.reviewDate, tz),
      data: { reviewDate: input.reviewDate },
    });
  });
}
