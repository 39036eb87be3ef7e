import {
  addCounts,
  Invalid,
  parsePeriod,
  ROLLUP_MAX_COMMUNITIES,
  ROLLUP_ZERO,
  type RollupCounts,
  type RollupLine,
  type RollupQuery,
  type RollupView,
  rollupMonths,
  rollupRates,
  STATUS_NAMES,
  TIER_NAMES,
} from '@gongzhi/domain';
import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../context';
import { rowsOf } from './refresh-issue-counts';

interface Row {
  by: 'community' | 'category' | 'tier' | 'status';
  key: string;
  issues: number;
  handled: number;
  on_time: number;
  reworked: number;
  closed: number;
  rated: number;
  satisfied: number;
}

const counts = (r: Row): RollupCounts => ({
  issues: Number(r.issues),
  handled: Number(r.handled),
  onTime: Number(r.on_time),
  reworked: Number(r.reworked),
  closed: Number(r.closed),
  rated: Number(r.rated),
  satisfied: Number(r.satisfied),
});

/**
 * GET /api/admin/rollup: the district roll-up over many communities (all, or the listed keys) for
 * whole months, from the maintained summary (issue_counts), with its freshness. One statement with
 * grouping sets gives the per-community, per-category, per-tier and per-status lines.
 */
export async function districtRollup(ctx: ServiceContext, q: RollupQuery): Promise<RollupView> {
  const period = parsePeriod(q, 'querystring.');
  const { first, last } = rollupMonths(period, 'querystring.');
  const keys = q.communities ? [...new Set(q.communities.split(',').filter(Boolean))] : null;
  if (keys && keys.length > ROLLUP_MAX_COMMUNITIES)
    throw Invalid('too_many_communities', `一次最多汇总 ${ROLLUP_MAX_COMMUNITIES} 个小区`, [
      { path: 'querystring.communities', message: `共 ${keys.length} 个` },
    ]);
  const known = rowsOf<{ id: string; key: string; name: string }>(
    await ctx.db.execute(
      keys
        ? sql`select id, key, name from communities where key = any(${`{${keys.join(',')}}`}::text[]) order by key`
        : sql`select id, key, name from communities order by key`,
    ),
  );
  if (keys && known.length < keys.length) {
    const found = new Set(known.map((c) => c.key));
    const missing = keys.filter((k) => !found.has(k));
    throw Invalid('unknown_community', `小区 ${missing.slice(0, 5).join('、')} 不存在`, [
      { path: 'querystring.communities', message: '请检查小区 key' },
    ]);
  }
  const ids = `{${known.map((c) => c.id).join(',')}}`;
  const rows = rowsOf<Row>(
    await ctx.db.execute(sql`
      select case when grouping(community_id) = 0 then 'community' when grouping(category) = 0 then 'category'
                  when grouping(tier) = 0 then 'tier' else 'status' end as by,
             coalesce(community_id::text, category, tier, status) as key,
             sum(issues)::int as issues, sum(handled)::int as handled, sum(on_time)::int as on_time,
             sum(reworked)::int as reworked, sum(closed)::int as closed, sum(rated)::int as rated,
             sum(satisfied)::int as satisfied
      from issue_counts
      where community_id = any(${ids}::uuid[]) and month >= ${first}::date and month <= ${last}::date
      group by grouping sets ((community_id), (category), (tier), (status))`),
  );
  const state = rowsOf<{ refreshed_at: string | Date }>(
    await ctx.db.execute(sql`select refreshed_at from issue_counts_state where id = 1`),
  )[0];

  const nameOf = new Map(known.map((c) => [c.id, c]));
  const categoryName = (key: string) => {
    for (const c of ctx.communities.values()) {
      const name = c.categories.get(key)?.name;
      if (name) return name;
    }
    return key;
  };
  const line = (r: Row, key: string, name: string): RollupLine => {
    const c = counts(r);
    return { key, name, ...c, ...rollupRates(c) };
  };
  const of = (by: Row['by']) => rows.filter((r) => r.by === by);
  const byCommunity = of('community')
    .map((r) => line(r, nameOf.get(r.key)!.key, nameOf.get(r.key)!.name))
    .sort((a, b) => a.key.localeCompare(b.key));
  const totals = byCommunity.reduce<RollupCounts>((t, c) => addCounts(t, c), { ...ROLLUP_ZERO });
  const bySize = (a: RollupLine, b: RollupLine) => b.issues - a.issues || a.key.localeCompare(b.key);
  const refreshedAt = state ? new Date(state.refreshed_at) : null;
  return {
    period: { key: period.key, from: period.from, to: period.to },
    communities: known.length,
    totals: { ...totals, ...rollupRates(totals) },
    byCommunity,
    byCategory: of('category')
      .map((r) => line(r, r.key, categoryName(r.key)))
      .sort(bySize),
    byTier: of('tier')
      .map((r) => line(r, r.key, TIER_NAMES[r.key as keyof typeof TIER_NAMES] ?? r.key))
      .sort(bySize),
    byStatus: of('status')
      .map((r) => line(r, r.key, STATUS_NAMES[r.key as keyof typeof STATUS_NAMES] ?? r.key))
      .sort(bySize),
    refreshedAt: refreshedAt?.toISOString() ?? null,
    staleSeconds: refreshedAt
      ? Math.max(0, Math.round((ctx.now().getTime() - refreshedAt.getTime()) / 1000))
      : null,
  };
}
