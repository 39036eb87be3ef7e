/**
 * The formulas of docs/domain.md §11. The database counts; these functions turn counts into ratios. A
 * ratio always carries its numerator and denominator, and a zero denominator is "no data" (null),
 * never 0 % or 100 %: a zone that received nothing did not handle 0 % of it.
 *
 * - received  = issues submitted in the period, minus `rejected` and `merged` (and minus a banned
 *               reporter's hidden issues, which are never dispatched);
 * - handled   = received issues that reached `resolved` or `closed`, or got a joint-meeting resolution;
 * - effective = handled issues never reopened whose rating, if any, is ≥ 3;
 * - on time   = handled issues whose first handling came by the SLA resolve deadline;
 * - rated / satisfied = received issues with a rating / with a rating ≥ 4.
 */
export interface KpiCounts {
  received: number;
  handled: number;
  effective: number;
  onTime: number;
  rated: number;
  satisfied: number;
}

export interface Ratio {
  numerator: number;
  denominator: number;
  /** numerator / denominator, or null when the denominator is 0 (no data). */
  value: number | null;
}

export interface KpiFigures extends KpiCounts {
  /** 调处率 = handled / received. */
  handlingRate: Ratio;
  /** 处置有效率 = effective / handled. */
  effectiveRate: Ratio;
  /** 满意率 = ratings ≥ 4 / ratings. */
  satisfactionRate: Ratio;
  /** 按时办结率 = handled within SLA / handled. */
  onTimeRate: Ratio;
}

export const RATE_KEYS = ['handlingRate', 'effectiveRate', 'satisfactionRate', 'onTimeRate'] as const;
export type RateKey = (typeof RATE_KEYS)[number];

export const RATE_NAMES: Record<RateKey, string> = {
  handlingRate: '调处率',
  effectiveRate: '处置有效率',
  satisfactionRate: '满意率',
  onTimeRate: '按时办结率',
};

/** What each ratio divides, in words, for the dashboard and the export. */
export const RATE_DEFINITIONS: Record<RateKey, string> = {
  handlingRate: '已处理 ÷ 受理',
  effectiveRate: '有效处置 ÷ 已处理',
  satisfactionRate: '满意评价（4–5 分）÷ 评价数',
  onTimeRate: '按时处理 ÷ 已处理',
};

export const COUNT_NAMES: Record<keyof KpiCounts, string> = {
  received: '受理',
  handled: '已处理',
  effective: '有效处置',
  onTime: '按时处理',
  rated: '评价数',
  satisfied: '满意评价',
};

export const ZERO_COUNTS: KpiCounts = Object.freeze({
  received: 0,
  handled: 0,
  effective: 0,
  onTime: 0,
  rated: 0,
  satisfied: 0,
});

export function ratio(numerator: number, denominator: number): Ratio {
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator) || numerator < 0 || denominator < 0) {
    throw new RangeError(`a ratio takes counts, got ${numerator}/${denominator}`);
  }
  if (numerator > denominator) {
    throw new RangeError(`a ratio's numerator ${numerator} exceeds its denominator ${denominator}`);
  }
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

/** The four ratios of a set of counts (which must nest: effective, on time ≤ handled ≤ received). */
export function kpiFigures(c: KpiCounts): KpiFigures {
  return {
    ...c,
    handlingRate: ratio(c.handled, c.received),
    effectiveRate: ratio(c.effective, c.handled),
    satisfactionRate: ratio(c.satisfied, c.rated),
    onTimeRate: ratio(c.onTime, c.handled),
  };
}

/** "83.3%" (one decimal, rounded half up on the exact fraction), or "无数据". */
export function formatRatio(r: Ratio, digits = 1): string {
  if (r.denominator === 0) return '无数据';
  const scale = 10 ** digits;
  // Integer arithmetic: 5/6 → 83.3, 1/8 → 12.5, 1/3 → 33.3, never 83.29999.
  const scaled = Math.floor((r.numerator * 100 * scale * 2 + r.denominator) / (2 * r.denominator));
  const whole = Math.floor(scaled / scale);
  const frac = String(scaled % scale).padStart(digits, '0');
  return digits > 0 ? `${whole}.${frac}%` : `${whole}%`;
}

/** "83.3%（5/6）": the ratio with its counts beside it. */
export const formatRatioWithCounts = (r: Ratio) =>
  r.denominator === 0 ? '无数据（0/0）' : `${formatRatio(r)}（${r.numerator}/${r.denominator}）`;
