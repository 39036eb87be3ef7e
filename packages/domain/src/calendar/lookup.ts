import { Invalid } from '../errors';
import {
  dateOfDayNumber,
  dayNumberFromParts,
  dayNumberOf,
  isWeekendDayNumber,
  yearOfDayNumber,
} from './days';
import type { HolidayCalendar } from './validate';

/**
 * What a day is on the calendar. The same four kinds as duty/config.ts's DayKind (which has the
 * display names); kept apart so that both modules can be exported from the package index.
 */
export type CalendarDayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

export const CALENDAR_YEAR_STATUSES = ['official', 'provisional', 'missing'] as const;
export type CalendarYearStatus = (typeof CALENDAR_YEAR_STATUSES)[number];

function dayOf(date: string): number {
  const day = dayNumberOf(date);
  if (day === null) throw Invalid('invalid_date', `日期 "${date}" 无效：应为真实日期，写成 YYYY-MM-DD`);
  return day;
}

/**
 * The kind of a day number. A year the calendar does not list has no holidays or make-up days, so
 * it falls back to Monday–Friday working (see calendarYearStatus to warn about it).
 */
export function dayKindOfDayNumber(cal: HolidayCalendar, day: number): CalendarDayKind {
  if (cal.holidays.has(day)) return 'holiday';
  if (cal.makeupWorkdays.has(day)) return 'makeup_workday';
  return isWeekendDayNumber(day) ? 'weekend' : 'workday';
}

export const isWorkingDayNumber = (cal: HolidayCalendar, day: number) =>
  !cal.holidays.has(day) && (cal.makeupWorkdays.has(day) || !isWeekendDayNumber(day));

/** The kind of a date written YYYY-MM-DD. */
export const dayKind = (cal: HolidayCalendar, date: string): CalendarDayKind =>
  dayKindOfDayNumber(cal, dayOf(date));

/** True on an ordinary weekday and on a make-up workday (调休上班). */
export const isWorkingDay = (cal: HolidayCalendar, date: string) => isWorkingDayNumber(cal, dayOf(date));

/** The name of the holiday (国庆节) or make-up workday on a date, for display; null otherwise. */
export function holidayName(cal: HolidayCalendar, date: string): string | null {
  const day = dayOf(date);
  return cal.holidays.get(day) ?? cal.makeupWorkdays.get(day) ?? null;
}

/** Whether the calendar holds the official schedule for a year, a provisional one, or none. */
export function calendarYearStatus(cal: HolidayCalendar, year: number): CalendarYearStatus {
  const info = cal.years.get(year);
  if (!info) return 'missing';
  return info.provisional ? 'provisional' : 'official';
}

/** A warning for people when a year's working days are not the official ones; null if they are. */
export function calendarYearWarning(cal: HolidayCalendar, year: number): string | null {
  const status = calendarYearStatus(cal, year);
  if (status === 'official') return null;
  if (status === 'provisional') {
    return `${cal.name} ${year} 年的放假安排为暂定（只含法定节日，未含调休），以国务院办公厅正式通知为准：涉及该年的工作日期限可能有出入`;
  }
  return `${cal.name} 未收录 ${year} 年的放假安排：暂按周一至周五为工作日计算，节假日不顺延`;
}

/** How far ahead the calendar must hold official dates: deadlines and the rota look this far. */
export const CALENDAR_COVERAGE_DAYS = 90;

/**
 * Whether the calendar covers the days from `today` (a day number in the community's zone) to
 * `days` days later with official dates: one warning per year of that window that is provisional
 * or missing, with the first day affected. The server prints them at start (load-calendars.ts).
 */
export function calendarCoverageWarnings(
  cal: HolidayCalendar,
  today: number,
  days: number = CALENDAR_COVERAGE_DAYS,
): string[] {
  const first = yearOfDayNumber(today);
  const last = yearOfDayNumber(today + days);
  const warnings: string[] = [];
  for (let year = first; year <= last; year++) {
    const warning = calendarYearWarning(cal, year);
    if (!warning) continue;
    const from = Math.max(today, dayNumberFromParts(year, 1, 1));
    warnings.push(`未来 ${days} 天内（自 ${dateOfDayNumber(from)} 起）：${warning}`);
  }
  return warnings;
}
