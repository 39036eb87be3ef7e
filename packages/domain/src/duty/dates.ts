import { Invalid } from '../errors';
import { type DutyShiftDef, isDateText } from './config';

// Dates are calendar days written YYYY-MM-DD, with no time zone: a rota is about the community's
// own calendar. Arithmetic runs on day numbers (calendar/days.ts, the one day-number module).

/** A date field of a request, or a 400 naming the field. */
export function requireDate(text: unknown, path: string): string {
  if (typeof text !== 'string' || !isDateText(text)) {
    throw Invalid('invalid_date', `日期 "${String(text)}" 无效：应写成 YYYY-MM-DD，例如 2026-10-01`, [
      { path, message: '应为 YYYY-MM-DD 格式的真实日期' },
    ]);
  }
  return text;
}

/** "2026-10-01" or "2026-10-01..2026-10-05" (already validated) → inclusive [from, to]. */
export function parseDateSpan(text: string): [string, string] {
  const [from, to] = text.split('..');
  return [from!.trim(), (to ?? from!).trim()];
}

export const minutesOfClock = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * A shift's place in wall-clock minutes from the start of its own date: [start, start + length).
 * An end at or before the start runs into the next day, so 17:00–08:30 lasts 15.5 hours and
 * 08:00–08:00 lasts 24.
 */
export function shiftSpan(def: Pick<DutyShiftDef, 'start' | 'end'>): { start: number; end: number } {
  const start = minutesOfClock(def.start);
  const end = minutesOfClock(def.end);
  return { start, end: end > start ? end : end + 24 * 60 };
}
