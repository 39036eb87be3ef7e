import type {
  DutyFeedView,
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
import { buildTestApp, PASSWORD, type TestApp, testClock } from '../helpers/build-app';

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

let relogins = 0;
/** Move the clock; sessions last 30 days on that clock, so everyone logs in again (same accounts). */
async function setClock(iso: string) {
  clock.set(new Date(iso));
  relogins++;
  let n = 0;
  for (const s of [admin, ...sessions.values()]) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone: s.phone, password: PASSWORD },
      remoteAddress: `10.251.${relogins}.${++n}`,
    });
    expect(r.statusCode).toBe(200);
    s.auth = { authorization: `Bearer ${(r.json() as { accessToken: string }).accessToken}` };
  }
}

beforeAll(async () => {
  t = await buildTestApp({
    now: clock.now,
    editConfig: (raw) => {
      raw.duty = DUTY;
    },
  });
  admin = await t.loginAs('admin');
  secretary = await as('tu-zhongmei');
  // Everyone on the rota has an account before anything happens: notifications reach accounts.
  for (const person of new Set(Object.values(POOLS).flat())) await as(person);
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

  test('the longest range at once (two years) is generated and stored whole', async () => {
    const r = await generate(admin, '2026-11-01', '2028-10-31');
    expect(r.statusCode).toBe(200);
    const body = r.json() as GenerateDutyResult;
    expect(body.generated).toBeGreaterThan(2000);
    const [stored] = await t.db.select({ n: count() }).from(dutyShiftsTable);
    expect(stored!.n).toBe(october.shifts.length + body.generated);
    expect(body.gaps).toEqual(body.shortfalls.map((g) => ({ ...g, reason: expect.any(String) })));
  });

  test('publishing during a shift staffs the running shift, but never an ended one after the fact', async () => {
    // Tue 15 Sep 10:00: yesterday is over, today's day shift is running, tonight's is ahead.
    const r = await generate(secretary, '2026-09-14', '2026-09-15');
    expect(r.statusCode).toBe(200);
    const body = r.json() as GenerateDutyResult;
    expect(body.shifts.map((s) => [s.date, s.shift, s.org]).sort()).toEqual([
      ['2026-09-15', 'day', 'grid'],
      ['2026-09-15', 'day', 'rc'],
      ['2026-09-15', 'night', 'rc'],
    ]);
    expect(body.shortfalls).toEqual([]);
    expect(body.gaps.map((g) => [g.date, g.shift, g.org]).sort()).toEqual([
      ['2026-09-14', 'day', 'grid'],
      ['2026-09-14', 'day', 'rc'],
      ['2026-09-14', 'night', 'rc'],
    ]);
    const now = (await t.app.inject({ url: '/api/communities/xiaduoyuan/duty/now' })).json() as OnDutyNowView;
    expect(now.onDuty.map((p) => p.name).sort()).toEqual(
      body.shifts
        .filter((s) => s.shift === 'day')
        .map((s) => s.person.name)
        .sort(),
    );
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
    // The same shifts; what each viewer may do with them differs (allowedActions): the administrator
    // changes any shift, 张嫩 asks for a swap on her own ones still to come (all of October, on 15 Sep).
    const own = (mine.json() as { shifts: ShiftView[] }).shifts;
    const facts = ({ allowedActions: _, ...rest }: ShiftView) => rest;
    expect(own.map(facts)).toEqual(expected.map(facts));
    expect(expected.map((s) => s.allowedActions)).toEqual(expected.map(() => ['override']));
    expect(own.map((s) => s.allowedActions)).toEqual(own.map(() => ['request_swap']));
    expect(expected.length).toBeGreaterThan(0);
    expectError(await inject(admin, 'GET', '/api/me/shifts'), 403, 'not_duty_person');

    // After midnight, last night's shift is still the one its person is on: "my shifts" (from
    // today by default) keeps it until it ends, then not.
    const night = october.shifts.find(
      (s) => Date.parse(s.end) - Date.parse(`${s.date}T00:00:00+08:00`) > 86_400_000,
    );
    if (!night) throw new Error('the rota has no overnight shift');
    const mineAt = async (iso: string) => {
      await setClock(iso);
      const r = await inject(await as(night.person.key), 'GET', '/api/me/shifts');
      return (r.json() as { shifts: ShiftView[] }).shifts.map((x) => x.id);
    };
    try {
      expect(await mineAt(new Date(Date.parse(night.end) - 30 * 60_000).toISOString())).toContain(night.id);
      expect(await mineAt(new Date(Date.parse(night.end) + 60_000).toISOString())).not.toContain(night.id);
    } finally {
      await setClock('2026-09-15T02:00:00Z');
    }
    expectError(
      await inject(await as('zhang-nen'), 'GET', '/api/me/shifts?from=2026-10-31&to=2026-10-01'),
      400,
      'range_end_before_start',
      'querystring.to',
    );
  });
});

