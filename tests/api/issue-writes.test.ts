import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IssueDetail } from '@gongzhi/domain';
import { asc, eq } from 'drizzle-orm';
import { issueEventsTable, issuesTable, tasksTable } from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import * as flow from '../helpers/issue-flow';

/**
 * The one write path of an issue's state (apps/api/src/services/issues/write-issue.ts,
 * docs/adr/0006-one-issue-write-path.md): no other code changes `issues.status`, and every way an
 * issue moves leaves the same row behind.
 */

const SRC = path.resolve(__dirname, '../../apps/api/src');
const WRITER = 'services/issues/write-issue.ts';

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );

/** The columns only the writer sets (TypeScript names and SQL names). */
const OWNED = /\b(status|assignees|resolvedAt|resolved_at|handledAt|handled_at|reopenCount|reopen_count)\b/;

/**
 * Places in a source text that write a column the writer owns on `issues`: a Drizzle
 * `.update(issuesTable)` (or an alias of it) whose `.set(…)` names one, an insert-on-conflict
 * update of it, or raw SQL `update issues set …`.
 */
function ownedIssueWrites(text: string): string[] {
  const aliases = [
    'issuesTable',
    ...[...text.matchAll(/const\s+(\w+)\s*=\s*issuesTable\b/g)].map((m) => m[1]!),
  ];
  const hits: string[] = [];
  for (const alias of aliases) {
    const re = new RegExp(`\\.update\\(\\s*${alias}\\s*\\)`, 'g');
    for (const m of text.matchAll(re)) {
      // The statement up to its WHERE (or its end): the .set({...}) lies within.
      const rest = text.slice(m.index!);
      const end = rest.search(/\.where\(|;\s*\n/);
      const statement = rest.slice(0, end < 0 ? undefined : end);
      // A `.set(…)` that is not an object literal (a built row: db/prepared.ts placeholdersOf) may
      // name any column: it counts as a write of the owned ones.
      if (OWNED.test(statement) || /\.set\(\s*[^{\s]/.test(statement))
        hits.push(statement.split('\n')[0]!.trim());
    }
  }
  for (const m of text.matchAll(/update\s+"?issues"?\s+set\b[^;`]*/gi)) {
    if (OWNED.test(m[0])) hits.push(m[0].slice(0, 60));
  }
  return hits;
}

/** Runtime imports (not `import type`) of a file, resolved to paths relative to SRC. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'(\.[^']+)'/gms)) {
    if (m[1]) continue;
    // `import { type A, type B } from` is erased too.
    const names = /\{([^}]*)\}/.exec(m[0])?.[1];
    if (names && !/^import\s+\w/.test(m[0]) && names.split(',').every((n) => /^\s*(type\s|$)/.test(n)))
      continue;
    out.push(path.relative(SRC, path.resolve(path.dirname(file), `${m[2]}.ts`)));
  }
  return out;
}

describe('nothing but the writer changes an issue', () => {
  test('the scan finds a status write in any shape it looks for (so it can fail)', () => {
    expect(ownedIssueWrites(`await tx.update(issuesTable).set({ status: to }).where(x);`)).toHaveLength(1);
    expect(
      ownedIssueWrites(
        `const i = issuesTable;\nawait db\n  .update(i)\n  .set({\n    assignees: [],\n  })\n  .where(x)`,
      ),
    ).toHaveLength(1);
    expect(ownedIssueWrites('sql`update issues set resolved_at = null where id = 1`')).toHaveLength(1);
    expect(ownedIssueWrites('tx\n  .update(issuesTable)\n  .set(set.row)\n  .where(x)')).toHaveLength(1);
    expect(ownedIssueWrites(`await tx.update(issuesTable).set({ tier: 'joint_meeting' }).where(x);`)).toEqual(
      [],
    );
  });

  test('no file of apps/api/src but the writer updates status, assignees, resolvedAt or the KPI facts of issues', () => {
    const offenders = sourceFiles(SRC)
      .filter((f) => path.relative(SRC, f) !== WRITER)
      .flatMap((f) =>
        ownedIssueWrites(readFileSync(f, 'utf8')).map((hit) => `${path.relative(SRC, f)}: ${hit}`),
      );
    expect(offenders).toEqual([]);
    // And the writer itself is found by the scan.
    expect(ownedIssueWrites(readFileSync(path.join(SRC, WRITER), 'utf8')).length).toBeGreaterThan(0);
  });

  test('apps/api/src has no runtime import cycle (transition-issue ↔ act-on-task was one)', () => {
    const graph = new Map(sourceFiles(SRC).map((f) => [path.relative(SRC, f), runtimeImports(f)]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const walk = (node: string, trail: string[]) => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
        return;
      }
      state.set(node, 'open');
      for (const next of graph.get(node) ?? []) walk(next, [...trail, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) walk(node, []);
    expect(cycles).toEqual([]);
    expect(graph.get('services/tasks/act-on-task.ts')).toContain('services/issues/write-issue.ts');
  });
});

let t: TestApp;
// Monday 2026-11-02 10:00 in Shanghai.
const clock = testClock(new Date('2026-11-02T02:00:00Z'));
const DAY = 24 * 3_600_000;
let zhangLifen: flow.Session; // zone-1 property specialist: zone-1 sanitation tasks go to her
let yangChenyi: flow.Session; // zone-1 grid inspector: files and verifies

async function fileIssue(description: string) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/issues',
    headers: yangChenyi.auth,
    payload: { community: 'xiaduoyuan', building: 3, category: 'sanitation', description },
  });
  expect(r.statusCode).toBe(201);
  return r.json() as IssueDetail;
}

const row = async (id: string) => (await t.db.select().from(issuesTable).where(eq(issuesTable.id, id)))[0]!;
const taskStatuses = async (id: string) =>
  (
    await t.db
      .select({ status: tasksTable.status })
      .from(tasksTable)
      .where(eq(tasksTable.issueId, id))
      .orderBy(asc(tasksTable.seq))
  ).map((x) => x.status);
const step = (id: string, name: string, payload?: object) =>
  t.app.inject({
    method: 'POST',
    url: `/api/issues/${id}/${name}`,
    headers: yangChenyi.auth,
    ...(payload ? { payload } : {}),
  });

describe('every way to close leaves the same row', () => {
  // The database only for these: the scans above run without one.
  beforeAll(async () => {
    t = await buildTestApp({ now: clock.now });
    zhangLifen = await t.loginAs('zhang-lifen');
    yangChenyi = await t.loginAs('yang-chenyi');
  }, 240_000);
  afterAll(() => t.close());

  test('closed by verification and closed by the follow-up clock: no hands, tasks finished, 办结时间 kept', async () => {
    const verified = await fileIssue('3号楼门口垃圾未清运');
    const auto = await fileIssue('3号楼楼道堆放杂物');
    const resolvedAt = clock.now();
    for (const issue of [verified, auto]) await flow.resolveTaskOf(t, zhangLifen, issue.id, 'zhang-lifen');
    expect((await row(verified.id)).resolvedAt).toEqual(resolvedAt);

    clock.advance(DAY);
    const verifiedAt = clock.now();
    expect((await step(verified.id, 'verify', { note: '现场复核，已清运' })).statusCode).toBe(200);
    clock.advance(7 * DAY);
    const autoClosedAt = clock.now();
    expect((await t.runFollowUp()).autoClosed).toBeGreaterThanOrEqual(1);

    const outcome = async (id: string) => {
      const r = await row(id);
      return {
        status: r.status,
        assignees: r.assignees,
        resolvedAt: r.resolvedAt,
        handledAt: r.handledAt,
        reopenCount: r.reopenCount,
        tasks: await taskStatuses(id),
      };
    };
    const expected = {
      status: 'closed',
      assignees: [],
      resolvedAt,
      handledAt: resolvedAt,
      reopenCount: 0,
      tasks: ['done'],
    };
    expect(await outcome(verified.id)).toEqual(expected);
    expect(await outcome(auto.id)).toEqual(expected);
    expect((await row(verified.id)).updatedAt).toEqual(verifiedAt);
    expect((await row(auto.id)).updatedAt).toEqual(autoClosedAt);
    const [last] = await t.db
      .select()
      .from(issueEventsTable)
      .where(eq(issueEventsTable.issueId, auto.id))
      .orderBy(asc(issueEventsTable.id))
      .then((rows) => rows.slice(-1));
    expect(last).toMatchObject({
      action: 'auto_close',
      actor: 'system',
      fromStatus: 'resolved',
      toStatus: 'closed',
    });
  });

  test('a reopening: 办结时间 cleared, first handling kept, one reopening counted; the system re-dispatch is a dated write', async () => {
    const issue = await fileIssue('3号楼垃圾桶破损');
    const firstResolve = clock.now();
    await flow.resolveTaskOf(t, zhangLifen, issue.id, 'zhang-lifen');
    clock.advance(DAY);
    const reopenedAt = clock.now();
    expect((await step(issue.id, 'reject-fix', { reason: '垃圾桶仍然破损' })).statusCode).toBe(200);
    const reopened = await row(issue.id);
    expect(reopened).toMatchObject({
      status: 'dispatched',
      assignees: ['zhang-lifen'],
      resolvedAt: null,
      handledAt: firstResolve,
      reopenCount: 1,
      updatedAt: reopenedAt,
    });
    expect(await taskStatuses(issue.id)).toEqual(['done', 'open']);

    clock.advance(DAY);
    const secondResolve = clock.now();
    await flow.resolveTaskOf(t, zhangLifen, issue.id, 'zhang-lifen');
    clock.advance(DAY);
    expect((await step(issue.id, 'verify')).statusCode).toBe(200);
    expect(await row(issue.id)).toMatchObject({
      status: 'closed',
      assignees: [],
      resolvedAt: secondResolve,
      handledAt: firstResolve,
      reopenCount: 1,
    });
  });
});
