import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  addDays,
  dateOfDayNumber,
  dayNumber,
  dayNumberOf,
  escapeMarkup,
  isDateText,
  weekdayName,
} from '../../packages/domain/src';

/** One day-number module (calendar/days.ts) and one markup escaper (markup.ts), and nothing else of either. */

const ROOT = path.resolve(__dirname, '../..');
const SOURCES = ['apps/api/src', 'apps/mini/src', 'packages/domain/src'];
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
const everySource = () =>
  SOURCES.flatMap((d) => files(path.join(ROOT, d))).map((f) => ({
    file: path.relative(ROOT, f),
    text: readFileSync(f, 'utf8'),
  }));

describe('day numbers', () => {
  test.each([
    ['1970-01-01', 0],
    ['1970-01-02', 1],
    ['1969-12-31', -1],
    ['2026-10-01', 20727],
    ['2028-02-29', 21243],
  ])('%s is day %i, and back', (date, n) => {
    expect(dayNumber(date)).toBe(n);
    expect(dayNumberOf(date)).toBe(n);
    expect(dateOfDayNumber(n)).toBe(date);
  });

  test.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-10-01', 0, '2026-10-01'],
  ])('%s + %i days = %s', (date, n, out) => {
    expect(addDays(date, n)).toBe(out);
  });

  test.each([
    ['2026-02-30', false],
    ['2026-1-5', false],
    ['2026-13-01', false],
    ['2026-02-28', true],
  ])('isDateText(%s) = %s', (text, real) => {
    expect(isDateText(text)).toBe(real);
    expect(dayNumberOf(text) !== null).toBe(real);
  });

  test('weekdays from day numbers: 1970-01-01 was a Thursday, 2026-10-01 a Thursday too', () => {
    expect([weekdayName('1970-01-01'), weekdayName('2026-10-01'), weekdayName('2026-10-04')]).toEqual([
      '周四',
      '周四',
      '周日',
    ]);
  });

  test('no other file computes day numbers', () => {
    const others = everySource().filter(
      ({ file, text }) =>
        file !== 'packages/domain/src/calendar/days.ts' &&
        /\/\s*(86_?400_?000|MS_PER_DAY|DAY_MS)\b|(const|function)\s+dayNumber\w*\s*[=(]/.test(text),
    );
    expect(others.map((o) => o.file)).toEqual([]);
  });
});

describe('markup', () => {
  test.each([
    ['a & b', 'a &amp; b'],
    ['<script>', '&lt;script&gt;'],
    ['"x"', '&quot;x&quot;'],
    ["it's", 'it&#39;s'],
    ['张三', '张三'],
    ['&amp;', '&amp;amp;'],
  ])('%j → %j', (input, out) => {
    expect(escapeMarkup(input)).toBe(out);
  });

  test('no other file escapes markup', () => {
    const others = everySource().filter(
      ({ file, text }) => file !== 'packages/domain/src/markup.ts' && text.includes("'&amp;'"),
    );
    expect(others.map((o) => o.file)).toEqual([]);
  });
});
