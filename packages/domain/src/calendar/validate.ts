import type { ConfigProblem } from '../community/validate';
import { parseStrictYaml, schemaProblems } from '../config-yaml';
import { dateOfDayNumber, weekdayOfDayNumber, yearOfDayNumber } from './days';
import { type CalendarDayGroup, HolidayCalendarConfig, parseDateSpec } from './schema';

export interface CalendarYearInfo {
  year: number;
  provisional: boolean;
  source: string;
}

/**
 * A validated holiday calendar compiled for lookups: day numbers (see days.ts) → the name of the
 * holiday or make-up day. Plain data, safe to share between API and client.
 */
export interface HolidayCalendar {
  key: string;
  name: string;
  config: HolidayCalendarConfig;
  holidays: Map<number, string>;
  makeupWorkdays: Map<number, string>;
  years: Map<number, CalendarYearInfo>;
}

export type HolidayCalendarResult =
  | { ok: true; calendar: HolidayCalendar }
  | { ok: false; problems: ConfigProblem[] };

interface Listed {
  list: 'holidays' | 'workdays';
  path: string;
  name: string;
}

const WEEKDAY_NAMES = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** Parse a calendar file's YAML text and validate it. */
export function parseHolidayCalendarText(text: string): HolidayCalendarResult {
  const parsed = parseStrictYaml(text);
  return parsed.ok ? validateHolidayCalendar(parsed.value) : parsed;
}

/** Validate an already-parsed calendar object: schema first, then the rules between dates. */
export function validateHolidayCalendar(raw: unknown): HolidayCalendarResult {
  const parsed = HolidayCalendarConfig.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: schemaProblems(parsed.error),
    };
  }
  const config = parsed.data;
  const problems: ConfigProblem[] = [];

  for (const [yearKey, year] of Object.entries(config.years)) {
    const yearPath = `years.${yearKey}`;
    if (!/^\d{4}$/.test(yearKey)) {
      problems.push({
        path: yearPath,
        message: `年份 "${yearKey}" 应写成四位数字，例如 2026`,
        values: { year: yearKey },
      });
      continue;
    }
    const y = Number(yearKey);
    // Day → where it was first listed, to name both places when a day is listed twice.
    const seen = new Map<number, Listed>();

    const walk = (list: 'holidays' | 'workdays', groups: CalendarDayGroup[]) => {
      groups.forEach((group, gi) => {
        group.dates.forEach((spec, di) => {
          const path = `${yearPath}.${list}[${gi}].dates[${di}]`;
          const range = parseDateSpec(spec);
          if ('problem' in range) return; // the schema has reported it
          const outside: number[] = [];
          const notWeekend: string[] = [];
          // Days listed before, grouped by where they were first listed: one problem per place.
          const again = new Map<string, { first: Listed; dates: string[] }>();
          for (let day = range.from; day <= range.to; day++) {
            if (yearOfDayNumber(day) !== y) {
              outside.push(day);
              continue;
            }
            const weekday = weekdayOfDayNumber(day);
            if (list === 'workdays' && weekday !== 0 && weekday !== 6) {
              notWeekend.push(`${dateOfDayNumber(day)}（${WEEKDAY_NAMES[weekday]}）`);
            }
            const first = seen.get(day);
            if (!first) {
              seen.set(day, { list, path, name: group.name });
              continue;
            }
            const key = `${first.path}（${first.name}）`;
            const entry = again.get(key) ?? { first, dates: [] };
            entry.dates.push(dateOfDayNumber(day));
            again.set(key, entry);
          }
          if (outside.length > 0) {
            const dates = outside.map(dateOfDayNumber);
            problems.push({
              path,
              message: `日期 ${listDates(dates)} 不在 ${y} 年内：每个日期写在它所在的年份之下（这里应写到 years.${yearOfDayNumber(outside[0]!)} 下）`,
              values: { year: y, dates },
            });
          }
          if (notWeekend.length > 0) {
            problems.push({
              path,
              message: `调休上班日 ${listDates(notWeekend)} 不是周六或周日：周一至周五本来就上班，调休上班日只能是周末`,
              values: { dates: notWeekend },
            });
          }
          for (const [where, { first, dates }] of again) {
            problems.push({
              path,
              message:
                first.list === list
                  ? `${list === 'holidays' ? '放假' : '调休上班'}日期 ${listDates(dates)} 重复：已在 ${where} 中列出`
                  : `${listDates(dates)} 同时列为放假日和调休上班日（另见 ${where}）：一天只能是其中一种`,
              values: { dates, other: first.path },
            });
          }
        });
      });
    };
    walk('holidays', year.holidays);
    walk('workdays', year.workdays);
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, calendar: compileHolidayCalendar(config) };
}

const listDates = (dates: string[]) =>
  dates.length <= 3 ? dates.join('、') : `${dates[0]} 至 ${dates[dates.length - 1]} 等 ${dates.length} 天`;

/** Lookups for a calendar that has passed validateHolidayCalendar. */
export function compileHolidayCalendar(config: HolidayCalendarConfig): HolidayCalendar {
  const holidays = new Map<number, string>();
  const makeupWorkdays = new Map<number, string>();
  const years = new Map<number, CalendarYearInfo>();
  const fill = (target: Map<number, string>, groups: CalendarDayGroup[]) => {
    for (const group of groups) {
      for (const spec of group.dates) {
        const range = parseDateSpec(spec);
        if ('problem' in range) continue;
        for (let day = range.from; day <= range.to; day++) target.set(day, group.name);
      }
    }
  };
  for (const [yearKey, year] of Object.entries(config.years)) {
    years.set(Number(yearKey), { year: Number(yearKey), provisional: year.provisional, source: year.source });
    fill(holidays, year.holidays);
    fill(makeupWorkdays, year.workdays);
  }
  return { key: config.key, name: config.name, config, holidays, makeupWorkdays, years };
}
