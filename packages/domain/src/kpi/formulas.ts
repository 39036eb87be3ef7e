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
 * - rated / satisfied = received issues with a rating / with a rating ≥ 4 (a rating is the 回访:
 *               the reporter's answers online or a phone callback recorded by staff);
 * - solved    = rated issues whose answer to 解决了吗 was yes;
 * - contactDue = received issues whose reporter was contacted or whose contact deadline has passed;
 * - contactedOnTime = received issues whose reporter was first contacted by the contact deadline;
 * - closed / closedOnTime = received issues closed / closed by the SLA resolve deadline;
 * - reworked  = handled issues reopened at least once (the reporter's or an inspector's "not fixed").
 */
export interface KpiCounts {
  received: number;
  handled: number;
  effective: number;
  onTime: number;
  rated: number;
  satisfied: number;
  // Issue 17 item 6: the three rates (响应率, 解决率, 满意率), 按期结案率 and 返工率.
  contactDue: number;
  contactedOnTime: number;
  solved: number;
  closed: number;
  closedOnTime: number;
  reworked: number;
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
  /** 响应率 = reporters contacted by the contact deadline / contacts due. */
  responseRate: Ratio;
  /** 解决率 = callbacks answering "solved" / callbacks. */
  solvedRate: Ratio;
  /** 按期结案率 = closed by the resolve deadline / closed. */
  closedOnTimeRate: Ratio;
  /** 返工率 = handled issues reopened / handled. Lower is better. */
  reworkRate: Ratio;
}

export const RATE_KEYS = [
  'handlingRate',
  'effectiveRate',
  'satisfactionRate',
  'onTimeRate',
  'responseRate',
  'solvedRate',
  'closedOnTimeRate',
  'reworkRate',
] as const;
export type RateKey = (typeof RATE_KEYS)[number];

export const RATE_NAMES: Record<RateKey, string> = {
  handlingRate: '调处率',
  effectiveRate: '处置有效率',
  satisfactionRate: '满意率',
  onTimeRate: '按时办结率',
  responseRate: '响应率',
  solvedRate: '解决率',
  closedOnTimeRate: '按期结案率',
  reworkRate: '返工率',
};

/** Rates where a lower value is better (ranked ascending). */
export const LOWER_IS_BETTER: readonly RateKey[] = ['reworkRate'];

/** What each ratio divides, in words, for the dashboard and the export. */
export const RATE_DEFINITIONS: Record<RateKey, string> = {
  handlingRate: '已处理 ÷ 受理',
  effectiveRate: '有效处置 ÷ 已处理',
  satisfactionRate: '满意评价（4–5 分）÷ 评价数',
  onTimeRate: '按时处理 ÷ 已处理',
  responseRate: '按时联系反映人 ÷ 应联系',
  solvedRate: '回访“已解决” ÷ 回访数',
  closedOnTimeRate: '按期结案 ÷ 已结案',
  reworkRate: '返工（重开） ÷ 已处理',
};

export const COUNT_NAMES: Record<keyof KpiCounts, string> = {
  received: '受理',
  handled: '已处理',
  effective: '有效处置',
  onTime: '按时处理',
  rated: '评价数',
  satisfied: '满意评价',
  contactDue: '应联系',
  contactedOnTime: '按时联系',
  solved: '回访已解决',
  closed: '已结案',
  closedOnTime: '按期结案',
  reworked: '返工',
};

export const ZERO_COUNTS: KpiCounts = Object.freeze({
  received: 0,
  handled: 0,
  effective: 0,
  onTime: 0,
  rated: 0,
  satisfied: 0,
  contactDue: 0,
  contactedOnTime: 0,
  solved: 0,
  closed: 0,
  closedOnTime: 0,
  reworked: 0,
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

/** The ratios of a set of counts (which must nest: effective, on time, reworked ≤ handled ≤ received; …). */
export function kpiFigures(c: KpiCounts): KpiFigures {
  return {
    ...c,
    handlingRate: ratio(c.handled, c.received),
    effectiveRate: ratio(c.effective, c.handled),
    satisfactionRate: ratio(c.satisfied, c.rated),
    onTimeRate: ratio(c.onTime, c.handled),
    responseRate: ratio(c.contactedOnTime, c.contactDue),
    solvedRate: ratio(c.solved, c.rated),
    closedOnTimeRate: ratio(c.closedOnTime, c.closed),
    reworkRate: ratio(c.reworked, c.handled),
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

/** One row of a ranking: a zone, line, organisation or person, and its figures. */
export interface RankedRow<F extends KpiFigures = KpiFigures> {
  key: string;
  name: string;
  figures: F;
}

/**
 * Rank rows by one rate: best first (highest, or lowest for 返工率), rows without data (0/0) last;
 * ties by the larger denominator (more evidence first), then by key, so the order is stable. Each
 * row gets its place, equal values sharing one (1, 2, 2, 4); rows without data get none.
 */
export function rankByRate<R extends { key: string; figures: Pick<KpiFigures, RateKey> }>(
  rows: readonly R[],
  rate: RateKey,
): (R & { rank: number | null })[] {
  const lower = LOWER_IS_BETTER.includes(rate);
  const sorted = [...rows].sort((a, b) => {
    const x = a.figures[rate];
    const y = b.figures[rate];
    if (x.value === null || y.value === null) {
      if (x.value !== y.value) return x.value === null ? 1 : -1;
    } else {
      // Compare the exact fractions: x.n/x.d vs y.n/y.d without rounding.
      const diff = x.numerator * y.denominator - y.numerator * x.denominator;
      if (diff !== 0) return lower ? diff : -diff;
    }
    return y.denominator - x.denominator || a.key.localeCompare(b.key);
  });
  let place = 0;
  let previous: Ratio | null = null;
  return sorted.map((row, i) => {
    const r = row.figures[rate];
    if (r.value === null) return { ...row, rank: null };
    const same =
      previous !== null && r.numerator * previous.denominator === previous.numerator * r.denominator;
    if (!same) place = i + 1;
    previous = r;
    return { ...row, rank: place };
  });
}