/** The one place (date, shift, organisation) of the current rota, with its holder. */
async function placeOf(date: string, shift: string, org: Org) {
  const found = (await rota()).shifts.filter((s) => s.date === date && s.shift === shift && s.org === org);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('regenerating keeps the past, what has started and what people decided', () => {
  let overridden: ShiftView;
  let newHolder: string;

  test('an override before the month starts, then a regeneration in the middle of it', async () => {
    overridden = await placeOf('2026-10-03', 'day', 'rc');
    newHolder = POOLS.rc.find((p) => p !== overridden.person.key && !unavailableOn(p, '2026-10-03'))!;
    const o = await inject(secretary, 'PUT', `/api/duty/shifts/${overridden.id}`, {
      person: newHolder,
      reason: '原值班人外出培训',
    });
    expect(o.statusCode).toBe(200);
    expect(o.json()).toMatchObject({ id: overridden.id, person: { key: newHolder }, source: 'override' });

    await setClock('2026-10-15T04:00:00Z'); // Thu 15 Oct 12:00: the day shift has started, the night not
    const now = clock.now();
    const before = await rota();
    const started = before.shifts.filter((s) => new Date(s.start) <= now);
    expect(started.some((s) => s.date === '2026-10-15' && s.shift === 'day')).toBe(true);
    expect(started.some((s) => s.date === '2026-10-15' && s.shift === 'night')).toBe(false);

    const r = await generate(secretary, '2026-10-01', '2026-10-31');
    expect(r.statusCode).toBe(200);
    const after = r.json() as GenerateDutyResult;
    // Everything that has started is exactly as it was: same rows, same people, same source.
    for (const s of started) expect(after.shifts).toContainEqual(s);
    expect(after.shifts).toContainEqual({
      ...overridden,
      person: expect.objectContaining({ key: newHolder }),
      source: 'override',
    });
    expect(after.kept).toBe(started.length);
    // The future was generated again: the override moved the counts, so some shifts changed hands.
    expect(after.replaced).toBeGreaterThan(0);
    expect(after.generated).toBe(after.replaced);
    const now2 = clock.now();
    for (const s of after.shifts.filter((x) => new Date(x.start) > now2)) expect(s.source).toBe('generated');
    // And the month still keeps every rule.
    expectCoveredOrReported(after.shifts, after.gaps, OCTOBER);
    expectDayRules(after.shifts, after.gaps);
    expect(await rota()).toEqual({
      community: 'xiaduoyuan',
      from: '2026-10-01',
      to: '2026-10-31',
      shifts: after.shifts,
      gaps: after.gaps,
      // Generated in one step (no draft): live, without a publication record.
      months: [
        { month: '2026-10', status: 'published', statusName: '已发布', publishedAt: null, publishedBy: null },
      ],
      allowedActions: ['generate', 'override', 'print'],
    });

    // The record: four generations (October, two years, mid-September, October again) and the
    // override, with who and why.
    const changes = await t.db.select().from(dutyShiftChangesTable);
    expect(changes.map((c) => c.kind).sort()).toEqual([
      'generate',
      'generate',
      'generate',
      'generate',
      'override',
    ]);
    expect(changes.find((c) => c.kind === 'override')).toMatchObject({
      actor: 'tu-zhongmei',
      reason: '原值班人外出培训',
      before: { date: '2026-10-03', shift: 'day', org: 'rc', person: overridden.person.key },
      after: { date: '2026-10-03', shift: 'day', org: 'rc', person: newHolder },
    });
  });

  test('the change log is append-only in the database', async () => {
    await expect(t.db.update(dutyShiftChangesTable).set({ reason: '改写' })).rejects.toThrow();
    await expect(t.db.delete(dutyShiftChangesTable)).rejects.toThrow();
  });

  test('the people affected by the override were told', async () => {
    const oldTold = await inbox(overridden.person.key);
    const newTold = await inbox(newHolder);
    expect(oldTold).toContainEqual(
      expect.objectContaining({
        kind: 'duty_shift_overridden',
        title: '您的值班已调整',
        body: expect.stringContaining('原值班人外出培训'),
      }),
    );
    expect(newTold).toContainEqual(
      expect.objectContaining({
        kind: 'duty_shift_overridden',
        title: '您有新的值班安排',
        body: expect.stringContaining('2026-10-03'),
      }),
    );
  });
});

describe('who is on duty now (public)', () => {
  const nowAt = async (iso: string) => {
    clock.set(new Date(iso));
    const r = await t.app.inject({ url: '/api/communities/xiaduoyuan/duty/now' });
    expect(r.statusCode).toBe(200);
    return r.json() as OnDutyNowView;
  };
  /** The people of one shift of one day, as the public page names them. */
  const expected = async (date: string, shift: string) =>
    (await rota()).shifts
      .filter((s) => s.date === date && s.shift === shift)
      .map((s) => [s.person.name, s.org, s.shiftName])
      .sort();
  const seen = (v: OnDutyNowView) => v.onDuty.map((p) => [p.name, p.org, p.shiftName]).sort();

  test('across midnight, last night’s shift is still on; at a handover only the incoming one', async () => {
    const night15 = await expected('2026-10-15', 'night');
    const day16 = await expected('2026-10-16', 'day');
    const night16 = await expected('2026-10-16', 'night');
    const day17 = await expected('2026-10-17', 'day');
    expect(night15).toHaveLength(1); // weekday night: residents' committee only
    expect(day17.map((x) => x[1]).sort()).toEqual(['grid', 'oc', 'property', 'rc']); // Saturday

    expect(seen(await nowAt('2026-10-15T15:59:00Z'))).toEqual(night15); // Thu 23:59
    expect(seen(await nowAt('2026-10-15T16:00:00Z'))).toEqual(night15); // Fri 00:00
    expect(seen(await nowAt('2026-10-16T00:29:59.999Z'))).toEqual(night15); // Fri 08:29:59.999
    expect(seen(await nowAt('2026-10-16T00:30:00Z'))).toEqual(day16); // Fri 08:30 handover
    expect(seen(await nowAt('2026-10-16T08:59:59.999Z'))).toEqual(day16);
    expect(seen(await nowAt('2026-10-16T09:00:00Z'))).toEqual(night16); // Fri 17:00 handover
    expect(seen(await nowAt('2026-10-16T16:00:00Z'))).toEqual(night16); // Sat 00:00
    expect(seen(await nowAt('2026-10-17T00:30:00Z'))).toEqual(day17); // Sat 08:30

    const v = await nowAt('2026-10-16T00:30:00Z');
    expect(v).toMatchObject({
      community: 'xiaduoyuan',
      communityName: '夏朵园居民区',
      at: '2026-10-16T00:30:00.000Z',
    });
    expect(v.onDuty[0]).toMatchObject({
      start: '2026-10-16T00:30:00.000Z',
      end: '2026-10-16T09:00:00.000Z',
      shiftName: '白班',
    });
    // Residents get names, not keys.
    for (const p of v.onDuty)
      expect(Object.keys(p).sort()).toEqual([
        'contact',
        'end',
        'name',
        'org',
        'orgName',
        'shiftName',
        'start',
      ]);
  });

  test('a phone only for the person who chose to show it', async () => {
    clock.set(new Date('2026-10-15T15:59:00Z'));
    const holder = (await rota()).shifts.find((s) => s.date === '2026-10-15' && s.shift === 'night')!.person;
    const me = await as(holder.key);
    let v = (await t.app.inject({ url: '/api/communities/xiaduoyuan/duty/now' })).json() as OnDutyNowView;
    expect(v.onDuty.map((p) => p.contact)).toEqual([null]);

    const before = await written();
    expectError(
      await inject(me, 'PUT', '/api/me/duty-preferences', { showContact: true }),
      400,
      'contact_phone_required',
      'body.phone',
    );
    expectError(
      await inject(me, 'PUT', '/api/me/duty-preferences', { showContact: true, phone: '12345' }),
      400,
      'validation_failed',
      'body.phone',
    );
    expectError(
      await inject(me, 'PUT', '/api/me/duty-preferences', { phone: '13912345678' }),
      400,
      'validation_failed',
      'body.showContact',
    );
    expectError(
      await inject(admin, 'PUT', '/api/me/duty-preferences', { showContact: false }),
      403,
      'not_duty_person',
    );
    expect(await written()).toEqual(before);

    const set = await inject(me, 'PUT', '/api/me/duty-preferences', {
      showContact: true,
      phone: '13912345678',
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ showContact: true, phone: '13912345678', publicContact: '13912345678' });
    v = (await t.app.inject({ url: '/api/communities/xiaduoyuan/duty/now' })).json() as OnDutyNowView;
    expect(v.onDuty.map((p) => [p.name, p.contact])).toEqual([[holder.name, '13912345678']]);

    // Changing one's mind hides it again, and the phone is remembered for next time.
    await inject(me, 'PUT', '/api/me/duty-preferences', { showContact: false });
    v = (await t.app.inject({ url: '/api/communities/xiaduoyuan/duty/now' })).json() as OnDutyNowView;
    expect(v.onDuty.map((p) => p.contact)).toEqual([null]);
    expect((await inject(me, 'GET', '/api/me/duty-preferences')).json()).toEqual({
      showContact: false,
      phone: '13912345678',
      publicContact: null,
    });
    await inject(me, 'PUT', '/api/me/duty-preferences', { showContact: true });
  });

  test('an unknown community is 404', async () => {
    expectError(await t.app.inject({ url: '/api/communities/nowhere/duty/now' }), 404, 'community_not_found');
  });

  test('cacheable until it may change, with an ETag and 304; a rota change shows at once', async () => {
    const url = '/api/communities/xiaduoyuan/duty/now';
    // Sat 08:29:40, 20 s before the handover: kept only until then.
    clock.set(new Date('2026-10-31T00:29:40Z'));
    expect((await t.app.inject({ url })).headers['cache-control']).toBe('public, max-age=20');

    // Fri 23:00, the night shift runs until 08:30: kept for the 30 s at most.
    clock.set(new Date('2026-10-30T15:00:00Z'));
    const first = await t.app.inject({ url });
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=30');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const unchanged = await t.app.inject({ url, headers: { 'if-none-match': `"other", ${etag}` } });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe('');
    expect(unchanged.headers.etag).toBe(etag);

    // The night is given to someone else: the next answer says so, under a new ETag.
    const night = await placeOf('2026-10-30', 'night', 'rc');
    const other = POOLS.rc.find((p) => p !== night.person.key && !unavailableOn(p, '2026-10-30'))!;
    const o = await inject(secretary, 'PUT', `/api/duty/shifts/${night.id}`, {
      person: other,
      reason: '临时调班',
    });
    expect(o.statusCode).toBe(200);
    const changed = await t.app.inject({ url, headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(seen(changed.json() as OnDutyNowView)).toEqual(await expected('2026-10-30', 'night'));
    expect((changed.json() as OnDutyNowView).onDuty.map((p) => p.name)).toContain(
      (o.json() as ShiftView).person.name,
    );
  });
});

describe('swaps', () => {
  beforeAll(() => clock.set(new Date('2026-10-15T04:00:00Z'))); // Thu 12:00
  const ask = async (person: string, payload: object) =>
    inject(await as(person), 'POST', '/api/duty/swaps', payload);
  const answer = async (person: string, id: string, action: string, payload?: object) =>
    inject(await as(person), 'POST', `/api/duty/swaps/${id}/${action}`, payload);
  const swapChanges = async () =>
    (await t.db.select().from(dutyShiftChangesTable)).filter((c) => c.kind === 'swap');
  /** The first shift of the rota from `from` on that satisfies `ok`. */
  const firstShift = async (ok: (s: ShiftView) => boolean, from = '2026-10-16') =>
    (await rota()).shifts.find((s) => s.date >= from && ok(s))!;

  test('a swap nobody accepted does not change the rota: left waiting, declined or withdrawn', async () => {
    const shift = await placeOf('2026-10-19', 'day', 'rc');
    const a = shift.person.key;
    const [b, c] = POOLS.rc.filter((p) => p !== a && !unavailableOn(p, '2026-10-19'));
    const before = await rota();
    const changesBefore = (await swapChanges()).length;

    const r1 = await ask(a, { shiftId: shift.id, counterpart: b, reason: '家中有事' });
    expect(r1.statusCode).toBe(201);
    const s1 = r1.json() as SwapView;
    expect(s1).toMatchObject({
      status: 'requested',
      requester: { key: a },
      counterpart: { key: b },
      shift: { id: shift.id, date: '2026-10-19', shift: 'day', org: 'rc' },
      inReturn: null,
      reason: '家中有事',
      answeredAt: null,
    });
    expect(await rota()).toEqual(before); // waiting changes nothing
    expect(await inbox(b!)).toContainEqual(
      expect.objectContaining({ kind: 'duty_swap_requested', body: expect.stringContaining('家中有事') }),
    );
    const listed = (await inject(await as(b!), 'GET', '/api/duty/swaps')).json() as { items: SwapView[] };
    expect(listed.items.map((x) => x.id)).toContain(s1.id);

    // One open request per shift; only the counterpart answers; outsiders do not see it.
    expectError(
      await ask(a, { shiftId: shift.id, counterpart: c, reason: '还是换一下' }),
      409,
      'swap_pending',
      'body.shiftId',
    );
    expectError(await answer(a, s1.id, 'accept'), 403, 'swap_not_permitted');
    expectError(await answer(c!, s1.id, 'accept'), 404, 'swap_not_found');

    const declined = await answer(b!, s1.id, 'decline', { note: '那天也有事' });
    expect(declined.statusCode).toBe(200);
    expect(declined.json()).toMatchObject({
      status: 'declined',
      note: '那天也有事',
      answeredAt: '2026-10-15T04:00:00.000Z',
    });
    expectError(await answer(b!, s1.id, 'accept'), 409, 'swap_invalid_transition');
    expect(await rota()).toEqual(before);
    expect(await inbox(a)).toContainEqual(expect.objectContaining({ kind: 'duty_swap_declined' }));

    const r2 = await ask(a, { shiftId: shift.id, counterpart: b, reason: '家中有事' });
    expect(r2.statusCode).toBe(201);
    const s2 = r2.json() as SwapView;
    expectError(await answer(b!, s2.id, 'cancel'), 403, 'swap_not_permitted');
    expect((await answer(a, s2.id, 'cancel')).json()).toMatchObject({ status: 'cancelled' });
    expectError(await answer(b!, s2.id, 'accept'), 409, 'swap_invalid_transition');
    expect(await inbox(b!)).toContainEqual(expect.objectContaining({ kind: 'duty_swap_cancelled' }));

    expect(await rota()).toEqual(before);
    expect((await swapChanges()).length).toBe(changesBefore);
  });

  test('accepted: the shift changes hands, the change is recorded with the reason, both are told', async () => {
    const shift = await placeOf('2026-10-20', 'day', 'grid');
    const a = shift.person.key;
    const b = POOLS.grid.find((p) => p !== a)!;
    const before = await rota();
    const asked = (
      await ask(a, { shiftId: shift.id, counterpart: b, reason: '参加区里培训' })
    ).json() as SwapView;
    const accepted = await answer(b, asked.id, 'accept');
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', shift: { id: shift.id } });

    const after = await rota();
    expect(after.shifts.find((s) => s.id === shift.id)).toEqual({
      ...shift,
      person: { key: b, name: expect.any(String) },
      source: 'swap',
    });
    // Nothing else moved.
    expect(after.shifts.filter((s) => s.id !== shift.id)).toEqual(
      before.shifts.filter((s) => s.id !== shift.id),
    );
    const recorded = (await swapChanges()).filter((c) => c.swapId === asked.id);
    expect(recorded).toEqual([
      expect.objectContaining({
        shiftId: shift.id,
        actor: b,
        reason: '参加区里培训',
        before: { date: '2026-10-20', shift: 'day', org: 'grid', person: a },
        after: { date: '2026-10-20', shift: 'day', org: 'grid', person: b },
      }),
    ]);
    for (const person of [a, b]) {
      expect(await inbox(person)).toContainEqual(
        expect.objectContaining({ kind: 'duty_swap_accepted', title: '换班已生效' }),
      );
    }
    const bShifts = (await inject(await as(b), 'GET', '/api/me/shifts')).json() as { shifts: ShiftView[] };
    expect(bShifts.shifts.map((s) => s.id)).toContain(shift.id);
  });

  test('an exchange: each takes the other’s shift', async () => {
    const ordinary = (p: string) => p !== 'chen-xia' && p !== 'liu-jing'; // 陈霞 has oc shifts too; 刘静 is away 20–22
    const s1 = await firstShift(
      (s) => s.org === 'rc' && s.shift === 'night' && ordinary(s.person.key),
      '2026-10-21',
    );
    const a = s1.person.key;
    const s2 = await firstShift(
      (s) => s.org === 'rc' && ordinary(s.person.key) && s.person.key !== a && s.date > s1.date,
    );
    const b = s2.person.key;
    const asked = await ask(a, {
      shiftId: s1.id,
      counterpart: b,
      inReturnShiftId: s2.id,
      reason: '互换夜班',
    });
    expect(asked.statusCode).toBe(201);
    const swap = asked.json() as SwapView;
    expect(swap.inReturn).toMatchObject({ id: s2.id, date: s2.date, org: 'rc' });
    expect((await answer(b, swap.id, 'accept')).statusCode).toBe(200);
    const after = await rota();
    expect(after.shifts.find((s) => s.id === s1.id)).toMatchObject({ person: { key: b }, source: 'swap' });
    expect(after.shifts.find((s) => s.id === s2.id)).toMatchObject({ person: { key: a }, source: 'swap' });
    expect((await swapChanges()).filter((c) => c.swapId === swap.id)).toHaveLength(2);
  });

  let offDayOc: ShiftView;
  test('not eligible, not one’s own, started, or malformed: refused naming the rule, and nothing written', async () => {
    // 陈霞 serves the residents' committee and the owners' committee: put her on the rc day shift of
    // a Saturday, so that the oc day shift that Saturday would double-book her.
    const saturday = '2026-10-24';
    offDayOc = await placeOf(saturday, 'day', 'oc');
    const rcDay = await placeOf(saturday, 'day', 'rc');
    expect(offDayOc.person.key).not.toBe('chen-xia');
    if (rcDay.person.key !== 'chen-xia') {
      const o = await inject(secretary, 'PUT', `/api/duty/shifts/${rcDay.id}`, {
        person: 'chen-xia',
        reason: '按本人意愿调整',
      });
      expect(o.statusCode).toBe(200);
    }
    const weekday = await placeOf('2026-10-21', 'day', 'rc'); // 刘静 is away 20–22 October
    const holder = weekday.person.key;
    const started = await placeOf('2026-10-15', 'day', 'rc');
    const before = await written();

    const notPool = expectError(
      await ask(holder, { shiftId: weekday.id, counterpart: 'zhang-yue', reason: '临时有事' }),
      400,
      'swap_not_eligible',
      'body.counterpart',
    );
    expect(notPool.details).toContainEqual(expect.objectContaining({ rule: 'same_org_pool' }));
    expect(notPool.message).toContain('张跃');
    const away = expectError(
      await ask(holder, { shiftId: weekday.id, counterpart: 'liu-jing', reason: '临时有事' }),
      400,
      'swap_unavailable',
      'body.counterpart',
    );
    expect(away.details).toContainEqual(expect.objectContaining({ rule: 'unavailable' }));
    const twice = expectError(
      await ask(offDayOc.person.key, { shiftId: offDayOc.id, counterpart: 'chen-xia', reason: '临时有事' }),
      400,
      'swap_double_booked',
      'body.counterpart',
    );
    expect(twice.details).toContainEqual(expect.objectContaining({ rule: 'no_double_booking' }));
    expectError(
      await ask(POOLS.rc.find((p) => p !== holder)!, {
        shiftId: weekday.id,
        counterpart: holder,
        reason: '帮你换',
      }),
      400,
      'swap_not_own_shift',
      'body.shiftId',
    );
    expectError(
      await ask(started.person.key, {
        shiftId: started.id,
        counterpart: POOLS.rc.find((p) => p !== started.person.key),
        reason: '临时有事',
      }),
      409,
      'shift_started',
      'body.shiftId',
    );
    expectError(
      await ask(holder, { shiftId: weekday.id, counterpart: 'nobody', reason: '临时有事' }),
      400,
      'unknown_person',
      'body.counterpart',
    );
    expectError(
      await ask(holder, { shiftId: weekday.id, counterpart: 'lu-jia' }),
      400,
      'validation_failed',
      'body.reason',
    );
    expectError(
      await ask(holder, { shiftId: weekday.id, counterpart: 'lu-jia', reason: ' ' }),
      400,
      'validation_failed',
      'body.reason',
    );
    expectError(
      await ask(holder, { shiftId: 'abc', counterpart: 'lu-jia', reason: '临时有事' }),
      400,
      'validation_failed',
      'body.shiftId',
    );
    expectError(
      await ask(holder, {
        shiftId: '00000000-0000-4000-8000-000000000000',
        counterpart: 'lu-jia',
        reason: '临时有事',
      }),
      404,
      'shift_not_found',
    );
    expectError(
      await inject(admin, 'POST', '/api/duty/swaps', {
        shiftId: weekday.id,
        counterpart: 'lu-jia',
        reason: '临时有事',
      }),
      403,
      'not_duty_person',
    );
    expectError(
      await inject(null, 'POST', '/api/duty/swaps', {
        shiftId: weekday.id,
        counterpart: 'lu-jia',
        reason: '临时有事',
      }),
      401,
      'token_missing',
    );
    expectError(await answer(holder, 'abc', 'accept'), 400, 'validation_failed', 'params.id');
    expect(await written()).toEqual(before);
  });

  test('eligibility is checked again when the counterpart accepts', async () => {
    // Another weekend day on which 陈霞 holds no day shift: asking her is fine at first …
    let day = '';
    for (const d of ['2026-10-25', '2026-10-31', '2026-10-18', '2026-10-17']) {
      const mine = (await rota()).shifts.filter(
        (s) => s.date === d && s.shift === 'day' && s.person.key === 'chen-xia',
      );
      if (mine.length === 0) {
        day = d;
        break;
      }
    }
    expect(day).not.toBe('');
    const oc = await placeOf(day, 'day', 'oc');
    const asked = await ask(oc.person.key, { shiftId: oc.id, counterpart: 'chen-xia', reason: '外出' });
    expect(asked.statusCode).toBe(201);
    const swap = asked.json() as SwapView;
    // … then the rc day shift of that day is given to her, so she would be on two shifts at once.
    const rcDay = await placeOf(day, 'day', 'rc');
    expect(
      (
        await inject(secretary, 'PUT', `/api/duty/shifts/${rcDay.id}`, {
          person: 'chen-xia',
          reason: '临时调整',
        })
      ).statusCode,
    ).toBe(200);
    const before = await rota();
    expectError(await answer('chen-xia', swap.id, 'accept'), 400, 'swap_double_booked');
    expect(await rota()).toEqual(before);
    const still = (await inject(await as('chen-xia'), 'GET', '/api/duty/swaps')).json() as {
      items: SwapView[];
    };
    expect(still.items.find((s) => s.id === swap.id)?.status).toBe('requested');
  });
});

describe('override of one shift', () => {
  beforeAll(() => clock.set(new Date('2026-10-15T04:00:00Z')));
  const override = (s: Session | null, id: string, payload: object) =>
    inject(s, 'PUT', `/api/duty/shifts/${id}`, payload);

  test('refused without the role, to someone not eligible, to the same person, after the end, or malformed', async () => {
    const shift = await placeOf('2026-10-22', 'day', 'grid');
    const other = POOLS.grid.find((p) => p !== shift.person.key)!;
    const ended = await placeOf('2026-10-14', 'day', 'grid');
    const before = await written();
    expectError(
      await override(await as(shift.person.key), shift.id, { person: other, reason: '调整' }),
      403,
      'rota_manager_only',
    );
    expectError(await override(null, shift.id, { person: other, reason: '调整' }), 401, 'token_missing');
    const e = expectError(
      await override(secretary, shift.id, { person: 'lu-jia', reason: '调整' }),
      400,
      'swap_not_eligible',
      'body.person',
    );
    expect(e.details).toContainEqual(expect.objectContaining({ rule: 'same_org_pool' }));
    expectError(
      await override(secretary, shift.id, { person: shift.person.key, reason: '调整' }),
      400,
      'override_same_person',
      'body.person',
    );
    expectError(
      await override(secretary, shift.id, { person: 'nobody', reason: '调整' }),
      400,
      'unknown_person',
      'body.person',
    );
    expectError(
      await override(secretary, shift.id, { person: other }),
      400,
      'validation_failed',
      'body.reason',
    );
    expectError(
      await override(secretary, ended.id, {
        person: POOLS.grid.find((p) => p !== ended.person.key),
        reason: '补记',
      }),
      409,
      'shift_ended',
    );
    expectError(
      await override(secretary, 'abc', { person: other, reason: '调整' }),
      400,
      'validation_failed',
      'params.id',
    );
    expectError(
      await override(secretary, '00000000-0000-4000-8000-000000000000', { person: other, reason: '调整' }),
      404,
      'shift_not_found',
    );
    expect(await written()).toEqual(before);
  });

  test('an override voids an open swap request on that shift, and both askers are told', async () => {
    const shift = await placeOf('2026-10-23', 'night', 'rc');
    const [b, c] = POOLS.rc.filter((p) => p !== shift.person.key && !unavailableOn(p, '2026-10-23'));
    const asked = (
      await inject(await as(shift.person.key), 'POST', '/api/duty/swaps', {
        shiftId: shift.id,
        counterpart: b,
        reason: '值夜班不便',
      })
    ).json() as SwapView;
    const o = await override(admin, shift.id, { person: c, reason: '统一调整夜班' });
    expect(o.statusCode).toBe(200);
    expect(o.json()).toMatchObject({ id: shift.id, person: { key: c }, source: 'override' });
    const list = (await inject(await as(b!), 'GET', '/api/duty/swaps?status=all')).json() as {
      items: SwapView[];
    };
    expect(list.items.find((s) => s.id === asked.id)).toMatchObject({
      status: 'cancelled',
      note: '班次已由管理员调整',
    });
    expect(await inbox(b!)).toContainEqual(expect.objectContaining({ kind: 'duty_swap_voided' }));
    const change = (await t.db.select().from(dutyShiftChangesTable)).find(
      (x) => x.kind === 'override' && x.shiftId === shift.id,
    );
    expect(change).toMatchObject({
      actor: 'admin',
      reason: '统一调整夜班',
      before: { person: shift.person.key },
      after: { person: c },
    });
  });
});

describe('the duty log (接待记录)', () => {
  let entry: DutyLogView;
  let onDuty: ShiftView;
  const record = async (person: string | Session, payload: object) =>
    inject(typeof person === 'string' ? await as(person) : person, 'POST', '/api/duty/log', payload);

  test('only the person on duty records, while on duty', async () => {
    clock.set(new Date('2026-10-16T02:00:00Z')); // Fri 10:00
    onDuty = await placeOf('2026-10-16', 'day', 'rc');
    const offDuty = POOLS.rc.find((p) => p !== onDuty.person.key)!;
    const before = await written();
    expectError(
      await record(offDuty, { askedBy: '3号楼住户', topic: '垃圾清运时间', answer: '每天早晚各一次' }),
      403,
      'not_on_duty',
    );
    expectError(
      await record(admin, { askedBy: '3号楼住户', topic: '垃圾清运时间', answer: '每天早晚各一次' }),
      403,
      'not_duty_person',
    );
    expectError(
      await record(onDuty.person.key, { askedBy: '3号楼住户', topic: '', answer: '每天早晚各一次' }),
      400,
      'validation_failed',
      'body.topic',
    );
    expectError(
      await record(onDuty.person.key, { askedBy: '3号楼住户', topic: '垃圾清运时间' }),
      400,
      'validation_failed',
      'body.answer',
    );
    expectError(
      await record(onDuty.person.key, { topic: '垃圾清运时间', answer: '每天早晚各一次' }),
      400,
      'validation_failed',
      'body.askedBy',
    );
    expect(await written()).toEqual(before);

    const r = await record(onDuty.person.key, {
      askedBy: '12号楼王阿姨',
      topic: '12号楼门口垃圾堆放三天',
      answer: '已记录，转物业处理',
    });
    expect(r.statusCode).toBe(201);
    entry = r.json() as DutyLogView;
    expect(entry).toMatchObject({
      person: { key: onDuty.person.key },
      org: 'rc',
      shiftId: onDuty.id,
      askedBy: '12号楼王阿姨',
      issueId: null,
      createdAt: '2026-10-16T02:00:00.000Z',
    });

    // A retry with the same Idempotency-Key gets the same entry back and writes nothing more.
    const key = { 'idempotency-key': 'duty-log-retry-0001' };
    const payload = { askedBy: '5号楼李先生', topic: '电梯年检时间', answer: '本周五上午' };
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/duty/log',
      headers: { ...(await as(onDuty.person.key)).auth, ...key },
      payload,
    });
    const retry = await t.app.inject({
      method: 'POST',
      url: '/api/duty/log',
      headers: { ...(await as(onDuty.person.key)).auth, ...key },
      payload,
    });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect((await written()).log).toBe(before.log + 2);

    // The shift ends at 17:00: after it, the same person is no longer on duty.
    clock.set(new Date('2026-10-16T09:00:00Z'));
    expectError(
      await record(onDuty.person.key, { askedBy: '访客', topic: '停车', answer: '请联系物业' }),
      403,
      'not_on_duty',
    );
  });

  test('the log reads by local dates, staff only', async () => {
    const page = await inject(
      secretary,
      'GET',
      '/api/communities/xiaduoyuan/duty/log?from=2026-10-16&to=2026-10-16',
    );
    expect(page.statusCode).toBe(200);
    const items = (page.json() as DutyLogPage).items;
    expect(items).toHaveLength(2); // newest first: the retried entry was recorded at the same instant
    expect(items.map((e) => e.id)).toContain(entry.id);
    const earlier = await inject(
      secretary,
      'GET',
      '/api/communities/xiaduoyuan/duty/log?from=2026-10-15&to=2026-10-15',
    );
    expect((earlier.json() as DutyLogPage).items).toEqual([]);
    expectError(await inject(null, 'GET', '/api/communities/xiaduoyuan/duty/log'), 401, 'token_missing');
    expectError(
      await inject(secretary, 'GET', '/api/communities/xiaduoyuan/duty/log?from=2026-10-16&to=2026-10-15'),
      400,
      'range_end_before_start',
      'querystring.to',
    );
    expectError(
      await inject(secretary, 'GET', '/api/communities/xiaduoyuan/duty/log?limit=0'),
      400,
      'validation_failed',
      'querystring.limit',
    );
  });

  test('an entry becomes an issue in one step, linked both ways, once', async () => {
    const url = `/api/duty/log/${entry.id}/issue`;
    const duty = await as(onDuty.person.key);
    const before = await written();
    expectError(
      await inject(duty, 'POST', url, { category: 'nonsense', building: 12 }),
      400,
      'unknown_category',
      'body.category',
    );
    expectError(
      await inject(duty, 'POST', url, { category: 'sanitation' }),
      400,
      'location_required',
      'body.building',
    );
    expectError(
      await inject(duty, 'POST', url, { category: 'sanitation', building: 999 }),
      400,
      'building_not_in_zone',
      'body.building',
    );
    expectError(
      await inject(duty, 'POST', url, { category: 'sanitation', building: '12' }),
      400,
      'validation_failed',
      'body.building',
    );
    const someoneElse = await as(POOLS.rc.find((p) => p !== onDuty.person.key)!);
    expectError(
      await inject(someoneElse, 'POST', url, { category: 'sanitation', building: 12 }),
      403,
      'duty_log_not_yours',
    );
    expectError(
      await inject(duty, 'POST', '/api/duty/log/00000000-0000-4000-8000-000000000000/issue', {
        category: 'sanitation',
        building: 12,
      }),
      404,
      'duty_log_not_found',
    );
    expect(await written()).toEqual(before);

    const r = await inject(duty, 'POST', url, { category: 'sanitation', building: 12, spot: '3单元门口' });
    expect(r.statusCode).toBe(201);
    const issue = r.json() as IssueDetail;
    expect(issue).toMatchObject({
      channel: 'duty_desk',
      zone: 'zone-1',
      building: 12,
      spot: '3单元门口',
      category: 'sanitation',
      status: 'dispatched',
      owner: { key: 'wu-wenjie' },
      reporter: { name: '12号楼王阿姨' },
    });
    expect(issue.description).toContain('12号楼门口垃圾堆放三天');
    // issue → entry: the intake event names it; entry → issue: the entry carries the issue.
    expect(issue.events[0]).toMatchObject({
      action: 'submit',
      data: { channel: 'duty_desk', dutyLogId: entry.id },
    });
    const linked = (await inject(secretary, 'GET', `/api/duty/log/${entry.id}`)).json() as DutyLogView;
    expect(linked).toMatchObject({ id: entry.id, issueId: issue.id, issueCode: issue.code });
    const [row] = await t.db.select().from(dutyLogEntriesTable).where(eq(dutyLogEntriesTable.id, entry.id));
    expect(row!.issueId).toBe(issue.id);

    // Once only.
    const issues = (await written()).issues;
    const again = expectError(
      await inject(duty, 'POST', url, { category: 'sanitation', building: 12 }),
      409,
      'duty_log_already_filed',
    );
    expect(again.details).toContainEqual(expect.objectContaining({ issueId: issue.id }));
    expect((await written()).issues).toBe(issues);
  });
});

/** Parse with a real iCalendar library (ical.js), not our own code. */
function parseFeed(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      summary: e.summary,
      description: e.description,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
    };
  });
}

