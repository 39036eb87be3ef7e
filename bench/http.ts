// `pnpm bench http` (issue 19 item 1): the API over HTTP as production runs it — compiled
// (apps/api/dist/server.js under plain node), NODE_ENV=production — on PostgreSQL (a fresh database
// at BENCH_DATABASE_URL, created and dropped) and then once on PGlite, with 夏朵园 holding 100,000+
// issues. In the same run, two baselines: a bare Fastify hello-world and a bare Fastify route doing
// one SELECT through postgres.js on the same PostgreSQL (bench/baseline.mjs). autocannon, fixed
// connections (10 and 50), no pipelining, baseline and target alternating. Prints a table and
// writes bench/results/http-<date>.json. Targets and how CPU is measured: docs/benchmarks.md.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql as dsql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Db } from '../apps/api/src/db/client';
import { openDatabase } from '../apps/api/src/db/client';
import * as schema from '../apps/api/src/db/schema';
import { loadCalendars } from '../apps/api/src/services/communities/load-calendars';
import { loadCommunityConfigs } from '../apps/api/src/services/communities/load-community-configs';
import { timelineOf } from '../apps/api/src/services/demo-data/generate-demo-data';
import { listIssues } from '../apps/api/src/services/issues/list-issues';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ISSUES = Number(process.env.BENCH_ISSUES ?? 100_000);
/** Dispatched tasks prepared for the accept runs (each accept uses one up; PGlite gets a fifth). */
const TASKS = Number(process.env.BENCH_TASKS ?? 50_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
/**
 * Rounds of each endpoint at -c 10 on PostgreSQL, where the targets are (each round its baselines
 * right next to it); a target's figure is the mean of its rounds' ratios and its p99 the worst round's.
 */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
/** BENCH_CONNECTIONS=10 measures only -c 10 (quicker while working on one endpoint). */
const CONCURRENCY = (process.env.BENCH_CONNECTIONS ?? '10,50').split(',').map(Number);
/** BENCH_ENDPOINTS=me,zone: only the endpoints whose name contains one of these (case-insensitive). */
const ONLY = process.env.BENCH_ENDPOINTS?.toLowerCase().split(',').filter(Boolean);
/** BENCH_NODE_ARGS: node flags for the API, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const NODE_ARGS = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const ROOT = path.resolve(__dirname, '..');
const COMMUNITY = 'xiaduoyuan';
const CLK_TCK = 100;

/** Complaints' categories in turn: three a zone's, one a line's (the elevator line). */
const CATEGORIES = ['public_facility', 'sanitation', 'shared_leak', 'elevator'];

type Kind = 'read' | 'write';
interface Endpoint {
  name: string;
  kind: Kind;
  /** Which baseline its target is a ratio of, and the ratio (at -c 10, PostgreSQL). */
  target?: { of: 'hello' | 'query'; ratio: number };
  requests: () => autocannon.Request[];
  /**
   * Its floor on the baselines' server (bench/baseline.mjs): a bare route doing only the work this
   * endpoint cannot do without, measured after the one-query route (PostgreSQL): a target below the
   * floor's own ratio cannot be reached by any work on the API.
   */
  floor?: { name: string; requests: () => autocannon.Request[]; logged?: boolean };
}

const password = () => `Bench-${randomBytes(18).toString('base64url')}-9a`;
const round = (x: number, d = 2) => Number(x.toFixed(d));

// ---------------------------------------------------------------------------------------------
// CPU: /proc/<pid>/stat utime + stime (clock ticks). PostgreSQL: the backends of the bench database
// (pg_stat_activity), so the other databases of a shared server are not counted.

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
  } catch {
    return 0;
  }
}

async function backendTicks(monitor: postgres.Sql | null): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!monitor) return out;
  const rows = await monitor<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
  for (const r of rows) out.set(r.pid, cpuTicks(r.pid));
  return out;
}

async function xacts(monitor: postgres.Sql | null): Promise<number> {
  if (!monitor) return 0;
  await monitor`select pg_stat_clear_snapshot()`;
  const [row] = await monitor<{ n: string }[]>`
    select xact_commit::text as n from pg_stat_database where datname = current_database()`;
  return Number(row!.n);
}

const ticksDelta = (before: Map<number, number>, after: Map<number, number>) =>
  [...after].reduce((s, [pid, t]) => s + t - (before.get(pid) ?? 0), 0);

