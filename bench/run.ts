// Every benchmark, one table each: `pnpm bench`. Figures are for this machine at this moment;
// the ratio against a baseline measured in the same run is what carries across machines.
// Benchmarks never run in the test suite: tests do not assert wall-clock time.
import { benchDutyRota } from './duty';
import { benchKpis } from './kpi';
import { benchScale } from './scale';

const benches: [string, () => object[] | Promise<object[]>][] = [
  ['duty rota: generate a year (2026) for 200 people (issue 7); baseline = naive round-robin', benchDutyRota],
  [
    'KPIs and zone lists over 1,000,000 issues in 100 communities on PostgreSQL (issue 8); baselines = loading the issues into memory, and the same queries without index scans',
    benchKpis,
  ],
  [
    'scale: city scale on the demo-data database (SCALE_DATABASE_URL, default gongzhi_scale; issue 19): KPIs, district roll-up, zone list, one issue, export page; baselines = the same queries without index scans, the roll-up counted from the issues',
    benchScale,
  ],
];

async function main() {
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  for (const [name, run] of benches) {
    console.log(`\n${name}`);
    console.table(await run());
  }
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
