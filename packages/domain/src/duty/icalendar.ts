import { ORG_NAMES } from '../community/schema';
import type { Community } from '../community/validate';
import type { DutyShiftDef } from './config';
import { minutesOfClock } from './dates';
import type { RotaShift } from './generate-rota';
import { shiftInterval } from './on-duty';

/** One event of a calendar feed. Times are instants; the feed writes them in UTC. */
export interface CalendarEvent {
  /** Stable across regenerations, so that a subscribed calendar updates the event instead of duplicating it. */
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description?: string;
  location?: string;
}

export interface ICalendarInput {
  /** Shown by calendar apps as the subscription's name (X-WR-CALNAME). */
  name: string;
  timezone: string;
  events: readonly CalendarEvent[];
  /** DTSTAMP of every event: when the feed was produced. */
  now: Date;
}

// RFC 5545 §3.1: a content line is at most 75 octets, continued on lines that start with one space.
const MAX_OCTETS = 75;

const octetsOf = (codePoint: number) =>
  codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;

/**
 * Fold one content line at 75 octets of UTF-8 without ever splitting a character: a Chinese
 * character is 3 octets, and a line cut inside one would not decode.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const n = octetsOf(ch.codePointAt(0)!);
    if (octets + n > MAX_OCTETS) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join('\r\n');
}

/**
 * A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, every kind of line
 * break written as \n. Other control characters are not allowed in TEXT and are dropped.
 */
export function escapeText(value: string): string {
  return (
    value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .replace(/\\/g, '\\\\')
      .replace(/;/g, '\\;')
      .replace(/,/g, '\\,')
      .replace(/\r\n|\r|\n/g, '\\n')
  );
}

/** 2026-10-01T00:30:00.000Z → 20261001T003000Z (seconds kept, milliseconds dropped). */
export const formatUtc = (instant: Date) =>
  instant
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

/** An iCalendar feed (RFC 5545) that calendar apps can import or subscribe to. CRLF line endings. */
export function toICalendar(input: ICalendarInput): string {
  const stamp = formatUtc(input.now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//gongzhi//duty rota//ZH-CN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(input.name)}`,
    `X-WR-TIMEZONE:${escapeText(input.timezone)}`,
    // How often subscribers should fetch the feed again: swaps change it.
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  for (const e of input.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${formatUtc(e.start)}`,
      `DTEND:${formatUtc(e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
    );
    if (e.description !== undefined) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.location !== undefined) lines.push(`LOCATION:${escapeText(e.location)}`);
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/**
 * Calendar events for rota shifts: "值班：居委会 张三" (the shift's name, the organisation, the
 * person). The phone number is included only when the person chose to show it. Shifts whose
 * definition is no longer in the config are left out: their hours are unknown.
 */
export function rotaToEvents(
  shifts: readonly RotaShift[],
  shiftDefs: readonly DutyShiftDef[],
  community: Pick<Community, 'key' | 'name' | 'people'>,
  timezone: string,
): CalendarEvent[] {
  const defs = new Map(shiftDefs.map((d) => [d.key, d]));
  const events: CalendarEvent[] = [];
  for (const s of shifts) {
    const def = defs.get(s.shift);
    if (!def) continue;
    const person = community.people.get(s.person);
    const who = `${ORG_NAMES[s.org]} ${person?.name ?? s.person}`;
    const nextDay = minutesOfClock(def.end) <= minutesOfClock(def.start) ? '次日 ' : '';
    const contact = person?.showContact && person.phone ? `\n联系电话：${person.phone}` : '';
    const { start, end } = shiftInterval(s.date, def, timezone);
    events.push({
      uid: `${s.date}-${s.shift}-${s.org}-${s.person}@${community.key}.duty.gongzhi`,
      start,
      end,
      summary: `${def.name}：${who}`,
      description: `${who}\n${s.date} ${def.name} ${def.start}–${nextDay}${def.end}${contact}`,
      location: community.name,
    });
  }
  return events;
}
