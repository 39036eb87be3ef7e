// The two baselines of `pnpm bench http`, in a process of their own (plain node, as the API runs):
// GET /hello answers a constant; GET /query does one SELECT through postgres.js on the bench's
// PostgreSQL database. Fastify and postgres.js are the very packages (and versions) the API uses.
// Usage: node bench/baseline.mjs <postgres url>  — prints "listening <port>" when ready.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const apiRequire = createRequire(
  path.join(path.dirname(fileURLToPath(import.meta.url)), '../apps/api/package.json'),
);
const Fastify = apiRequire('fastify');
const postgres = apiRequire('postgres');

const sql = postgres(process.argv[2], { max: 10, onnotice: () => {} });
// The same HTTP server bounds as the API with its default settings (apps/api/src/env.ts:
// REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, CONNECTION_TIMEOUT_MS and
// `checkingInterval`), so the comparison is of the same server: each bound re-arms a timer on every
// request. Nothing else of the API (logger, request ids, headers) is added: this is the bare floor.
const app = Fastify({
  logger: false,
  requestTimeout: 60_000,
  keepAliveTimeout: 72_000,
  connectionTimeout: 120_000,
  http: { headersTimeout: 20_000, connectionsCheckingInterval: 2_000 },
});
app.get('/hello', async () => ({ status: 'ok' }));
app.get('/query', async () => {
  const [row] = await sql`select id, key, name from communities where key = ${'xiaduoyuan'}`;
  return row;
});
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening ${app.server.address().port}`);
process.on('SIGTERM', async () => {
  await app.close();
  await sql.end({ timeout: 1 });
  process.exit(0);
});
