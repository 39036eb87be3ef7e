// City scale (issue 19): the hot queries on the database `pnpm gongzhi demo-data` made (default
// gongzhi_scale, 1,000 communities × 2 years ≈ 10 M issues), each beside a baseline in the same
// run: the same query with index scans off, or (roll-up) the same figures counted from the issues.
// SCALE_DATABASE_URL picks the database; when it does not exist, a small one (20 communities × 1
// year) is generated into it first and kept. Prints EXPLAIN (ANALYZE, BUFFERS) of each.
// Run: pnpm bench scale, or pnpm exec tsx bench/scale.ts.
import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Db } from '../apps/api/src/db/client';
import { openDatabase } from '../apps/api/src/db/client';
import * as schema from '../apps/api/src/db/schema';
import type { ServiceContext } from '../apps/api/src/services/context';
import { copiesOfCommunity } from '../apps/api/src/services/demo-data/demo-communities';
import { demoKey, demoName, generateDemoData } from '../apps/api/src/services/demo-data/generate-demo-data';
import { getIssue } from '../apps/api/src/services/issues/get-issue';
import { listIssues } from '../apps/api/src/services/issues/list-issues';
import { computeKpis } from '../apps/api/src/services/kpi/compute-kpis';
import { districtRollup } from '../apps/api/src/services/rollup/district-rollup';
import { parseKpiScope, parsePeriod } from '../packages/domain/src';
import { median, withoutIndexes } from './kpi';

const URL_ = process.env.SCALE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gongzhi_scale';
const RUNS = Number(process.env.SCALE_RUNS ?? 15);
const ROOT = path.resolve(__dirname, '..');
async function timeRuns<T>(fn: () => Promise<T>, runs = RUNS) {
  let last = await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await fn();
    times.push(performance.now() - t0);
  }
  return { median: median(times), max: Math.max(...times), last };
}

/** SCALE_BASELINES=0: only the product's queries (the baselines scan whole tables: minutes at 10 M issues). */
const baseline = (fn: () => Promise<unknown>, runs: number) =>
  process.env.SCALE_BASELINES === '0'
    ? Promise.resolve({ median: Number.NaN, max: Number.NaN })
    : timeRuns(fn, runs);

async function ensureDatabase() {
  const u = new URL(URL_);
  const name = u.pathname.slice(1);
  const server = new URL(URL_);
  server.pathname = '/postgres';
  const admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
  const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
  if (!exists) {
    await admin.unsafe(`create database "${name}"`);
    const db = await openDatabase({ databaseUrl: URL_, pgliteDir: 'memory', statementTimeoutMs: 0 });
    await db.close();
    const sql = postgres(URL_, { max: 1, onnotice: () => {} });
    const [base] = copiesOfCommunity(path.join(ROOT, 'config/communities'), {
      count: 1,
      keyOf: demoKey,
      nameOf: demoName,
    }).values();
    console.log(`generating ${name}: 20 communities × 1 year`);
    await generateDemoData(sql, base!, { communities: 20, years: 1 });
    await sql.end();
  }
  await admin.end();
}

