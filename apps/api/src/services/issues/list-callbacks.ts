import { type CallbackListView, Forbidden, mayRecordCallback, recordsCallbacks } from '@gongzhi/domain';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { issueRatingsTable, issuesTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { accessFacts } from './to-view';

/** How many closed issues the desk lists at once, most recently closed first. */
const LIMIT = 100;

/**
 * The callback desk (回访, issue 17 item 6): closed issues of the community with no callback or
 * rating yet, that the caller may call back (their own as owner, their zone's as rc, all as
 * secretary or administrator), most recently closed first. The reporter's phone is shown: the desk
 * is there to call it. Anyone who may call back nothing is refused (403).
 */
export async function listCallbacks(ctx: ServiceContext, key: string): Promise<CallbackListView> {
  const community = getCommunity(ctx, key);
  const actor = actorIn(callerOf(ctx), community);
  if (!recordsCallbacks(actor)) throw Forbidden('not_callback_desk', '您没有需要回访的问题');
  const cid = await communityId(ctx.db, key);
  const rows = await ctx.db
    .select({ issue: issuesTable })
    .from(issuesTable)
    .leftJoin(issueRatingsTable, eq(issueRatingsTable.issueId, issuesTable.id))
    .where(
      and(
        eq(issuesTable.communityId, cid),
        eq(issuesTable.status, 'closed'),
        eq(issuesTable.hidden, false),
        isNull(issueRatingsTable.id),
      ),
    )
    .orderBy(desc(issuesTable.closedAt), desc(issuesTable.id))
    .limit(LIMIT * 5);
  return {
    items: rows
      .map((r) => r.issue)
      .filter((i) => mayRecordCallback(actor, accessFacts(i)))
      .slice(0, LIMIT)
      .map((i) => ({
        id: i.id,
        code: i.code,
        zoneName: community.zones.get(i.zone)?.name ?? i.zone,
        categoryName: community.categories.get(i.category)?.name ?? i.category,
        building: i.building,
        description: i.description,
        closedAt: i.closedAt?.toISOString() ?? null,
        reporter: { name: i.reporterName, phone: i.reporterPhone },
      })),
  };
}
