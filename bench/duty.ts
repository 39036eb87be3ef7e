// Benchmark for issue 7: generating a year of duty rota for a community of 200 people must take
// well under a second. Run: pnpm exec tsx bench/duty.ts
import type { Community } from '../packages/domain/src/community/validate';
import { validateCommunityConfig } from '../packages/domain/src/community/validate';
import { type DayKind, DutyConfig } from '../packages/domain/src/duty/config';
import { generateRota } from '../packages/domain/src/duty/generate-rota';

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

export interface DutyBenchResult {
  scenario: string;
  people: number;
  shifts: number;
  shortfalls: number;
  medianMs: number;
  maxMs: number;
}

/** Generate 2026 for the synthetic community `runs` times per scenario; report median and worst. */
export function benchDutyRota(runs = 30): DutyBenchResult[] {
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
  return scenarios.map(([scenario, config]) => {
    const times: number[] = [];
    let last = { shifts: [] as unknown[], shortfalls: [] as unknown[] };
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      last = generateRota({ from: '2026-01-01', to: '2026-12-31', community, config, dayKind });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return {
      scenario,
      people: community.people.size,
      shifts: last.shifts.length,
      shortfalls: last.shortfalls.length,
      medianMs: Number(times[Math.floor(times.length / 2)]!.toFixed(2)),
      maxMs: Number(times.at(-1)!.toFixed(2)),
    };
  });
}

if (require.main === module) console.table(benchDutyRota());
