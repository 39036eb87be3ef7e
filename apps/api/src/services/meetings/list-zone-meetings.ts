import {
  conveneZones,
  type ListZoneMeetingsQuery,
  readsAllIssues,
  type ZoneMeetingPage,
} from '@gongzhi/domain';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { issuesTable, zoneMeetingIssuesTable, zoneMeetingsTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { viewerIn } from './access';
import { assembleZoneMeeting, toZoneMeetingView } from './zone-meeting-store';

const pages = keyset(zoneMeetingsTable.createdAt, zoneMeetingsTable.id);

/** Zone meetings the caller may read, newest first: their own zones, or every zone for those who read all. */
export async function listZoneMeetings(
  ctx: ServiceContext,
  q: ListZoneMeetingsQuery,
): Promise<ZoneMeetingPage> {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, q.community);
  const actor = actorIn(principal, community);
  const readable = readsAllIssues(actor) ? null : [...new Set(actor.roles?.zones.map((z) => z.zone) ?? [])];
  const zones = q.zone ? (readable && !readable.includes(q.zone) ? [] : [q.zone]) : readable;
  const viewer = viewerIn(ctx, community);
  const convenes = conveneZones(community.zones.values(), viewer);
  if (zones && zones.length === 0) return { items: [], nextCursor: null, conveneZones: convenes };
  const cid = await communityId(ctx.db, community.key);
  const rows = await ctx.db
    .select()
    .from(zoneMeetingsTable)
    .where(
      and(
        eq(zoneMeetingsTable.communityId, cid),
        zones ? inArray(zoneMeetingsTable.zone, zones) : undefined,
        pages.after(q.cursor),
      ),
    )
    .orderBy(...pages.orderBy)
    .limit(q.limit + 1);
  const page = pages.page(rows, q.limit);
  const ids = page.items.map((r) => r.id);
  const agenda = ids.length
    ? await ctx.db
        .select({ a: zoneMeetingIssuesTable, code: issuesTable.code })
        .from(zoneMeetingIssuesTable)
        .innerJoin(issuesTable, eq(issuesTable.id, zoneMeetingIssuesTable.issueId))
        .where(inArray(zoneMeetingIssuesTable.meetingId, ids))
        .orderBy(asc(zoneMeetingIssuesTable.position))
    : [];
  return {
    items: page.items.map((row) => {
      const rows = agenda.filter((x) => x.a.meetingId === row.id).map((x) => ({ ...x.a, code: x.code }));
      const meeting = assembleZoneMeeting(row, rows);
      return toZoneMeetingView({ row, community, agenda: rows, meeting }, viewer, ctx.now());
    }),
    nextCursor: page.nextCursor,
    conveneZones: convenes,
  };
}
