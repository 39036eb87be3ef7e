// Every benchmark, one table each: `pnpm bench` runs them all, `pnpm bench http kpi` only those
// named. Figures are for this machine at this moment; the ratio against a baseline measured in the
// same run is what carries across machines. Benchmarks never run in the test suite: tests do not
// assert wall-clock times.
import { benchClient } from './client';
import { benchDutyRota } from './duty';
import { benchHttp } from './http';
import { benchKpis } from './kpi';
import { benchPhotos } from './photos';
import { benchScale } from './scale';

/** name → [title, run]. Another bench is one more entry here. */
const benches: Record<string, [string, () => object[] | Promise<object[]>]> = {
  duty: [
    'duty rota: generate a year (2026) for 200 people (issue 7); baseline = naive round-robin',
    benchDutyRota,
  ],
  kpi: [
    'KPIs and zone lists over 1,000,000 issues in 100 communities on PostgreSQL (issue 8); baselines = loading the issues into memory, and the same queries without index scans',
    benchKpis,
  ],
  http: [
    'the API over HTTP, compiled and in production mode, on PostgreSQL and PGlite with 100,000 issues (issue 19); baselines = bare Fastify hello-world and one postgres.js query',
    benchHttp,
  ],
  photos: [
    'photos: a 3 MB phone photo through the upload endpoint of the compiled API on PostgreSQL, 1/4/8 at a time, its memory, and duty-now beside it (issue 19); baselines = the same processing in-process, duty-now alone',
    benchPhotos,
  ],
  client: [
    'client: weapp package sizes, H5 first-load JS/CSS, first paint and time-to-usable at 375×812 on fast 3G + 4× CPU (issue 19); baselines = a static page with one tiny script, the home page unthrottled',
    benchClient,
  ],
  scale: [
    'scale: city scale on the demo-data database (SCALE_DATABASE_URL, default gongzhi_scale; issue 19): KPIs, district roll-up, zone list, one issue, export page; baselines = the same queries without index scans, the roll-up counted from the issues',
    benchScale,
  ],
};

async function main() {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !(n in benches));
  if (unknown.length) {
    console.error(`unknown bench: ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  for (const name of names.length ? names : Object.keys(benches)) {
    const [title, run] = benches[name]!;
    console.log(`\n[${name}] ${title}`);
    console.table(await run());
  }
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
