import { z } from 'zod';
import { dateOfDayNumber, dayNumberFromParts } from '../calendar/days';
import { instantAt, localDayOf } from '../calendar/zone';
import { Invalid } from '../errors';

/**
 * Quarters of the year in a community's local time (Asia/Shanghai for 夏朵园): 2026Q3 runs from
 * 1 July 00:00 to 1 October 00:00 local time, start inclusive, end exclusive. Written `2026Q3`.
 */
export interface Quarter {
  year: number;
  q: 1 | 2 | 3 | 4;
}

const QUARTER_PATTERN = /^(\d{4})Q([1-4])$/;
const Q_NAMES = ['一', '二', '三', '四'] as const;

/** A quarter as written in requests and file names: `2026Q3`. */
export const QuarterKey = z
  .string()
  .regex(QUARTER_PATTERN, '季度应写作“年份Q季度”，例如 2026Q3')
  .refine((s) => Number(s.slice(0, 4)) >= 2000, '年份应不早于 2000 年');

/** `2026Q3` → { year: 2026, q: 3 }; anything else → 400 invalid_quarter naming the value. */
export function parseQuarter(text: string, path = 'quarter'): Quarter {
  const m = QUARTER_PATTERN.exec(text.trim());
  if (!m || Number(m[1]) < 2000) {
    throw Invalid('invalid_quarter', `季度“${text}”无效：应写作“年份Q季度”，例如 2026Q3`, [
      { path, message: '季度格式无效' },
    ]);
  }
  return { year: Number(m[1]), q: Number(m[2]) as Quarter['q'] };
}

export const formatQuarter = (q: Quarter) => `${q.year}Q${q.q}`;

/** 2026年第三季度 */
export const quarterLabel = (q: Quarter) => `${q.year}年第${Q_NAMES[q.q - 1]}季度`;

export const nextQuarter = (q: Quarter): Quarter =>
  q.q === 4 ? { year: q.year + 1, q: 1 } : { year: q.year, q: (q.q + 1) as Quarter['q'] };

export const previousQuarter = (q: Quarter): Quarter =>
  q.q === 1 ? { year: q.year - 1, q: 4 } : { year: q.year, q: (q.q - 1) as Quarter['q'] };

const firstDayOf = (q: Quarter) => dayNumberFromParts(q.year, (q.q - 1) * 3 + 1, 1);

/** [start, end) of a quarter in a time zone, as instants. */
export function quarterBounds(q: Quarter, timeZone: string): { start: Date; end: Date } {
  return {
    start: instantAt(firstDayOf(q), 0, timeZone),
    end: instantAt(firstDayOf(nextQuarter(q)), 0, timeZone),
  };
}

/** The local dates a quarter covers, first and last (for the summary). */
export function quarterDates(q: Quarter): { first: string; last: string } {
  return { first: dateOfDayNumber(firstDayOf(q)), last: dateOfDayNumber(firstDayOf(nextQuarter(q)) - 1) };
}

/** The quarter an instant falls in, by the zone's wall calendar. */
export function quarterOf(instant: Date, timeZone: string): Quarter {
  const date = dateOfDayNumber(localDayOf(instant, timeZone).day);
  const month = Number(date.slice(5, 7));
  return { year: Number(date.slice(0, 4)), q: (Math.floor((month - 1) / 3) + 1) as Quarter['q'] };
}

export const sameQuarter = (a: Quarter, b: Quarter) => a.year === b.year && a.q === b.q;

/** The `n` quarters that ended most recently before `now`, newest first. */
export function recentFinishedQuarters(now: Date, timeZone: string, n: number): Quarter[] {
  const out: Quarter[] = [];
  let q = previousQuarter(quarterOf(now, timeZone));
  for (let i = 0; i < n; i++) {
    out.push(q);
    q = previousQuarter(q);
  }
  return out;
}
