// Benchmark for issue 8: 1,000,000 issues over 100 communities on PostgreSQL. Targets (median,
// warm): one community's quarterly KPIs through the real service function < 200 ms; a zone's issue
// list page through the real list code path < 20 ms. Each is measured beside a baseline in the same
// run. Run: pnpm bench (all benches), or pnpm exec tsx bench/kpi.ts (this one).
// Needs PostgreSQL at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres): a
// fresh database is created and dropped afterwards.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Db } from '../apps/api/src/db/client';
import { openDatabase } from '../apps/api/src/db/client';
import * as schema from '../apps/api/src/db/schema';
import { loadCalendars } from '../apps/api/src/services/communities/load-calendars';
import type { ServiceContext } from '../apps/api/src/services/context';
import { copiesOfCommunity } from '../apps/api/src/services/demo-data/demo-communities';
import { listIssues } from '../apps/api/src/services/issues/list-issues';
import { computeKpis, type KpiRequest } from '../apps/api/src/services/kpi/compute-kpis';
import {
  type Community,
  type KpiCounts,
  kpiFigures,
  parseKpiScope,
  parsePeriod,
  periodInstants,
  ZERO_COUNTS,
} from '../packages/domain/src';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ISSUES = Number(process.env.BENCH_ISSUES ?? 1_000_000);
const COMMUNITIES = 100;
const RUNS = 30;
const WARMUP = 5;

const ROOT = path.resolve(__dirname, '..');
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeRuns<T>(fn: () => Promise<T>): Promise<{ median: number; max: number; last: T }> {
  let last = await fn();
  for (let i = 1; i < WARMUP; i++) last = await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    last = await fn();
    times.push(performance.now() - t0);
  }
  return { median: median(times), max: Math.max(...times), last };
}

/** 100 copies of the 夏朵园 config under other keys: same zones, lines, people and categories. */
const communities = (): Map<string, Community> =>
  copiesOfCommunity(path.join(ROOT, 'config/communities'), {
    count: COMMUNITIES,
    keyOf: (n) => `bench-${String(n).padStart(3, '0')}`,
    nameOf: (n) => `基准小区${n}`,
  });

/**
 * One INSERT … SELECT generate_series per table, all in the database: issues spread evenly over
 * 2026 and the 100 communities (10 000 each, about 2 500 a quarter), with their zone, category and
 * tier as routing would give them, a status mix, the KPI facts (handled_at, reopen_count,
 * resolve_due_at), one task each, and a rating on 40 % of the handled ones.
 */
async function generate(sql: postgres.Sql, community: Community) {
  const zones = [...community.zones.keys()];
  const cats = [...community.categories.values()].map((c) => [c.key, c.line ?? null] as const);
  const property = [...community.zones.values()].map(
    (z) => z.members.find((m) => m.org === 'property')!.person,
  );
  const arr = (xs: readonly (string | null)[]) =>
    `ARRAY[${xs.map((x) => (x === null ? 'NULL' : `'${x}'`)).join(',')}]::text[]`;
  await sql.unsafe(`
    CREATE TEMP TABLE bench_ids AS
      SELECT row_number() OVER (ORDER BY key) - 1 AS n, id FROM communities;
    INSERT INTO issues (id, community_id, code, zone, building, category, description, urgency, scope,
      uses_maintenance_fund, touches_shared_parts, multi_org, channel, status, tier, line, owner, assignees,
      route, hidden, resolved_at, handled_at, reopen_count, resolve_due_at, created_at, updated_at)
    SELECT gen_random_uuid(), c.id, 'B' || g, z.zone, NULL, k.cat, '基准测试问题', 'normal', 'building',
      false, false, false, 'patrol', s.status,
      CASE WHEN k.line IS NOT NULL THEN 'line' WHEN q.k % 50 = 0 THEN 'joint_meeting' ELSE 'zone' END,
      k.line, 'wu-wenjie', '{}', '{}'::jsonb, false,
      CASE WHEN s.status = 'resolved' THEN t.created + s.took END,
      CASE WHEN s.status IN ('resolved', 'closed') OR (s.status = 'reopened') THEN t.created + s.took END,
      CASE WHEN s.status = 'reopened' OR (s.status = 'closed' AND q.k % 17 = 0) THEN 1 ELSE 0 END,
      t.created + interval '9 days', t.created, t.created
    FROM generate_series(1, ${ISSUES}) g
    JOIN bench_ids c ON c.n = g % ${COMMUNITIES}
    -- k: the issue's number within its community; every distribution below varies with it.
    CROSS JOIN LATERAL (SELECT g / ${COMMUNITIES} AS k) q
    CROSS JOIN LATERAL (SELECT timestamptz '2026-01-01 00:00+08'
      + ((q.k * 31536000.0 / (${ISSUES} / ${COMMUNITIES})) || ' seconds')::interval AS created) t
    CROSS JOIN LATERAL (SELECT (${arr(zones)})[1 + (q.k * 7 % ${zones.length})] AS zone) z
    CROSS JOIN LATERAL (SELECT (${arr(cats.map((c) => c[0]))})[1 + (q.k * 13 % ${cats.length})] AS cat,
                               (${arr(cats.map((c) => c[1]))})[1 + (q.k * 13 % ${cats.length})] AS line) k
    CROSS JOIN LATERAL (SELECT CASE
        WHEN q.k * 37 % 100 < 55 THEN 'closed' WHEN q.k * 37 % 100 < 70 THEN 'resolved'
        WHEN q.k * 37 % 100 < 82 THEN 'dispatched' WHEN q.k * 37 % 100 < 88 THEN 'in_progress'
        WHEN q.k * 37 % 100 < 91 THEN 'reopened' WHEN q.k * 37 % 100 < 95 THEN 'escalated'
        WHEN q.k * 37 % 100 < 98 THEN 'rejected' ELSE 'merged' END AS status,
      ((1 + q.k * 11 % 14) || ' days')::interval AS took) s;
    INSERT INTO tasks (issue_id, community_id, assignee, role, org, status, accept_due_at, resolve_due_at, created_at)
    SELECT i.id, i.community_id, (${arr(property)})[1 + (abs(hashtext(i.zone)) % ${property.length})],
      'property_specialist', 'property',
      CASE WHEN i.handled_at IS NOT NULL THEN 'done' ELSE 'open' END,
      i.created_at + interval '1 day', i.resolve_due_at, i.created_at
    FROM issues i;
    INSERT INTO issue_ratings (issue_id, community_id, score, fixed, created_at)
    SELECT i.id, i.community_id, 1 + (abs(hashtext(i.code)) % 5), true, i.handled_at
    FROM issues i WHERE i.handled_at IS NOT NULL AND abs(hashtext(i.code || 'r')) % 10 < 4;
    ANALYZE;
  `);
}

