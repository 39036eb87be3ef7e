import { ORGS, type Org } from '../../packages/domain/src/community/schema';
import { type DayKind, DutyConfig, type DutyConfigInput } from '../../packages/domain/src/duty/config';
import {
  type GenerateRotaInput,
  generateRota,
  type RotaShift,
} from '../../packages/domain/src/duty/generate-rota';
import { nextDutyChange, onDutyAt, shiftInterval } from '../../packages/domain/src/duty/on-duty';
import { checkDutyConfig, dutyPoolsOf, parseDutyConfig } from '../../packages/domain/src/duty/pools';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

/** October 2026 by hand: 国庆 1–7, make-up workdays Sun 20 Sep and Sat 10 Oct, other Sat/Sun off. */
function dayKind(date: string): DayKind {
  if (date >= '2026-10-01' && date <= '2026-10-07') return 'holiday';
  if (date === '2026-09-20' || date === '2026-10-10') return 'makeup_workday';
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6 ? 'weekend' : 'workday';
}

const OCTOBER = Array.from({ length: 31 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`);
// Written out from a printed calendar, not derived from dayKind: Oct 1 2026 is a Thursday.
const OFF_DAYS = [1, 2, 3, 4, 5, 6, 7, 11, 17, 18, 24, 25, 31].map(
  (d) => `2026-10-${String(d).padStart(2, '0')}`,
);
const OFF_DAY_ORGS: Org[] = ['rc', 'grid', 'oc', 'property'];
const WEEKDAY_ORGS: Org[] = ['rc', 'grid'];

// 夏朵园's zone memberships (config/communities/xiaduoyuan.yaml), by hand.
const XIADUOYUAN_POOLS: Record<Org, string[]> = {
  party: [],
  rc: [
    'chen-xia',
    'ding-shengmin',
    'li-yongkang',
    'liu-jing',
    'lu-jia',
    'lv-mengmeng',
    'shen-bin',
    'shen-kajia',
    'zhang-nen',
  ],
  grid: [
    'fei-hongxin',
    'lou-jiaying',
    'ma-zhengcai',
    'yang-chenyi',
    'yang-lizhong',
    'zhang-yue',
    'zhu-yuanshun',
    'zhuang-yongliang',
  ],
  oc: ['hu-shengjia', 'li-gang', 'ni-qiong', 'wu-wenjie', 'zhou-jianguang'],
  property: ['cao-zulu', 'guo-honghui', 'shen-xuli', 'tang-wangwei', 'zhang-lifen'],
};

const duty = (input: DutyConfigInput = {}) => DutyConfig.parse(input);

const october = (extra: Partial<GenerateRotaInput> & { config?: DutyConfig } = {}) =>
  generateRota({
    from: '2026-10-01',
    to: '2026-10-31',
    community: loadXiaduoyuan(),
    config: duty(),
    dayKind,
    ...extra,
  } as GenerateRotaInput);

const countBy = <T>(items: readonly T[], key: (t: T) => string) => {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
};

/** max − min of the per-person counts over the WHOLE pool (people with no shift count as 0). */
const spread = (pool: string[], shifts: RotaShift[]) => {
  const counts = countBy(shifts, (s) => s.person);
  const values = pool.map((p) => counts.get(p) ?? 0);
  return Math.max(...values) - Math.min(...values);
};

/** Wall-clock minutes of a shift, computed independently of the domain code. */
const minutesOf = (date: string, start: string, end: string) => {
  const day = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / 60000;
  const s = +start.slice(0, 2) * 60 + +start.slice(3);
  let e = +end.slice(0, 2) * 60 + +end.slice(3);
  if (e <= s) e += 1440;
  return [day + s, day + e] as const;
};

describe('DutyConfig', () => {
  it('defaults to the seed: one 值班 shift, rc and grid on weekdays, plus oc and property on off days', () => {
    expect(duty()).toEqual({
      shifts: [{ key: 'day', name: '值班', start: '08:30', end: '17:00' }],
      weekday: { rc: 1, grid: 1 },
      offDay: { rc: 1, grid: 1, oc: 1, property: 1 },
      pools: {},
      unavailable: {},
    });
  });

  it.each([
    [
      'a bad clock time',
      { shifts: [{ key: 'day', name: '白班', start: '8:30', end: '17:00' }] },
      'shifts.0.start',
    ],
    ['an unknown organisation', { weekday: { rc: 1, police: 1 } }, 'weekday'],
    [
      'a date that does not exist',
      { unavailable: { 'zhang-nen': ['2026-02-30'] } },
      'unavailable.zhang-nen.0',
    ],
    [
      'a span ending before it starts',
      { unavailable: { 'zhang-nen': ['2026-10-05..2026-10-01'] } },
      'unavailable.zhang-nen.0',
    ],
    ['a negative count', { offDay: { oc: -1 } }, 'offDay.oc'],
    ['no shift at all', { shifts: [] }, 'shifts'],
  ])('refuses %s with a Chinese message at its path', (_what, input, path) => {
    const r = DutyConfig.safeParse(input);
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    expect(issue.path.join('.')).toBe(path);
    expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('names the valid organisations when an unknown one is used', () => {
    const r = DutyConfig.safeParse({ offDay: { police: 1 } });
    expect(r.error!.issues[0]!.message).toContain('未知组织 police');
    expect(r.error!.issues[0]!.message).toContain('oc（业委会）');
  });

  it('checkDutyConfig names unknown people, duplicates and unstaffable counts with paths', () => {
    const community = loadXiaduoyuan();
    const problems = checkDutyConfig(
      community,
      duty({
        shifts: [
          { key: 'day', name: '白班', start: '08:30', end: '17:00' },
          { key: 'day', name: '夜班', start: '17:00', end: '08:30' },
        ],
        weekday: { rc: 1, party: 1 },
        offDay: { oc: 3 },
        pools: { oc: ['wu-wenjie', 'nobody', 'wu-wenjie'] },
        unavailable: { ghost: ['2026-10-01'] },
      }),
    );
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        'duty.shifts[1].key',
        'duty.pools.oc[1]',
        'duty.pools.oc[2]',
        'duty.unavailable.ghost',
        'duty.weekday.party',
        'duty.offDay.oc',
      ].sort(),
    );
    expect(byPath['duty.pools.oc[1]']).toContain('未定义的人员 "nobody"');
    expect(byPath['duty.unavailable.ghost']).toContain('未定义的人员 "ghost"');
    expect(byPath['duty.weekday.party']).toContain('没有居民区党总支值班人员');
    // The explicit pool has two distinct people (wu-wenjie twice, nobody once) → 3 needed, fewer there.
    expect(byPath['duty.offDay.oc']).toMatch(/需要业委会 3 人，但业委会值班人员只有 2 人/);
  });

  it('accepts the defaults for 夏朵园, and parseDutyConfig throws Invalid with every problem', () => {
    const community = loadXiaduoyuan();
    expect(checkDutyConfig(community, duty())).toEqual([]);
    const err = domainErrorOf(() => parseDutyConfig({ pools: { rc: ['ghost'] } }, community));
    expect(err.code).toBe('invalid_duty_config');
    expect(err.details).toEqual([{ path: 'duty.pools.rc[0]', message: expect.stringContaining('ghost') }]);
    const schemaErr = domainErrorOf(() => parseDutyConfig({ weekday: { rc: 'one' } }, community));
    expect(schemaErr.details![0]!.path).toBe('duty.weekday.rc');
  });
});

describe('dutyPoolsOf', () => {
  it('derives each organisation from zone memberships (leaders included), sorted by key', () => {
    const pools = dutyPoolsOf(loadXiaduoyuan(), duty());
    expect(Object.fromEntries(pools)).toEqual(XIADUOYUAN_POOLS);
  });

  it('lets an explicit pool replace one organisation only', () => {
    const pools = dutyPoolsOf(loadXiaduoyuan(), duty({ pools: { oc: ['zhou-jianguang', 'chen-lifeng'] } }));
    expect(pools.get('oc')).toEqual(['chen-lifeng', 'zhou-jianguang']);
    expect(pools.get('rc')).toEqual(XIADUOYUAN_POOLS.rc);
  });
});

describe('generateRota: a month for 夏朵园 (October 2026, with 国庆 and a make-up Saturday)', () => {
  const { shifts, shortfalls } = october();

  it('the hand-written calendar agrees with the test dayKind', () => {
    expect(OCTOBER.filter((d) => dayKind(d) === 'weekend' || dayKind(d) === 'holiday')).toEqual(OFF_DAYS);
  });

  it('covers every day exactly as configured: rc+grid on weekdays, plus oc+property on off days', () => {
    expect(shortfalls).toEqual([]);
    for (const date of OCTOBER) {
      const expected = OFF_DAYS.includes(date) ? OFF_DAY_ORGS : WEEKDAY_ORGS;
      for (const org of ORGS) {
        const n = shifts.filter((s) => s.date === date && s.org === org).length;
        expect({ date, org, n }).toEqual({ date, org, n: expected.includes(org) ? 1 : 0 });
      }
    }
    expect(shifts.every((s) => s.shift === 'day')).toBe(true);
  });

  it('the make-up Saturday (10 Oct) is a weekday: rc and grid only', () => {
    expect(
      shifts
        .filter((s) => s.date === '2026-10-10')
        .map((s) => s.org)
        .sort(),
    ).toEqual(['grid', 'rc']);
  });

  it('only pool members serve their organisation', () => {
    for (const s of shifts) expect(XIADUOYUAN_POOLS[s.org]).toContain(s.person);
  });

  it.each(OFF_DAY_ORGS)('is fair within the %s pool: all shifts and off-day shifts differ by ≤ 1', (org) => {
    const mine = shifts.filter((s) => s.org === org);
    expect(spread(XIADUOYUAN_POOLS[org], mine)).toBeLessThanOrEqual(1);
    expect(
      spread(
        XIADUOYUAN_POOLS[org],
        mine.filter((s) => OFF_DAYS.includes(s.date)),
      ),
    ).toBeLessThanOrEqual(1);
  });

  it('is deterministic, and independent of the order of people in the config', () => {
    expect(october()).toEqual({ shifts, shortfalls });
    const community = loadXiaduoyuan();
    community.config.zones.reverse();
    for (const z of community.config.zones) z.members.reverse();
    expect(october({ community })).toEqual({ shifts, shortfalls });
  });

  it('is sorted by date, then organisation', () => {
    const order = shifts.map((s) => `${s.date}/${ORGS.indexOf(s.org)}`);
    expect(order).toEqual([...order].sort());
  });
});

describe('generateRota: rules', () => {
  it('never schedules an unavailable person and still covers every day, fairly', () => {
    const unavailable = {
      'zhang-nen': ['2026-10-01..2026-10-10'],
      'chen-xia': ['2026-10-15', '2026-10-20..2026-10-22'],
      'wu-wenjie': ['2026-10-01..2026-10-07'],
      'yang-chenyi': ['2026-09-25..2026-10-31'],
    };
    const { shifts, shortfalls } = october({ config: duty({ unavailable }) });
    expect(shortfalls).toEqual([]);
    const offending = shifts.filter((s) =>
      (unavailable[s.person as keyof typeof unavailable] ?? []).some((span) => {
        const [a, b = a] = span.split('..');
        return a! <= s.date && s.date <= b!;
      }),
    );
    expect(offending).toEqual([]);
    expect(shifts.some((s) => s.person === 'yang-chenyi')).toBe(false);
    // Fairness survives these absences (not guaranteed in general, but it must here: there is room).
    for (const org of ['rc', 'oc'] as const) {
      expect(
        spread(
          XIADUOYUAN_POOLS[org],
          shifts.filter((s) => s.org === org),
        ),
      ).toBeLessThanOrEqual(1);
    }
  });

  it('reports exactly the days a too-small pool cannot cover', () => {
    const { shifts, shortfalls } = october({
      config: duty({
        offDay: { rc: 1, grid: 1, oc: 2, property: 1 },
        pools: { oc: ['wu-wenjie'], rc: ['li-yongkang', 'zhang-nen'] },
        unavailable: { 'zhang-nen': ['2026-10-12..2026-10-14'], 'li-yongkang': ['2026-10-13', '2026-10-20'] },
      }),
    });
    const short = shortfalls.map(({ date, org, needed, assigned }) => ({ date, org, needed, assigned }));
    expect(short).toEqual(
      [
        ...OFF_DAYS.map((date) => ({ date, org: 'oc', needed: 2, assigned: 1 })),
        { date: '2026-10-13', org: 'rc', needed: 1, assigned: 0 },
      ].sort((a, b) => a.date.localeCompare(b.date)),
    );
    const oct13 = shortfalls.find((s) => s.date === '2026-10-13')!;
    expect(oct13.shift).toBe('day');
    expect(oct13.reason).toContain('居委会值班人员共 2 人，其中 2 人当天不可值班');
    expect(shortfalls[0]!.reason).toBe(
      '2026-10-01 值班需要业委会 2 人，只能安排 1 人：业委会值班人员共 1 人',
    );
    // What could be covered is covered: wu-wenjie serves every off day.
    expect(shifts.filter((s) => s.org === 'oc').map((s) => s.date)).toEqual(OFF_DAYS);
    expect(shifts.find((s) => s.date === '2026-10-20' && s.org === 'rc')!.person).toBe('zhang-nen');
  });

  it('reports an organisation with nobody at all', () => {
    const { shortfalls } = october({ config: duty({ weekday: { rc: 1, grid: 1, party: 1 } }) });
    expect(shortfalls).toHaveLength(OCTOBER.length - OFF_DAYS.length);
    expect(shortfalls[0]!.reason).toContain('没有居民区党总支值班人员');
  });

  it('keeps fixed shifts exactly, fills around them, and counts them for fairness', () => {
    const first = october();
    const past = first.shifts.filter((s) => s.date < '2026-10-15');
    // An admin override inside the range: another rc person on 20 Oct.
    const was = first.shifts.find((s) => s.date === '2026-10-20' && s.org === 'rc')!;
    const override: RotaShift = {
      ...was,
      person: XIADUOYUAN_POOLS.rc.find((p) => p !== was.person)!,
    };
    const fixed = [...past, override];
    const again = october({ fixed });
    for (const f of fixed) expect(again.shifts).toContainEqual(f);
    expect(again.shifts.filter((s) => s.date === '2026-10-20' && s.org === 'rc')).toEqual([override]);
    expect(again.shifts.filter((s) => s.date < '2026-10-15')).toEqual(past);
    expect(again.shortfalls).toEqual([]);
    expect(again.shifts).toHaveLength(first.shifts.length);

    // Regenerating only the future range leaves the past out of the result altogether.
    const future = generateRota({
      from: '2026-10-15',
      to: '2026-10-31',
      community: loadXiaduoyuan(),
      config: duty(),
      dayKind,
      fixed: past,
    });
    expect(future.shifts.every((s) => s.date >= '2026-10-15')).toBe(true);
  });

  it('never books one person on two overlapping shifts, across midnight and across the range edge', () => {
    const config = duty({
      shifts: [
        { key: 'day', name: '白班', start: '08:00', end: '20:00' },
        { key: 'night', name: '夜班', start: '20:00', end: '09:00' },
      ],
      weekday: { rc: 1, grid: 1 },
      offDay: { rc: 1, grid: 1 },
      // Shared people across organisations, and pools just big enough.
      pools: { rc: ['a-rc', 'b-both', 'c-both'], grid: ['b-both', 'c-both', 'd-grid'] },
    });
    const pools = new Map<Org, string[]>([
      ['rc', ['a-rc', 'b-both', 'c-both']],
      ['grid', ['b-both', 'c-both', 'd-grid']],
    ]);
    // d-grid works the night before the range; the night runs to 09:00, into the first day shift.
    const fixed: RotaShift[] = [{ date: '2026-10-14', shift: 'night', org: 'grid', person: 'd-grid' }];
    const { shifts } = generateRota({ from: '2026-10-15', to: '2026-10-31', pools, config, dayKind, fixed });
    const all = [...fixed, ...shifts];
    const def = new Map(config.shifts.map((d) => [d.key, d]));
    const span = (s: RotaShift) => minutesOf(s.date, def.get(s.shift)!.start, def.get(s.shift)!.end);
    const clashes: string[] = [];
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const [a, b] = [all[i]!, all[j]!];
        const [as, ae] = span(a);
        const [bs, be] = span(b);
        if (a.person === b.person && as < be && bs < ae)
          clashes.push(`${JSON.stringify(a)} × ${JSON.stringify(b)}`);
      }
    }
    expect(clashes).toEqual([]);
    expect(
      shifts.find((s) => s.date === '2026-10-15' && s.shift === 'day' && s.person === 'd-grid'),
    ).toBeUndefined();
    expect(shifts.filter((s) => s.date === '2026-10-15')).toHaveLength(4);
  });

  it('takes pools given directly as they come: unsorted, with a person listed twice', () => {
    const { shifts, shortfalls } = generateRota({
      from: '2026-10-12',
      to: '2026-10-12',
      pools: new Map([['rc', ['b-rc', 'a-rc', 'b-rc']]]),
      config: duty({ weekday: { rc: 3 } }),
      dayKind,
    });
    expect(shifts.map((s) => s.person)).toEqual(['a-rc', 'b-rc']);
    expect(shortfalls.map((s) => [s.needed, s.assigned])).toEqual([[3, 2]]);
  });

  it('a fixed night just before the range blocks the overlapping first morning', () => {
    const config = duty({
      shifts: [
        { key: 'day', name: '白班', start: '08:00', end: '20:00', weekday: { grid: 1 } },
        { key: 'night', name: '夜班', start: '20:00', end: '09:00', weekday: {} },
      ],
    });
    const { shifts, shortfalls } = generateRota({
      from: '2026-10-15',
      to: '2026-10-16',
      pools: new Map([['grid', ['d-grid']]]),
      config,
      dayKind,
      fixed: [{ date: '2026-10-14', shift: 'night', org: 'grid', person: 'd-grid' }],
    });
    expect(shifts).toEqual([{ date: '2026-10-16', shift: 'day', org: 'grid', person: 'd-grid' }]);
    expect(shortfalls).toEqual([
      {
        date: '2026-10-15',
        shift: 'day',
        org: 'grid',
        needed: 1,
        assigned: 0,
        reason:
          '2026-10-15 白班需要网格巡查 1 人，只能安排 0 人：网格巡查值班人员共 1 人，1 人同一时段已有其他班次',
      },
    ]);
  });

  // Pools whose size lines up with the week are where a plain round robin gives the same people
  // every weekend; the off-day spread catches that.
  const people = (n: number) => Array.from({ length: n }, (_, i) => `p${String(i).padStart(2, '0')}`);
  it.each([
    [2, 1, '2026-10-01', '2026-10-31'],
    [3, 1, '2026-10-01', '2026-12-31'],
    [5, 1, '2026-10-01', '2026-12-31'],
    [7, 1, '2026-10-01', '2026-12-31'],
    [7, 2, '2026-10-01', '2026-12-31'],
    [14, 1, '2026-09-14', '2026-12-31'],
    [6, 3, '2026-10-01', '2026-11-30'],
    [10, 1, '2026-10-08', '2026-10-20'],
  ])('is fair for a pool of %i people, %i per shift, %s..%s', (size, perShift, from, to) => {
    const pool = people(size);
    const { shifts, shortfalls } = generateRota({
      from,
      to,
      pools: new Map([['rc', pool]]),
      config: duty({ weekday: { rc: perShift }, offDay: { rc: perShift } }),
      dayKind,
    });
    expect(shortfalls).toEqual([]);
    const off = shifts.filter((s) => {
      const k = dayKind(s.date);
      return k === 'weekend' || k === 'holiday';
    });
    expect(off.length).toBeGreaterThan(0);
    expect(spread(pool, shifts)).toBeLessThanOrEqual(1);
    expect(spread(pool, off)).toBeLessThanOrEqual(1);
    // Nobody twice on one day.
    expect(new Set(shifts.map((s) => `${s.date}/${s.person}`)).size).toBe(shifts.length);
  });

  it.each([
    ['an end before the start', '2026-10-31', '2026-10-01', 'range_end_before_start', 'to'],
    ['a start that is not a date', '2026-10-32', '2026-10-31', 'invalid_date', 'from'],
    ['an end that is not a date', '2026-10-01', '31/10/2026', 'invalid_date', 'to'],
    ['a range over two years', '2026-01-01', '2028-12-31', 'range_too_long', 'to'],
  ])('refuses %s', (_what, from, to, code, path) => {
    const err = domainErrorOf(() =>
      generateRota({ from, to, community: loadXiaduoyuan(), config: duty(), dayKind }),
    );
    expect(err.kind).toBe('invalid');
    expect(err.code).toBe(code);
    expect(err.details![0]!.path).toBe(path);
    expect(err.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('accepts a one-day range', () => {
    const { shifts } = generateRota({
      from: '2026-10-10',
      to: '2026-10-10',
      community: loadXiaduoyuan(),
      config: duty(),
      dayKind,
    });
    expect(shifts.map((s) => s.org)).toEqual(['rc', 'grid']);
  });
});

describe('onDutyAt', () => {
  const defs = duty({
    shifts: [
      { key: 'day', name: '白班', start: '08:30', end: '17:00' },
      { key: 'night', name: '夜班', start: '17:00', end: '08:30' },
    ],
  }).shifts;
  const rota: RotaShift[] = [
    { date: '2026-09-30', shift: 'night', org: 'rc', person: 'sep30-night' },
    { date: '2026-10-01', shift: 'day', org: 'rc', person: 'oct1-day' },
    { date: '2026-10-01', shift: 'day', org: 'grid', person: 'oct1-day-grid' },
    { date: '2026-10-01', shift: 'night', org: 'rc', person: 'oct1-night' },
    { date: '2026-10-02', shift: 'day', org: 'rc', person: 'oct2-day' },
    { date: '2026-10-01', shift: 'gone', org: 'rc', person: 'removed-shift' },
  ];

  // Instants in UTC; Shanghai is UTC+8 (no DST).
  it.each([
    ['Oct 1 08:00, still the night of Sep 30', '2026-10-01T00:00:00Z', ['sep30-night']],
    ['Oct 1 08:30 handover: the day shift only', '2026-10-01T00:30:00Z', ['oct1-day', 'oct1-day-grid']],
    ['Oct 1 08:29:59.999: the night shift only', '2026-10-01T00:29:59.999Z', ['sep30-night']],
    ['Oct 1 16:59', '2026-10-01T08:59:00Z', ['oct1-day', 'oct1-day-grid']],
    ['Oct 1 17:00 handover: the night shift only', '2026-10-01T09:00:00Z', ['oct1-night']],
    ['Oct 2 00:00, after midnight', '2026-10-01T16:00:00Z', ['oct1-night']],
    ['Oct 2 03:00, the night of Oct 1', '2026-10-01T19:00:00Z', ['oct1-night']],
    ['Oct 2 08:30 handover', '2026-10-02T00:30:00Z', ['oct2-day']],
    ['Oct 2 17:00: nobody planned', '2026-10-02T09:00:00Z', []],
  ])('%s', (_what, iso, people) => {
    expect(onDutyAt(rota, defs, new Date(iso), 'Asia/Shanghai').map((s) => s.person)).toEqual(people);
  });

  it('uses the community time zone, not the server one', () => {
    // 01:00 UTC is 09:00 in Shanghai (the day shift) but 02:00 in London (BST): the Sep 30 night.
    const at = new Date('2026-10-01T01:00:00Z');
    expect(onDutyAt(rota, defs, at, 'Asia/Shanghai').map((s) => s.person)).toEqual([
      'oct1-day',
      'oct1-day-grid',
    ]);
    expect(onDutyAt(rota, defs, at, 'Europe/London').map((s) => s.person)).toEqual(['sep30-night']);
  });

  it('shiftInterval ends a shift past midnight on the next day', () => {
    const { start, end } = shiftInterval('2026-10-01', { start: '17:00', end: '08:30' }, 'Asia/Shanghai');
    expect(start.toISOString()).toBe('2026-10-01T09:00:00.000Z');
    expect(end.toISOString()).toBe('2026-10-02T00:30:00.000Z');
    const full = shiftInterval('2026-10-01', { start: '08:00', end: '08:00' }, 'Asia/Shanghai');
    expect(full.end.getTime() - full.start.getTime()).toBe(24 * 3600 * 1000);
  });

  it('refuses an unknown time zone', () => {
    expect(domainErrorOf(() => onDutyAt(rota, defs, new Date(), 'Mars/Olympus')).code).toBe(
      'invalid_timezone',
    );
  });

  // Until when an answer holds: the next start or end of a shift that can cover the instant, or
  // the next local midnight (the next day's shifts), whichever comes first.
  it.each([
    ['Oct 1 08:00: the Sep 30 night ends at 08:30', '2026-10-01T00:00:00Z', '2026-10-01T00:30:00.000Z'],
    ['Oct 1 08:30 exactly: the day shift ends at 17:00', '2026-10-01T00:30:00Z', '2026-10-01T09:00:00.000Z'],
    ['Oct 1 17:00: the night shift runs past midnight', '2026-10-01T09:00:00Z', '2026-10-01T16:00:00.000Z'],
    ['Oct 2 00:00: the Oct 1 night ends at 08:30', '2026-10-01T16:00:00Z', '2026-10-02T00:30:00.000Z'],
    ['Oct 2 17:00, nobody planned: midnight', '2026-10-02T09:00:00Z', '2026-10-02T16:00:00.000Z'],
  ])('nextDutyChange, %s', (_what, iso, next) => {
    expect(nextDutyChange(rota, defs, new Date(iso), 'Asia/Shanghai').toISOString()).toBe(next);
    // Just before that instant the answer is the same as at the start; at it, it may differ.
    const before = new Date(Date.parse(next) - 1);
    expect(onDutyAt(rota, defs, before, 'Asia/Shanghai')).toEqual(
      onDutyAt(rota, defs, new Date(iso), 'Asia/Shanghai'),
    );
  });

  it('nextDutyChange: a shift of yesterday that is over, and one without a definition, do not count', () => {
    // Oct 2 07:00 Shanghai: the Sep 30 night (over) and the gone shift are not boundaries.
    expect(nextDutyChange(rota, defs, new Date('2026-10-01T23:00:00Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2026-10-02T00:30:00.000Z',
    );
  });
});