export async function benchScale(): Promise<object[]> {
  await ensureDatabase();
  const raw = postgres(URL_, { max: 4, onnotice: () => {} });
  let last = { query: '', params: [] as unknown[] };
  // The roll-up issues three statements; its plan is the one of the grouping-sets statement.
  let rollupStatement = last;
  const traced = drizzle({
    client: raw,
    schema,
    logger: {
      logQuery: (query, params) => {
        last = { query, params };
        if (query.includes('grouping sets')) rollupStatement = last;
      },
    },
  }) as unknown as Db;
  const db = drizzle({ client: raw, schema }) as unknown as Db;
  await raw`set jit = off`;
  const plans: Record<string, string[]> = {};
  const explain = async (name: string, q = last) => {
    const rows = await raw.unsafe(`EXPLAIN (ANALYZE, BUFFERS) ${q.query}`, q.params as never[]);
    plans[name] = rows.map((r) => String(r['QUERY PLAN']));
  };
  try {
    const [{ n: communities } = { n: 0 }] = await raw<
      { n: number }[]
    >`select count(*)::int as n from communities`;
    const [{ n: issues } = { n: 0 }] = await raw<{ n: number }[]>`
      select reltuples::bigint::int as n from pg_class where relname = 'issues'`;
    const pick = Math.min(42, communities - 1);
    const key = demoKey(pick);
    const all = copiesOfCommunity(path.join(ROOT, 'config/communities'), {
      from: pick,
      count: 1,
      keyOf: demoKey,
      nameOf: demoName,
    });
    const community = all.get(key)!;
    const [row] = await raw<{ id: string }[]>`select id from communities where key = ${key}`;
    const [latest] = await raw<
      { m: Date }[]
    >`select max(created_at) as m from issues where community_id = ${row!.id}`;
    const newest = new Date(latest!.m);
    const y = newest.getUTCFullYear();
    const q = Math.floor(newest.getUTCMonth() / 3); // the last whole quarter before the newest issue
    const quarter = q === 0 ? `${y - 1}Q4` : `${y}Q${q}`;
    const req = {
      community,
      communityId: row!.id,
      period: parsePeriod({ period: quarter }),
      scope: parseKpiScope(community, {}),
      now: new Date(),
    };
    const ctx = (d: Db, principal: ServiceContext['principal']): ServiceContext =>
      ({ db: d, communities: all, calendars: new Map(), now: () => new Date(), principal }) as ServiceContext;
    const adminCtx = (d: Db) =>
      ctx(d, {
        accountId: '00000000-0000-4000-8000-000000000000',
        sessionId: 'bench',
        kind: 'admin',
        displayName: '管理员',
        personKey: null,
        communityKey: null,
      });
    const leader = community.zones.get('zone-1')!.leader.person;
    const leaderCtx = (d: Db) =>
      ctx(d, {
        accountId: '00000000-0000-4000-8000-000000000000',
        sessionId: 'bench',
        kind: 'staff',
        displayName: '组长',
        personKey: leader,
        communityKey: key,
      });

    // (a) a community's quarterly KPIs.
    const kpi = await timeRuns(() => computeKpis(db, req));
    const kpiBase = await baseline(() => withoutIndexes(db, (tx) => computeKpis(tx, req)), 3);
    await computeKpis(traced, req);
    await explain('KPIs, one community, one quarter (computeKpis)');

    // (b) the district roll-up over 300 communities, from the summary; baseline: counted from issues.
    const keys = (await raw<{ key: string }[]>`select key from communities order by key limit 300`).map(
      (r) => r.key,
    );
    const rq = { period: quarter, communities: keys.join(',') };
    const rollup = await timeRuns(() => districtRollup(adminCtx(db), rq));
    await districtRollup(adminCtx(traced), rq);
    await explain('district roll-up, 300 communities, one quarter (issue_counts)', rollupStatement);
    const { start, end } = {
      start: `${req.period.from}T00:00:00+08`,
      end: `${req.period.to}T23:59:59.999+08`,
    };
    const fromIssues = {
      query: `select i.community_id, count(*)::int, count(i.handled_at)::int,
                count(*) filter (where i.handled_at <= i.resolve_due_at)::int, count(r.issue_id)::int
              from issues i left join issue_ratings r on r.issue_id = i.id
              where i.community_id in (select id from communities where key = any($1::text[]))
                and i.created_at >= $2::timestamptz and i.created_at <= $3::timestamptz and not i.hidden
              group by 1`,
      params: [`{${keys.join(',')}}`, start, end],
    };
    const rollupBase = await baseline(() => raw.unsafe(fromIssues.query, fromIssues.params as never[]), 2);
    if (process.env.SCALE_BASELINES !== '0')
      await explain('baseline: the same roll-up counted from issues', fromIssues);

    // (c) a zone's list, first page and 50 pages deep, as the zone leader (the list code as it is).
    const lq = { community: key, zone: 'zone-1', limit: 20 };
    let cursor: string | null | undefined;
    for (let p = 0; p < 50; p++)
      cursor = (await listIssues(leaderCtx(db), { ...lq, cursor: cursor ?? undefined })).nextCursor;
    const deep = { ...lq, cursor: cursor ?? undefined };
    const first = await timeRuns(() => listIssues(leaderCtx(db), lq));
    const keyset = await timeRuns(() => listIssues(leaderCtx(db), deep));
    const keysetBase = await baseline(() => withoutIndexes(db, (tx) => listIssues(leaderCtx(tx), deep)), 3);
    await listIssues(leaderCtx(traced), deep);
    await explain('zone list, keyset page 51 (listIssues as it is)');

    // (d) one issue by id with its timeline (the service the issue page calls), as an administrator.
    const [one] = await raw<
      { id: string }[]
    >`select id from issues where community_id = ${row!.id} order by created_at desc limit 1 offset 500`;
    const byId = await timeRuns(() => getIssue(adminCtx(db), one!.id));
    const byIdBase = await baseline(() => withoutIndexes(db, (tx) => getIssue(adminCtx(tx), one!.id)), 1);
    const idQuery = { query: 'select * from issues where id = $1', params: [one!.id] };
    await explain('one issue by id', idQuery);
    await explain('its timeline', {
      query: 'select * from issue_events where issue_id = $1 order by id',
      params: [one!.id],
    });

    // (e) the export job's page query: a community's quarter, oldest first, 5,000 at a time.
    const page = {
      query: `select * from issues where community_id = $1 and created_at >= $2::timestamptz and created_at <= $3::timestamptz
              order by created_at, id limit 5000`,
      params: [row!.id, start, end],
    };
    const exportPage = await timeRuns(() => raw.unsafe(page.query, page.params as never[]));
    const exportBase = await baseline(
      () => withoutIndexes(db, () => raw.unsafe(page.query, page.params as never[])),
      1,
    );
    await explain('export job page (ledger, one community quarter)', page);

    for (const [name, lines] of Object.entries(plans))
      console.log(`\nEXPLAIN (ANALYZE, BUFFERS), ${name}:\n  ${lines.join('\n  ')}`);
    const out = (
      scenario: string,
      r: { median: number; max: number },
      base: { median: number },
      target: number,
      extra = {},
    ) => ({
      scenario,
      medianMs: Number(r.median.toFixed(2)),
      maxMs: Number(r.max.toFixed(2)),
      baselineMedianMs: Number(base.median.toFixed(2)),
      speedup: Number((base.median / r.median).toFixed(1)),
      targetMs: target,
      met: r.median < target,
      ...extra,
    });
    console.log(
      `database ${new URL(URL_).pathname.slice(1)}: ${communities} communities, ~${issues.toLocaleString('en')} issues; quarter ${quarter}`,
    );
    return [
      out(`KPIs ${quarter}, ${key} vs no index scans`, kpi, kpiBase, 200, {
        received: kpi.last.totals.received,
      }),
      out('roll-up, 300 communities (summary) vs counted from issues', rollup, rollupBase, 2000, {
        issues: rollup.last.totals.issues,
        staleSeconds: rollup.last.staleSeconds,
      }),
      out('zone list, first page (as it is) vs keyset page without indexes', first, keysetBase, 20),
      out('zone list, keyset page 51 (as it is) vs no index scans', keyset, keysetBase, 20, {
        rows: keyset.last.items.length,
      }),
      out('one issue + timeline (getIssue) vs no index scans', byId, byIdBase, 20),
      out('export job page (5,000 rows) vs no index scans', exportPage, exportBase, 500),
    ];
  } finally {
    await raw.end();
  }
}

if (require.main === module) {
  benchScale().then(
    (rows) => console.table(rows),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
