import { z } from 'zod';

/**
 * The working hours of a working day (docs/domain.md §8), in the community's time zone: periods
 * written "08:30-12:00", in order, not overlapping. A deadline in working hours ("2wh") runs only
 * inside these periods of the calendar's working days (sla/deadlines.ts).
 */
export const DEFAULT_WORKING_HOURS = ['08:30-12:00', '13:00-17:30'] as const;

const PERIOD_TEXT = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** A period as minutes into the local day, [from, to). */
export interface WorkingPeriod {
  from: number;
  to: number;
}

/** "08:30-12:00" as minutes, or the reason it is not a period, in Chinese. */
export function parseWorkingPeriod(text: string): WorkingPeriod | { problem: string } {
  const m = PERIOD_TEXT.exec(text.trim());
  if (!m) return { problem: `工作时段 "${text}" 格式不对：应写成 08:30-12:00` };
  const [h1, m1, h2, m2] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  if (h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59 || (h2 === 24 && m2 > 0)) {
    return { problem: `工作时段 "${text}" 的时刻不存在` };
  }
  const from = h1 * 60 + m1;
  const to = h2 * 60 + m2;
  if (to <= from) return { problem: `工作时段 "${text}" 的结束早于或等于开始` };
  return { from, to };
}

export const WorkingHoursConfig = z
  .array(z.string(), { error: '工作时段应写成列表，例如 ["08:30-12:00", "13:00-17:30"]' })
  .min(1, '至少写一个工作时段')
  .max(8, '工作时段最多 8 段')
  .superRefine((list, ctx) => {
    let previous: WorkingPeriod | null = null;
    list.forEach((text, i) => {
      const p = parseWorkingPeriod(text);
      if ('problem' in p) {
        ctx.addIssue({ code: 'custom', path: [i], message: p.problem });
        return;
      }
      if (previous && p.from < previous.to) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `工作时段 "${text}" 与前一段重叠或顺序颠倒：请按时间先后书写`,
        });
      }
      previous = p;
    });
  });

const cache = new Map<string, readonly WorkingPeriod[]>();

/** The periods of a validated working-hours list (cached: deadlines are computed in loops). */
export function workingPeriods(list: readonly string[]): readonly WorkingPeriod[] {
  const key = list.join(',');
  let periods = cache.get(key);
  if (!periods) {
    periods = list.map((text) => {
      const p = parseWorkingPeriod(text);
      if ('problem' in p) throw new RangeError(p.problem);
      return p;
    });
    cache.set(key, periods);
  }
  return periods;
}

/** Working minutes in one working day: 08:30–12:00 and 13:00–17:30 make 480 (8 hours). */
export const workingMinutesPerDay = (list: readonly string[]) =>
  workingPeriods(list).reduce((sum, p) => sum + p.to - p.from, 0);
