/**
 * Writes the API's OpenAPI document to a file (default: openapi.json in a fresh temporary directory)
 * and prints the path. The app is built as the tests build it — the shipped community configs, an
 * in-memory PGlite — and never listens. scripts/test-all.sh lints the result with Spectral and Redocly.
 *
 *   pnpm -s tsx scripts/write-openapi.ts [path]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildTestApp } from '../tests/helpers/build-app';

const out = process.argv[2] ?? path.join(mkdtempSync(path.join(tmpdir(), 'gz-openapi-')), 'openapi.json');
delete process.env.DATABASE_URL;

async function main() {
  const t = await buildTestApp();
  try {
    const res = await t.app.inject({ url: '/openapi.json' });
    if (res.statusCode !== 200) throw new Error(`/openapi.json answered ${res.statusCode}`);
    writeFileSync(out, `${JSON.stringify(res.json(), null, 2)}\n`);
  } finally {
    await t.close();
  }
  console.log(out);
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
