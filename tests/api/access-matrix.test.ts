/**
 * The access matrix (issue 15, item 11): every operation of the app's own /openapi.json, called as
 * every role, against real objects made through the API for the purpose. The expected answer of
 * each cell is written down in EXPECTED below; the test fails on any difference, and on any
 * operation of /openapi.json that has no row there (a new route cannot land without deciding who
 * may call it).
 *
 * A cell's answer is one of
 *   ok   the permission check let the caller through: any answer but 401, 403 and 404 (a 400, 409 or
 *        422 from validation or state is fine: the request reached past the check)
 *   401  not signed in (or signed in with an account that is disabled)
 *   403  signed in, may see the thing, may not do this
 *   404  the product hides that the thing exists (another zone's issue, someone else's photo, a
 *        complaint without its secret) — or, for a few rows, there is nothing of the caller's there
 *

 * The table (EXPECTED), the world and how each operation is called (REQUESTS) are in
 * tests/helpers/access-matrix.ts. The same pass holds the contract (issue 19, item 5;
 * tests/helpers/contract.ts): every answer on the way, the world's own included, must be one
 * /openapi.json documents, and every operation of the document must have been called.
 *
 * MATRIX_RECORD=1 prints the grid the app actually answers, in the table's own format (to review a
 * new row — never to paste over a failing one without reading why it changed).
 */
import {
  EXPECTED,
  matrixApp,
  operations,
  REQUESTS,
  ROLES,
  runRow,
  setUpMatrix,
  tearDownMatrix,
} from '../helpers/access-matrix';
import { contractAnswer, contractProblems, contractSeen, readContract } from '../helpers/contract';

beforeAll(async () => {
  // The world is built before the document is read: its answers wait, then are checked like the rest.
  await setUpMatrix({ onAnswer: contractAnswer });
  readContract((await matrixApp().app.inject({ url: '/openapi.json' })).json());
}, 900_000);
afterAll(() => tearDownMatrix());

type Answer = 'ok' | '401' | '403' | '404' | string;
const classify = (status: number): Answer =>
  status === 401 || status === 403 || status === 404
    ? String(status)
    : status >= 500 || status === 429
      ? `!${status}`
      : 'ok';

const cellsOf = (row: string) => row.trim().split(/\s+/);

test('every operation of /openapi.json has its row, and every row its operation', () => {
  const ops = operations();
  const missing = ops.filter((o) => !(o.id in EXPECTED)).map((o) => `${o.id} (${o.method} ${o.path})`);
  const stale = Object.keys(EXPECTED).filter((id) => !ops.some((o) => o.id === id));
  expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  for (const [id, row] of Object.entries(EXPECTED)) {
    expect({ id, cells: cellsOf(row).length }).toEqual({ id, cells: ROLES.length });
    expect({ id, request: id in REQUESTS }).toEqual({ id, request: true });
  }
});

test('every role gets the written-down answer from every operation', async () => {
  const record = process.env.MATRIX_RECORD === '1';
  const diffs: string[] = [];
  const lines: string[] = [];
  const order = record ? operations().map((o) => o.id) : Object.keys(EXPECTED);
  for (const id of order) {
    const answers = await runRow(id);
    if (!answers) {
      lines.push(`  ${id}: no request`);
      continue;
    }
    const want = EXPECTED[id] ? cellsOf(EXPECTED[id]) : [];
    const results = ROLES.map((role) => {
      const r = answers.get(role)!;
      let code = '';
      try {
        code = (r.json() as { error?: { code?: string } }).error?.code ?? '';
      } catch {}
      return { answer: classify(r.statusCode), detail: `${role}=${r.statusCode}${code ? `:${code}` : ''}` };
    });
    const got = results.map((r) => r.answer);
    const detail = results.map((r) => r.detail);
    got.forEach((answer, i) => {
      if (answer !== want[i]) diffs.push(`${id} as ${ROLES[i]}: expected ${want[i]}, got ${detail[i]}`);
    });
    lines.push(
      `  ${`${id}:`.padEnd(30)}'${got
        .map((a) => a.padEnd(4))
        .join(' ')
        .trimEnd()}',  // ${detail.join(' ')}`,
    );
  }
  if (record) console.log(lines.join('\n'));
  expect(diffs).toEqual([]);
}, 900_000);

test('every answer of every operation, as every role, is one the document gives', () => {
  expect(contractProblems()).toEqual([]);
});

test('every operation of the document was called', () => {
  const documented = operations().map((o) => o.id);
  const seen = contractSeen();
  expect(documented.filter((id) => !seen.has(id))).toEqual([]);
  // The document's operations are the app's: nothing answered that the document does not name.
  expect([...seen.keys()].filter((id) => !documented.includes(id))).toEqual([]);
});
