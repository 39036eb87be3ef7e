import { dateOfDayNumber, dayNumber, weekdayOfDayNumber } from '../calendar/days';
import { ORG_NAMES, ORGS } from '../community/schema';
import { countsFor, DAY_KIND_NAMES, type DayKindOf, type DutyConfig, type DutyShiftDef } from './config';
import type { RotaShift, RotaShortfall } from './generate-rota';

const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const;

/** 周一 … 周日 of a YYYY-MM-DD date. */
export const weekdayName = (date: string) => WEEKDAY_NAMES[weekdayOfDayNumber(dayNumber(date))]!;

/** "2026-10-03（周六）白班 · 居委会": how messages and notices name one place on the rota. */
export function shiftLabel(date: string, def: Pick<DutyShiftDef, 'name'> | undefined, org: string): string {
  const orgName = ORG_NAMES[org as keyof typeof ORG_NAMES] ?? org;
  return `${date}（${weekdayName(date)}）${def?.name ?? '值班'} · ${orgName}`;
}

/**
 * The places the rules ask for in [from, to] that the stored rota does not fill: the same shape
 * as generateRota's shortfalls, so a day short is shown the same way whether it was just generated
 * or read back later (after an override, a swap, a config change, or a range never generated).
 */
export function rotaGaps(input: {
  from: string;
  to: string;
  config: DutyConfig;
  dayKind: DayKindOf;
  shifts: readonly RotaShift[];
}): RotaShortfall[] {
  const held = new Map<string, number>();
  for (const s of input.shifts) {
    const k = `${s.date}|${s.shift}|${s.org}`;
    held.set(k, (held.get(k) ?? 0) + 1);
  }
  const gaps: RotaShortfall[] = [];
  for (let d = dayNumber(input.from); d <= dayNumber(input.to); d++) {
    const date = dateOfDayNumber(d);
    const kind = input.dayKind(date);
    for (const def of input.config.shifts) {
      const counts = countsFor(input.config, def, kind);
      for (const org of ORGS) {
        const needed = counts[org] ?? 0;
        const assigned = held.get(`${date}|${def.key}|${org}`) ?? 0;
        if (assigned >= needed) continue;
        gaps.push({
          date,
          shift: def.key,
          org,
          needed,
          assigned,
          reason: `${date}（${DAY_KIND_NAMES[kind]}）${def.name}需要${ORG_NAMES[org]} ${needed} 人，已安排 ${assigned} 人`,
        });
      }
    }
  }
  return gaps;
}
