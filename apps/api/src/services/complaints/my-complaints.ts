import { type MyComplaintPage, type MyComplaintsQuery, STATUS_NAMES, zoneNameOf } from '@gongzhi/domain';
import { and, eq, inArray } from 'drizzle-orm';
import { communitiesTable, issuesTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { callerOf, getCommunity, type ServiceContext } from '../context';

const pages = keyset(issuesTable.createdAt, issuesTable.id);

/**
 * 我的投诉 from the server: the complaints the signed-in account filed, newest first, on whatever
 * phone they were filed (each opens by the login, without its tracking secret).
 */
export async function listMyComplaints(ctx: ServiceContext, q: MyComplaintsQuery): Promise<MyComplaintPage> {
  const { accountId } = callerOf(ctx);
  const rows = await ctx.db
    .select()
    .from(issuesTable)
    .where(and(eq(issuesTable.reporterAccountId, accountId), pages.after(q.cursor)))
    .orderBy(...pages.orderBy)
    .limit(q.limit + 1);
  const page = pages.page(rows, q.limit);
  const communityIds = [...new Set(page.items.map((r) => r.communityId))];
  const keys = new Map(
    communityIds.length
      ? (
          await ctx.db
            .select({ id: communitiesTable.id, key: communitiesTable.key })
            .from(communitiesTable)
            .where(inArray(communitiesTable.id, communityIds))
        ).map((c) => [c.id, c.key])
      : [],
  );
  return {
    items: page.items.map((r) => {
      const community = getCommunity(ctx, keys.get(r.communityId)!);
      return {
        code: r.code,
        status: r.status,
        statusName: STATUS_NAMES[r.status],
        zoneName: zoneNameOf(community, r.zone),
        categoryName: community.categories.get(r.category)?.name ?? r.category,
        description: r.description,
        createdAt: r.createdAt.toISOString(),
      };
    }),
    nextCursor: page.nextCursor,
  };
}
