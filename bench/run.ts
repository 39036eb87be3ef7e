// Every benchmark, one table each: `pnpm bench`. Figures are for this machine at this moment;
// the ratio against a baseline measured in the same run is what carries across machines.
// Benchmarks never run in the test suite: tests do not assert wall-clock time.
import { benchClient } from './client';
import { benchDutyRota } from './duty';
import { benchKpis } from './kpi';
import { benchPhotos } from './photos';

const benches: [string, () => object[] | Promise<object[]>][] = [
  ['duty rota: generate a year (2026) for 200 people (issue 7); baseline = naive round-robin', benchDutyRota],
  [
    'KPIs and zone lists over 1,000,000 issues in 100 communities on PostgreSQL (issue 8); baselines = loading the issues into memory, and the same queries without index scans',
    benchKpis,
  ],
  [
    'photos: a 3 MB phone photo through the upload endpoint of the compiled API on PostgreSQL, 1/4/8 at a time, its memory, and duty-now beside it (issue 19); baselines = the same processing in-process, duty-now alone',
    benchPhotos,
  ],
  [
    'client: weapp package sizes, H5 first-load JS/CSS, first paint and time-to-usable at 375×812 on fast 3G + 4× CPU (issue 19); baselines = a static page with one tiny script, the home page unthrottled',
    benchClient,
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
