import { addDays, dayNumber } from '../calendar/days';
import { assertTimeZone, instantAt, localDateOf } from '../calendar/zone';
import { Invalid } from '../errors';
import type { DutyShiftDef } from './config';
import { shiftSpan } from './dates';
import type { RotaShift } from './generate-rota';

const MINUTES_PER_DAY = 24 * 60;

// Time-zone work goes through calendar/zone.ts, which keeps one Intl.DateTimeFormat per zone:
// building one per call (as dayjs's .tz() does) was most of the cost of "who is on duty now".

/** The instant the wall clock of `tz` shows `minutes` past midnight of `date` (minutes may exceed a day). */
function wallClockInstant(date: string, minutes: number, tz: string): Date {
  const day = addDays(date, Math.floor(minutes / MINUTES_PER_DAY));
  return instantAt(dayNumber(day), (minutes % MINUTES_PER_DAY) * 60_000, tz);
}

/**
 * When a shift of `date` runs, as instants: [start, end). A shift whose end is at or before its
 * start ends on the next day, so 2026-10-01 17:00–08:30 ends 2026-10-02 08:30 local time.
 */
export function shiftInterval(
  date: string,
  def: Pick<DutyShiftDef, 'start' | 'end'>,
  tz: string,
): { start: Date; end: Date } {
  assertTimeZone(tz);
  const span = shiftSpan(def);
  return { start: wallClockInstant(date, span.start, tz), end: wallClockInstant(date, span.end, tz) };
}

/**
 * The shifts covering an instant: start inclusive, end exclusive, so at a handover only the
 * incoming shift is on duty. Only shifts of the local day and the day before can cover it (no
 * shift lasts more than 24 hours). A shift whose definition is no longer in the config is left
 * out: without its hours nobody can say whether it covers the instant.
 */
export function onDutyAt<S extends RotaShift>(
  shifts: readonly S[],
  shiftDefs: readonly DutyShiftDef[],
  instant: Date,
  tz: string,
): S[] {
  assertTimeZone(tz);
  if (!Number.isFinite(instant.getTime())) throw Invalid('invalid_instant', '时间无效');
  const today = localDateOf(instant, tz);
  const yesterday = addDays(today, -1);
  const defs = new Map(shiftDefs.map((d) => [d.key, d]));
  const t = instant.getTime();
  const intervals = new Map<string, { start: number; end: number }>();
  return shifts.filter((s) => {
    if (s.date !== today && s.date !== yesterday) return false;
    const def = defs.get(s.shift);
    if (!def) return false;
    const id = `${s.date}/${s.shift}`;
    let iv = intervals.get(id);
    if (!iv) {
      const { start, end } = shiftInterval(s.date, def, tz);
      iv = { start: start.getTime(), end: end.getTime() };
      intervals.set(id, iv);
    }
    return iv.start <= t && t < iv.end;
  });
}

/**
 * The next instant after `instant` at which onDutyAt over these shifts can answer differently:
 * the next start or end of one of the shifts that can cover it (those of the local day and the day
 * before, with a definition), or the next local midnight, when the day's shifts are others. What
 * changes the rota itself (a publication, a swap, an override) is not a time and is not foreseen.
 */
export function nextDutyChange(
  shifts: readonly RotaShift[],
  shiftDefs: readonly DutyShiftDef[],
  instant: Date,
  tz: string,
): Date {
  assertTimeZone(tz);
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw Invalid('invalid_instant', '时间无效');
  const today = localDateOf(instant, tz);
  const yesterday = addDays(today, -1);
  const defs = new Map(shiftDefs.map((d) => [d.key, d]));
  let next = instantAt(dayNumber(addDays(today, 1)), 0, tz).getTime();
  for (const s of shifts) {
    if (s.date !== today && s.date !== yesterday) continue;
    const def = defs.get(s.shift);
    if (!def) continue;
    const { start, end } = shiftInterval(s.date, def, tz);
    for (const at of [start.getTime(), end.getTime()]) if (at > t && at < next) next = at;
  }
  return new Date(next);
}
