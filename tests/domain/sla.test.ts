import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type HolidayCalendar,
  parseHolidayCalendarText,
  validateHolidayCalendar,
} from '../../packages/domain/src/calendar/validate';
import type { Urgency } from '../../packages/domain/src/community/schema';
import {
  parseCommunityConfigText,
  validateCommunityConfig,
} from '../../packages/domain/src/community/validate';
import { addDuration, deadlinesFor, slaFor } from '../../packages/domain/src/sla/deadlines';
import { durationText, formatDuration, SlaDuration } from '../../packages/domain/src/sla/duration';
import { domainErrorOf, expectProblems, expectValid, shippedConfig, shippedConfigText } from './fixtures';

const CALENDAR_PATH = path.resolve(__dirname, '../../config/calendars/cn-mainland.yaml');

function loadCnMainland(): HolidayCalendar {
  const result = parseHolidayCalendarText(readFileSync(CALENDAR_PATH, 'utf8'));
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.calendar;
}

const cal = loadCnMainland();

/** The shipped calendar with some 2026 make-up workdays removed, to show what they change. */
function withoutMakeupDays(...dates: string[]): HolidayCalendar {
  const config = structuredClone(cal.config);
  const year = config.years['2026']!;
  year.workdays = year.workdays.map((g) => ({ ...g, dates: g.dates.filter((d) => !dates.includes(d)) }));
  year.workdays = year.workdays.filter((g) => g.dates.length > 0);
  const result = validateHolidayCalendar(config);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.calendar;
}

const d = (text: string) => SlaDuration.parse(text);
const SH = 'Asia/Shanghai';

describe('SlaDuration', () => {
  it.each([
    ['15m', 'minutes', 15, '15 分钟'],
    ['4h', 'hours', 4, '4 小时'],
    ['24h', 'hours', 24, '24 小时'],
    ['1wd', 'working_days', 1, '1 个工作日'],
    ['7wd', 'working_days', 7, '7 个工作日'],
  ])('"%s" is %s × %d, shown as %s', (text, unit, amount, shown) => {
    const parsed = SlaDuration.parse(text);
    expect(parsed).toEqual({ unit, amount });
    expect(formatDuration(parsed)).toBe(shown);
    expect(durationText(parsed)).toBe(text);
  });

  it('accepts its own parsed form, so a parsed config validates again', () => {
    expect(SlaDuration.parse({ unit: 'working_days', amount: 7 })).toEqual({
      unit: 'working_days',
      amount: 7,
    });
  });

  it.each([
    ['3d'],
    ['15'],
    ['0m'],
    ['1.5h'],
    ['wd'],
    [''],
    ['7 days'],
    [15],
    [null],
    [{ unit: 'days', amount: 1 }],
  ])('refuses %j with a Chinese message', (input) => {
    const result = SlaDuration.safeParse(input);
    expect(result.success).toBe(false);
    const message = result.error!.issues[0]!.message;
    expect(message).toContain('无法识别');
    expect(message).toContain('7wd（工作日）');
  });
});

