import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { Conflict } from '../errors';

dayjs.extend(utc);
dayjs.extend(timezone);

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/** A stored instant (ISO text from JSON, or a Date from the database) as a Date. */
export type InstantLike = Date | string;
export const toDate = (t: InstantLike) => (t instanceof Date ? t : new Date(t));

/** "2024-05-08 10:00" in the community's time zone: what people read. */
export const formatInstant = (t: InstantLike, tz = DEFAULT_TIMEZONE) =>
  dayjs(toDate(t)).tz(tz).format('YYYY-MM-DD HH:mm');

/** The calendar day of an instant in the community's time zone, "2024-05-08". */
export const dayOf = (t: InstantLike, tz = DEFAULT_TIMEZONE) => dayjs(toDate(t)).tz(tz).format('YYYY-MM-DD');

/** The same wall-clock time `months` later in the community's time zone (Jan 31 + 1 → Feb 29). */
export const addMonths = (t: InstantLike, months: number, tz = DEFAULT_TIMEZONE) =>
  dayjs(toDate(t)).tz(tz).add(months, 'month').toDate();

/** What is recorded of a meeting (who attended) happens at or after its time: 409 meeting_not_started. */
export function assertStarted(at: InstantLike, now: Date, tz = DEFAULT_TIMEZONE) {
  if (now.getTime() < toDate(at).getTime()) {
    throw Conflict('meeting_not_started', `会议定于 ${formatInstant(at, tz)} 召开，开始后才能登记出席情况`);
  }
}
