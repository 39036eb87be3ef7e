import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type Community,
  calendarCoverageWarnings,
  formatConfigProblems,
  type HolidayCalendar,
  localDayOf,
  parseHolidayCalendarText,
} from '@gongzhi/domain';
import { ConfigInvalidError } from './load-community-configs';

/**
 * Every `<key>.yaml` holiday calendar in the folder, validated; every community's `calendar` must
 * name one of them. Returns the calendars and warnings for the years of the next 90 days that are
 * provisional or missing (calendarCoverageWarnings, in each community's zone), which the server
 * prints at start.
 */
export function loadCalendars(dir: string, communities: Map<string, Community>, now: Date) {
  const calendars = new Map<string, HolidayCalendar>();
  const errors: string[] = [];
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  for (const f of files) {
    const file = path.join(dir, f);
    const result = parseHolidayCalendarText(readFileSync(file, 'utf8'));
    if (!result.ok) {
      errors.push(`节假日日历无效：\n${formatConfigProblems(file, result.problems)}`);
      continue;
    }
    const expectedKey = f.replace(/\.ya?ml$/, '');
    if (result.calendar.key !== expectedKey) {
      errors.push(`${file}: key: 日历的 key "${result.calendar.key}" 须与文件名 "${expectedKey}" 一致`);
      continue;
    }
    calendars.set(result.calendar.key, result.calendar);
  }
  for (const c of communities.values()) {
    if (!calendars.has(c.config.calendar)) {
      errors.push(`社区 ${c.key} 的 calendar: "${c.config.calendar}" 在 ${dir} 中不存在`);
    }
  }
  if (errors.length) throw new ConfigInvalidError(errors.join('\n'));
  const warnings = new Set<string>();
  for (const c of communities.values()) {
    const today = localDayOf(now, c.config.timezone).day;
    for (const w of calendarCoverageWarnings(calendars.get(c.config.calendar)!, today)) warnings.add(w);
  }
  return { calendars, warnings: [...warnings] };
}
