// Benchmark for issue 7: generating a year of duty rota for a community of 200 people must take
// well under a second. Run: pnpm bench (all benches), or pnpm exec tsx bench/duty.ts (this one).

import { addDays, dayNumber } from '../packages/domain/src/calendar/days';
import { ORGS } from '../packages/domain/src/community/schema';
import type { Community } from '../packages/domain/src/community/validate';
import { validateCommunityConfig } from '../packages/domain/src/community/validate';
import { countsFor, type DayKind, DutyConfig, isOffDay } from '../packages/domain/src/duty/config';
import { generateRota, type RotaShift } from '../packages/domain/src/duty/generate-rota';
import { dutyPoolsOf } from '../packages/domain/src/duty/pools';

/** 10 zones × 20 people: per zone an oc leader + 4 oc, 5 rc, 5 grid, 5 property. */
export function syntheticCommunity(zones = 10): Community {
  const people: { key: string; name: string }[] = [];
  const zoneConfigs = Array.from({ length: zones }, (_, z) => {
    const member = (org: 'oc' | 'rc' | 'grid' | 'property', i: number) => {
      const key = `z${z}-${org}-${i}`;
      people.push({ key, name: `${z + 1}区${org}${i}` });
      return { person: key, org };
    };
    const [leader, ...oc] = Array.from({ length: 5 }, (_, i) => member('oc', i));
    return {
      key: `zone-${z + 1}`,
      name: `第${z + 1}责任区域`,
      buildings: [`${z * 10 + 1}-${z * 10 + 10}`],
      leader: leader!,
      members: [
        ...oc,
        ...(['rc', 'grid', 'property'] as const).flatMap((org) =>
          Array.from({ length: 5 }, (_, i) => member(org, i)),
        ),
      ],
    };
  });
  const result = validateCommunityConfig({
    key: 'bench',
    name: '基准测试小区',
    people,
    leadershipGroup: { leader: people[0]!.key },
    zones: zoneConfigs,
    categories: [{ key: 'other', name: '其他' }],
  });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.community;
}

// Weekends only: the benchmark must not depend on the holiday calendar.
const dayKind = (date: string): DayKind => {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6 ? 'weekend' : 'workday';
};

/**
 * The baseline, measured in the same run on the same input: a naive round-robin that walks the
 * same days, shifts and organisations and hands each place to the next person of the pool — no
 * fairness passes, no unavailability, no overlap checks. The ratio says what the rules cost over
 * merely writing the rota down, on this machine, at this moment.
 */
export function roundRobinRota(
  from: string,
  to: string,
  community: Community,
  config: DutyConfig,
): RotaShift[] {
  const pools = dutyPoolsOf(community, config);
  const next = new Map(ORGS.map((o) => [o, 0]));
  const shifts: RotaShift[] = [];
  for (let d = 0, days = dayNumber(to) - dayNumber(from) + 1; d < days; d++) {
    const date = addDays(from, d);
    const kind = dayKind(date);
    for (const def of config.shifts) {
      const counts = countsFor(config, def, kind);
      for (const org of ORGS) {
        const pool = pools.get(org)!;
        for (let i = 0; i < (counts[org] ?? 0) && pool.length; i++) {
          const n = next.get(org)!;
          shifts.push({ date, shift: def.key, org, person: pool[n % pool.length]! });
          next.set(org, n + 1);
        }
      }
    }
  }
  return shifts;
}

export interface DutyBenchResult {
  scenario: string;
  people: number;
  shifts: number;
  offDayShifts: number;
  shortfalls: number;
  medianMs: number;
  maxMs: number;
  baselineMedianMs: number;
  /** medianMs / baselineMedianMs. */
  ratio: number;
}

const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;

function timeRuns<T>(runs: number, fn: () => T): { times: number[]; last: T } {
  // A few warm-up runs first, so that the JIT compiler's first passes are not measured.
  let last = fn();
  for (let i = 0; i < 5; i++) last = fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = fn();
    times.push(performance.now() - t0);
  }
  return { times, last };
}

/** Generate 2026 for the synthetic community `runs` times per scenario; median, worst and the baseline. */
export function benchDutyRota(runs = 50): DutyBenchResult[] {
  const community = syntheticCommunity();
  const scenarios: [string, DutyConfig][] = [
    ['one shift, seed counts', DutyConfig.parse({})],
    [
      'three shifts, 2 per org, 10 unavailable people',
      DutyConfig.parse({
        shifts: [
          { key: 'early', name: '早班', start: '07:00', end: '15:00' },
          { key: 'late', name: '中班', start: '15:00', end: '23:00' },
          { key: 'night', name: '夜班', start: '23:00', end: '07:00' },
        ],
        weekday: { rc: 2, grid: 2 },
        offDay: { rc: 2, grid: 2, oc: 2, property: 2 },
        unavailable: Object.fromEntries(
          Array.from({ length: 10 }, (_, i) => [`z${i}-rc-0`, ['2026-03-01..2026-03-31', '2026-08-15']]),
        ),
      }),
    ],
  ];
  const [from, to] = ['2026-01-01', '2026-12-31'];
  return scenarios.map(([scenario, config]) => {
    const rota = timeRuns(runs, () => generateRota({ from, to, community, config, dayKind }));
    const baseline = timeRuns(runs, () => roundRobinRota(from, to, community, config));
    if (baseline.last.length !== rota.last.shifts.length + rota.last.shortfalls.length) {
      throw new Error('the baseline must fill the same places as the generator');
    }
    const medianMs = median(rota.times);
    const baselineMedianMs = median(baseline.times);
    return {
      scenario,
      people: community.people.size,
      shifts: rota.last.shifts.length,
      offDayShifts: rota.last.shifts.filter((s) => isOffDay(dayKind(s.date))).length,
      shortfalls: rota.last.shortfalls.length,
      medianMs: Number(medianMs.toFixed(2)),
      maxMs: Number(Math.max(...rota.times).toFixed(2)),
      baselineMedianMs: Number(baselineMedianMs.toFixed(3)),
      ratio: Number((medianMs / baselineMedianMs).toFixed(1)),
    };
  });
}

if (require.main === module) console.table(benchDutyRota());
