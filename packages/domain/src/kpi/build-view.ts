import { ORG_NAMES, type Org } from '../community/orgs';
import type { Community } from '../community/validate';
import { CHANNEL_NAMES, CHANNELS, type Channel, TIER_NAMES, TIERS, type Tier } from '../issues/schema';
import { type KpiCounts, kpiFigures, ZERO_COUNTS } from './formulas';
import { type KpiPeriod, monthLabel, monthsOf } from './period';
import type { KpiScope } from './scope';
import { type KpiView, RANKING_DIMENSIONS, type RankingDimension } from './views';

/** One row of the aggregate query: the totals, or the counts of one category, tier or month. */
export interface KpiGroupRow {
  group: 'total' | 'category' | 'tier' | 'month' | 'channel';
  /** Category key, tier, "YYYY-MM", channel; null for the totals. */
  key: string | null;
  counts: KpiCounts;
}

/** One row of the ranking query: the counts of one zone, line, organisation or person. */
export interface KpiRankingRow {
  dimension: RankingDimension;
  key: string;
  counts: KpiCounts;
}

/** The display name of a ranking row's key, from the config (the key itself if it is gone). */
function rankingName(community: Community, dimension: RankingDimension, key: string): string {
  switch (dimension) {
    case 'zone':
      return community.zones.get(key)?.name ?? key;
    case 'line':
      return community.lines.get(key)?.name ?? key;
    case 'org':
      return ORG_NAMES[key as Org] ?? key;
    case 'person':
      return community.people.get(key)?.name ?? key;
  }
}

/**
 * The view from the database's grouped counts: names from the config, every tier and every month
 * of the period present (zeros where nothing happened), categories that received anything, most
 * first (then in config order, so the order is stable). Counts that do not nest are a bug upstream
 * and throw (kpiFigures).
 */
export function buildKpiView(a: {
  community: Community;
  period: KpiPeriod;
  scope: KpiScope;
  rows: readonly KpiGroupRow[];
  rankingRows?: readonly KpiRankingRow[];
  computedAt: Date;
}): KpiView {
  const of = (group: KpiGroupRow['group']) =>
    new Map(a.rows.filter((r) => r.group === group).map((r) => [r.key ?? '', r.counts]));
  const total = a.rows.find((r) => r.group === 'total')?.counts ?? ZERO_COUNTS;
  const categories = of('category');
  const tiers = of('tier');
  const months = of('month');
  const channels = of('channel');
  const configOrder = [...a.community.categories.keys()];
  const rank = (k: string) => {
    const i = configOrder.indexOf(k);
    return i < 0 ? configOrder.length : i;
  };
  const monthKeys = monthsOf(a.period);
  const spansYears = monthKeys[0]!.slice(0, 4) !== monthKeys.at(-1)!.slice(0, 4);
  return {
    community: { key: a.community.key, name: a.community.name },
    period: { ...a.period, timezone: a.community.config.timezone },
    scope: { kind: a.scope.kind, key: a.scope.key, name: a.scope.name },
    totals: kpiFigures(total),
    byCategory: [...categories.entries()]
      .filter(([, c]) => c.received > 0)
      .sort(([ka, a], [kb, b]) => b.received - a.received || rank(ka) - rank(kb) || ka.localeCompare(kb))
      .map(([key, c]) => ({
        key,
        name: a.community.categories.get(key)?.name ?? key,
        figures: kpiFigures(c),
      })),
    // The triage desk is a waiting place, not a tier that handles: listed only while issues wait there.
    byTier: TIERS.filter((key) => key !== 'triage' || tiers.has(key)).map((key: Tier) => ({
      key,
      name: TIER_NAMES[key],
      figures: kpiFigures(tiers.get(key) ?? ZERO_COUNTS),
    })),
    byChannel: CHANNELS.filter((key) => (channels.get(key)?.received ?? 0) > 0)
      .sort(
        (x, y) =>
          channels.get(y)!.received - channels.get(x)!.received || CHANNELS.indexOf(x) - CHANNELS.indexOf(y),
      )
      .map((key: Channel) => ({ key, name: CHANNEL_NAMES[key], figures: kpiFigures(channels.get(key)!) })),
    trend: monthKeys.map((month) => ({
      month,
      label: monthLabel(month, spansYears),
      figures: kpiFigures(months.get(month) ?? ZERO_COUNTS),
    })),
    rankings: Object.fromEntries(
      RANKING_DIMENSIONS.map((dimension) => [
        dimension,
        (a.rankingRows ?? [])
          .filter((r) => r.dimension === dimension && r.counts.received > 0)
          .sort((x, y) => x.key.localeCompare(y.key))
          .map((r) => ({
            key: r.key,
            name: rankingName(a.community, dimension, r.key),
            figures: kpiFigures(r.counts),
          })),
      ]),
    ) as KpiView['rankings'],
    computedAt: a.computedAt.toISOString(),
  };
}
