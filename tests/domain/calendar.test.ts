import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  calendarYearStatus,
  calendarYearWarning,
  dayKind,
  holidayName,
  isWorkingDay,
} from '../../packages/domain/src/calendar/lookup';
import type { HolidayCalendarConfig } from '../../packages/domain/src/calendar/schema';
import {
  type HolidayCalendar,
  type HolidayCalendarResult,
  parseHolidayCalendarText,
  validateHolidayCalendar,
} from '../../packages/domain/src/calendar/validate';
import type { ConfigProblem } from '../../packages/domain/src/community/validate';
import { domainErrorOf } from './fixtures';

const CALENDAR_PATH = path.resolve(__dirname, '../../config/calendars/cn-mainland.yaml');

function loadCnMainland(): HolidayCalendar {
  const result = parseHolidayCalendarText(readFileSync(CALENDAR_PATH, 'utf8'));
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.calendar;
}

const cal = loadCnMainland();

/** Every 2026 day off of 国办发明电〔2025〕7号, written out by hand. */
const HOLIDAYS_2026: [string, string][] = [
  ...['2026-01-01', '2026-01-02', '2026-01-03'].map((d): [string, string] => [d, '元旦']),
  ...[
    '2026-02-15',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-02-21',
    '2026-02-22',
    '2026-02-23',
  ].map((d): [string, string] => [d, '春节']),
  ...['2026-04-04', '2026-04-05', '2026-04-06'].map((d): [string, string] => [d, '清明节']),
  ...['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05'].map((d): [string, string] => [
    d,
    '劳动节',
  ]),
  ...['2026-06-19', '2026-06-20', '2026-06-21'].map((d): [string, string] => [d, '端午节']),
  ...['2026-09-25', '2026-09-26', '2026-09-27'].map((d): [string, string] => [d, '中秋节']),
  ...['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'].map(
    (d): [string, string] => [d, '国庆节'],
  ),
];

/** The 2026 make-up workdays (调休上班), all on a Saturday or Sunday. */
const MAKEUP_2026: [string, string][] = [
  ['2026-01-04', '元旦调休上班'],
  ['2026-02-14', '春节调休上班'],
  ['2026-02-28', '春节调休上班'],
  ['2026-05-09', '劳动节调休上班'],
  ['2026-09-20', '国庆节调休上班'],
  ['2026-10-10', '国庆节调休上班'],
];