// ---------------------------------------------------------------------------------------------
// Processes

function startProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp) {
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  return new Promise<{ child: ChildProcess; match: RegExpMatchArray }>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      if (seen === null) return;
      seen += chunk.toString();
      const m = seen.match(ready);
      if (m) {
        seen = '';
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // the request log keeps flowing, to nowhere
        resolve({ child, match: m });
      }
    };
    child.stdout!.on('data', onData);
    const err: string[] = [];
    child.stderr!.on('data', (c: Buffer) => err.push(c.toString()));
    child.on('exit', (code) =>
      reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${seen}\n${err.join('')}`)),
    );
  });
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

interface Target {
  name: 'PostgreSQL' | 'PGlite';
  env: NodeJS.ProcessEnv;
  dataDir: string;
  databaseUrl?: string;
}

const serverEnv = (t: Target, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '0',
  DATA_DIR: t.dataDir,
  ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : {}),
  ...t.env,
  ...extra,
});

const startApi = (t: Target) =>
  startProcess(
    process.execPath,
    ['--enable-source-maps', ...NODE_ARGS, 'apps/api/dist/server.js'],
    serverEnv(t),
    /已启动：http:\/\/[^:\s]+:(\d+)/,
  );

// ---------------------------------------------------------------------------------------------
// Data: the set-based loader of bench/kpi.ts, for the one community.

async function loadIssues(t: Target, taskCount: number): Promise<{ taskIds: string[]; seconds: number }> {
  const database = await openDatabase({
    databaseUrl: t.databaseUrl,
    pgliteDir: path.join(t.dataDir, 'pglite'),
    statementTimeoutMs: 0,
  });
  const exec = (q: string) => database.db.execute(dsql.raw(q));
  const t0 = performance.now();
  try {
    const config = readFileSync(path.join(ROOT, 'config/communities/xiaduoyuan.yaml'), 'utf8');
    const YAML = await import('yaml');
    const c = YAML.parse(config) as {
      zones: { key: string; members: { person: string; org: string }[] }[];
      categories: { key: string; line?: string }[];
    };
    const zones = c.zones.map((z) => z.key);
    const cats = c.categories.map((k) => [k.key, k.line ?? null] as const);
    const property = c.zones.map((z) => z.members.find((m) => m.org === 'property')!.person);
    const arr = (xs: readonly (string | null)[]) =>
      `ARRAY[${xs.map((x) => (x === null ? 'NULL' : `'${x}'`)).join(',')}]::text[]`;
    const rowsOf = (r: unknown) => ((r as { rows?: unknown[] }).rows ?? r) as Record<string, unknown>[];
    const communityId = String(
      rowsOf(await exec(`select id from communities where key = '${COMMUNITY}'`))[0]!.id,
    );
    // A year of issues up to now, spread over the zones and categories, with a status mix.
    await exec(`
      INSERT INTO issues (id, community_id, code, zone, building, category, description, urgency, scope,
        uses_maintenance_fund, touches_shared_parts, multi_org, channel, status, tier, line, owner, assignees,
        route, hidden, resolved_at, handled_at, resolved_by, closed_at, reopen_count, resolve_due_at, created_at,
        updated_at)
      SELECT gen_random_uuid(), '${communityId}', 'B' || g, z.zone, NULL, k.cat, '基准测试问题', 'normal', 'building',
        false, false, false, 'patrol', s.status,
        CASE WHEN k.line IS NOT NULL THEN 'line' WHEN g % 50 = 0 THEN 'joint_meeting' ELSE 'zone' END,
        k.line, 'wu-wenjie', '{}', '{}'::jsonb, false,
        CASE WHEN s.status = 'resolved' THEN t.created + s.took END,
        CASE WHEN s.status IN ('resolved', 'closed', 'reopened') THEN t.created + s.took END,
        CASE WHEN s.status IN ('resolved', 'closed', 'reopened') THEN z.worker END,
        CASE WHEN s.status = 'closed' THEN t.created + s.took + interval '3 days' END,
        CASE WHEN s.status = 'reopened' THEN 1 ELSE 0 END,
        t.created + interval '9 days', t.created, t.created
      FROM generate_series(1, ${ISSUES}) g
      CROSS JOIN LATERAL (SELECT now() - interval '2 days'
        - (((${ISSUES} - g) * 31536000.0 / ${ISSUES}) || ' seconds')::interval AS created) t
      CROSS JOIN LATERAL (SELECT (${arr(zones)})[1 + (g * 7 % ${zones.length})] AS zone,
                                 (${arr(property)})[1 + (g * 7 % ${zones.length})] AS worker) z
      CROSS JOIN LATERAL (SELECT (${arr(cats.map((x) => x[0]))})[1 + (g * 13 % ${cats.length})] AS cat,
                                 (${arr(cats.map((x) => x[1]))})[1 + (g * 13 % ${cats.length})] AS line) k
      CROSS JOIN LATERAL (SELECT CASE
          WHEN g * 37 % 100 < 55 THEN 'closed'
          -- Resolved long ago would be closed by now (the follow-up clock's auto-close): a backlog
          -- it would work through during the runs, in the server and the database.
          WHEN g * 37 % 100 < 70 THEN CASE WHEN g > ${ISSUES} - 300 THEN 'resolved' ELSE 'closed' END
          WHEN g * 37 % 100 < 82 THEN 'dispatched' WHEN g * 37 % 100 < 88 THEN 'in_progress'
          WHEN g * 37 % 100 < 91 THEN 'reopened' WHEN g * 37 % 100 < 95 THEN 'escalated'
          WHEN g * 37 % 100 < 98 THEN 'rejected' ELSE 'merged' END AS status,
        ((1 + g * 11 % 14) || ' days')::interval AS took) s`);
    await exec(`
      INSERT INTO tasks (issue_id, community_id, assignee, role, org, status, accept_due_at, resolve_due_at, created_at)
      SELECT i.id, i.community_id, (${arr(property)})[1 + (abs(hashtext(i.zone)) % ${property.length})],
        'property_specialist', 'property',
        CASE WHEN i.handled_at IS NOT NULL THEN 'done' ELSE 'open' END,
        i.created_at + interval '1 day', i.resolve_due_at, i.created_at
      FROM issues i WHERE i.code LIKE 'B%'`);
    // The tasks to accept: zone 1's issues dispatched to its property specialist (张丽芬), the
    // last two days, one open task each.
    await exec(`
      INSERT INTO issues (id, community_id, code, zone, building, category, description, urgency, scope,
        uses_maintenance_fund, touches_shared_parts, multi_org, channel, status, tier, line, owner, assignees,
        route, hidden, reopen_count, resolve_due_at, created_at, updated_at)
      SELECT gen_random_uuid(), '${communityId}', 'T' || g, 'zone-1', 1 + g % 42, 'sanitation', '基准测试派单', 'normal',
        'building', false, false, false, 'patrol', 'dispatched', 'zone', NULL, 'wu-wenjie', '{zhang-lifen}',
        '{}'::jsonb, false, 0, now() + interval '9 days', now() - interval '2 days' + (g || ' seconds')::interval,
        now() - interval '2 days' + (g || ' seconds')::interval
      FROM generate_series(1, ${taskCount}) g`);
    await exec(`
      INSERT INTO tasks (issue_id, community_id, assignee, role, org, status, accept_due_at, resolve_due_at, created_at)
      SELECT i.id, i.community_id, 'zhang-lifen', 'property_specialist', 'property', 'open',
        now() + interval '1 day', now() + interval '9 days', i.created_at
      FROM issues i WHERE i.code LIKE 'T%'`);
    // Their timelines, as the generated data's (an issue is read with its events: a bench without
    // them would read an empty table).
    await exec(timelineOf(`(select * from issues where community_id = '${communityId}') i`));
    // A database in its steady state, not still digesting the load while the first endpoints are
    // measured: vacuumed (the visibility map set, autovacuum's insert threshold reset — it would
    // otherwise start on these tables during the runs) and checkpointed (the loader's dirty pages
    // written now, not by the checkpointer during the runs).
    await exec('VACUUM (ANALYZE)');
    await exec('CHECKPOINT');
    const tasks = rowsOf(
      await exec(`select t.id from tasks t join issues i on i.id = t.issue_id
                  where i.code like 'T%' order by t.created_at`),
    );
    return { taskIds: tasks.map((r) => String(r.id)), seconds: (performance.now() - t0) / 1000 };
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP set-up through the API itself: an administrator from the command line, staff accounts
// from the administrator, a published rota from the secretary.

async function call<T>(
  base: string,
  method: string,
  url: string,
  opts: { token?: string; body?: unknown; from?: string } = {},
): Promise<T> {
  const res = await fetch(base + url, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      // A distinct (trusted-proxy) client address per set-up call: the login limits stay as they are.
      'x-forwarded-for':
        opts.from ?? `10.250.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

interface Tokens {
  accessToken: string;
}

async function staff(base: string, adminToken: string, person: string, phone: string) {
  const created = await call<{ oneTimePassword: string }>(base, 'POST', '/api/admin/accounts', {
    token: adminToken,
    body: { community: COMMUNITY, person, phone },
  });
  const first = await call<Tokens>(base, 'POST', '/api/auth/login', {
    body: { phone, password: created.oneTimePassword },
  });
  const chosen = password();
  await call(base, 'POST', '/api/me/password', {
    token: first.accessToken,
    body: { oldPassword: created.oneTimePassword, newPassword: chosen },
  });
  return (await call<Tokens>(base, 'POST', '/api/auth/login', { body: { phone, password: chosen } }))
    .accessToken;
}

/** The date in Shanghai, n days from now. */
const shanghaiDate = (days: number) =>
  new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

async function setUp(t: Target, base: string) {
  const adminPhone = '13900000001';
  const adminToken = (
    await call<Tokens>(base, 'POST', '/api/auth/login', {
      body: { phone: adminPhone, password: t.env.BENCH_ADMIN_PASSWORD },
    })
  ).accessToken;
  const leader = await staff(base, adminToken, 'wu-wenjie', '13900000002');
  const specialist = await staff(base, adminToken, 'zhang-lifen', '13900000003');
  const secretary = await staff(base, adminToken, 'tu-zhongmei', '13900000004');
  await call(base, 'POST', `/api/communities/${COMMUNITY}/duty/generate`, {
    token: secretary,
    body: { from: shanghaiDate(-1), to: shanghaiDate(7) },
  });
  // One issue with a timeline: a complaint routed to zone 1, then looked up in the zone's list.
  const receipt = await call<{ code: string }>(base, 'POST', '/api/complaints', {
    body: {
      community: COMMUNITY,
      building: 12,
      category: 'public_facility',
      description: '基准：楼道灯不亮，已经三天了',
      spot: '3单元',
    },
  });
  const page = await call<{ items: { id: string; code: string }[] }>(
    base,
    'GET',
    `/api/issues?community=${COMMUNITY}&zone=zone-1&limit=20`,
    { token: leader },
  );
  const issue = page.items.find((i) => i.code === receipt.code) ?? page.items[0]!;
  return { leader, specialist, issueId: issue.id };
}

// ---------------------------------------------------------------------------------------------

function endpoints(s: {
  leader: string;
  specialist: string;
  issueId: string;
  taskIds: string[];
}): Endpoint[] {
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  let task = 0;
  let complaint = 0;
  const runId = randomBytes(3).toString('hex');
  // Each accept request the next prepared task (used up: an accepted task cannot be accepted again).
  const accepts = (pathOf: (id: string) => string): autocannon.Request[] => [
    {
      method: 'POST',
      path: pathOf('x'),
      headers: auth(s.specialist),
      setupRequest: (req) => {
        const id = s.taskIds[task++];
        if (!id) throw new Error('out of prepared tasks: raise BENCH_TASKS');
        return { ...req, path: pathOf(id) };
      },
    },
  ];
  // Each request a resident of its own behind the trusted proxy: a distinct address, body and
  // Idempotency-Key, so every limit is checked and none refuses.
  const complaintRequest = (n: number) => ({
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
      'idempotency-key': `bench-${runId}-${n}`,
    },
    body: JSON.stringify({
      community: COMMUNITY,
      building: 1 + (n % 141),
      category: CATEGORIES[n % CATEGORIES.length],
      description: `基准投诉第${n}号：楼道灯不亮`,
    }),
  });
  return [
    {
      name: 'GET /health',
      kind: 'read',
      target: { of: 'hello', ratio: 0.7 },
      requests: () => [{ method: 'GET', path: '/health' }],
    },
    {
      name: 'GET duty/now (public)',
      kind: 'read',
      target: { of: 'hello', ratio: 0.5 },
      requests: () => [{ method: 'GET', path: `/api/communities/${COMMUNITY}/duty/now` }],
      floor: {
        name: 'floor: duty/now (public)',
        logged: true,
        requests: () => [{ method: 'GET', path: '/floor/duty' }],
      },
    },
    {
      name: 'GET /api/me',
      kind: 'read',
      target: { of: 'query', ratio: 0.5 },
      requests: () => [{ method: 'GET', path: '/api/me', headers: auth(s.leader) }],
    },
    {
      name: 'GET zone list (20)',
      kind: 'read',
      target: { of: 'query', ratio: 0.3 },
      requests: () => [
        {
          method: 'GET',
          path: `/api/issues?community=${COMMUNITY}&zone=zone-1&limit=20`,
          headers: auth(s.leader),
        },
      ],
      floor: {
        name: 'floor: zone list (20)',
        requests: () => [
          {
            method: 'GET',
            path: `/floor/list?community=${COMMUNITY}&zone=zone-1&limit=20`,
            headers: auth(s.leader),
          },
        ],
      },
    },
    {
      name: 'GET one issue + timeline',
      kind: 'read',
      target: { of: 'query', ratio: 0.3 },
      requests: () => [{ method: 'GET', path: `/api/issues/${s.issueId}`, headers: auth(s.leader) }],
      floor: {
        name: 'floor: one issue + timeline',
        requests: () => [{ method: 'GET', path: `/floor/issue/${s.issueId}`, headers: auth(s.leader) }],
      },
    },
    {
      name: 'POST task accept',
      kind: 'write',
      target: { of: 'query', ratio: 0.1 },
      requests: () => accepts((id) => `/api/tasks/${id}/accept`),
      // The same prepared tasks, the next ones after the API's run.
      floor: { name: 'floor: task accept', requests: () => accepts((id) => `/floor/accept/${id}`) },
    },
    {
      name: 'POST complaint (anonymous)',
      kind: 'write',
      target: { of: 'query', ratio: 0.05 },
      requests: () => [
        {
          method: 'POST',
          path: '/api/complaints',
          setupRequest: (req) => ({ ...req, ...complaintRequest(++complaint) }),
        },
      ],
      // The same requests (each its own address, body and key) on the floor's copy of the statements.
      floor: {
        name: 'floor: complaint (anonymous)',
        requests: () => [
          {
            method: 'POST',
            path: `/floor/complaint?like=${s.issueId}`,
            setupRequest: (req) => ({ ...req, ...complaintRequest(++complaint) }),
          },
        ],
      },
    },
  ];
}

interface Run {
  db: string;
  endpoint: string;
  connections: number;
  /** Which round of this endpoint at this concurrency (1 when there is one). */
  round: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  serverCpuMsPerReq: number;
  dbCpuMsPerReq: number | null;
  /** Transactions committed in the bench database per request (pg_stat_database.xact_commit). */
  dbXactsPerReq: number | null;
  load1: number;
}

async function measure(
  label: { db: string; endpoint: string; round: number },
  url: string,
  requests: autocannon.Request[],
  connections: number,
  pid: number,
  monitor: postgres.Sql | null,
  seconds = SECONDS,
): Promise<Run> {
  const load1 = loadavg()[0]!;
  const s0 = cpuTicks(pid);
  const d0 = await backendTicks(monitor);
  const x0 = await xacts(monitor);
  const r = await autocannon({
    url,
    connections,
    pipelining: 1,
    duration: seconds,
    ...(requests.length ? { requests } : {}),
  });
  const s1 = cpuTicks(pid);
  const d1 = await backendTicks(monitor);
  const x1 = await xacts(monitor);
  const total = r.requests.total;
  const ms = (ticks: number) => (total ? round((ticks * 1000) / CLK_TCK / total, 3) : Number.NaN);
  return {
    ...label,
    connections,
    reqPerSec: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    serverCpuMsPerReq: ms(s1 - s0),
    dbCpuMsPerReq: monitor ? ms(ticksDelta(d0, d1)) : null,
    // Less the monitor's own two transactions.
    dbXactsPerReq: monitor && total ? round((x1 - x0 - 2) / total, 1) : null,
    load1: round(load1),
  };
}

async function benchTarget(
  t: Target,
  baseline: { url: string; logged: string; pid: number },
  monitor: postgres.Sql | null,
  concurrency: number[],
) {
  const bin = path.join(ROOT, 'apps/api/dist/cli.js');
  t.env.BENCH_ADMIN_PASSWORD = password();
  execFileSync(process.execPath, [bin, 'admin', 'create', '--phone', '13900000001', '--password-stdin'], {
    cwd: ROOT,
    env: serverEnv(t),
    input: `${t.env.BENCH_ADMIN_PASSWORD}\n`,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  // The first start imports the community configuration; the issues are loaded while it is stopped
  // (PGlite is one process's database).
  await stop((await startApi(t)).child);
  // PGlite accepts a few a second: fewer tasks keep its load short.
  const { taskIds, seconds } = await loadIssues(t, t.databaseUrl ? TASKS : Math.ceil(TASKS / 5));
  console.log(
    `${t.name}: ${ISSUES} issues and ${taskIds.length} dispatched tasks loaded in ${seconds.toFixed(0)} s`,
  );
  const t0 = performance.now();
  const { child, match } = await startApi(t);
  const startSeconds = (performance.now() - t0) / 1000;
  const base = `http://127.0.0.1:${match[1]}`;
  const runs: Run[] = [];
  let plans: Record<string, string[]> = {};
  try {
    if (t.databaseUrl) {
      plans = await explainZoneList(t.databaseUrl);
      for (const [k, lines] of Object.entries(plans))
        console.log(`\nEXPLAIN (ANALYZE, BUFFERS), zone list, ${k}:\n  ${lines.join('\n  ')}`);
    }
    const s = await setUp(t, base);
    const list = endpoints({ ...s, taskIds }).filter(
      (e) => !ONLY || ONLY.some((o) => e.name.toLowerCase().includes(o)),
    );
    for (const e of list) {
      // Warm-up (JIT, caches, connection pools), not recorded.
      await autocannon({ url: base, connections: 10, duration: 2, requests: e.requests() });
    }
    for (const c of concurrency) {
      const rounds = c === 10 && t.name === 'PostgreSQL' ? ROUNDS : 1;
      for (const e of list) {
        for (let k = 1; k <= rounds; k++) {
          const of = e.target?.of ?? 'hello';
          const label = (endpoint: string) => ({ db: t.name, endpoint, round: k });
          if (of === 'hello' || t.name === 'PostgreSQL')
            runs.push(
              await measure(
                label('baseline: hello-world'),
                `${baseline.url}/hello`,
                [],
                c,
                baseline.pid,
                null,
              ),
            );
          runs.push(await measure(label(e.name), base, e.requests(), c, child.pid!, monitor));
          const shown = runs.length - 1;
          if (of === 'query' && t.name === 'PostgreSQL')
            runs.push(
              await measure(
                label('baseline: one query'),
                `${baseline.url}/query`,
                [],
                c,
                baseline.pid,
                monitor,
              ),
            );
          if (e.floor && t.name === 'PostgreSQL')
            runs.push(
              await measure(
                label(e.floor.name),
                e.floor.logged ? baseline.logged : baseline.url,
                e.floor.requests(),
                c,
                baseline.pid,
                monitor,
              ),
            );
          console.log(JSON.stringify(runs[shown]));
        }
      }
    }
  } finally {
    await stop(child);
  }
  return { runs, startSeconds, plans };
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the zone list as the API sends it: listIssues, as the zone-1 leader,
 * through a drizzle handle that records its statement (first page and a page 50 deep).
 */
async function explainZoneList(url: string): Promise<Record<string, string[]>> {
  const raw = postgres(url, { max: 1, onnotice: () => {} });
  let last = { query: '', params: [] as unknown[] };
  const db = drizzle({
    client: raw,
    schema,
    logger: { logQuery: (query, params) => (last = { query, params }) },
  }) as unknown as Db;
  try {
    const communities = loadCommunityConfigs(path.join(ROOT, 'config/communities'));
    const { calendars } = loadCalendars(path.join(ROOT, 'config/calendars'), communities, new Date());
    const ctx = {
      db,
      communities,
      calendars,
      now: () => new Date(),
      principal: {
        accountId: '00000000-0000-0000-0000-000000000000',
        sessionId: 'bench',
        kind: 'staff' as const,
        displayName: '吴文杰',
        personKey: 'wu-wenjie',
        communityKey: COMMUNITY,
      },
    };
    const q = { community: COMMUNITY, zone: 'zone-1', limit: 20 };
    const plan = async () => {
      const rows = await raw.unsafe(`EXPLAIN (ANALYZE, BUFFERS) ${last.query}`, last.params as never[]);
      return rows.map((r) => String(r['QUERY PLAN']));
    };
    await listIssues(ctx, q);
    const first = await plan();
    let cursor: string | null | undefined;
    for (let p = 0; p < 50; p++)
      cursor = (await listIssues(ctx, { ...q, cursor: cursor ?? undefined })).nextCursor;
    return { 'first page': first, 'page 51': await plan() };
  } finally {
    await raw.end();
  }
}

/** Each target run with the baselines of the same kind measured nearest to it (right before or after). */
function withRatios(runs: Run[]) {
  return runs.map((r, i) => {
    if (r.endpoint.startsWith('baseline')) return r;
    const near = (name: string) => {
      let best = -1;
      for (const [j, x] of runs.entries())
        if (x.endpoint === name && x.db === r.db && x.connections === r.connections)
          if (best < 0 || Math.abs(j - i) < Math.abs(best - i)) best = j;
      return best < 0 ? undefined : runs[best];
    };
    const hello = near('baseline: hello-world');
    const query = near('baseline: one query');
    return {
      ...r,
      vsHello: hello ? round(r.reqPerSec / hello.reqPerSec, 3) : null,
      vsQuery: query ? round(r.reqPerSec / query.reqPerSec, 3) : null,
    };
  });
}

export async function benchHttp(): Promise<object[]> {
  // BENCH_BUILD=0: measure the apps/api/dist already built (e.g. of another commit).
  if (process.env.BENCH_BUILD !== '0')
    execFileSync('pnpm', ['--filter', '@gongzhi/api', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  const name = `gongzhi_bench_http_${randomBytes(4).toString('hex')}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'gongzhi-bench-http-'));
  const secrets = () => ({
    JWT_SECRET: randomBytes(32).toString('hex'),
    QR_SECRET: randomBytes(32).toString('hex'),
    // The set-up and the complaint runs come "through" a proxy on 127.0.0.1 (X-Forwarded-For), as
    // behind nginx: each simulated resident has an address and allowance of its own.
    TRUST_PROXY: '127.0.0.1',
  });
  const monitor = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const { child: base, match } = await startProcess(
    process.execPath,
    ['bench/baseline.mjs', url.toString()],
    { PATH: process.env.PATH },
    /listening (\d+) logged (\d+)/,
  );
  const baseline = {
    url: `http://127.0.0.1:${match[1]}`,
    logged: `http://127.0.0.1:${match[2]}`,
    pid: base.pid!,
  };
  const result: { runs: Run[]; start: Record<string, number>; plans?: Record<string, string[]> } = {
    runs: [],
    start: {},
  };
  try {
    const pg: Target = {
      name: 'PostgreSQL',
      env: secrets(),
      dataDir: path.join(dir, 'pg'),
      databaseUrl: url.toString(),
    };
    mkdirSync(pg.dataDir, { recursive: true });
    const a = await benchTarget(pg, baseline, monitor, CONCURRENCY);
    result.runs.push(...a.runs);
    result.start.PostgreSQL = round(a.startSeconds);
    result.plans = a.plans;
    if (process.env.BENCH_PGLITE !== '0') {
      const lite: Target = { name: 'PGlite', env: secrets(), dataDir: path.join(dir, 'pglite') };
      mkdirSync(lite.dataDir, { recursive: true });
      const b = await benchTarget(lite, baseline, null, [10]);
      result.runs.push(...b.runs);
      result.start.PGlite = round(b.startSeconds);
    }
  } finally {
    await stop(base);
    await monitor.end();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }

  const rows = withRatios(result.runs);
  const verdicts = targets(rows);
  const record = {
    date: new Date().toISOString(),
    machine: machine(),
    seconds: SECONDS,
    issues: ISSUES,
    apiStartSeconds: result.start,
    zoneListPlans: result.plans,
    runs: rows,
    targets: verdicts,
  };
  const out = path.join(ROOT, 'bench/results');
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `http-${record.date.slice(0, 16).replace(':', '')}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`\nwritten ${path.relative(ROOT, file)}`);
  console.table(verdicts);
  return rows.map(
    ({
      db,
      endpoint,
      connections,
      round,
      reqPerSec,
      p50,
      p99,
      non2xx,
      serverCpuMsPerReq,
      dbCpuMsPerReq,
      load1,
      ...r
    }) => ({
      db,
      endpoint,
      c: connections,
      round,
      'req/s': reqPerSec,
      p50,
      p99,
      non2xx,
      'vs hello': (r as { vsHello?: number | null }).vsHello ?? '',
      'vs query': (r as { vsQuery?: number | null }).vsQuery ?? '',
      'server ms/req': serverCpuMsPerReq,
      'db ms/req': dbCpuMsPerReq ?? '',
      'xacts/req': (r as { dbXactsPerReq?: number | null }).dbXactsPerReq ?? '',
      load1,
    }),
  );
}

function machine() {
  let model = cpus()[0]?.model ?? '?';
  try {
    const l = execFileSync('lscpu', { encoding: 'utf8' });
    model = l.match(/Model name:\s*(.+)/)?.[1]?.trim() ?? model;
  } catch {
    // no lscpu
  }
  return { cpu: model, cores: cpus().length, ramGb: round(totalmem() / 2 ** 30, 1), node: process.version };
}

function targets(rows: ReturnType<typeof withRatios>) {
  type Row = Run & { vsHello?: number | null; vsQuery?: number | null };
  const mean = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0) / xs.length, 3);
  // The rounds of one endpoint at -c 10: the mean of their ratios and throughput, the worst p99, all
  // their failures.
  const at = (db: string, endpoint: string) => {
    const all = rows.filter((r) => r.db === db && r.endpoint === endpoint && r.connections === 10) as Row[];
    if (!all.length) return undefined;
    const ratio = (of: 'hello' | 'query') => {
      const xs = all.map((r) => (of === 'hello' ? r.vsHello : r.vsQuery));
      return xs.every((x): x is number => x != null) ? mean(xs) : null;
    };
    return {
      ratio,
      reqPerSec: mean(all.map((r) => r.reqPerSec)),
      p99: Math.max(...all.map((r) => r.p99)),
      failed: all.reduce((n, r) => n + r.non2xx + r.errors, 0),
      rounds: all.length,
    };
  };
  const of = (n: number) => (n > 1 ? `, mean of ${n} rounds` : '');
  const out: { target: string; measured: string; met: boolean }[] = [];
  for (const e of endpoints({ leader: '', specialist: '', issueId: '', taskIds: [] })) {
    const r = at('PostgreSQL', e.name);
    if (!r || !e.target) continue;
    const base = e.target.of === 'hello' ? 'hello-world' : 'one query';
    const ratio = r.ratio(e.target.of);
    out.push({
      target: `${e.name} ≥ ${e.target.ratio} of ${base} (-c 10${of(r.rounds)})`,
      measured: String(ratio),
      met: ratio != null && ratio >= e.target.ratio && r.failed === 0,
    });
    const floor = e.floor && at('PostgreSQL', e.floor.name);
    if (floor) {
      const reach = floor.ratio(e.target.of);
      out.push({
        target: `${e.floor!.name} (bare route, only the necessary work) ≥ ${e.target.ratio} of ${base} (-c 10${of(floor.rounds)}): the target is within reach`,
        measured: String(reach),
        met: reach != null && reach >= e.target.ratio && floor.failed === 0,
      });
    }
    const limit = e.kind === 'read' ? 20 : 60;
    out.push({
      target: `${e.name} p99 < ${limit} ms (-c 10${r.rounds > 1 ? `, the worst of ${r.rounds} rounds` : ''})`,
      measured: `${r.p99} ms`,
      met: r.p99 < limit,
    });
    const lite = at('PGlite', e.name);
    if (lite && e.kind === 'read' && e.name !== 'GET /health') {
      const share = round(lite.reqPerSec / r.reqPerSec, 3);
      out.push({
        target: `${e.name} on PGlite ≥ 1/3 of PostgreSQL`,
        measured: String(share),
        met: share >= 1 / 3,
      });
    }
  }
  for (const v of out) console.log(`${v.met ? 'PASS' : 'FAIL'}  ${v.target}: ${v.measured}`);
  return out;
}

if (require.main === module) {
  benchHttp().then(
    (rows) => console.table(rows),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
