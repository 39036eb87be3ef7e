import type {
  GenerateDutyResult,
  MyShiftsView,
  NotificationPage,
  OnDutyNowView,
  RotaView,
} from '@gongzhi/domain';
import { count } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  dutyMonthsTable,
  dutyShiftChangesTable,
  dutyShiftsTable,
  outboxTable,
} from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';

// Issue 16: the secretary generates a month as a draft, sees its gaps, adjusts, publishes.
// 夏朵园 with one day shift; the whole property company is away on Sunday 25 October, so that
// day cannot be fully staffed.
const DUTY = {
  shifts: [{ key: 'day', name: '白班', start: '08:30', end: '17:00' }],
  unavailable: Object.fromEntries(
    ['zhang-lifen', 'shen-xuli', 'tang-wangwei', 'guo-honghui', 'cao-zulu'].map((p) => [p, ['2026-10-25']]),
  ),
};

type Session = Awaited<ReturnType<TestApp['loginAs']>>;
const clock = testClock(new Date('2026-09-15T02:00:00Z')); // Tue 15 Sep 10:00 in Shanghai
let t: TestApp;
let secretary: Session; // 屠忠梅
let inspector: Session; // 杨琛怡, grid: staff, not a rota manager
const C = '/api/communities/xiaduoyuan';

beforeAll(async () => {
  t = await buildTestApp({
    now: clock.now,
    editConfig: (raw) => {
      raw.duty = DUTY;
    },
  });
  secretary = await t.loginAs('tu-zhongmei');
  inspector = await t.loginAs('yang-chenyi');
});
afterAll(() => t.close());