describe('the shipped calendar (config/calendars/cn-mainland.yaml)', () => {
  it('validates, with 33 days off and 6 make-up workdays in 2026', () => {
    expect(cal.key).toBe('cn-mainland');
    expect(cal.name).toBe('中国大陆法定节假日');
    expect(HOLIDAYS_2026).toHaveLength(33);
    expect(cal.years.get(2026)?.source).toContain('国办发明电〔2025〕7号');
  });

  it.each(HOLIDAYS_2026)('%s is a holiday (%s)', (date, name) => {
    expect(dayKind(cal, date)).toBe('holiday');
    expect(isWorkingDay(cal, date)).toBe(false);
    expect(holidayName(cal, date)).toBe(name);
  });

  it.each(MAKEUP_2026)('%s is a make-up workday (%s)', (date, name) => {
    expect(dayKind(cal, date)).toBe('makeup_workday');
    expect(isWorkingDay(cal, date)).toBe(true);
    expect(holidayName(cal, date)).toBe(name);
  });

  it.each([
    ['2026-01-05', 'workday'], // Monday after 元旦
    ['2026-02-13', 'workday'], // Friday before the Spring Festival make-up Saturday
    ['2026-02-24', 'workday'], // Tuesday, first day back after 春节
    ['2026-03-07', 'weekend'],
    ['2026-03-08', 'weekend'],
    ['2026-04-07', 'workday'],
    ['2026-05-10', 'weekend'], // the Sunday after the 劳动节 make-up Saturday
    ['2026-09-19', 'weekend'], // the Saturday before the make-up Sunday 9-20
    ['2026-10-08', 'workday'],
    ['2026-10-11', 'weekend'], // the Sunday after the make-up Saturday 10-10
    ['2026-12-31', 'workday'],
  ] as const)('%s is an ordinary %s', (date, kind) => {
    expect(dayKind(cal, date)).toBe(kind);
    expect(isWorkingDay(cal, date)).toBe(kind === 'workday');
    expect(holidayName(cal, date)).toBeNull();
  });

  it('has no other 2026 holiday or make-up day: every other day follows Monday–Friday', () => {
    const holidays = new Set(HOLIDAYS_2026.map(([d]) => d));
    const makeup = new Set(MAKEUP_2026.map(([d]) => d));
    const wrong: string[] = [];
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      const weekday = new Date(t).getUTCDay();
      const expected = holidays.has(date)
        ? 'holiday'
        : makeup.has(date)
          ? 'makeup_workday'
          : weekday === 0 || weekday === 6
            ? 'weekend'
            : 'workday';
      if (dayKind(cal, date) !== expected) wrong.push(`${date}: ${dayKind(cal, date)} ≠ ${expected}`);
    }
    expect(wrong).toEqual([]);
  });

  it('reports 2026 official, 2027 provisional, other years missing', () => {
    expect(calendarYearStatus(cal, 2026)).toBe('official');
    expect(calendarYearStatus(cal, 2027)).toBe('provisional');
    expect(calendarYearStatus(cal, 2025)).toBe('missing');
    expect(calendarYearStatus(cal, 2028)).toBe('missing');
    expect(calendarYearWarning(cal, 2026)).toBeNull();
    expect(calendarYearWarning(cal, 2027)).toContain('暂定');
    expect(calendarYearWarning(cal, 2028)).toContain('未收录 2028 年');
    expect(cal.years.get(2027)?.source).toContain('暂定');
  });

  it.each([
    ['2027-01-01', '元旦'],
    ['2027-02-05', '春节'],
    ['2027-02-06', '春节'],
    ['2027-02-07', '春节'],
    ['2027-02-08', '春节'],
    ['2027-04-05', '清明节'],
    ['2027-05-01', '劳动节'],
    ['2027-05-02', '劳动节'],
    ['2027-06-09', '端午节'],
    ['2027-09-15', '中秋节'],
    ['2027-10-01', '国庆节'],
    ['2027-10-02', '国庆节'],
    ['2027-10-03', '国庆节'],
  ])('2027 (provisional): %s is the statutory holiday %s', (date, name) => {
    expect(dayKind(cal, date)).toBe('holiday');
    expect(holidayName(cal, date)).toBe(name);
  });

  it('2027 has no bridging days or make-up workdays yet', () => {
    expect(dayKind(cal, '2027-02-04')).toBe('workday'); // Thursday before 除夕
    expect(dayKind(cal, '2027-02-09')).toBe('workday'); // Tuesday, 初四
    expect(dayKind(cal, '2027-10-04')).toBe('workday'); // Monday after the 3 statutory days
    expect(dayKind(cal, '2027-10-09')).toBe('weekend');
    expect([...cal.makeupWorkdays.keys()].filter((d) => d >= Date.UTC(2027, 0, 1) / 86_400_000)).toEqual([]);
  });

  it('falls back to Monday–Friday for a year it does not list', () => {
    // 2028's National Day is not listed: Monday 2028-10-02 counts as an ordinary workday.
    expect(dayKind(cal, '2028-10-01')).toBe('weekend'); // Sunday
    expect(dayKind(cal, '2028-10-02')).toBe('workday');
    expect(isWorkingDay(cal, '2028-10-02')).toBe(true);
    expect(dayKind(cal, '2025-10-01')).toBe('workday'); // Wednesday; 2025 is not listed either
  });

  it.each(['2026-02-30', '2026-1-5', '20261001', ''])('refuses the date "%s" with invalid_date', (date) => {
    const error = domainErrorOf(() => dayKind(cal, date));
    expect(error.code).toBe('invalid_date');
    expect(error.message).toContain('YYYY-MM-DD');
  });
});

interface TestGroup {
  name: string;
  dates: string[];
}
interface TestConfig {
  key: string;
  name: string;
  years: Record<string, { source: string; holidays: TestGroup[]; workdays: TestGroup[] }>;
}

/** A small valid calendar, to break one rule at a time. */
const baseConfig = (): TestConfig => ({
  key: 'test',
  name: '测试日历',
  years: {
    '2026': {
      source: '测试',
      holidays: [{ name: '国庆节', dates: ['2026-10-01..2026-10-07'] }],
      workdays: [{ name: '国庆节调休上班', dates: ['2026-09-20', '2026-10-10'] }],
    },
  },
});

function problemsOf(result: HolidayCalendarResult): ConfigProblem[] {
  if (result.ok) throw new Error('expected the calendar to be refused, but it validated');
  return result.problems;
}

function problemAt(problems: ConfigProblem[], path: string): ConfigProblem {
  const found = problems.find((p) => p.path === path);
  if (!found) {
    throw new Error(
      `no problem at ${path}; got:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`,
    );
  }
  return found;
}

