import { loadCalendars } from '../../apps/api/src/services/communities/load-calendars';
import { loadXiaduoyuan } from '../domain/fixtures';
import { CALENDAR_DIR } from '../helpers/build-app';

/**
 * The warning the server prints at start (server.ts) when the holiday calendar does not hold
 * official dates for the next 90 days (issue 17 item 10), from the shipped calendar files.
 */
describe('loadCalendars warns when the next 90 days are not covered', () => {
  const communities = new Map([['xiaduoyuan', loadXiaduoyuan()]]);

  test('in September 2026: nothing to warn about', () => {
    expect(loadCalendars(CALENDAR_DIR, communities, new Date('2026-09-01T12:00:00+08:00')).warnings).toEqual(
      [],
    );
  });

  test('on 2026-12-02: 2027 is provisional until the State Council notice is transcribed', () => {
    const { warnings } = loadCalendars(CALENDAR_DIR, communities, new Date('2026-12-02T09:00:00+08:00'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('未来 90 天内（自 2027-01-01 起）');
    expect(warnings[0]).toContain('2027 年的放假安排为暂定');
  });

  test('the window is counted in the community time zone (Shanghai), not UTC', () => {
    // 2026-10-02 17:00 UTC is already 2026-10-03 in Shanghai: 90 days later is 2027-01-01.
    expect(loadCalendars(CALENDAR_DIR, communities, new Date('2026-10-02T17:00:00Z')).warnings).toHaveLength(
      1,
    );
    expect(loadCalendars(CALENDAR_DIR, communities, new Date('2026-10-02T15:00:00Z')).warnings).toEqual([]);
  });
});
