// Every benchmark, one table each: `pnpm bench`. Figures are for this machine at this moment;
// the ratio against a baseline measured in the same run is what carries across machines.
// Benchmarks never run in the test suite: tests do not assert wall-clock time.
import { benchDutyRota } from './duty';

const benches: [string, () => object[]][] = [
  ['duty rota: generate a year (2026) for 200 people (issue 7); baseline = naive round-robin', benchDutyRota],
];

console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
for (const [name, run] of benches) {
  console.log(`\n${name}`);
  console.table(run());
}