describe('calendar feeds', () => {
  beforeAll(() => clock.set(new Date('2026-10-15T04:00:00Z')));
  const pathOf = (url: string) => new URL(url).pathname;

  test('my feed: an unguessable URL that a calendar app reads without logging in', async () => {
    const person = (await placeOf('2026-10-19', 'day', 'grid')).person.key;
    const me = await as(person);
    const feed = (await inject(me, 'GET', '/api/me/duty-feed')).json() as DutyFeedView;
    expect(feed.url).toMatch(/^http:\/\/localhost:3000\/api\/duty\/feeds\/[A-Za-z0-9_-]{48}\.ics$/);
    expect(feed.webcalUrl).toBe(feed.url.replace('http:', 'webcal:'));
    // The same URL every time until reset.
    expect(((await inject(me, 'GET', '/api/me/duty-feed')).json() as DutyFeedView).url).toBe(feed.url);

    const r = await t.app.inject({ url: pathOf(feed.url) });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const events = parseFeed(r.body);
    const mine = (await rota('2026-09-14', '2027-04-13')).shifts.filter((s) => s.person.key === person);
    expect(mine.length).toBeGreaterThan(0);
    expect(events.map((e) => [e.start, e.end]).sort()).toEqual(mine.map((s) => [s.start, s.end]).sort());
    const first = mine[0]!;
    expect(events.find((e) => e.start === first.start)).toMatchObject({
      summary: `${first.shiftName}：${first.orgName} ${first.person.name}`,
    });

    // A forged or edited token reads nothing; a reset voids the old URL.
    const token = feed.token;
    const edited = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    expectError(await t.app.inject({ url: `/api/duty/feeds/${edited}.ics` }), 404, 'feed_not_found');
    expectError(
      await t.app.inject({ url: `/api/duty/feeds/${token}.txt` }),
      400,
      'validation_failed',
      'params.token',
    );
    expectError(await t.app.inject({ url: '/api/duty/feeds/short.ics' }), 404, 'feed_not_found');
    const reset = (await inject(me, 'POST', '/api/me/duty-feed/reset')).json() as DutyFeedView;
    expect(reset.url).not.toBe(feed.url);
    expectError(await t.app.inject({ url: pathOf(feed.url) }), 404, 'feed_not_found');
    expect((await t.app.inject({ url: pathOf(reset.url) })).statusCode).toBe(200);
    expectError(await inject(admin, 'GET', '/api/me/duty-feed'), 403, 'not_duty_person');
  });

  test('the community feed: staff, or a feed token of the community; it parses shift for shift', async () => {
    const me = await as('zhang-nen');
    const token = ((await inject(me, 'GET', '/api/me/duty-feed')).json() as DutyFeedView).token;
    expectError(await t.app.inject({ url: '/api/communities/xiaduoyuan/duty.ics' }), 401, 'token_missing');
    expectError(
      await t.app.inject({ url: '/api/communities/xiaduoyuan/duty.ics?feed=nonsense' }),
      404,
      'feed_not_found',
    );
    const url = '/api/communities/xiaduoyuan/duty.ics?from=2026-10-01&to=2026-10-31';
    const byToken = await t.app.inject({ url: `${url}&feed=${token}` });
    expect(byToken.statusCode).toBe(200);
    const byBearer = await inject(secretary, 'GET', url);
    expect(byBearer.statusCode).toBe(200);
    expect(byBearer.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const events = parseFeed(byBearer.body);
    const month = await rota();
    expect(events).toHaveLength(month.shifts.length);
    expect(new Set(events.map((e) => e.uid)).size).toBe(month.shifts.length);
    // The person who chose to show a phone has it in the description; nobody else's phone appears.
    const withPhone = events.filter((e) => e.description?.includes('联系电话'));
    expect(withPhone.length).toBeGreaterThan(0);
    for (const e of withPhone) expect(e.description).toContain('13912345678');
    expectError(
      await inject(secretary, 'GET', '/api/communities/xiaduoyuan/duty.ics?from=2026-10-31&to=2026-10-01'),
      400,
      'range_end_before_start',
      'querystring.to',
    );
  });
});

describe('the printable monthly notice', () => {
  test('a page per month, a table per week, with the right names and the gaps', async () => {
    const r = await inject(secretary, 'GET', '/api/communities/xiaduoyuan/duty/print?month=2026-10');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = r.body;
    expect(html).toContain('夏朵园居民区 2026年10月 全岗通值班表');
    expect(html).toContain('size: A4');
    expect(html).toContain('国庆节');
    // October 2026 (1 Oct is a Thursday) spans five Monday-first weeks: 28 Sep – 1 Nov.
    expect(html.match(/<table>/g)).toHaveLength(5);
    expect(html).toContain('第 5 周');
    // Every name on the rota is on the page; a day short says so.
    const month = (await rota()).shifts;
    expect(month.length).toBeGreaterThan(100);
    for (const s of month) expect(html).toContain(s.person.name);
    expect(html).toContain('缺岗');
    // The Saturday table cell for 17 October lists that day's people.
    const names17 = (await rota()).shifts
      .filter((s) => s.date === '2026-10-17' && s.shift === 'day')
      .map((s) => s.person.name);
    const week = html.split('<table>').find((t) => t.includes('17日'))!;
    expect(names17).toHaveLength(4);
    for (const n of names17) expect(week).toContain(n);

    expectError(
      await inject(secretary, 'GET', '/api/communities/xiaduoyuan/duty/print?month=2026-13'),
      400,
      'validation_failed',
      'querystring.month',
    );
    expectError(
      await inject(secretary, 'GET', '/api/communities/xiaduoyuan/duty/print'),
      400,
      'validation_failed',
      'querystring.month',
    );
    expectError(
      await t.app.inject({ url: '/api/communities/xiaduoyuan/duty/print?month=2026-10' }),
      401,
      'token_missing',
    );
  });
});

describe('bad input on the remaining endpoints', () => {
  test('each refused with the field named, and nothing written', async () => {
    const me = await as('zhang-nen');
    const before = await written();
    const feedBefore = ((await inject(me, 'GET', '/api/me/duty-feed')).json() as DutyFeedView).url;
    expectError(
      await inject(me, 'POST', '/api/me/duty-feed/reset', { all: true }),
      400,
      'validation_failed',
      'body.all',
    );
    expect(((await inject(me, 'GET', '/api/me/duty-feed')).json() as DutyFeedView).url).toBe(feedBefore);
    expectError(
      await inject(me, 'GET', '/api/duty/swaps?status=maybe'),
      400,
      'validation_failed',
      'querystring.status',
    );
    expectError(await inject(me, 'GET', '/api/duty/log/abc'), 400, 'validation_failed', 'params.id');
    expectError(
      await inject(me, 'GET', '/api/duty/log/00000000-0000-4000-8000-000000000000'),
      404,
      'duty_log_not_found',
    );
    expectError(
      await inject(me, 'GET', '/api/me/shifts?from=2026-13-01'),
      400,
      'validation_failed',
      'querystring.from',
    );
    expectError(
      await inject(me, 'GET', '/api/me/shifts?from=2026-10-01&to=2028-10-01'),
      400,
      'range_too_long',
      'querystring.to',
    );
    expectError(
      await inject(me, 'POST', '/api/duty/swaps/00000000-0000-4000-8000-000000000000/accept', { note: 1 }),
      400,
      'validation_failed',
      'body.note',
    );
    expectError(
      await inject(me, 'POST', '/api/duty/swaps/00000000-0000-4000-8000-000000000000/accept'),
      404,
      'swap_not_found',
    );
    expectError(
      await inject(me, 'PUT', '/api/me/duty-preferences', { showContact: 'yes' }),
      400,
      'validation_failed',
      'body.showContact',
    );
    expectError(
      await inject(me, 'GET', '/api/communities/xiaduoyuan/duty.ics?from=2026-10-01&to=2028-10-01'),
      400,
      'range_too_long',
      'querystring.to',
    );
    expect(await written()).toEqual(before);
  });
});

describe('documented', () => {
  test('every duty route is in the OpenAPI document with its operationId', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const expected: [string, string, string][] = [
      ['/api/communities/{key}/duty/generate', 'post', 'generateDuty'],
      ['/api/communities/{key}/duty/publish', 'post', 'publishRota'],
      ['/api/communities/{key}/duty', 'get', 'getRota'],
      ['/api/communities/{key}/duty/now', 'get', 'onDutyNow'],
      ['/api/communities/{key}/duty.ics', 'get', 'communityDutyFeed'],
      ['/api/communities/{key}/duty/print', 'get', 'printRota'],
      ['/api/communities/{key}/duty/log', 'get', 'listDutyLog'],
      ['/api/me/shifts', 'get', 'myShifts'],
      ['/api/me/duty-feed', 'get', 'myDutyFeed'],
      ['/api/me/duty-preferences', 'put', 'setDutyPreferences'],
      ['/api/duty/feeds/{token}', 'get', 'personDutyFeed'],
      ['/api/duty/swaps', 'post', 'requestSwap'],
      ['/api/duty/swaps/{id}/accept', 'post', 'acceptSwap'],
      ['/api/duty/swaps/{id}/decline', 'post', 'declineSwap'],
      ['/api/duty/swaps/{id}/cancel', 'post', 'cancelSwap'],
      ['/api/duty/shifts/{id}', 'put', 'overrideShift'],
      ['/api/duty/log', 'post', 'recordDutyLog'],
      ['/api/duty/log/{id}/issue', 'post', 'dutyLogToIssue'],
    ];
    for (const [path, method, id] of expected)
      expect([path, method, doc.paths[path]?.[method]?.operationId]).toEqual([path, method, id]);
  });
});
