import { casePolicyRefusal, type RatingInput, ratingAction } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { issueRatingsTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { rejectFixRequest, verifyRequest } from '../tasks/issue-work';
import { appendEvent } from './append-event';
import { type IssueRef, loadActingOn, transitionLoaded } from './transition-issue';

/**
 * The reporter rates a resolved (or closed) issue, in one transaction with the lifecycle step it
 * implies (see `ratingAction`): "fixed" on a resolved issue confirms it, "not fixed" reopens it and
 * re-dispatches it to whoever resolved it. The rating is also an event in the record. The issue row
 * is locked first, so two ratings at once cannot both pass the one-per-issue check (and the unique
 * index would refuse the second anyway). Returns the issue id.
 */
export async function rateIssue(ctx: ServiceContext, ref: IssueRef, input: RatingInput) {
  return ctx.db.transaction(async (tx) => {
    const target = await loadActingOn(ctx, tx, ref);
    const { issue } = target;
    const [existing] = await tx
      .select({ id: issueRatingsTable.id })
      .from(issueRatingsTable)
      .where(eq(issueRatingsTable.issueId, issue.id));
    const rated = ratingAction(issue.status, target.relations, Boolean(existing), input.fixed);
    // Where the category is checked on site and the reporter's word does not close it (config
    // caseHandling.verification), "fixed" is recorded and the issue waits for its verifier.
    const waits =
      rated === 'verify' &&
      casePolicyRefusal(
        'verify',
        target.relations,
        { category: issue.category, resolvedBy: issue.resolvedBy, person: null },
        target.community.config.caseHandling,
      ) !== null;
    const action = waits ? 'record' : rated;
    const comment = input.comment || undefined;
    const now = ctx.now();
    await tx.insert(issueRatingsTable).values({
      issueId: issue.id,
      communityId: issue.communityId,
      score: input.score,
      fixed: input.fixed,
      comment: comment ?? null,
      raterAccountId: target.actorAccountId,
      createdAt: now,
    });
    // The rating first, then the step it causes: the record reads "评价 … → 确认解决 / 未解决，重开".
    await appendEvent(tx, {
      issueId: issue.id,
      action: 'rate',
      fromStatus: issue.status,
      toStatus: issue.status,
      actorAccountId: target.actorAccountId,
      actor: target.actor,
      note: `${input.score} 分${input.fixed ? '' : '（未解决）'}${comment ? `：${comment}` : ''}`,
      data: { score: input.score, fixed: input.fixed },
      at: now,
    });
    if (action === 'verify') await transitionLoaded(ctx, tx, target, verifyRequest(ctx, comment));
    if (action === 'reject_fix') await transitionLoaded(ctx, tx, target, rejectFixRequest(ctx, comment!));
    return issue.id;
  });
}
