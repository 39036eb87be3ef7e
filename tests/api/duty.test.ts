import type {
  DutyGap,
  DutyLogPage,
  DutyLogView,
  GenerateDutyResult,
  IssueDetail,
  NotificationPage,
  OnDutyNowView,
  Org,
  RotaView,
  ShiftView,
  SwapView,
} from '@gongzhi/domain';
import { count, eq } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import ICAL from 'ical.js';
import {
  dutyLogEntriesTable,
  dutyShiftChangesTable,
  dutyShiftsTable,
  dutySwapsTable,
  issuesTable,
  outboxTable,
} from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';

type Session = Awaited<ReturnType<TestApp['loginAs']>>;

// 夏朵园 with a day and a night shift, a few unavailable days, and one person on two duty pools
// (陈霞, residents' committee, also on the owners'-committee rota) — the rest is the shipped config.
const DUTY = {
  shifts: [
    { key: 'day', name: '白班', start: '08:30', end: '17:00' },
    {
      key: 'night',
      name: '夜班',
      start: '17:00',
      end: '08:30',
      weekday: { rc: 1 },
      offDay: { rc: 1, property: 1 },
    },
  ],
  pools: { oc: ['wu-wenjie', 'hu-shengjia', 'li-gang', 'ni-qiong', 'zhou-jianguang', 'chen-xia'] },
  unavailable: {
    'zhang-nen': ['2026-10-01..2026-10-07'],
    'yang-chenyi': ['2026-10-12'],
    'liu-jing': ['2026-10-20..2026-10-22'],
    // The whole property company is away on Sunday 25 October: that day cannot be fully staffed.
    'zhang-lifen': ['2026-10-03..2026-10-04', '2026-10-25'],
    'shen-xuli': ['2026-10-25'],
    'tang-wangwei': ['2026-10-25'],
    'guo-honghui': ['2026-10-25'],
    'cao-zulu': ['2026-10-25'],
  },
};

// The pools, written out from the config by hand (not derived by the code under test).
const POOLS: Record<Exclude<Org, 'party'>, string[]> = {
  rc: [
    'zhang-nen',
    'li-yongkang',
    'chen-xia',
    'liu-jing',
    'shen-bin',
    'lu-jia',
    'lv-mengmeng',
    'shen-kajia',
    'ding-shengmin',
  ],
  grid: [
    'yang-chenyi',
    'zhuang-yongliang',
    'zhu-yuanshun',
    'fei-hongxin',
    'yang-lizhong',
    'zhang-yue',
    'ma-zhengcai',
    'lou-jiaying',
  ],
  oc: DUTY.pools.oc,
  property: ['zhang-lifen', 'shen-xuli', 'tang-wangwei', 'guo-honghui', 'cao-zulu'],
};