describe('SLA config in the community', () => {
  it('the shipped config still validates, with the docs/domain.md §8 defaults', () => {
    const { config } = expectValid(parseCommunityConfigText(shippedConfigText()));
    expect(config.calendar).toBe('cn-mainland');
    expect(config.sla).toEqual({
      emergency: { accept: { unit: 'minutes', amount: 15 }, resolve: { unit: 'hours', amount: 4 } },
      urgent: { accept: { unit: 'hours', amount: 2 }, resolve: { unit: 'hours', amount: 24 } },
      normal: { accept: { unit: 'working_days', amount: 1 }, resolve: { unit: 'working_days', amount: 7 } },
      // Issue 17 item 10: the reporter contacted within (响应), and the working hours of "wh".
      contact: {
        emergency: { unit: 'minutes', amount: 30 },
        urgent: { unit: 'working_hours', amount: 2 },
        normal: { unit: 'working_days', amount: 1 },
      },
      workingHours: ['08:30-12:00', '13:00-17:30'],
      categories: {},
    });
    expect(config.followUp).toEqual({
      autoCloseDays: 7,
      letterTriggers: {
        complaintsPerIssue: 3,
        lowRatingAtMost: 2,
        satisfactionBelow: 0.6,
        satisfactionMinRatings: 5,
      },
      reminderLetterAfter: { unit: 'working_days', amount: 1 },
      warningAfterReminderLetters: 3,
      warningWindowDays: 90,
    });
    // The parsed config (durations already objects) validates again unchanged.
    expect(expectValid(validateCommunityConfig(shippedConfig())).config.sla).toEqual(config.sla);
  });

  it('keeps the default for what an urgency leaves out', () => {
    const text = `${shippedConfigText()}\nsla:\n  normal:\n    resolve: 5wd\n`;
    const { config } = expectValid(parseCommunityConfigText(text));
    expect(config.sla.normal).toEqual({
      accept: { unit: 'working_days', amount: 1 },
      resolve: { unit: 'working_days', amount: 5 },
    });
    expect(config.sla.urgent.accept).toEqual({ unit: 'hours', amount: 2 });
  });

  it.each([
    ['sla:\n  normal:\n    accept: 3d\n', 'sla.normal.accept', ['"3d"', '无法识别', '7wd（工作日）']],
    ['followUp:\n  reminderLetterAfter: 2days\n', 'followUp.reminderLetterAfter', ['"2days"', '无法识别']],
    [
      'sla:\n  categories:\n    elevator:\n      urgent:\n        accept: soon\n',
      'sla.categories.elevator.urgent.accept',
      ['"soon"'],
    ],
    [
      'sla:\n  categories:\n    lift:\n      urgent:\n        accept: 30m\n',
      'sla.categories.lift',
      ['未知类别 "lift"', 'elevator'],
    ],
    [
      'sla:\n  categories:\n    elevator:\n      critical:\n        accept: 5m\n',
      'sla.categories.elevator.critical',
      ['不认识的字段 "critical"'],
    ],
    ['calendar: CN\n', 'calendar', ['小写字母']],
  ])('refuses %j naming the path', (yaml, path, fragments) => {
    const problems = expectProblems(parseCommunityConfigText(`${shippedConfigText()}\n${yaml}`));
    const problem = problems.find((p) => p.path === path);
    if (!problem) throw new Error(`no problem at ${path}: ${JSON.stringify(problems)}`);
    for (const f of fragments) expect(problem.message).toContain(f);
  });
});

describe('slaFor', () => {
  const config = expectValid(
    parseCommunityConfigText(
      `${shippedConfigText()}\nsla:\n  categories:\n    elevator:\n      urgent: { accept: 30m }\n      normal: { accept: 4h, resolve: 3wd }\n`,
    ),
  ).config;

  it.each([
    ['urgent', 'elevator', '30m', '24h'], // accept overridden, resolve from the urgency
    ['normal', 'elevator', '4h', '3wd'],
    ['emergency', 'elevator', '15m', '4h'], // no override for emergencies
    ['urgent', 'sanitation', '2h', '24h'],
    ['normal', 'sanitation', '1wd', '7wd'],
    ['emergency', 'noise', '15m', '4h'],
  ] as [Urgency, string, string, string][])(
    '%s %s: accept %s, resolve %s',
    (urgency, category, accept, resolve) => {
      expect(slaFor(config, urgency, category)).toEqual({ accept: d(accept), resolve: d(resolve) });
    },
  );
});