/** The baseline for (a): the community's issues and ratings loaded into memory, counted in JS. */
async function naiveKpis(db: Db, req: KpiRequest): Promise<KpiCounts> {
  const { start, end } = periodInstants(req.period, req.community.config.timezone);
  const issues = await db.query.issuesTable.findMany({
    where: (i, { eq }) => eq(i.communityId, req.communityId),
  });
  const ratings = await db.query.issueRatingsTable.findMany({
    where: (r, { eq }) => eq(r.communityId, req.communityId),
  });
  const score = new Map(ratings.map((r) => [r.issueId, r.score]));
  const fixed = new Map(ratings.map((r) => [r.issueId, r.fixed]));
  const c: KpiCounts = { ...ZERO_COUNTS };
  for (const i of issues) {
    if (i.createdAt < start || i.createdAt >= end || i.hidden) continue;
    if (i.status === 'rejected' || i.status === 'merged') continue;
    c.received++;
    const s = score.get(i.id);
    if (s !== undefined) c.rated++;
    if (s !== undefined && s >= 4) c.satisfied++;
    if (fixed.get(i.id)) c.solved++;
    if (i.contactDueAt && (i.firstContactAt || i.contactDueAt <= req.now)) c.contactDue++;
    if (i.contactDueAt && i.firstContactAt && i.firstContactAt <= i.contactDueAt) c.contactedOnTime++;
    if (i.closedAt) c.closed++;
    if (i.closedAt && i.resolveDueAt && i.closedAt <= i.resolveDueAt) c.closedOnTime++;
    if (!i.handledAt) continue;
    c.handled++;
    if (i.reopenCount > 0) c.reworked++;
    if (i.reopenCount === 0 && (s ?? 5) >= 3) c.effective++;
    if (i.resolveDueAt && i.handledAt <= i.resolveDueAt) c.onTime++;
  }
  return c;
}

/** Runs `fn` in a transaction with index use switched off: the same queries, planned as full scans. */
export const withoutIndexes = <T>(db: Db, fn: (tx: Db) => Promise<T>) =>
  db.transaction(async (tx) => {
    await tx.execute('set local enable_indexscan = off');
    await tx.execute('set local enable_bitmapscan = off');
    await tx.execute('set local enable_indexonlyscan = off');
    return fn(tx as unknown as Db);
  });

/** EXPLAIN (ANALYZE, BUFFERS) of the last query `capture` saw; the lines worth reading. */
async function explain(sql: postgres.Sql, q: { query: string; params: unknown[] }) {
  const rows = await sql.unsafe(`EXPLAIN (ANALYZE, BUFFERS) ${q.query}`, q.params as never[]);
  const lines = rows.map((r) => String(r['QUERY PLAN']));
  return lines
    .filter((l) =>
      /Scan|Buffers: shared|Execution Time|Planning Time|Sort Method|Limit|GroupAggregate|HashAggregate|MixedAggregate/.test(
        l,
      ),
    )
    .slice(0, 20);
}