const inject = (s: Session | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, ...(s ? { headers: s.auth } : {}), ...(payload ? { payload } : {}) });
const rota = async (s: Session, from = '2026-10-01', to = '2026-10-31') => {
  const r = await inject(s, 'GET', `${C}/duty?from=${from}&to=${to}`);
  expect(r.statusCode).toBe(200);
  return r.json() as RotaView;
};
async function written() {
  const n = async (table: PgTable) => (await t.db.select({ n: count() }).from(table))[0]!.n;
  return {
    shifts: await n(dutyShiftsTable),
    changes: await n(dutyShiftChangesTable),
    outbox: await n(outboxTable),
    months: JSON.stringify(await t.db.select().from(dutyMonthsTable)),
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
  expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  if (path) expect(body.error.details?.map((d) => d.path)).toContain(path);
  return body.error;
}

let draft: GenerateDutyResult;

describe('a draft month', () => {
  test('generated as a draft: the secretary sees it with its gaps and may publish it', async () => {
    const r = await inject(secretary, 'POST', `${C}/duty/generate`, {
      from: '2026-10-01',
      to: '2026-10-31',
      draft: true,
    });
    expect(r.statusCode).toBe(200);
    draft = r.json();
    expect(draft.months).toEqual([
      {
        month: '2026-10',
        status: 'draft',
        statusName: '草稿（未发布）',
        publishedAt: null,
        publishedBy: null,
      },
    ]);
    expect(draft.allowedActions).toEqual(['generate', 'publish', 'override']);
    expect(draft.shifts.length).toBeGreaterThan(0);
    // 25 October is short of the property company, as generated and as read back.
    const short = { date: '2026-10-25', shift: 'day', org: 'property', assigned: 0 };
    expect(draft.shortfalls).toContainEqual(expect.objectContaining(short));
    expect(draft.gaps).toContainEqual(expect.objectContaining(short));
    const read = await rota(secretary);
    expect(read.shifts.map((s) => s.id)).toEqual(draft.shifts.map((s) => s.id));
    expect(read.months[0]!.status).toBe('draft');
  });

  test('nobody else sees a draft: other staff, their own shifts, feeds, print, who is on duty', async () => {
    const seen = await rota(inspector);
    expect(seen.shifts).toEqual([]);
    expect(seen.gaps).toEqual([]);
    expect(seen.months[0]!.status).toBe('draft');
    expect(seen.allowedActions).toEqual([]);

    const holder = draft.shifts.find((s) => s.org === 'grid')!.person.key;
    const me = await t.loginAs(holder);
    const mine = (
      await inject(me, 'GET', '/api/me/shifts?from=2026-10-01&to=2026-10-31')
    ).json() as MyShiftsView;
    expect(mine.shifts).toEqual([]);
    const ics = await inject(secretary, 'GET', `${C}/duty.ics?from=2026-10-01&to=2026-10-31`);
    expect(ics.statusCode).toBe(200);
    expect(ics.body).not.toContain('BEGIN:VEVENT');
    const print = await inject(secretary, 'GET', `${C}/duty/print?month=2026-10`);
    expect(print.statusCode).toBe(200);
    expect(print.body).not.toContain(draft.shifts[0]!.person.name);

    clock.set(new Date('2026-10-15T04:00:00Z'));
    try {
      const now = (await inject(null, 'GET', `${C}/duty/now`)).json() as OnDutyNowView;
      expect(now.onDuty).toEqual([]);
    } finally {
      clock.set(new Date('2026-09-15T02:00:00Z'));
    }
  });

  test('publishing is refused: by a non-manager, with unacknowledged gaps, a month never generated, bad input', async () => {
    const before = await written();
    expectError(
      await inject(inspector, 'POST', `${C}/duty/publish`, { month: '2026-10' }),
      403,
      'rota_manager_only',
    );
    const gaps = expectError(
      await inject(secretary, 'POST', `${C}/duty/publish`, { month: '2026-10' }),
      409,
      'rota_has_gaps',
      'body.acceptGaps',
    );
    expect(gaps.message).toContain('2026年10月值班表有 1 天缺岗');
    expectError(
      await inject(secretary, 'POST', `${C}/duty/publish`, { month: '2026-12', acceptGaps: true }),
      409,
      'rota_not_generated',
      'body.month',
    );
    expectError(
      await inject(secretary, 'POST', `${C}/duty/publish`, { month: '2026-13' }),
      400,
      'validation_failed',
      'body.month',
    );
    expectError(
      await inject(secretary, 'POST', `${C}/duty/publish`, { month: '2026-10', acceptGaps: 'yes' }),
      400,
      'validation_failed',
      'body.acceptGaps',
    );
    expectError(
      await inject(secretary, 'POST', `${C}/duty/generate`, {
        from: '2026-10-01',
        to: '2026-10-31',
        draft: 1,
      }),
      400,
      'validation_failed',
      'body.draft',
    );
    expect(await written()).toEqual(before);
  });

  test('a shift of the draft is overridden; a draft generation again keeps it and stays a draft', async () => {
    const shift = draft.shifts.find((s) => s.org === 'grid' && s.date === '2026-10-09')!;
    const other = draft.shifts.find(
      (s) =>
        s.org === 'grid' &&
        s.person.key !== shift.person.key &&
        !draft.shifts.some((x) => x.date === shift.date && x.person.key === s.person.key),
    )!;
    const r = await inject(secretary, 'PUT', `/api/duty/shifts/${shift.id}`, {
      person: other.person.key,
      reason: '原值班人当天外出培训',
    });
    expect(r.statusCode).toBe(200);
    const again = (
      await inject(secretary, 'POST', `${C}/duty/generate`, {
        from: '2026-10-01',
        to: '2026-10-31',
        draft: true,
      })
    ).json() as GenerateDutyResult;
    expect(again.months[0]!.status).toBe('draft');
    expect(again.shifts.find((s) => s.id === shift.id)).toMatchObject({
      person: { key: other.person.key },
      source: 'override',
    });
  });

  test('published with the gaps acknowledged: shown everywhere, everyone on it told, once', async () => {
    // Notifications reach accounts: the holder has one before the month is published.
    const holder = draft.shifts.find((s) => s.org === 'grid')!.person.key;
    const me = await t.loginAs(holder);
    const r = await inject(secretary, 'POST', `${C}/duty/publish`, { month: '2026-10', acceptGaps: true });
    expect(r.statusCode).toBe(200);
    const published = r.json() as RotaView;
    expect(published.months).toEqual([
      {
        month: '2026-10',
        status: 'published',
        statusName: '已发布',
        publishedAt: clock.now().toISOString(),
        publishedBy: '屠忠梅',
      },
    ]);
    expect(published.allowedActions).toEqual(['generate', 'override', 'print']);
    expect((await rota(inspector)).shifts.length).toBe(published.shifts.length);
    expect((await rota(inspector)).allowedActions).toEqual(['print']);

    const mineExpected = published.shifts.filter((s) => s.person.key === holder);
    const mine = (
      await inject(me, 'GET', '/api/me/shifts?from=2026-10-01&to=2026-10-31')
    ).json() as MyShiftsView;
    expect(mine.shifts.map((s) => s.id)).toEqual(mineExpected.map((s) => s.id));
    await t.deliverOutbox();
    const inbox = (await inject(me, 'GET', '/api/me/notifications')).json() as NotificationPage;
    const told = inbox.items.filter((n) => n.title === '2026年10月值班表已发布');
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain(`您有 ${mineExpected.length} 个班次`);

    expectError(
      await inject(secretary, 'POST', `${C}/duty/publish`, { month: '2026-10', acceptGaps: true }),
      409,
      'rota_already_published',
    );
    // Generating a published month again (even as a draft) changes the live rota: it stays published.
    const again = (
      await inject(secretary, 'POST', `${C}/duty/generate`, {
        from: '2026-10-01',
        to: '2026-10-31',
        draft: true,
      })
    ).json() as GenerateDutyResult;
    expect(again.months[0]!.status).toBe('published');
  });

  test('without draft, a generated month is live at once (as before publishing existed)', async () => {
    const r = await inject(secretary, 'POST', `${C}/duty/generate`, { from: '2026-11-01', to: '2026-11-30' });
    expect(r.statusCode).toBe(200);
    expect((r.json() as GenerateDutyResult).months[0]!.status).toBe('published');
    const seen = await rota(inspector, '2026-11-01', '2026-11-30');
    expect(seen.shifts.length).toBe((r.json() as GenerateDutyResult).shifts.length);
    const december = await rota(secretary, '2026-12-01', '2026-12-31');
    expect(december.months[0]!.status).toBe('unplanned');
  });
});
