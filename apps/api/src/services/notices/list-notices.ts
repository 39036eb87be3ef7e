import {
  Forbidden,
  type PublicNoticesQuery,
  readsNoticeDrafts,
  type StaffNoticesQuery,
} from '@gongzhi/domain';
import { and, eq, isNull, or } from 'drizzle-orm';
import { noticesTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { toNoticeSummary } from './notice-store';

const byPublication = keyset(noticesTable.publishedAt, noticesTable.id);
const byCreation = keyset(noticesTable.createdAt, noticesTable.id);

/**
 * Residents: published notices, newest publication first (index notices_public). A zone shows its
 * own notices and the community-wide ones: both concern the people who live there.
 */
export async function listPublicNotices(ctx: ServiceContext, key: string, q: PublicNoticesQuery) {
  const community = getCommunity(ctx, key);
  const rows = await ctx.db
    .select()
    .from(noticesTable)
    .where(
      and(
        eq(noticesTable.communityId, await communityId(ctx.db, community.key)),
        eq(noticesTable.status, 'published'),
        q.zone ? or(eq(noticesTable.zone, q.zone), isNull(noticesTable.zone)) : undefined,
        q.kind ? eq(noticesTable.kind, q.kind) : undefined,
        byPublication.after(q.cursor),
      ),
    )
    .orderBy(...byPublication.orderBy)
    .limit(q.limit + 1);
  // The keyset runs on the publication time; every row here is published.
  const page = byPublication.page(
    rows.map((row) => ({ id: row.id, createdAt: row.publishedAt!, row })),
    q.limit,
  );
  const now = ctx.now();
  return {
    items: page.items.map((x) => toNoticeSummary(community, x.row, now)),
    nextCursor: page.nextCursor,
  };
}

/** Staff who draft notices: every notice of the community, drafts and withdrawn ones too, newest first. */
export async function listNotices(ctx: ServiceContext, q: StaffNoticesQuery) {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, q.community);
  if (!readsNoticeDrafts(actorIn(principal, community)))
    throw Forbidden('notices_not_permitted', '只有领导小组、秘书和区域组长可以查看公告草稿');
  const rows = await ctx.db
    .select()
    .from(noticesTable)
    .where(
      and(
        eq(noticesTable.communityId, await communityId(ctx.db, community.key)),
        q.status ? eq(noticesTable.status, q.status) : undefined,
        q.kind ? eq(noticesTable.kind, q.kind) : undefined,
        q.zone ? eq(noticesTable.zone, q.zone) : undefined,
        byCreation.after(q.cursor),
      ),
    )
    .orderBy(...byCreation.orderBy)
    .limit(q.limit + 1);
  const page = byCreation.page(rows, q.limit);
  const now = ctx.now();
  return { items: page.items.map((r) => toNoticeSummary(community, r, now)), nextCursor: page.nextCursor };
}
