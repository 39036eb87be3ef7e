import { type Quarter, quarterLabel } from '../archive/quarter';
import { addDays, dayNumber } from '../calendar/days';
import { instantAt } from '../calendar/zone';
import { isDateText } from '../duty/config';
import { Invalid } from '../errors';

/**
 * A KPI period: a quarter ("2026Q3"), a month ("2026-07") or a range of dates ("2026-07-01" to
 * "2026-08-15"), always whole local days of the community's calendar, both ends inclusive.
 */
export const PERIOD_KINDS = ['quarter', 'month', 'range'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface KpiPeriod {
  kind: PeriodKind;
  /** How the period is written in a request: 2026Q3, 2026-07, or 2026-07-01..2026-08-15. */
  key: string;
  /** 2026年第三季度, 2026年7月, 2026-07-01 至 2026-08-15. */
  label: string;
  /** First and last local date, inclusive. */
  from: string;
  to: string;
}

/** The longest range a request may ask for: five years of monthly trend is plenty for a chart. */
export const MAX_PERIOD_DAYS = 5 * 366;

const QUARTER_RE = /^(\d{4})-?[Qq]([1-4])$/;
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export function quarterPeriod(year: number, quarter: number): KpiPeriod {
  const first = (quarter - 1) * 3 + 1;
  const last = first + 2;
  return {
    kind: 'quarter',
    key: `${year}Q${quarter}`,
    label: quarterLabel({ year, q: quarter as Quarter['q'] }),
    from: `${year}-${pad(first)}-01`,
    to: `${year}-${pad(last)}-${pad(lastDayOfMonth(year, last))}`,
  };
}

export function monthPeriod(year: number, month: number): KpiPeriod {
  return {
    kind: 'month',
    key: `${year}-${pad(month)}`,
    label: `${year}年${month}月`,
    from: `${year}-${pad(month)}-01`,
    to: `${year}-${pad(month)}-${pad(lastDayOfMonth(year, month))}`,
  };
}

export interface PeriodInput {
  period?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const bad = (code: string, message: string, path: string, detail: string) =>
  Invalid(code, message, [{ path, message: detail }]);

/**
 * A period from a request: `period` (a quarter or a month) or both `from` and `to`, never both
 * kinds. Refusals name the field under `prefix` (e.g. `querystring.`).
 */
export function parsePeriod(input: PeriodInput, prefix = ''): KpiPeriod {
  const { period, from, to } = input;
  if (period !== undefined) {
    if (from !== undefined || to !== undefined) {
      throw bad(
        'period_ambiguous',
        '统计期间只能二选一：按季度或月份（period），或按起止日期（from、to）',
        `${prefix}period`,
        '不能与 from、to 同时使用',
      );
    }
    const text = period.trim();
    const q = QUARTER_RE.exec(text);
    if (q) return quarterPeriod(Number(q[1]), Number(q[2]));
    const m = MONTH_RE.exec(text);
    if (m) return monthPeriod(Number(m[1]), Number(m[2]));
    throw bad(
      'invalid_period',
      `统计期间 "${period}" 无效：应写成季度（如 2026Q3）或月份（如 2026-07）`,
      `${prefix}period`,
      '应为 2026Q3 或 2026-07 的形式',
    );
  }
  if (from === undefined && to === undefined) {
    throw bad(
      'period_required',
      '请指定统计期间：季度（如 2026Q3）、月份（如 2026-07），或起止日期',
      `${prefix}period`,
      '缺少统计期间',
    );
  }
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value === undefined) {
      throw bad(
        'period_incomplete',
        `按起止日期统计时须同时填写开始日期和结束日期`,
        `${prefix}${name}`,
        `缺少${name === 'from' ? '开始' : '结束'}日期`,
      );
    }
    if (!isDateText(value)) {
      throw bad(
        'invalid_date',
        `日期 "${value}" 无效：应写成 YYYY-MM-DD，例如 2026-07-01`,
        `${prefix}${name}`,
        '应为 YYYY-MM-DD 格式的真实日期',
      );
    }
  }
  if (to! < from!) {
    throw bad(
      'period_reversed',
      `结束日期 ${to} 早于开始日期 ${from}`,
      `${prefix}to`,
      '结束日期不能早于开始日期',
    );
  }
  if (dayNumber(to!) - dayNumber(from!) + 1 > MAX_PERIOD_DAYS) {
    throw bad('period_too_long', '统计期间最长五年，请缩短起止日期', `${prefix}to`, '期间超过五年');
  }
  return { kind: 'range', key: `${from}..${to}`, label: `${from} 至 ${to}`, from: from!, to: to! };
}

/** The period as instants in the community's time zone: [start, end), end = the day after `to` at 00:00. */
export function periodInstants(period: Pick<KpiPeriod, 'from' | 'to'>, timeZone: string) {
  return {
    start: instantAt(dayNumber(period.from), 0, timeZone),
    end: instantAt(dayNumber(addDays(period.to, 1)), 0, timeZone),
  };
}

/** Every month the period touches, "YYYY-MM", in order: the trend's x axis. */
export function monthsOf(period: Pick<KpiPeriod, 'from' | 'to'>): string[] {
  const out: string[] = [];
  let y = Number(period.from.slice(0, 4));
  let m = Number(period.from.slice(5, 7));
  const last = period.to.slice(0, 7);
  for (;;) {
    const key = `${y}-${pad(m)}`;
    out.push(key);
    if (key >= last) return out;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
}

/** "2026-07" → "7月", or "2026年7月" when the trend spans several years. */
export const monthLabel = (month: string, withYear = false) =>
  `${withYear ? `${month.slice(0, 4)}年` : ''}${Number(month.slice(5, 7))}月`;

/** The quarter an instant falls in, in a zone's local calendar: the dashboard's default. */
export function quarterPeriodOf(date: string): KpiPeriod {
  return quarterPeriod(Number(date.slice(0, 4)), Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1);
}

/** The quarter or month `delta` steps away (the dashboard's 上一期 / 下一期). A range stays as it is. */
export function stepPeriod(p: KpiPeriod, delta: number): KpiPeriod {
  const year = Number(p.from.slice(0, 4));
  const month = Number(p.from.slice(5, 7));
  if (p.kind === 'quarter') {
    const idx = year * 4 + Math.floor((month - 1) / 3) + delta;
    return quarterPeriod(Math.floor(idx / 4), (idx % 4) + 1);
  }
  if (p.kind === 'month') {
    const idx = year * 12 + (month - 1) + delta;
    return monthPeriod(Math.floor(idx / 12), (idx % 12) + 1);
  }
  return p;
}

/** The month a date falls in, as a period. */
export const monthOf = (date: string): KpiPeriod =>
  monthPeriod(Number(date.slice(0, 4)), Number(date.slice(5, 7)));