describe('addDuration', () => {
  it.each([
    // National Day 2026: Oct 1–7 off, Sat Oct 10 a make-up workday.
    ['1wd over National Day', '2026-09-30T10:00:00+08:00', '1wd', '2026-10-08T02:00:00.000Z'],
    [
      '7wd over National Day and the make-up Saturday 10-10',
      '2026-09-30T10:00:00+08:00',
      '7wd',
      '2026-10-15T02:00:00.000Z',
    ],
    [
      '1wd from a holiday afternoon: Oct 8 from 00:00, due at its end',
      '2026-10-03T15:00:00+08:00',
      '1wd',
      '2026-10-08T16:00:00.000Z',
    ],
    [
      '7wd from a holiday: Oct 8, 9, 10, 12, 13, 14, 15',
      '2026-10-03T15:00:00+08:00',
      '7wd',
      '2026-10-15T16:00:00.000Z',
    ],
    ['1wd from the first day of the holiday', '2026-10-01T00:00:00+08:00', '1wd', '2026-10-08T16:00:00.000Z'],
    [
      '1wd from the last minute before the holiday',
      '2026-09-30T23:59:00+08:00',
      '1wd',
      '2026-10-08T15:59:00.000Z',
    ],
    // Spring Festival 2026: Feb 15–23 off, Sat Feb 14 and Sat Feb 28 make-up workdays.
    [
      '1wd from Friday lands on the make-up Saturday Feb 14',
      '2026-02-13T09:30:00+08:00',
      '1wd',
      '2026-02-14T01:30:00.000Z',
    ],
    [
      '2wd from Friday: Feb 14, then Feb 24 after the holiday',
      '2026-02-13T09:30:00+08:00',
      '2wd',
      '2026-02-24T01:30:00.000Z',
    ],
    [
      '7wd from Friday: Feb 14, 24, 25, 26, 27, 28 (Sat), Mar 2',
      '2026-02-13T09:30:00+08:00',
      '7wd',
      '2026-03-02T01:30:00.000Z',
    ],
    ['1wd from the make-up Saturday evening', '2026-02-14T18:00:00+08:00', '1wd', '2026-02-24T10:00:00.000Z'],
    ['1wd from a Sunday of the holiday', '2026-02-22T11:00:00+08:00', '1wd', '2026-02-24T16:00:00.000Z'],
    // Midnight on a working day: due at the end of the N-th working day counting that one.
    ['1wd from Friday 00:00: end of Friday', '2026-09-18T00:00:00+08:00', '1wd', '2026-09-18T16:00:00.000Z'],
    [
      '2wd from Friday 00:00: Fri 18, make-up Sun 20',
      '2026-09-18T00:00:00+08:00',
      '2wd',
      '2026-09-20T16:00:00.000Z',
    ],
    // Into 2027 (provisional: Jan 1 off, Jan 2–3 weekend).
    ['1wd over New Year 2027', '2026-12-31T16:00:00+08:00', '1wd', '2027-01-04T08:00:00.000Z'],
    // 2028 is not listed: Monday–Friday only, National Day not known.
    ['7wd in a year the calendar lacks', '2028-09-27T10:00:00+08:00', '7wd', '2028-10-06T02:00:00.000Z'],
    // Minutes and hours are wall-clock time, holidays or not.
    ['15m on National Day', '2026-10-01T10:00:00+08:00', '15m', '2026-10-01T02:15:00.000Z'],
    ['4h on National Day', '2026-10-01T10:00:00+08:00', '4h', '2026-10-01T06:00:00.000Z'],
    ['24h into the holiday', '2026-09-30T22:00:00+08:00', '24h', '2026-10-01T14:00:00.000Z'],
    ['2h on a Sunday', '2026-03-08T23:30:00+08:00', '2h', '2026-03-08T17:30:00.000Z'],
  ])('%s', (_what, from, duration, due) => {
    expect(addDuration(new Date(from), d(duration), cal, SH).toISOString()).toBe(due);
  });

  it('counts the make-up workdays: without them the deadlines are later', () => {
    const noOct10 = withoutMakeupDays('2026-10-10');
    expect(addDuration(new Date('2026-09-30T10:00:00+08:00'), d('7wd'), noOct10, SH).toISOString()).toBe(
      '2026-10-16T02:00:00.000Z',
    );
    const noFeb = withoutMakeupDays('2026-02-14', '2026-02-28');
    // Feb 24, 25, 26, 27, Mar 2, 3, 4.
    expect(addDuration(new Date('2026-02-13T09:30:00+08:00'), d('7wd'), noFeb, SH).toISOString()).toBe(
      '2026-03-04T01:30:00.000Z',
    );
  });

  it.each([
    // Local Wednesday evening is a working day, although it is already Oct 1 (a holiday) in UTC.
    ['America/Los_Angeles', '2026-10-01T03:00:00Z', '1wd', '2026-10-09T03:00:00.000Z'],
    // Oct 1 00:30 in Tokyo (a holiday there), though still Sep 30 in Shanghai: Tokyo's dates count.
    ['Asia/Tokyo', '2026-09-30T15:30:00Z', '1wd', '2026-10-08T15:00:00.000Z'],
    // DST starts on Sunday Mar 8 in New York: Friday 10:00 EST → Monday 10:00 EDT.
    ['America/New_York', '2026-03-06T15:00:00Z', '1wd', '2026-03-09T14:00:00.000Z'],
    // DST starts on Friday Mar 27 in Israel, a working day: the deadline keeps the local clock time.
    ['Asia/Jerusalem', '2026-03-26T08:00:00Z', '1wd', '2026-03-27T07:00:00.000Z'],
  ])('in %s, from %s, %s is due %s', (zone, from, duration, due) => {
    expect(addDuration(new Date(from), d(duration), cal, zone).toISOString()).toBe(due);
  });

  it('keeps the milliseconds of the start', () => {
    expect(addDuration(new Date('2026-09-30T02:00:00.123Z'), d('1wd'), cal, SH).toISOString()).toBe(
      '2026-10-08T02:00:00.123Z',
    );
  });

  it('refuses an unknown time zone and an invalid instant', () => {
    expect(domainErrorOf(() => addDuration(new Date(), d('1wd'), cal, 'Asia/Beijing')).code).toBe(
      'invalid_timezone',
    );
    expect(domainErrorOf(() => addDuration(new Date(Number.NaN), d('1h'), cal, SH)).code).toBe(
      'invalid_instant',
    );
  });
});

