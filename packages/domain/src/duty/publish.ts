import { Conflict } from '../errors';
import { monthPeriod, monthsOf } from '../kpi/period';
import type { RotaShortfall } from './generate-rota';

// Publishing a month of the rota (issue 16): the secretary generates a draft, sees the places
// nobody holds, adjusts shifts, then publishes. Until then the month's shifts are the
// secretary's working copy: residents, feeds, the printed notice and people's own shift lists
// do not show them.

/**
 * A month of the rota: `unplanned` (no shifts, never generated), `draft` (generated on the
 * rota page, not yet published) or `published` (visible to all).
 */
export const ROTA_MONTH_STATUSES = ['unplanned', 'draft', 'published'] as const;
export type RotaMonthStatus = (typeof ROTA_MONTH_STATUSES)[number];
export const ROTA_MONTH_STATUS_NAMES: Record<RotaMonthStatus, string> = {
  unplanned: '未排班',
  draft: '草稿（未发布）',
  published: '已发布',
};

/** What a caller may do with a month of the rota (the rota view's `allowedActions`). */
export const ROTA_ACTIONS = ['generate', 'publish', 'override', 'print'] as const;
export type RotaAction = (typeof ROTA_ACTIONS)[number];

/** The months ("YYYY-MM") a date range touches, in order (the KPI period's `monthsOf`). */
export const rotaMonthsOf = (from: string, to: string) => monthsOf({ from, to });

/** The first and last day of a "YYYY-MM" month. */
export function monthBounds(month: string): { from: string; to: string } {
  const { from, to } = monthPeriod(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
  return { from, to };
}

/**
 * The status of one month. `record` is the month's publication record, if any (null
 * `publishedAt` = a draft). A month with shifts and no record was generated before publishing
 * existed, or through the API in one step (generate without `draft`): it is live, so published.
 */
export function rotaMonthStatus(
  record: { publishedAt: Date | string | null } | undefined,
  hasShifts: boolean,
): RotaMonthStatus {
  if (record) return record.publishedAt === null ? 'draft' : 'published';
  return hasShifts ? 'published' : 'unplanned';
}

/**
 * The months a draft generation marks as drafts: only those not yet planned. A month already
 * live stays live (generating it again changes the published rota, as before), and a draft
 * stays a draft.
 */
export function monthsBecomingDrafts(statuses: ReadonlyMap<string, RotaMonthStatus>): string[] {
  return [...statuses].filter(([, s]) => s === 'unplanned').map(([m]) => m);
}

/** Whether a date's shifts are shown outside the rota page (residents, feeds, print, my shifts). */
export const isPublicDate = (date: string, draftMonths: ReadonlySet<string>) =>
  !draftMonths.has(date.slice(0, 7));

/**
 * What the caller may do with the rota of a range: rota managers generate (and so regenerate),
 * adjust shifts and publish a month that is a draft; all staff print the published month.
 */
export function rotaActions(
  statuses: readonly RotaMonthStatus[],
  viewer: { managesRota: boolean },
): RotaAction[] {
  const out: RotaAction[] = [];
  if (viewer.managesRota) out.push('generate');
  if (viewer.managesRota && statuses.includes('draft')) out.push('publish');
  if (viewer.managesRota) out.push('override');
  if (statuses.includes('published')) out.push('print');
  return out;
}

/**
 * Whether a month may be published now: it has been generated (a draft with shifts), and any
 * place nobody holds is acknowledged (`acceptGaps`) — a gap is never published silently.
 * Throws a 409 naming the reason: rota_not_generated, rota_already_published, rota_has_gaps.
 */
export function checkPublish(input: {
  month: string;
  status: RotaMonthStatus;
  shiftCount: number;
  gaps: readonly RotaShortfall[];
  acceptGaps: boolean;
}): void {
  const { month, status, gaps } = input;
  const label = `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
  if (status === 'published') {
    throw Conflict('rota_already_published', `${label}值班表已发布`, [
      { path: 'body.month', message: '该月已发布，调整班次后直接生效' },
    ]);
  }
  if (status === 'unplanned' || input.shiftCount === 0) {
    throw Conflict('rota_not_generated', `${label}尚未生成值班表，请先生成`, [
      { path: 'body.month', message: '请先生成该月值班表' },
    ]);
  }
  if (gaps.length > 0 && !input.acceptGaps) {
    const days = new Set(gaps.map((g) => g.date)).size;
    throw Conflict(
      'rota_has_gaps',
      `${label}值班表有 ${days} 天缺岗（共 ${gaps.length} 个岗位），请调整班次或确认缺岗后再发布`,
      gaps.slice(0, 20).map((g) => ({ path: 'body.acceptGaps', message: g.reason })),
    );
  }
}

/** Days with at least one place unfilled, and how many places (for the page's summary). */
export function gapSummary(gaps: readonly RotaShortfall[]): { days: number; places: number } {
  const days = new Set(gaps.map((g) => g.date));
  return { days: days.size, places: gaps.reduce((n, g) => n + (g.needed - g.assigned), 0) };
}
