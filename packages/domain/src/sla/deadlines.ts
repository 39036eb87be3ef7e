import { isWorkingDayNumber } from '../calendar/lookup';
import type { HolidayCalendar } from '../calendar/validate';
import { instantAt, localDayOf } from '../calendar/zone';
import type { CommunityConfig, Urgency } from '../community/schema';
import { Invalid } from '../errors';
import type { SlaDuration } from './duration';
import type { SlaRule } from './schema';
import { DEFAULT_WORKING_HOURS, workingPeriods } from './working-hours';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** The limits for an issue: the category's override for this urgency over the urgency's rule. */
export function slaFor(config: Pick<CommunityConfig, 'sla'>, urgency: Urgency, category: string): SlaRule {
  const base = config.sla[urgency];
  const override = config.sla.categories[category]?.[urgency];
  return { accept: override?.accept ?? base.accept, resolve: override?.resolve ?? base.resolve };
}

/** The time to contact the reporter: the category's override for this urgency over the urgency's. */
export function contactSlaFor(
  config: Pick<CommunityConfig, 'sla'>,
  urgency: Urgency,
  category: string,
): SlaDuration {
  return config.sla.categories[category]?.[urgency]?.contact ?? config.sla.contact[urgency];
}

/**
 * `from` plus a duration. Minutes and hours are wall-clock time, always: an emergency does not
 * wait for a holiday. Working days run only on working days of the calendar in `timeZone`, a whole
 * local day each: the deadline is the moment N working days' worth of working-day time has passed
 * since `from`. From a working day that is the same wall-clock time N working days later (Wed
 * 2026-09-30 10:00 + 1wd = Thu 2026-10-08 10:00, across National Day); from a holiday or weekend
 * the count starts at 00:00 of the next working day and ends at the end of the N-th (Sat
 * 2026-10-03 15:00 + 1wd = 2026-10-09 00:00). In a zone with DST a day is its local calendar day
 * (23 or 25 hours), so the deadline keeps the local clock time rather than exact 24 h multiples.
 * Working hours run only inside `workingHours` (08:30–12:00, 13:00–17:30 by default) of working
 * days: Fri 2026-09-18 16:30 + 2wh = Mon 2026-09-21 09:30 (an hour on Friday, an hour on Monday).
 */
export function addDuration(
  from: Date,
  d: SlaDuration,
  cal: HolidayCalendar,
  timeZone: string,
  workingHours: readonly string[] = DEFAULT_WORKING_HOURS,
): Date {
  const start = from.getTime();
  if (!Number.isFinite(start)) throw Invalid('invalid_instant', '起始时间无效');
  switch (d.unit) {
    case 'minutes':
      return new Date(start + d.amount * MINUTE_MS);
    case 'hours':
      return new Date(start + d.amount * HOUR_MS);
    case 'working_days':
      return addWorkingDays(from, d.amount, cal, timeZone);
    case 'working_hours':
      return addWorkingHours(from, d.amount * HOUR_MS, cal, timeZone, workingHours);
  }
}

/** A working-hours count never spans more than this many days (a calendar of only holidays is a bug). */
const MAX_WALK_DAYS = 3700;

function addWorkingHours(
  from: Date,
  ms: number,
  cal: HolidayCalendar,
  timeZone: string,
  workingHours: readonly string[],
): Date {
  const periods = workingPeriods(workingHours);
  let { day, msIntoDay } = localDayOf(from, timeZone);
  let left = ms;
  for (let walked = 0; walked < MAX_WALK_DAYS; walked++, day++, msIntoDay = 0) {
    if (!isWorkingDayNumber(cal, day)) continue;
    for (const p of periods) {
      const end = p.to * MINUTE_MS;
      if (msIntoDay >= end) continue;
      const start = Math.max(msIntoDay, p.from * MINUTE_MS);
      // The count ends inside this period (at its end, when exactly used up).
      if (left <= end - start) return instantAt(day, start + left, timeZone);
      left -= end - start;
      msIntoDay = end;
    }
  }
  throw Invalid('no_working_hours', '节假日日历中找不到足够的工作时间来计算期限');
}

function addWorkingDays(from: Date, n: number, cal: HolidayCalendar, timeZone: string): Date {
  let { day, msIntoDay } = localDayOf(from, timeZone);
  if (!isWorkingDayNumber(cal, day)) {
    do day++;
    while (!isWorkingDayNumber(cal, day));
    msIntoDay = 0;
  }
  if (msIntoDay === 0) {
    // Starting at midnight, N whole working days: the first instant they have all passed is the end
    // of the N-th working day (counting this one), not the start of the next working day after it.
    for (let left = n - 1; left > 0; ) {
      day++;
      if (isWorkingDayNumber(cal, day)) left--;
    }
    return instantAt(day + 1, 0, timeZone);
  }
  // The rest of today, N - 1 whole working days, and the same time into the N-th working day after.
  for (let left = n; left > 0; ) {
    day++;
    if (isWorkingDayNumber(cal, day)) left--;
  }
  return instantAt(day, msIntoDay, timeZone);
}

export interface Deadlines {
  acceptBy: Date;
  resolveBy: Date;
  /** The reporter contacted by (响应, docs/domain.md §8). */
  contactBy: Date;
  accept: SlaDuration;
  resolve: SlaDuration;
  contact: SlaDuration;
}

/** Both deadlines of an issue reported at `from`, in the community's time zone. */
export function deadlinesFor(
  config: Pick<CommunityConfig, 'sla' | 'timezone'>,
  calendar: HolidayCalendar,
  input: { urgency: Urgency; category: string; from: Date },
): Deadlines {
  const { accept, resolve } = slaFor(config, input.urgency, input.category);
  const contact = contactSlaFor(config, input.urgency, input.category);
  const add = (d: SlaDuration) =>
    addDuration(input.from, d, calendar, config.timezone, config.sla.workingHours);
  return {
    acceptBy: add(accept),
    resolveBy: add(resolve),
    contactBy: add(contact),
    accept,
    resolve,
    contact,
  };
}
