import {
  type JointMeetingPage,
  jointListActions,
  type ListJointMeetingsQuery,
  type ListResolutionsQuery,
  type ResolutionPage,
  type WaitingAgenda,
} from '@gongzhi/domain';
import { and, eq } from 'drizzle-orm';
import { jointMeetingsTable, resolutionsTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { communityId } from '../communities/community-id';
import { callerOf, getCommunity, type ServiceContext } from '../context';
import { assertReadsJointRecords, viewerIn } from './access';
import { waitingItems } from './agenda';
import { jointMeetingViews, toPlacementView } from './joint-meeting-store';
import { resolutionViews } from './resolution-store';

const meetingPages = keyset(jointMeetingsTable.createdAt, jointMeetingsTable.id);
const resolutionPages = keyset(resolutionsTable.createdAt, resolutionsTable.id);

function communityFor(ctx: ServiceContext, key: string, what: string) {
  const community = getCommunity(ctx, key);
  assertReadsJointRecords(callerOf(ctx), community, what);
  return community;
}

/** Joint meetings of a community, newest first. */
export async function listJointMeetings(
  ctx: ServiceContext,
  q: ListJointMeetingsQuery,
): Promise<JointMeetingPage> {
  const community = communityFor(ctx, q.community, '联席会议');
  const cid = await communityId(ctx.db, community.key);
  const rows = await ctx.db
    .select()
    .from(jointMeetingsTable)
    .where(and(eq(jointMeetingsTable.communityId, cid), meetingPages.after(q.cursor)))
    .orderBy(...meetingPages.orderBy)
    .limit(q.limit + 1);
  const page = meetingPages.page(rows, q.limit);
  const viewer = viewerIn(ctx, community);
  return {
    items: await jointMeetingViews(ctx.db, community, page.items, viewer, ctx.now()),
    nextCursor: page.nextCursor,
    allowedActions: jointListActions(community, viewer),
  };
}

/** Items waiting for the next joint meeting to be scheduled. */
export async function listWaitingAgenda(ctx: ServiceContext, key: string): Promise<WaitingAgenda> {
  const community = communityFor(ctx, key, '议题');
  const cid = await communityId(ctx.db, community.key);
  const rows = await waitingItems(ctx.db, cid);
  return { items: rows.map((r) => toPlacementView(community, r)) };
}

/** Resolutions (tracked actions) of a community, newest first; `open` keeps those not done. */
export async function listResolutions(ctx: ServiceContext, q: ListResolutionsQuery): Promise<ResolutionPage> {
  const community = communityFor(ctx, q.community, '决议');
  const cid = await communityId(ctx.db, community.key);
  const rows = await ctx.db
    .select()
    .from(resolutionsTable)
    .where(
      and(
        eq(resolutionsTable.communityId, cid),
        q.open === undefined ? undefined : eq(resolutionsTable.done, !q.open),
        resolutionPages.after(q.cursor),
      ),
    )
    .orderBy(...resolutionPages.orderBy)
    .limit(q.limit + 1);
  const page = resolutionPages.page(rows, q.limit);
  return {
    items: await resolutionViews(ctx.db, community, page.items, ctx.now(), viewerIn(ctx, community)),
    nextCursor: page.nextCursor,
  };
}
