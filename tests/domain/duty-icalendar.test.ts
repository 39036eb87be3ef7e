import ICAL from 'ical.js';
import { type DayKind, DutyConfig } from '../../packages/domain/src/duty/config';
import { generateRota } from '../../packages/domain/src/duty/generate-rota';
import {
  type CalendarEvent,
  escapeText,
  foldLine,
  rotaToEvents,
  toICalendar,
} from '../../packages/domain/src/duty/icalendar';
import { loadXiaduoyuan } from './fixtures';

function dayKind(date: string): DayKind {
  if (date >= '2026-10-01' && date <= '2026-10-07') return 'holiday';
  if (date === '2026-09-20' || date === '2026-10-10') return 'makeup_workday';
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6 ? 'weekend' : 'workday';
}

const octets = (s: string) => Buffer.byteLength(s, 'utf8');
const NOW = new Date('2026-09-28T02:03:04.567Z');

/** Parse with a real iCalendar library (ical.js), not our own code. */
function parseFeed(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  const events = cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      summary: e.summary,
      description: e.description,
      location: e.location,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      stamp: String(v.getFirstPropertyValue('dtstamp')),
    };
  });
  return { cal, events };
}

/** Every physical line ≤ 75 octets, CRLF only, and no character cut in two. */
function expectWellFormedLines(text: string) {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const lines = text.slice(0, -2).split('\r\n');
  const tooLong = lines.filter((l) => octets(l) > 75);
  expect(tooLong).toEqual([]);
  // A lone surrogate would mean a 4-byte character was split between two lines.
  expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  return lines;
}

describe('toICalendar', () => {
  const tricky: CalendarEvent = {
    uid: 'tricky-1@xiaduoyuan.duty.gongzhi',
    start: new Date('2026-10-01T00:30:00Z'),
    end: new Date('2026-10-01T09:00:00Z'),
    summary: '值班：居委会 张三, 李四; 王五\\赵六',
    description:
      '第一行，中文逗号；中文分号\n第二行, with a comma; and a semicolon\r\n第三行：夏朵园居民区第一责任区域全岗通值班接待业主咨询问题记录说明文字很长很长很长很长 🏠 结束',
    location: '夏朵园居民区, 居委会值班室',
  };
  const plain: CalendarEvent = {
    uid: 'plain-2@xiaduoyuan.duty.gongzhi',
    start: new Date('2026-10-01T09:00:00Z'),
    end: new Date('2026-10-02T00:30:00Z'),
    summary: '夜班：网格巡查 杨琛怡',
  };
  const text = toICalendar({
    name: '夏朵园居民区值班表, 2026年10月',
    timezone: 'Asia/Shanghai',
    events: [tricky, plain],
    now: NOW,
  });

  it('writes the calendar header and CRLF lines no longer than 75 octets', () => {
    const lines = expectWellFormedLines(text);
    expect(lines.slice(0, 5)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//gongzhi//duty rota//ZH-CN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
    ]);
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    // Long Chinese text really was folded (otherwise the line check proves nothing).
    expect(lines.some((l) => l.startsWith(' '))).toBe(true);
  });

  it('parses with ical.js, and Chinese text, commas, semicolons, backslashes and newlines survive', () => {
    const { cal, events } = parseFeed(text);
    // ical.js does not know X-WR-CALNAME and returns it raw; RFC 5545 makes X- properties TEXT,
    // which calendar apps unescape. Unescaped by the RFC rules, the name comes back whole.
    const rawName = String(cal.getFirstPropertyValue('x-wr-calname'));
    expect(rawName).toBe('夏朵园居民区值班表\\, 2026年10月');
    expect(rawName.replace(/\\([\\;,])/g, '$1')).toBe('夏朵园居民区值班表, 2026年10月');
    expect(events).toEqual([
      {
        uid: tricky.uid,
        summary: tricky.summary,
        description: tricky.description!.replace(/\r\n/g, '\n'),
        location: tricky.location,
        start: '2026-10-01T00:30:00.000Z',
        end: '2026-10-01T09:00:00.000Z',
        stamp: '2026-09-28T02:03:04Z',
      },
      {
        uid: plain.uid,
        summary: plain.summary,
        description: null,
        location: null,
        start: '2026-10-01T09:00:00.000Z',
        end: '2026-10-02T00:30:00.000Z',
        stamp: '2026-09-28T02:03:04Z',
      },
    ]);
  });

  it('writes times in UTC with a Z', () => {
    const unfolded = text.replace(/\r\n /g, '');
    expect(unfolded).toContain('\r\nDTSTART:20261001T003000Z\r\n');
    expect(unfolded).toContain('\r\nDTEND:20261002T003000Z\r\n');
    expect(unfolded).toContain('\r\nDTSTAMP:20260928T020304Z\r\n');
  });

  it('writes an empty calendar that still parses', () => {
    const empty = toICalendar({ name: '空', timezone: 'Asia/Shanghai', events: [], now: NOW });
    expect(parseFeed(empty).events).toEqual([]);
  });
});

