import { z } from 'zod';
import { Channel, TIERS } from '../issues/schema';
import { PERIOD_KINDS } from './period';
import { KPI_SCOPES } from './scope';

// What the KPI API takes and returns (issue 8). The client parses responses with these.

const Key = z.string().trim().min(1).max(64);

/**
 * `GET /api/communities/:key/kpis`: a period (`period=2026Q3|2026-07`, or `from` and `to`) and a
 * scope (`scope=zone&zone=zone-1`, …). The service checks the combination (parsePeriod, parseKpiScope)
 * so each refusal names its field.
 */
export const KpiQuery = z.strictObject({
  period: z.string().trim().max(32).optional(),
  from: z.string().trim().max(10).optional(),
  to: z.string().trim().max(10).optional(),
  scope: z.enum(KPI_SCOPES).default('community'),
  zone: Key.optional(),
  line: Key.optional(),
  org: Key.optional(),
  person: Key.optional(),
});
export type KpiQuery = z.infer<typeof KpiQuery>;

export const KPI_EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export const KpiExportQuery = KpiQuery.extend({ format: z.enum(KPI_EXPORT_FORMATS).default('csv') });
export type KpiExportQuery = z.infer<typeof KpiExportQuery>;

/**
 * One scope the caller may read (`kpiScopeOptions` over `kpiReach`), as `GET /api/me` lists them in
 * `kpiScopes`: the dashboard's scope picker shows exactly these.
 */
export const KpiScopeOptionView = z.object({
  scope: z.enum(['community', 'zone', 'line', 'org']),
  key: z.string().nullable(),
  label: z.string(),
});

const Count = z.number().int().min(0);

export const RatioView = z.object({
  numerator: Count,
  denominator: Count,
  /** null = no data (a zero denominator). */
  value: z.number().min(0).max(1).nullable(),
});

export const KpiFiguresView = z.object({
  received: Count,
  handled: Count,
  effective: Count,
  onTime: Count,
  rated: Count,
  satisfied: Count,
  contactDue: Count,
  contactedOnTime: Count,
  solved: Count,
  closed: Count,
  closedOnTime: Count,
  reworked: Count,
  handlingRate: RatioView,
  effectiveRate: RatioView,
  satisfactionRate: RatioView,
  onTimeRate: RatioView,
  responseRate: RatioView,
  solvedRate: RatioView,
  closedOnTimeRate: RatioView,
  reworkRate: RatioView,
});

/** Rows of one ranking dimension (zones, lines, organisations, people), in key order; rank with rankByRate. */
const RankingRows = z.array(z.object({ key: z.string(), name: z.string(), figures: KpiFiguresView }));

export const RANKING_DIMENSIONS = ['zone', 'line', 'org', 'person'] as const;
export type RankingDimension = (typeof RANKING_DIMENSIONS)[number];
export const RANKING_DIMENSION_NAMES: Record<RankingDimension, string> = {
  zone: '责任区域',
  line: '条线',
  org: '组织',
  person: '个人',
};

export const KpiView = z.object({
  community: z.object({ key: z.string(), name: z.string() }),
  period: z.object({
    kind: z.enum(PERIOD_KINDS),
    key: z.string(),
    label: z.string(),
    from: z.string(),
    to: z.string(),
    timezone: z.string(),
  }),
  scope: z.object({ kind: z.enum(KPI_SCOPES), key: z.string().nullable(), name: z.string() }),
  totals: KpiFiguresView,
  /** Categories that received anything in the period, most received first. */
  byCategory: z.array(z.object({ key: z.string(), name: z.string(), figures: KpiFiguresView })),
  /** Every tier, in the lifecycle's order, zeros included. */
  byTier: z.array(z.object({ key: z.enum(TIERS), name: z.string(), figures: KpiFiguresView })),
  /**
   * Channels that received anything in the period (居民扫码, 12345热线, 街道转办, …), most received
   * first: the KPIs by channel of issue 17.
   */
  byChannel: z.array(z.object({ key: Channel, name: z.string(), figures: KpiFiguresView })),
  /** Every month the period touches, zeros included, by the month each issue was submitted. */
  trend: z.array(z.object({ month: z.string(), label: z.string(), figures: KpiFiguresView })),
  /**
   * The scope's issues by zone, line, organisation and person (an organisation or person: issues
   * it had a task on), for ranking (issue 17 item 6). Rows that received nothing are left out.
   */
  rankings: z
    .object({ zone: RankingRows, line: RankingRows, org: RankingRows, person: RankingRows })
    .default({ zone: [], line: [], org: [], person: [] }),
  computedAt: z.string(),
  /**
   * Case handling (issue 17), counted apart over the same issues: issues extended / extensions
   * approved, urged / urgings, parked at least once / parkings, parked now, reworked (reopened by
   * "not fixed" or a failed on-site verification) / reworks. Filled by the API's query.
   */
  caseHandling: z
    .object({
      extended: Count,
      extensions: Count,
      urged: Count,
      urges: Count,
      parked: Count,
      parkings: Count,
      parkedNow: Count,
      reworked: Count,
      reworks: Count,
    })
    .optional(),
});
export type KpiView = z.infer<typeof KpiView>;
