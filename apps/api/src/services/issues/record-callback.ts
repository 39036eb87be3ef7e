import { checkPhoneCallback, type PhoneCallbackInput, SATISFACTION_LABELS } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { issueRatingsTable } from '../../db/schema';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { actorKeyOf, type ServiceContext } from '../context';
import { appendEvent } from './append-event';
import { getIssue } from './get-issue';
import { loadReadableIssue } from './load-readable-issue';
import { accessFacts } from './to-view';

/**
 * Staff record a phone callback (电话回访) on a closed issue: the reporter's two answers, 解决了吗
 * and 满意吗 (a score 1–5). It is the issue's one rating (channel 'phone'), so it counts in the
 * 解决率 and 满意率 exactly like an answer given online, and the reporter can no longer rate. The
 * row is locked first, so a callback and an online rating at once cannot both pass. Refused, with
 * nothing written: not the owner, the zone's rc or the secretary (403); an issue not closed, or
 * already called back or rated (409, with the steps still open).
 */
export async function recordCallback(ctx: ServiceContext, id: string, input: PhoneCallbackInput) {
  await ctx.db.transaction(async (tx) => {
    const { issue, actor, principal } = await loadReadableIssue(ctx, tx, id, { lock: true });
    await assertQuarterOpen(tx, issue.communityId, issue.createdAt);
    const [existing] = await tx
      .select({ id: issueRatingsTable.id })
      .from(issueRatingsTable)
      .where(eq(issueRatingsTable.issueId, id));
    checkPhoneCallback(actor, { ...accessFacts(issue), status: issue.status }, !!existing);
    const now = ctx.now();
    const note = input.note || null;
    const person = actorKeyOf(principal);
    await tx.insert(issueRatingsTable).values({
      issueId: issue.id,
      communityId: issue.communityId,
      score: input.score,
      fixed: input.solved,
      comment: note,
      channel: 'phone',
      recordedByAccountId: principal.accountId,
      recordedBy: person,
      createdAt: now,
    });
    await appendEvent(tx, {
      issueId: issue.id,
      action: 'phone_callback',
      fromStatus: issue.status,
      toStatus: issue.status,
      actorAccountId: principal.accountId,
      actor: person,
      note: `${input.solved ? '已解决' : '未解决'}，${SATISFACTION_LABELS[input.score as 1]}（${input.score} 分）${note ? `：${note}` : ''}`,
      data: { solved: input.solved, score: input.score },
      at: now,
    });
  });
  return getIssue(ctx, id);
}