// October 2026 from a printed calendar: 国庆 1–7 (holidays), Sat 10 Oct a make-up workday (调休上班).
const OCTOBER = Array.from({ length: 31 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`);
const OFF_DAYS = new Set([1, 2, 3, 4, 5, 6, 7, 11, 17, 18, 24, 25, 31].map((d) => OCTOBER[d - 1]!));
const MAKEUP_DAYS = new Set(['2026-10-10']);

/** How many of each organisation a place needs, by hand from DUTY above. */
function needed(date: string, shift: string): Partial<Record<Org, number>> {
  const off = OFF_DAYS.has(date);
  if (shift === 'day') return off ? { rc: 1, grid: 1, oc: 1, property: 1 } : { rc: 1, grid: 1 };
  return off ? { rc: 1, property: 1 } : { rc: 1 };
}

const unavailableOn = (person: string, date: string) =>
  (DUTY.unavailable[person as keyof typeof DUTY.unavailable] ?? []).some((span) => {
    const [a, b] = span.split('..');
    return date >= a! && date <= (b ?? a)!;
  });

const clock = testClock(new Date('2026-09-15T02:00:00Z')); // Tue 15 Sep 10:00 in Shanghai
let t: TestApp;
let admin: Session;
let secretary: Session; // 屠忠梅: may generate and override
const sessions = new Map<string, Session>();
const as = async (person: string) => {
  let s = sessions.get(person);
  if (!s) {
    s = await t.loginAs(person);
    sessions.set(person, s);
  }
  return s;
};

beforeAll(async () => {
  t = await buildTestApp({
    now: clock.now,
    editConfig: (raw) => {
      raw.duty = DUTY;
    },
  });
  admin = await t.loginAs('admin');
  secretary = await as('tu-zhongmei');
});
afterAll(() => t.close());

const inject = (s: Session | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, ...(s ? { headers: s.auth } : {}), ...(payload ? { payload } : {}) });

const generate = (s: Session, from: string, to: string) =>
  inject(s, 'POST', '/api/communities/xiaduoyuan/duty/generate', { from, to });

async function rota(from = '2026-10-01', to = '2026-10-31') {
  const r = await inject(admin, 'GET', `/api/communities/xiaduoyuan/duty?from=${from}&to=${to}`);
  expect(r.statusCode).toBe(200);
  return r.json() as RotaView;
}

/** Everything a refused request must not have written. */
async function written() {
  const n = async (table: PgTable) => (await t.db.select({ n: count() }).from(table))[0]!.n;
  return {
    shifts: await n(dutyShiftsTable),
    swaps: await n(dutySwapsTable),
    changes: await n(dutyShiftChangesTable),
    log: await n(dutyLogEntriesTable),
    issues: await n(issuesTable),
    outbox: await n(outboxTable),
    rota: JSON.stringify(
      (await t.db.select().from(dutyShiftsTable)).map((r) => [r.id, r.person, r.source]).sort(),
    ),
    swapStates: JSON.stringify(
      (await t.db.select().from(dutySwapsTable)).map((s) => [s.id, s.status]).sort(),
    ),
  };
}

function expectError(
  r: { statusCode: number; json: () => unknown },
  status: number,
  code: string,
  path?: string,
) {
  expect(r.statusCode).toBe(status);
  const body = r.json() as { error: { code: string; message: string; details?: { path?: string }[] } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(/[\u4e00-\u9fff]/); // a message people can read
  if (path) expect(body.error.details?.map((d) => d.path)).toContain(path);
  return body.error;
}

async function inbox(person: string) {
  await t.deliverOutbox();
  const r = await inject(await as(person), 'GET', '/api/me/notifications');
  expect(r.statusCode).toBe(200);
  return (r.json() as NotificationPage).items;
}

/** The coverage rules over a stored month: every place staffed as asked or reported as a gap. */
function expectCoveredOrReported(shifts: ShiftView[], gaps: DutyGap[], days: string[]) {
  const held = new Map<string, number>();
  for (const s of shifts)
    held.set(`${s.date}|${s.shift}|${s.org}`, (held.get(`${s.date}|${s.shift}|${s.org}`) ?? 0) + 1);
  for (const date of days) {
    for (const shift of ['day', 'night']) {
      const want = needed(date, shift);
      for (const org of ['party', 'rc', 'oc', 'grid', 'property'] as Org[]) {
        const have = held.get(`${date}|${shift}|${org}`) ?? 0;
        const need = want[org] ?? 0;
        expect({ date, shift, org, over: have > need }).toEqual({ date, shift, org, over: false });
        if (have < need) {
          expect(gaps).toContainEqual(
            expect.objectContaining({ date, shift, org, needed: need, assigned: have }),
          );
        }
      }
    }
  }
}

function expectDayRules(shifts: ShiftView[], gaps: DutyGap[]) {
  for (const s of shifts) {
    // The calendar's verdict, checked against the printed calendar.
    expect([s.date, s.dayKind]).toEqual([
      s.date,
      OFF_DAYS.has(s.date)
        ? s.date <= '2026-10-07'
          ? 'holiday'
          : 'weekend'
        : MAKEUP_DAYS.has(s.date)
          ? 'makeup_workday'
          : 'workday',
    ]);
    // Weekdays and make-up workdays: residents' committee and grid only (the night: rc only).
    if (!OFF_DAYS.has(s.date))
      expect([s.date, s.shift, s.org]).toEqual([s.date, s.shift, expect.stringMatching(/^(rc|grid)$/)]);
    // Never an unavailable person.
    expect([s.date, s.person.key, unavailableOn(s.person.key, s.date)]).toEqual([
      s.date,
      s.person.key,
      false,
    ]);
    // Only people from the organisation's pool.
    expect(POOLS[s.org as keyof typeof POOLS]).toContain(s.person.key);
  }
  // Weekends and holidays: the day shift includes the owners' committee and the property company
  // (or the day is reported short of them).
  for (const date of OFF_DAYS) {
    const orgs = new Set([
      ...shifts.filter((s) => s.date === date && s.shift === 'day').map((s) => s.org),
      ...gaps.filter((g) => g.date === date && g.shift === 'day').map((g) => g.org),
    ]);
    expect([date, [...orgs].sort()]).toEqual([date, ['grid', 'oc', 'property', 'rc']]);
  }
  // Nobody holds two places at the same time (陈霞 serves two pools).
  const seen = new Set<string>();
  for (const s of shifts) {
    const k = `${s.date}|${s.shift}|${s.person.key}`;
    expect(seen.has(k)).toBe(false);
    seen.add(k);
  }
}

function spread(shifts: ShiftView[], org: keyof typeof POOLS, onlyOffDays: boolean) {
  const counts = new Map(POOLS[org].map((p) => [p, 0]));
  for (const s of shifts) {
    if (s.org !== org || (onlyOffDays && !OFF_DAYS.has(s.date))) continue;
    counts.set(s.person.key, counts.get(s.person.key)! + 1);
  }
  const values = [...counts.values()];
  return {
    org,
    onlyOffDays,
    spread: Math.max(...values) - Math.min(...values),
    counts: Object.fromEntries(counts),
  };
}

let october: GenerateDutyResult;

describe('generating a month for 夏朵园', () => {
  test('bad input is refused and writes nothing', async () => {
    const before = await written();
    expectError(
      await generate(secretary, '2026-10-31', '2026-10-01'),
      400,
      'range_end_before_start',
      'body.to',
    );
    expectError(await generate(secretary, '2026-02-30', '2026-03-01'), 400, 'validation_failed', 'body.from');
    expectError(await generate(secretary, '2026-10-01', '2028-10-01'), 400, 'range_too_long', 'body.to');
    expectError(
      await inject(secretary, 'POST', '/api/communities/xiaduoyuan/duty/generate', { from: '2026-10-01' }),
      400,
      'validation_failed',
      'body.to',
    );
    expectError(
      await inject(secretary, 'POST', '/api/communities/xiaduoyuan/duty/generate', {
        from: '2026-10-01',
        to: '2026-10-31',
        extra: 1,
      }),
      400,
      'validation_failed',
      'body.extra',
    );
    // Only the secretary, the leadership group and administrators publish the rota.
    expectError(await generate(await as('zhang-nen'), '2026-10-01', '2026-10-31'), 403, 'rota_manager_only');
    expectError(
      await inject(null, 'POST', '/api/communities/xiaduoyuan/duty/generate', {
        from: '2026-10-01',
        to: '2026-10-31',
      }),
      401,
      'token_missing',
    );
    expectError(await generate(admin, 'x', 'y'), 400, 'validation_failed', 'body.from');
    expectError(
      await inject(admin, 'POST', '/api/communities/nowhere/duty/generate', {
        from: '2026-10-01',
        to: '2026-10-02',
      }),
      404,
      'community_not_found',
    );
    expect(await written()).toEqual(before);
  });

  test('publishes October, every place staffed or reported short, by the rules of the calendar', async () => {
    const r = await generate(secretary, '2026-10-01', '2026-10-31');
    expect(r.statusCode).toBe(200);
    october = r.json() as GenerateDutyResult;
    expect(october.generated).toBe(october.shifts.length);
    expect(october.shifts.length).toBeGreaterThan(100);
    // Only the day the whole property company is away is short, and it says so, per shift.
    const short = [
      { date: '2026-10-25', shift: 'day', org: 'property', needed: 1, assigned: 0 },
      { date: '2026-10-25', shift: 'night', org: 'property', needed: 1, assigned: 0 },
    ];
    expect(october.shortfalls).toEqual(
      short.map((x) => ({ ...x, reason: expect.stringContaining('不可值班') })),
    );
    expect(october.gaps).toEqual(short.map((x) => ({ ...x, reason: expect.stringContaining('物业公司') })));
    expectCoveredOrReported(october.shifts, october.gaps, OCTOBER);
    expectDayRules(october.shifts, october.gaps);
    // The stored rota reads back the same.
    const stored = await rota();
    expect(stored.shifts).toEqual(october.shifts);
  });

  test('fair: within each organisation the counts differ by at most one, weekend and holiday shifts too', () => {
    for (const org of ['rc', 'grid', 'oc', 'property'] as const) {
      expect(spread(october.shifts, org, false)).toMatchObject({ spread: expect.any(Number) });
      expect(spread(october.shifts, org, false).spread).toBeLessThanOrEqual(1);
      expect(spread(october.shifts, org, true).spread).toBeLessThanOrEqual(1);
    }
  });

  test('the rota read: staff only, and a range end before its start is refused', async () => {
    expectError(
      await inject(null, 'GET', '/api/communities/xiaduoyuan/duty?from=2026-10-01&to=2026-10-31'),
      401,
      'token_missing',
    );
    const resident = await t.app.inject({ method: 'POST', url: '/api/auth/dev-resident' });
    const auth = { authorization: `Bearer ${(resident.json() as { accessToken: string }).accessToken}` };
    const refused = await t.app.inject({
      url: '/api/communities/xiaduoyuan/duty?from=2026-10-01&to=2026-10-31',
      headers: auth,
    });
    expectError(refused, 403, 'staff_only');
    expectError(
      await inject(admin, 'GET', '/api/communities/xiaduoyuan/duty?from=2026-10-31&to=2026-10-01'),
      400,
      'range_end_before_start',
      'querystring.to',
    );
    expectError(
      await inject(admin, 'GET', '/api/communities/xiaduoyuan/duty?from=2026-10-01'),
      400,
      'validation_failed',
      'querystring.to',
    );
    expectError(
      await inject(admin, 'GET', '/api/communities/nowhere/duty?from=2026-10-01&to=2026-10-02'),
      404,
      'community_not_found',
    );
    const mine = await inject(await as('zhang-nen'), 'GET', '/api/me/shifts?from=2026-10-01&to=2026-10-31');
    expect(mine.statusCode).toBe(200);
    const expected = october.shifts.filter((s) => s.person.key === 'zhang-nen');
    expect((mine.json() as { shifts: ShiftView[] }).shifts).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expectError(await inject(admin, 'GET', '/api/me/shifts'), 403, 'not_duty_person');
    expectError(
      await inject(await as('zhang-nen'), 'GET', '/api/me/shifts?from=2026-10-31&to=2026-10-01'),
      400,
      'range_end_before_start',
      'querystring.to',
    );
  });
});
