import { assertKeepsExternalOrders, checkReply, type ExternalReplyInput, NotFound } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { communitiesTable, externalOrdersTable, issuesTable } from '../../db/schema';
import { actorIn, actorKeyOf, callerOf, getCommunity, type ServiceContext } from '../context';
import { appendEvent } from '../issues/append-event';
import { getExternalOrder } from './list-external-orders';

/**
 * The reply sent back to the hotline or the street office, recorded once the work is done (resolved,
 * closed, rejected or merged): its text, when, by whom; and a note on the issue's timeline. Refused
 * with 409 before the work is done or when already replied, 403 for anyone but the keepers.
 */
export async function replyExternalOrder(ctx: ServiceContext, id: string, input: ExternalReplyInput) {
  const principal = callerOf(ctx);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ order: externalOrdersTable, issue: issuesTable, communityKey: communitiesTable.key })
      .from(externalOrdersTable)
      .innerJoin(issuesTable, eq(issuesTable.id, externalOrdersTable.issueId))
      .innerJoin(communitiesTable, eq(communitiesTable.id, externalOrdersTable.communityId))
      .where(eq(externalOrdersTable.id, id))
      .for('update', { of: externalOrdersTable });
    if (!row) throw NotFound('external_order_not_found', '外部转办工单不存在');
    const community = getCommunity(ctx, row.communityKey);
    assertKeepsExternalOrders(actorIn(principal, community), community);
    checkReply(row.issue.status, row.order.repliedAt);
    const now = ctx.now();
    const who = actorKeyOf(principal);
    await tx
      .update(externalOrdersTable)
      .set({ replyText: input.text, repliedAt: now, repliedBy: principal.accountId, repliedByName: who })
      .where(eq(externalOrdersTable.id, id));
    // On the issue's record (留痕), without a change of state.
    await appendEvent(tx, {
      issueId: row.issue.id,
      action: 'external_reply',
      fromStatus: row.issue.status,
      toStatus: row.issue.status,
      actorAccountId: principal.accountId,
      actor: who,
      note: input.text,
      data: { source: row.order.source, externalNo: row.order.externalNo },
      at: now,
    });
  });
  return getExternalOrder(ctx, { id });
}