export async function benchKpis(): Promise<object[]> {
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  const name = `gongzhi_bench_${randomBytes(4).toString('hex')}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), pgliteDir: 'memory' });
  const raw = postgres(url.toString(), { max: 4, onnotice: () => {} });
  // A second handle on the same database that records each query, for EXPLAIN.
  let last = { query: '', params: [] as unknown[] };
  const traced = drizzle({
    client: raw,
    schema,
    logger: { logQuery: (query, params) => (last = { query, params }) },
  }) as unknown as Db;
  const db = database.db;
  try {
    const all = communities();
    for (const c of all.values()) {
      await raw`insert into communities (key, name, config, config_hash) values (${c.key}, ${c.name}, ${JSON.stringify(c.config)}::jsonb, 'bench')`;
    }
    const t0 = performance.now();
    await generate(raw, all.get('bench-000')!);
    const loadSeconds = (performance.now() - t0) / 1000;
    const [counted] = await raw<{ n: number }[]>`select count(*)::int as n from issues`;
    const n = counted!.n;
    console.log(`generated ${n} issues (+ tasks and ratings) in ${loadSeconds.toFixed(0)} s`);

    const key = 'bench-042';
    const community = all.get(key)!;
    const [found] = await raw<{ id: string }[]>`select id from communities where key = ${key}`;
    const communityId = found!.id;
    const req: KpiRequest = {
      community,
      communityId,
      period: parsePeriod({ period: '2026Q3' }),
      scope: parseKpiScope(community, {}),
      now: new Date(),
    };
    const zoneReq = { ...req, scope: parseKpiScope(community, { scope: 'zone', zone: 'zone-1' }) };

    const kpi = await timeRuns(() => computeKpis(db, req));
    const kpiZone = await timeRuns(() => computeKpis(db, zoneReq));
    const naive = await timeRuns(() => naiveKpis(db, req));
    const kpiNoIndex = await timeRuns(() => withoutIndexes(db, (tx) => computeKpis(tx, req)));
    const same = JSON.stringify(kpiFigures(naive.last)) === JSON.stringify(kpi.last.totals);
    if (!same)
      throw new Error(
        `naive and SQL KPIs differ: ${JSON.stringify(naive.last)} vs ${JSON.stringify(kpi.last.totals)}`,
      );

    // (b) a zone's issue list, as the zone-1 leader of that community sees it.
    const { calendars } = loadCalendars(path.join(ROOT, 'config/calendars'), all, new Date());
    const ctx = (d: Db): ServiceContext => ({
      db: d,
      communities: all,
      calendars,
      now: () => new Date(),
      principal: {
        accountId: '00000000-0000-0000-0000-000000000000',
        sessionId: 'bench',
        kind: 'staff',
        displayName: '吴文杰',
        personKey: 'wu-wenjie',
        communityKey: key,
      },
    });
    const q = { community: key, zone: 'zone-1', limit: 20 };
    let cursor: string | null | undefined;
    for (let p = 0; p < 50; p++)
      cursor = (await listIssues(ctx(db), { ...q, cursor: cursor ?? undefined })).nextCursor;
    const deep = { ...q, cursor: cursor ?? undefined };
    const first = await timeRuns(() => listIssues(ctx(db), q));
    const keyset = await timeRuns(() => listIssues(ctx(db), deep));
    const firstNoIndex = await timeRuns(() => withoutIndexes(db, (tx) => listIssues(ctx(tx), q)));
    const keysetNoIndex = await timeRuns(() => withoutIndexes(db, (tx) => listIssues(ctx(tx), deep)));

    await computeKpis(traced, req);
    const kpiPlan = await explain(raw, last);
    await listIssues(ctx(traced), deep);
    const listPlan = await explain(raw, last);
    console.log(`\nEXPLAIN (ANALYZE, BUFFERS), community quarterly KPIs:\n  ${kpiPlan.join('\n  ')}`);
    console.log(`\nEXPLAIN (ANALYZE, BUFFERS), zone list, keyset page 51:\n  ${listPlan.join('\n  ')}`);

    const row = (
      scenario: string,
      r: { median: number; max: number },
      base: { median: number },
      target: number,
    ) => ({
      scenario,
      medianMs: Number(r.median.toFixed(2)),
      maxMs: Number(r.max.toFixed(2)),
      baselineMedianMs: Number(base.median.toFixed(2)),
      speedup: Number((base.median / r.median).toFixed(1)),
      targetMs: target,
      met: r.median < target,
    });
    return [
      {
        ...row('KPIs 2026Q3, community (computeKpis) vs loading its issues', kpi, naive, 200),
        received: kpi.last.totals.received,
      },
      {
        ...row('KPIs 2026Q3, community (computeKpis) vs no index scans', kpi, kpiNoIndex, 200),
        received: kpi.last.totals.received,
      },
      {
        ...row('KPIs 2026Q3, zone-1 (computeKpis) vs no index scans', kpiZone, kpiNoIndex, 200),
        received: kpiZone.last.totals.received,
      },
      {
        ...row('zone list, first page (listIssues) vs no index scans', first, firstNoIndex, 20),
        rows: first.last.items.length,
      },
      {
        ...row('zone list, keyset page 51 (listIssues) vs no index scans', keyset, keysetNoIndex, 20),
        rows: keyset.last.items.length,
      },
    ];
  } finally {
    await raw.end();
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

if (require.main === module) {
  benchKpis().then(
    (rows) => console.table(rows),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
