import { z } from 'zod';
import { Invalid } from '../errors';
import type { KpiPeriod } from './period';

/**
 * The district roll-up (issue 19): many communities' issue counts over whole months, read from the
 * maintained summary (issue_counts) rather than from the issues themselves.
 */
export const RollupQuery = z.strictObject({
  period: z.string().trim().max(32).optional(),
  from: z.string().trim().max(10).optional(),
  to: z.string().trim().max(10).optional(),
  /** Community keys, comma-separated; all communities when absent (at most 2,000). */
  communities: z
    .string()
    .trim()
    .max(40_000)
    .regex(/^[a-z0-9][a-z0-9,_-]*$/, '小区 key 以逗号分隔')
    .optional(),
});
export type RollupQuery = z.infer<typeof RollupQuery>;

export const ROLLUP_MAX_COMMUNITIES = 2_000;

/** The counts the summary keeps; rates are derived from them (rollupRates). */
export const RollupCounts = z.object({
  issues: z.number().int(),
  handled: z.number().int(),
  onTime: z.number().int(),
  reworked: z.number().int(),
  closed: z.number().int(),
  rated: z.number().int(),
  satisfied: z.number().int(),
});
export type RollupCounts = z.infer<typeof RollupCounts>;

export const ROLLUP_ZERO: RollupCounts = {
  issues: 0,
  handled: 0,
  onTime: 0,
  reworked: 0,
  closed: 0,
  rated: 0,
  satisfied: 0,
};

export const RollupRates = z.object({
  /** Handled by the resolve deadline, of the handled (null when none were handled). */
  onTimeRate: z.number().nullable(),
  /** Rated 4–5, of the rated. */
  satisfactionRate: z.number().nullable(),
  /** Reopened at least once, of the handled. */
  reworkRate: z.number().nullable(),
});
export type RollupRates = z.infer<typeof RollupRates>;

const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

export function rollupRates(c: RollupCounts): RollupRates {
  return {
    onTimeRate: ratio(c.onTime, c.handled),
    satisfactionRate: ratio(c.satisfied, c.rated),
    reworkRate: ratio(c.reworked, c.handled),
  };
}

export const RollupLine = RollupCounts.extend({ key: z.string(), name: z.string() }).extend(
  RollupRates.shape,
);
export type RollupLine = z.infer<typeof RollupLine>;

export const RollupView = z.object({
  period: z.object({ key: z.string(), from: z.string(), to: z.string() }),
  communities: z.number().int(),
  totals: RollupCounts.extend(RollupRates.shape),
  byCommunity: z.array(RollupLine),
  byCategory: z.array(RollupLine),
  byTier: z.array(RollupLine),
  byStatus: z.array(RollupLine),
  /** When the summary was last brought up to date (the job clock), and how long ago, in seconds. */
  refreshedAt: z.string().nullable(),
  staleSeconds: z.number().int().nullable(),
});
export type RollupView = z.infer<typeof RollupView>;

/**
 * The job clock brings the summary up to date every minute by default (FOLLOW_UP_INTERVAL_MS); a
 * summary older than ten passes, or never brought up to date, is stale: the page says so plainly.
 */
export const ROLLUP_STALE_AFTER_SECONDS = 600;

export const rollupIsStale = (view: Pick<RollupView, 'staleSeconds'>) =>
  view.staleSeconds === null || view.staleSeconds > ROLLUP_STALE_AFTER_SECONDS;

/**
 * The summary counts whole months: a period from the first of a month to the last day of a month
 * (a quarter, a month, or such a from/to range) → its first and last month "YYYY-MM-01"; else 400.
 */
export function rollupMonths(
  period: Pick<KpiPeriod, 'from' | 'to'>,
  prefix = '',
): { first: string; last: string } {
  const lastDay = (ym: string) => {
    const [y, m] = ym.split('-').map(Number) as [number, number];
    return new Date(Date.UTC(y, m, 0)).getUTCDate();
  };
  if (!period.from.endsWith('-01') || Number(period.to.slice(8, 10)) !== lastDay(period.to.slice(0, 7))) {
    throw Invalid('rollup_whole_months', '汇总按整月统计：期间须从某月 1 日起、到某月最后一天止', [
      { path: `${prefix}from`, message: '请按季度、月份或整月的起止日期查询' },
    ]);
  }
  return { first: period.from, last: `${period.to.slice(0, 7)}-01` };
}

/** Sums counts (the roll-up's totals from its per-community lines). */
export function addCounts(a: RollupCounts, b: RollupCounts): RollupCounts {
  return {
    issues: a.issues + b.issues,
    handled: a.handled + b.handled,
    onTime: a.onTime + b.onTime,
    reworked: a.reworked + b.reworked,
    closed: a.closed + b.closed,
    rated: a.rated + b.rated,
    satisfied: a.satisfied + b.satisfied,
  };
}