describe('deadlinesFor', () => {
  const config = expectValid(
    parseCommunityConfigText(
      `${shippedConfigText()}\nsla:\n  categories:\n    elevator:\n      urgent: { accept: 30m }\n`,
    ),
  ).config;

  it('normal: 1 and 7 working days across National Day', () => {
    expect(
      deadlinesFor(config, cal, {
        urgency: 'normal',
        category: 'sanitation',
        from: new Date('2026-09-30T10:00:00+08:00'),
      }),
    ).toEqual({
      acceptBy: new Date('2026-10-08T02:00:00.000Z'),
      resolveBy: new Date('2026-10-15T02:00:00.000Z'),
      contactBy: new Date('2026-10-08T02:00:00.000Z'),
      accept: d('1wd'),
      resolve: d('7wd'),
      contact: d('1wd'),
    });
  });

  it('emergency: 15 minutes and 4 hours, on a holiday', () => {
    const due = deadlinesFor(config, cal, {
      urgency: 'emergency',
      category: 'elevator',
      from: new Date('2026-10-02T21:00:00+08:00'),
    });
    expect(due.acceptBy.toISOString()).toBe('2026-10-02T13:15:00.000Z');
    expect(due.resolveBy.toISOString()).toBe('2026-10-02T17:00:00.000Z');
  });

  it('urgent elevator: the category override for acceptance, the urgency rule for resolution', () => {
    const due = deadlinesFor(config, cal, {
      urgency: 'urgent',
      category: 'elevator',
      from: new Date('2026-10-02T21:00:00+08:00'),
    });
    expect(formatDuration(due.accept)).toBe('30 分钟');
    expect(due.acceptBy.toISOString()).toBe('2026-10-02T13:30:00.000Z');
    expect(due.resolveBy.toISOString()).toBe('2026-10-03T13:00:00.000Z');
  });
});
