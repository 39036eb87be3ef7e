import {
  buildKpiView,
  type Community,
  EFFECTIVE_SCORE,
  type KpiGroupRow,
  type KpiPeriod,
  type KpiScope,
  type KpiView,
  periodInstants,
  SATISFIED_SCORE,
} from '@gongzhi/domain';
import { and, eq, exists, gte, lt, notInArray, type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { issueRatingsTable, issuesTable, tasksTable } from '../../db/schema';

/** Anything that runs a query: the database, or a transaction (the benchmark pins planner settings in one). */
export type Queryable = Db | Tx;

export interface KpiRequest {
  community: Community;
  /** The community's row id (communityId(db, key)). */
  communityId: string;
  period: KpiPeriod;
  scope: KpiScope;
  /** When the view is computed (the clock of the caller). */
  now: Date;
}

const i = issuesTable;
const r = issueRatingsTable;

/** The issues a scope selects, beyond the community and the period. */
function scopeCondition(communityId: string, scope: KpiScope): SQL | undefined {
  switch (scope.kind) {
    case 'community':
      return undefined;
    case 'zone':
      return eq(i.zone, scope.key);
    case 'line':
      return eq(i.line, scope.key);
    // An organisation or a person: issues that had a task for it at any time (the work it was given).
    case 'org':
    case 'person':
      return exists(
        sql`(select 1 from ${tasksTable} where ${tasksTable.issueId} = ${i.id} and ${tasksTable.communityId} = ${communityId} and ${scope.kind === 'org' ? tasksTable.org : tasksTable.assignee} = ${scope.key})`,
      );
  }
}

/**
 * The rating thresholds of docs/domain.md §11, from the domain (issues/rating.ts), written into the
 * query as integer literals: the same rule as the dashboard's words, and one query text for the planner.
 */
const scoreAtLeast = (n: number) => {
  if (!Number.isInteger(n)) throw new Error(`rating threshold ${n} is not an integer`);
  return sql.raw(String(n));
};
const effectiveScore = scoreAtLeast(EFFECTIVE_SCORE);
const satisfiedScore = scoreAtLeast(SATISFIED_SCORE);

const count = (filter?: SQL) =>
  filter ? sql<number>`(count(*) filter (where ${filter}))::int` : sql<number>`count(*)::int`;

/**
 * The grouped counts of docs/domain.md §11 in one aggregate query: the totals, by category, by tier and
 * by month of submission (GROUPING SETS, so one pass over the period's rows). The period selects on
 * (community_id, created_at), which the keyset indexes serve; the facts it counts are columns of
 * the issue row (handled_at, reopen_count, resolve_due_at), kept by the transition code, plus the
 * one rating per issue. Nothing is loaded into memory but the handful of group rows.
 */
export async function kpiGroupRows(db: Queryable, req: Omit<KpiRequest, 'now'>): Promise<KpiGroupRow[]> {
  const tz = req.community.config.timezone;
  const { start, end } = periodInstants(req.period, tz);
  // The zone is inlined (validated IANA name, quotes doubled): a bound parameter would make the
  // month expression in SELECT and GROUP BY two different expressions to the planner.
  const month = sql`to_char(${i.createdAt} at time zone ${sql.raw(`'${tz.replace(/'/g, "''")}'`)}, 'YYYY-MM')`;
  const handled = sql`${i.handledAt} is not null`;
  const rows = await db
    .select({
      byCategory: sql<number>`grouping(${i.category})`,
      byTier: sql<number>`grouping(${i.tier})`,
      byMonth: sql<number>`grouping(${month})`,
      byChannel: sql<number>`grouping(${i.channel})`,
      category: i.category,
      tier: i.tier,
      month: sql<string | null>`${month}`,
      channel: i.channel,
      received: count(),
      handled: count(handled),
      effective: count(
        sql`${handled} and ${i.reopenCount} = 0 and (${r.score} is null or ${r.score} >= ${effectiveScore})`,
      ),
      onTime: count(sql`${i.handledAt} <= ${i.resolveDueAt}`),
      rated: sql<number>`count(${r.score})::int`,
      satisfied: count(sql`${r.score} >= ${satisfiedScore}`),
    })
    .from(i)
    // The community on the join too: the planner then reads only this community's ratings.
    .leftJoin(r, and(eq(r.issueId, i.id), eq(r.communityId, req.communityId)))
    .where(
      and(
        eq(i.communityId, req.communityId),
        gte(i.createdAt, start),
        lt(i.createdAt, end),
        notInArray(i.status, ['rejected', 'merged']),
        eq(i.hidden, false),
        scopeCondition(req.communityId, req.scope),
      ),
    )
    .groupBy(sql`grouping sets ((), (${i.category}), (${i.tier}), (${month}), (${i.channel}))`);
  return rows.map((row) => {
    const counts = {
      received: Number(row.received),
      handled: Number(row.handled),
      effective: Number(row.effective),
      onTime: Number(row.onTime),
      rated: Number(row.rated),
      satisfied: Number(row.satisfied),
    };
    if (Number(row.byCategory) === 0) return { group: 'category', key: row.category, counts };
    if (Number(row.byTier) === 0) return { group: 'tier', key: row.tier, counts };
    if (Number(row.byMonth) === 0) return { group: 'month', key: row.month, counts };
    if (Number(row.byChannel) === 0) return { group: 'channel', key: row.channel, counts };
    return { group: 'total', key: null, counts };
  });
}

/**
 * KPIs of one scope over one period (docs/domain.md §11): totals, by category, by tier, the monthly
 * trend. No permission check: this is the function other services call (the quarterly
 * complaint-handling notice per zone, the organisation's credit file); the API's readKpis checks
 * the caller first.
 */
export async function computeKpis(db: Queryable, req: KpiRequest): Promise<KpiView> {
  const rows = await kpiGroupRows(db, req);
  return buildKpiView({
    community: req.community,
    period: req.period,
    scope: req.scope,
    rows,
    computedAt: req.now,
  });
}
