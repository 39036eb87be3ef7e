import {
  buildKpiView,
  type Community,
  EFFECTIVE_SCORE,
  type KpiCounts,
  type KpiGroupRow,
  type KpiPeriod,
  type KpiRankingRow,
  type KpiScope,
  type KpiView,
  periodInstants,
  SATISFIED_SCORE,
  ZERO_COUNTS,
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

/** The issues the KPIs count: the community's, submitted in the period, in the scope, not rejected, merged or hidden. */
const countedIssues = (req: Omit<KpiRequest, 'now'>, start: Date, end: Date) =>
  and(
    eq(i.communityId, req.communityId),
    gte(i.createdAt, start),
    lt(i.createdAt, end),
    notInArray(i.status, ['rejected', 'merged']),
    eq(i.hidden, false),
    scopeCondition(req.communityId, req.scope),
  );

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
 * The counts of docs/domain.md §11 over the selected rows (one issue per row, its rating joined),
 * as aggregate columns. `now` decides which contact deadlines have passed: an issue whose reporter
 * is not yet contacted counts against the 响应率 only once its deadline is over.
 */
function countColumns(now: Date) {
  const handled = sql`${i.handledAt} is not null`;
  return {
    received: count(),
    handled: count(handled),
    effective: count(
      sql`${handled} and ${i.reopenCount} = 0 and (${r.score} is null or ${r.score} >= ${effectiveScore})`,
    ),
    onTime: count(sql`${i.handledAt} <= ${i.resolveDueAt}`),
    rated: sql<number>`count(${r.score})::int`,
    satisfied: count(sql`${r.score} >= ${satisfiedScore}`),
    contactDue: count(
      sql`${i.contactDueAt} is not null and (${i.firstContactAt} is not null or ${i.contactDueAt} <= ${now.toISOString()}::timestamptz)`,
    ),
    contactedOnTime: count(sql`${i.firstContactAt} <= ${i.contactDueAt}`),
    solved: count(sql`${r.fixed}`),
    closed: count(sql`${i.closedAt} is not null`),
    closedOnTime: count(sql`${i.closedAt} <= ${i.resolveDueAt}`),
    reworked: count(sql`${handled} and ${i.reopenCount} > 0`),
  };
}

const COUNT_KEYS = Object.keys(ZERO_COUNTS) as (keyof KpiCounts)[];
/** The counts of a result row (the drivers return numbers or numeric strings). */
const countsOf = (row: { [K in keyof KpiCounts]: unknown }): KpiCounts =>
  Object.fromEntries(COUNT_KEYS.map((k) => [k, Number(row[k])])) as unknown as KpiCounts;

/**
 * The same counts by zone and line (one grouped pass over the issues) and by organisation and
 * person (the issues each had a task on: one row per issue and organisation or person, however many
 * tasks), for the rankings (issue 17 item 6).
 */
export async function kpiRankingRows(db: Queryable, req: KpiRequest): Promise<KpiRankingRow[]> {
  const { start, end } = periodInstants(req.period, req.community.config.timezone);
  const where = countedIssues(req, start, end);
  const onRating = and(eq(r.issueId, i.id), eq(r.communityId, req.communityId));
  const byArea = await db
    .select({
      byZone: sql<number>`grouping(${i.zone})`,
      zone: i.zone,
      line: i.line,
      ...countColumns(req.now),
    })
    .from(i)
    .leftJoin(r, onRating)
    .where(where)
    .groupBy(sql`grouping sets ((${i.zone}), (${i.line}))`);
  const out: KpiRankingRow[] = [];
  for (const row of byArea) {
    const counts = countsOf(row);
    if (Number(row.byZone) === 0) out.push({ dimension: 'zone', key: row.zone, counts });
    else if (row.line !== null) out.push({ dimension: 'line', key: row.line, counts });
  }
  const handsOf = (column: 'org' | 'assignee') =>
    db
      .selectDistinct({ issueId: tasksTable.issueId, key: sql<string>`${tasksTable[column]}`.as('key') })
      .from(tasksTable)
      .where(eq(tasksTable.communityId, req.communityId))
      .as(`hands_${column}`);
  for (const [dimension, column] of [
    ['org', 'org'],
    ['person', 'assignee'],
  ] as const) {
    const hands = handsOf(column);
    const rows = await db
      .select({ key: hands.key, ...countColumns(req.now) })
      .from(i)
      .innerJoin(hands, eq(hands.issueId, i.id))
      .leftJoin(r, onRating)
      .where(where)
      .groupBy(hands.key);
    for (const row of rows) out.push({ dimension, key: row.key, counts: countsOf(row) });
  }
  return out;
}

/**
 * The grouped counts of docs/domain.md §11 in one aggregate query: the totals, by category, by tier and
 * by month of submission (GROUPING SETS, so one pass over the period's rows). The period selects on
 * (community_id, created_at), which the keyset indexes serve; the facts it counts are columns of
 * the issue row (handled_at, reopen_count, resolve_due_at), kept by the transition code, plus the
 * one rating per issue. Nothing is loaded into memory but the handful of group rows.
 */
export async function kpiGroupRows(db: Queryable, req: KpiRequest): Promise<KpiGroupRow[]> {
  const tz = req.community.config.timezone;
  const { start, end } = periodInstants(req.period, tz);
  // The zone is inlined (validated IANA name, quotes doubled): a bound parameter would make the
  // month expression in SELECT and GROUP BY two different expressions to the planner.
  const month = sql`to_char(${i.createdAt} at time zone ${sql.raw(`'${tz.replace(/'/g, "''")}'`)}, 'YYYY-MM')`;
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
      ...countColumns(req.now),
    })
    .from(i)
    // The community on the join too: the planner then reads only this community's ratings.
    .leftJoin(r, and(eq(r.issueId, i.id), eq(r.communityId, req.communityId)))
    .where(countedIssues(req, start, end))
    .groupBy(sql`grouping sets ((), (${i.category}), (${i.tier}), (${month}), (${i.channel}))`);
  return rows.map((row) => {
    const counts = countsOf(row);
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
  const rankingRows = await kpiRankingRows(db, req);
  const view = buildKpiView({
    community: req.community,
    period: req.period,
    scope: req.scope,
    rows,
    rankingRows,
    computedAt: req.now,
  });
  return { ...view, caseHandling: await caseHandlingCounts(db, req) };
}

/**
 * Case handling's counts (issue 17) over the issues the KPIs count (same community, period, scope
 * and exclusions): how many were extended, urged, parked and reworked, and how many times. Kept
 * apart from the rates: a parked issue is neither on time nor late until it is worked again.
 */
export async function caseHandlingCounts(db: Queryable, req: Omit<KpiRequest, 'now'>) {
  const { start, end } = periodInstants(req.period, req.community.config.timezone);
  const [row] = await db
    .select({
      extended: count(sql`${i.extensionCount} > 0`),
      extensions: sql<number>`coalesce(sum(${i.extensionCount}), 0)::int`,
      urged: count(sql`${i.urgeCount} > 0`),
      urges: sql<number>`coalesce(sum(${i.urgeCount}), 0)::int`,
      parked: count(sql`${i.parkCount} > 0`),
      parkings: sql<number>`coalesce(sum(${i.parkCount}), 0)::int`,
      parkedNow: count(sql`${i.status} = 'parked'`),
      reworked: count(sql`${i.reopenCount} > 0`),
      reworks: sql<number>`coalesce(sum(${i.reopenCount}), 0)::int`,
    })
    .from(i)
    .where(countedIssues(req, start, end));
  const n = (v: unknown) => Number(v ?? 0);
  return {
    extended: n(row?.extended),
    extensions: n(row?.extensions),
    urged: n(row?.urged),
    urges: n(row?.urges),
    parked: n(row?.parked),
    parkings: n(row?.parkings),
    parkedNow: n(row?.parkedNow),
    reworked: n(row?.reworked),
    reworks: n(row?.reworks),
  };
}
