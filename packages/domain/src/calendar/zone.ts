import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { Invalid } from '../errors';
import { DAY_MS, dateOfDayNumber, dayNumberFromParts } from './days';

dayjs.extend(utc);
dayjs.extend(timezone);

// One formatter per zone: building an Intl.DateTimeFormat costs far more than using one, and
// dayjs's .tz() builds a new one on every call (toLocaleString with a timeZone).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw Invalid('invalid_timezone', `时区 "${timeZone}" 无效：应为 IANA 时区名，例如 Asia/Shanghai`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Refuse a time zone that is not an IANA name the runtime knows, before dayjs throws a RangeError. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** Where an instant falls in a zone: the local calendar day and the wall-clock time into it. */
export function localDayOf(instant: Date, timeZone: string): { day: number; msIntoDay: number } {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw Invalid('invalid_instant', '时间无效');
  const p: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  // Zone offsets are whole seconds, so the milliseconds are the instant's own.
  const millis = ((ms % 1000) + 1000) % 1000;
  return {
    day: dayNumberFromParts(p.year!, p.month!, p.day!),
    msIntoDay: ((p.hour! * 60 + p.minute!) * 60 + p.second!) * 1000 + millis,
  };
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export const localDateOf = (instant: Date, timeZone: string) =>
  dateOfDayNumber(localDayOf(instant, timeZone).day);

/** "2026-10-08 10:00": the local date and wall-clock minute of an instant in a zone (exports, print). */
export function localDateTimeOf(instant: Date, timeZone: string): string {
  const { day, msIntoDay } = localDayOf(instant, timeZone);
  const minutes = Math.floor(msIntoDay / 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${dateOfDayNumber(day)} ${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * The instant a zone's wall clock shows `msIntoDay` on a day. A wall-clock time skipped by a DST
 * change resolves as dayjs resolves it (moved forward by the gap).
 */
export function instantAt(day: number, msIntoDay: number, timeZone: string): Date {
  assertTimeZone(timeZone);
  // The local wall-clock reading written as if it were UTC, then shifted by the zone's offset.
  const wall = new Date(day * DAY_MS + msIntoDay).toISOString().slice(0, 23);
  return dayjs.tz(wall, timeZone).toDate();
}