describe('foldLine and escapeText', () => {
  it.each([
    ['75 ASCII octets stay on one line', 'A'.repeat(75), ['A'.repeat(75)]],
    ['76 ASCII octets fold after 75', 'A'.repeat(76), ['A'.repeat(75), ' A']],
    // 'S:' (2) + 24 × 3 = 74 octets; the 25th character (3 octets) would make 77.
    [
      'a Chinese character is never split',
      `S:${'值'.repeat(30)}`,
      [`S:${'值'.repeat(24)}`, ` ${'值'.repeat(6)}`],
    ],
    ['a 4-octet emoji is never split', `${'A'.repeat(73)}🏠B`, ['A'.repeat(73), ' 🏠B']],
    [
      'continuation lines count their leading space',
      'B'.repeat(75 + 74 + 1),
      ['B'.repeat(75), ` ${'B'.repeat(74)}`, ' B'],
    ],
  ])('%s', (_what, line, expected) => {
    const folded = foldLine(line).split('\r\n');
    expect(folded).toEqual(expected);
    for (const l of folded) expect(octets(l)).toBeLessThanOrEqual(75);
    // Unfolding (dropping each CRLF and the space after it) gives the line back.
    expect(
      folded[0] +
        folded
          .slice(1)
          .map((l) => l.slice(1))
          .join(''),
    ).toBe(line);
  });

  it.each([
    ['a,b', 'a\\,b'],
    ['a;b', 'a\\;b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a\\nb'],
    ['a\r\nb', 'a\\nb'],
    ['a\rb', 'a\\nb'],
    ['中文，；不转义', '中文，；不转义'],
    ['bell\u0007gone', 'bellgone'],
    ['\\n is literal', '\\\\n is literal'],
  ])('escapes %j as %j', (raw, escaped) => {
    expect(escapeText(raw)).toBe(escaped);
  });
});

describe('rotaToEvents', () => {
  it('turns a generated month for 夏朵园 into a feed that ical.js reads back shift for shift', () => {
    const community = loadXiaduoyuan();
    // One person chose to show a phone number; nobody else's may appear.
    const zhangNen = community.people.get('zhang-nen')!;
    community.people.set('zhang-nen', { ...zhangNen, phone: '13800138000', showContact: true });
    community.people.set('li-yongkang', {
      ...community.people.get('li-yongkang')!,
      phone: '13900139000',
      showContact: false,
    });
    const config = DutyConfig.parse({
      shifts: [
        { key: 'day', name: '白班', start: '08:30', end: '17:00' },
        { key: 'night', name: '夜班', start: '17:00', end: '08:30', weekday: { rc: 1 }, offDay: { rc: 1 } },
      ],
    });
    const { shifts } = generateRota({
      from: '2026-10-01',
      to: '2026-10-31',
      community,
      config,
      dayKind,
    });
    const events = rotaToEvents(shifts, config.shifts, community, 'Asia/Shanghai');
    const text = toICalendar({ name: '夏朵园居民区值班表', timezone: 'Asia/Shanghai', events, now: NOW });
    expectWellFormedLines(text);
    const parsed = parseFeed(text).events;

    expect(parsed).toHaveLength(shifts.length);
    expect(new Set(parsed.map((e) => e.uid)).size).toBe(shifts.length);
    const first = shifts.find((s) => s.date === '2026-10-01' && s.shift === 'night')!;
    const firstEvent = parsed[shifts.indexOf(first)]!;
    expect(firstEvent).toMatchObject({
      summary: `夜班：居委会 ${community.people.get(first.person)!.name}`,
      start: '2026-10-01T09:00:00.000Z',
      end: '2026-10-02T00:30:00.000Z',
      location: '夏朵园居民区',
    });
    expect(firstEvent.description).toContain('2026-10-01 夜班 17:00–次日 08:30');
    const day = shifts.find((s) => s.date === '2026-10-12' && s.org === 'grid')!;
    expect(parsed[shifts.indexOf(day)]).toMatchObject({
      summary: `白班：网格巡查 ${community.people.get(day.person)!.name}`,
      start: '2026-10-12T00:30:00.000Z',
      end: '2026-10-12T09:00:00.000Z',
    });
    const withPhone = parsed.filter((e) => e.description?.includes('联系电话'));
    expect(withPhone.length).toBeGreaterThan(0);
    expect(withPhone.every((e) => e.summary.endsWith('张嫩') && e.description!.includes('13800138000'))).toBe(
      true,
    );
    expect(text).not.toContain('13900139000');
  });

  it('uses the default shift name: "值班：居委会 张嫩"', () => {
    const community = loadXiaduoyuan();
    const [event] = rotaToEvents(
      [{ date: '2026-10-12', shift: 'day', org: 'rc', person: 'zhang-nen' }],
      DutyConfig.parse({}).shifts,
      community,
      'Asia/Shanghai',
    );
    expect(event!.summary).toBe('值班：居委会 张嫩');
  });
});
