import { z } from 'zod';
import { dayNumberOf } from './days';

// Same rules as community keys (community/schema.ts): a community names its calendar by this key.
const CalendarKey = z
  .string()
  .max(32, '键最多 32 个字符')
  .regex(/^[a-z0-9][a-z0-9_-]*$/, '只能使用小写字母、数字、连字符和下划线，例如 cn-mainland');

/** The longest holiday block ever scheduled is 9 days (春节); a longer range is a typo. */
const MAX_RANGE_DAYS = 31;

/** A date range as day numbers, both ends included. */
export interface DayRange {
  from: number;
  to: number;
}

/**
 * "2026-10-01" or "2026-10-01..2026-10-07" (both ends included), as day numbers; or the reason it
 * is not one, in Chinese.
 */
export function parseDateSpec(text: string): DayRange | { problem: string } {
  const parts = text.split('..');
  if (parts.length > 2 || !parts.every((p) => /^\d{4}-\d{2}-\d{2}$/.test(p))) {
    return {
      problem: `日期 "${text}" 格式不对：应写成 2026-10-01，或用 .. 连接的日期范围，例如 2026-10-01..2026-10-07`,
    };
  }
  const days = parts.map((p) => dayNumberOf(p));
  const bad = parts.find((_, i) => days[i] === null);
  if (bad !== undefined) return { problem: `日期 "${bad}" 不存在：月份或日数超出范围` };
  const from = days[0]!;
  const to = days[1] ?? from;
  if (to < from) return { problem: `日期范围 "${text}" 的结束日早于开始日` };
  if (to - from >= MAX_RANGE_DAYS) {
    return { problem: `日期范围 "${text}" 超过 ${MAX_RANGE_DAYS} 天：放假或调休不会这么长，请检查是否写错` };
  }
  return { from, to };
}

export const CalendarDateSpec = z.string().superRefine((text, ctx) => {
  const parsed = parseDateSpec(text);
  if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
});

/** A named group of days: one holiday (国庆节) or the make-up workdays that go with it. */
export const CalendarDayGroup = z.strictObject({
  name: z.string().min(1, '请填写名称，例如 国庆节'),
  dates: z.array(CalendarDateSpec).min(1, '至少写一个日期或日期范围'),
});
export type CalendarDayGroup = z.infer<typeof CalendarDayGroup>;

export const CalendarYearConfig = z.strictObject({
  /**
   * True while the year holds only the statutory dates, before the State Council publishes the
   * year's schedule with its bridging and make-up days: deadlines are computed but flagged.
   */
  provisional: z.boolean().default(false),
  /** Where the dates come from (the notice's number), so a reader can check them. */
  source: z.string().min(1, '请注明日期来源，例如国务院办公厅通知的文号'),
  /** Days off (放假), including weekend days inside a holiday block. */
  holidays: z.array(CalendarDayGroup).default([]),
  /** Saturdays and Sundays that are working days (调休上班). */
  workdays: z.array(CalendarDayGroup).default([]),
});
export type CalendarYearConfig = z.infer<typeof CalendarYearConfig>;

/** A holiday calendar file (config/calendars/<key>.yaml). `years` is keyed by the year, "2026". */
export const HolidayCalendarConfig = z.strictObject({
  key: CalendarKey,
  name: z.string().min(1),
  years: z.record(z.string(), CalendarYearConfig),
});
export type HolidayCalendarConfig = z.infer<typeof HolidayCalendarConfig>;
