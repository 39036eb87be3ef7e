/**
 * Calendar dates as day numbers (days since 1970-01-01). A date here is a date on a wall calendar,
 * not an instant: which instant a day starts at depends on the time zone (see sla/deadlines.ts).
 * Integers make the working-day walk a loop over numbers and set lookups, with no date objects.
 */
export const DAY_MS = 86_400_000;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a real calendar date written YYYY-MM-DD, or null (2026-02-30, 2026-1-5…). */
export function dayNumberOf(date: string): number | null {
  const m = DATE_PATTERN.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March 2; a real date survives the round trip.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/**
 * The day number of a date already known to be YYYY-MM-DD (validated config, a parsed request):
 * no checks, for arithmetic in loops. Text from outside goes through `dayNumberOf`.
 */
export const dayNumber = (date: string): number =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

export const dayNumberFromParts = (year: number, month: number, day: number) =>
  Date.UTC(year, month - 1, day) / DAY_MS;

/** YYYY-MM-DD of a day number. */
export const dateOfDayNumber = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The date `days` after a YYYY-MM-DD date (before, when negative). */
export const addDays = (date: string, days: number) => dateOfDayNumber(dayNumber(date) + days);

export const yearOfDayNumber = (day: number) => new Date(day * DAY_MS).getUTCFullYear();

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export const weekdayOfDayNumber = (day: number) => (((day + 4) % 7) + 7) % 7;

export const isWeekendDayNumber = (day: number) => {
  const w = weekdayOfDayNumber(day);
  return w === 0 || w === 6;
};