describe('validateHolidayCalendar', () => {
  it('accepts the small base calendar', () => {
    const result = validateHolidayCalendar(baseConfig());
    expect(result.ok).toBe(true);
    if (result.ok) expect(dayKind(result.calendar, '2026-10-10')).toBe('makeup_workday');
  });

  const year = (c: TestConfig) => c.years['2026']!;

  it.each([
    [
      'a date not written YYYY-MM-DD',
      (c: TestConfig) => {
        year(c).holidays[0]!.dates = ['2026-10-1'];
      },
      'years.2026.holidays[0].dates[0]',
      ['"2026-10-1"', '格式不对', '2026-10-01..2026-10-07'],
    ],
    [
      'a date that does not exist',
      (c: TestConfig) => {
        year(c).holidays.push({ name: '春节', dates: ['2026-02-30'] });
      },
      'years.2026.holidays[1].dates[0]',
      ['"2026-02-30" 不存在'],
    ],
    [
      'a range that ends before it starts',
      (c: TestConfig) => {
        year(c).holidays[0]!.dates = ['2026-10-07..2026-10-01'];
      },
      'years.2026.holidays[0].dates[0]',
      ['结束日早于开始日'],
    ],
    [
      'a range far too long',
      (c: TestConfig) => {
        year(c).holidays[0]!.dates = ['2026-10-01..2026-12-31'];
      },
      'years.2026.holidays[0].dates[0]',
      ['超过 31 天'],
    ],
    [
      'a date outside its year',
      (c: TestConfig) => {
        year(c).holidays.push({ name: '元旦', dates: ['2025-12-31..2026-01-01'] });
      },
      'years.2026.holidays[1].dates[0]',
      ['2025-12-31 不在 2026 年内', 'years.2025'],
    ],
    [
      'a date listed both as holiday and workday',
      (c: TestConfig) => {
        year(c).workdays[0]!.dates.push('2026-10-03');
      },
      'years.2026.workdays[0].dates[2]',
      ['2026-10-03 同时列为放假日和调休上班日', 'years.2026.holidays[0].dates[0]（国庆节）'],
    ],
    [
      'a workday that is not a Saturday or Sunday',
      (c: TestConfig) => {
        year(c).workdays[0]!.dates.push('2026-10-09');
      },
      'years.2026.workdays[0].dates[2]',
      ['2026-10-09（星期五）', '不是周六或周日'],
    ],
    [
      'a holiday listed twice',
      (c: TestConfig) => {
        year(c).holidays.push({ name: '国庆节', dates: ['2026-10-05..2026-10-06'] });
      },
      'years.2026.holidays[1].dates[0]',
      ['放假日期 2026-10-05、2026-10-06 重复', 'years.2026.holidays[0].dates[0]（国庆节）'],
    ],
    [
      'a make-up workday listed twice',
      (c: TestConfig) => {
        year(c).workdays.push({ name: '又一次', dates: ['2026-10-10'] });
      },
      'years.2026.workdays[1].dates[0]',
      ['调休上班日期 2026-10-10 重复'],
    ],
    [
      'a year that is not four digits',
      (c: TestConfig) => {
        c.years['26'] = { source: '测试', holidays: [], workdays: [] };
      },
      'years.26',
      ['四位数字'],
    ],
    [
      'a year without its source',
      (c: TestConfig) => {
        year(c).source = '';
      },
      'years.2026.source',
      ['来源'],
    ],
    [
      'a misspelt field',
      (c: TestConfig) => {
        (year(c) as Record<string, unknown>).holiday = [];
      },
      'years.2026.holiday',
      ['不认识的字段 "holiday"'],
    ],
    [
      'a group without dates',
      (c: TestConfig) => {
        year(c).holidays[0]!.dates = [];
      },
      'years.2026.holidays[0].dates',
      ['至少写一个日期'],
    ],
  ])('refuses %s', (_what, mutate, path, fragments) => {
    const config = baseConfig();
    mutate(config);
    const problem = problemAt(problemsOf(validateHolidayCalendar(config)), path);
    for (const f of fragments) expect(problem.message).toContain(f);
  });

  it('names a year written twice in the YAML, with its line', () => {
    const text = [
      'key: test',
      'name: 测试日历',
      'years:',
      '  2026:',
      '    source: 一',
      '  2026:',
      '    source: 二',
      '',
    ].join('\n');
    const [problem] = problemsOf(parseHolidayCalendarText(text));
    expect(problem).toMatchObject({ path: 'years.2026', line: 6 });
    expect(problem!.message).toContain('键重复');
  });

  it('reports a YAML syntax error in Chinese', () => {
    const [problem] = problemsOf(parseHolidayCalendarText('key: [unclosed\n'));
    expect(problem!.message).toContain('YAML 语法错误');
  });

  it('the compiled calendar of a validated object matches the YAML one', () => {
    const config = structuredClone(cal.config) as HolidayCalendarConfig;
    const again = validateHolidayCalendar(config);
    expect(again.ok).toBe(true);
    if (again.ok) expect(again.calendar.holidays.size).toBe(cal.holidays.size);
  });
});
