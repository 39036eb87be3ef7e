import {
  addMonths,
  assertPicksTopics,
  type Cluster,
  type Community,
  Conflict,
  clusterTitle,
  Forbidden,
  type MonthlyTopicsPage,
  type MonthlyTopicView,
  type PickTopicInput,
  parsePeriod,
  periodInstants,
  picksTopics,
  proposeTopics,
  readsAllIssues,
  requireCategory,
  resolveZone,
  type TopicsQuery,
  topicTrend,
  trendMonths,
  zoneNameOf,
} from '@gongzhi/domain';
import { and, desc, eq, gte, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { issuesTable, monthlyTopicsTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { enqueueAgendaItem } from '../meetings/agenda';

/** "YYYY-MM" of an instant in the community's time zone. */
const monthOf = (d: Date, tz: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: tz, year: 'numeric', month: '2-digit' }).format(d).slice(0, 7);

/** The month's first instant in the community's time zone (the KPI periods' rule). */
const monthStart = (month: string, tz: string) => periodInstants(parsePeriod({ period: month }), tz).start;

const monthExpr = (tz: string) =>
  sql<string>`to_char(${issuesTable.createdAt} at time zone ${sql.raw(`'${tz.replace(/'/g, "''")}'`)}, 'YYYY-MM')`;

/** Complaints that count: not hidden, not rejected (duplicates merged in still count: they were complaints). */
const counted = (cid: string) =>
  and(eq(issuesTable.communityId, cid), eq(issuesTable.hidden, false), ne(issuesTable.status, 'rejected'));

async function clustersOf(db: Db, cid: string, tz: string, month: string): Promise<Cluster[]> {
  const rows = await db
    .select({
      zone: issuesTable.zone,
      building: issuesTable.building,
      category: issuesTable.category,
      count: sql<number>`count(*)::int`,
    })
    .from(issuesTable)
    .where(
      and(
        counted(cid),
        gte(issuesTable.createdAt, monthStart(month, tz)),
        lt(issuesTable.createdAt, monthStart(addMonths(month, 1), tz)),
        // Unplaced complaints are no cluster of a place.
        ne(issuesTable.zone, '_unplaced'),
      ),
    )
    .groupBy(issuesTable.zone, issuesTable.building, issuesTable.category);
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

async function trendOf(
  db: Db,
  cid: string,
  tz: string,
  t: typeof monthlyTopicsTable.$inferSelect,
  current: string,
) {
  const months = trendMonths(t.month, current);
  const first = months[0]!;
  const rows = await db
    .select({ month: monthExpr(tz), count: sql<number>`count(*)::int` })
    .from(issuesTable)
    .where(
      and(
        counted(cid),
        eq(issuesTable.category, t.category),
        t.building !== null
          ? eq(issuesTable.building, t.building)
          : and(eq(issuesTable.zone, t.zone), isNull(issuesTable.building)),
        gte(issuesTable.createdAt, monthStart(first, tz)),
        lt(issuesTable.createdAt, monthStart(addMonths(months.at(-1)!, 1), tz)),
      ),
    )
    .groupBy(monthExpr(tz));
  const by = new Map(rows.map((r) => [r.month, Number(r.count)]));
  return topicTrend(
    t.month,
    months.map((m) => ({ month: m, count: by.get(m) ?? 0 })),
  );
}

const clusterView = (community: Community, c: Cluster) => ({
  zone: c.zone,
  zoneName: zoneNameOf(community, c.zone),
  building: c.building,
  category: c.category,
  categoryName: community.categories.get(c.category)?.name ?? c.category,
  count: c.count,
  title: clusterTitle(community, c),
});

/**
 * GET /api/monthly-topics: the month's proposals (the most frequent building × category clusters,
 * default the previous month) and the topics picked so far with their trends. The leadership, the
 * secretary and everyone who reads every issue may look; pickers pick.
 */
export async function listMonthlyTopics(ctx: ServiceContext, q: TopicsQuery): Promise<MonthlyTopicsPage> {
  const community = getCommunity(ctx, q.community);
  const actor = actorIn(callerOf(ctx), community);
  if (!picksTopics(actor) && !readsAllIssues(actor))
    throw Forbidden('not_topic_picker', '只有领导小组成员和社区秘书可以查看每月一题');
  const tz = community.config.timezone;
  const current = monthOf(ctx.now(), tz);
  const month = q.month ?? addMonths(current, -1);
  const cid = await communityId(ctx.db, community.key);
  const proposals = proposeTopics(await clustersOf(ctx.db, cid, tz, month));
  const picked = await ctx.db
    .select()
    .from(monthlyTopicsTable)
    .where(eq(monthlyTopicsTable.communityId, cid))
    .orderBy(desc(monthlyTopicsTable.month))
    .limit(24);
  const topics: MonthlyTopicView[] = [];
  for (const t of picked) {
    topics.push({
      ...clusterView(community, t),
      id: t.id,
      month: t.month,
      note: t.note,
      trend: await trendOf(ctx.db, cid, tz, t, current),
    });
  }
  return {
    month,
    proposals: proposals.map((c) => clusterView(community, c)),
    topics,
    canPick: picksTopics(actor),
  };
}

/**
 * POST /api/monthly-topics: the leadership or the secretary picks the month's topic (one per month,
 * 409 after); it goes on the joint meeting's agenda (每月一题) and the secretary is told.
 */
export async function pickMonthlyTopic(ctx: ServiceContext, input: PickTopicInput) {
  const community = getCommunity(ctx, input.community);
  const principal = callerOf(ctx);
  assertPicksTopics(actorIn(principal, community));
  const zone = resolveZone(community, { building: input.building, zone: input.zone }, 'body.');
  requireCategory(community, input.category, 'body.');
  const tz = community.config.timezone;
  const cid = await communityId(ctx.db, community.key);
  const cluster =
    (await clustersOf(ctx.db, cid, tz, input.month)).find(
      (c) => c.zone === zone.key && c.building === (input.building ?? null) && c.category === input.category,
    ) ?? null;
  const taken = () =>
    Conflict('topic_already_picked', `${input.month} 的每月一题已确定`, [
      { path: 'body.month', message: '本月已确定', allowed: [] },
    ]);
  const [existing] = await ctx.db
    .select({ id: monthlyTopicsTable.id })
    .from(monthlyTopicsTable)
    .where(and(eq(monthlyTopicsTable.communityId, cid), eq(monthlyTopicsTable.month, input.month)));
  if (existing) throw taken();
  const c: Cluster = {
    zone: zone.key,
    building: input.building ?? null,
    category: input.category,
    count: cluster?.count ?? 0,
  };
  try {
    await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(monthlyTopicsTable)
        .values({
          communityId: cid,
          month: input.month,
          zone: c.zone,
          building: c.building,
          category: c.category,
          count: c.count,
          note: input.note ?? null,
          pickedBy: principal.accountId,
          createdAt: ctx.now(),
        })
        .returning({ id: monthlyTopicsTable.id });
      await enqueueAgendaItem(ctx, tx, {
        community,
        communityId: cid,
        draft: {
          title: `每月一题（${input.month}）：${clusterTitle(community, c)}`,
          source: 'monthly_topic',
          issues: [],
          zoneResolution: null,
          reconsiders: null,
          briefing: input.note ?? null,
        },
        sourceKey: `topic:${row!.id}`,
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw taken();
    throw e;
  }
  return listMonthlyTopics(ctx, { community: community.key, month: input.month });
}
