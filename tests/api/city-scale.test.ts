import type { ExportJobView, RollupView } from '@gongzhi/domain';
import { eq, sql } from 'drizzle-orm';
import { issueCountsTable, issuesTable } from '../../apps/api/src/db/schema';
import { runExportJob } from '../../apps/api/src/services/ledger/export-jobs';
import { refreshIssueCounts, rowsOf } from '../../apps/api/src/services/rollup/refresh-issue-counts';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import { complain } from '../helpers/issue-flow';

/**
 * City scale (issue 19): the roll-up summary the job clock maintains, the district roll-up route
 * over it, and ledger exports run as background jobs with progress and a download.
 */
let t: TestApp;
const clock = testClock(new Date('2026-11-16T02:00:00Z'));
type Session = Awaited<ReturnType<TestApp['loginAs']>>;
let admin: Session;
let leader: Session;
let secretary: Session;

const get = (s: Session, url: string) => t.app.inject({ url, headers: s.auth });
const summed = async () =>
  rowsOf<{ n: number }>(
    await t.db.execute(sql`select coalesce(sum(issues), 0)::int as n from issue_counts`),
  )[0]!.n;

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  admin = await t.loginAs('admin');
  leader = await t.loginAs('wu-wenjie');
  secretary = await t.loginAs('tu-zhongmei');
  for (let i = 0; i < 3; i++) await complain(t, 3, `楼道有垃圾 ${i}`);
  await complain(t, 3, '电梯停在三楼不动', 'elevator');
}, 120_000);
afterAll(() => t?.close());

describe('the roll-up summary', () => {
  it('the first pass counts every issue; a later pass recounts only what changed since', async () => {
    const first = await refreshIssueCounts(t.db, clock.now());
    expect(first.months).toBe(-1); // no watermark yet: a full rebuild
    expect(await summed()).toBe(4);
    const rows = await t.db.select().from(issueCountsTable);
    expect(rows.find((r) => r.category === 'elevator')).toMatchObject({ issues: 1, month: '2026-11-01' });

    // Issues written within the safety margin before a pass are recounted once more by the next one.
    clock.advance(10 * 60_000);
    expect((await refreshIssueCounts(t.db, clock.now())).months).toBe(1);
    clock.advance(10 * 60_000);
    expect((await refreshIssueCounts(t.db, clock.now())).months).toBe(0);
    clock.advance(10 * 60_000);
    await complain(t, 3, '路灯不亮');
    const again = await refreshIssueCounts(t.db, clock.now());
    expect(again.months).toBe(1);
    expect(await summed()).toBe(5);
  });

  it('a status change moves the count to the new status on the next pass', async () => {
    const [one] = await t.db.select().from(issuesTable).limit(1);
    clock.advance(10 * 60_000);
    await t.db
      .update(issuesTable)
      .set({ status: 'rejected', updatedAt: clock.now() })
      .where(eq(issuesTable.id, one!.id));
    await refreshIssueCounts(t.db, clock.now());
    const rejected = await t.db
      .select()
      .from(issueCountsTable)
      .where(eq(issueCountsTable.status, 'rejected'));
    expect(rejected.reduce((n, r) => n + r.issues, 0)).toBe(1);
    expect(await summed()).toBe(5);
  });
});

describe('GET /api/admin/rollup', () => {
  it('sums the communities by community, category, tier and status, with the freshness', async () => {
    clock.advance(30_000);
    const r = await get(admin, '/api/admin/rollup?period=2026Q4&communities=xiaduoyuan');
    expect(r.statusCode).toBe(200);
    const v = r.json() as RollupView;
    expect(v.communities).toBe(1);
    expect(v.totals.issues).toBe(5);
    expect(v.byCommunity).toEqual([
      expect.objectContaining({ key: 'xiaduoyuan', name: '夏朵园居民区', issues: 5 }),
    ]);
    expect(v.byCategory.find((c) => c.key === 'elevator')).toMatchObject({ name: '电梯故障', issues: 1 });
    expect(v.byStatus.reduce((n, s) => n + s.issues, 0)).toBe(5);
    expect(v.staleSeconds).toBe(30);
    expect(v.refreshedAt).not.toBeNull();
    // Without a list: every community.
    expect(((await get(admin, '/api/admin/rollup?period=2026-11')).json() as RollupView).totals.issues).toBe(
      5,
    );
    expect(((await get(admin, '/api/admin/rollup?period=2026-10')).json() as RollupView).totals.issues).toBe(
      0,
    );
  });

  it('refuses periods that are not whole months, unknown communities, and anyone but an administrator', async () => {
    const partial = await get(admin, '/api/admin/rollup?from=2026-11-02&to=2026-11-30');
    expect(partial.statusCode).toBe(400);
    expect(partial.json()).toMatchObject({ error: { code: 'rollup_whole_months' } });
    const unknown = await get(admin, '/api/admin/rollup?period=2026Q4&communities=xiaduoyuan,nowhere');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { code: 'unknown_community' } });
    expect((await get(leader, '/api/admin/rollup?period=2026Q4')).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/admin/rollup?period=2026Q4' })).statusCode).toBe(401);
  });
});

describe('ledger export jobs', () => {
  it('queued → counted → done, with progress and a download for the requester only', async () => {
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/communities/xiaduoyuan/issues/ledger/jobs',
      headers: secretary.auth,
      payload: { period: '2026Q4', format: 'csv' },
    });
    expect(start.statusCode).toBe(202);
    const job = start.json() as ExportJobView;
    expect(job).toMatchObject({ status: 'queued', done: 0, total: null, downloadUrl: null });

    const early = await get(secretary, `/api/export-jobs/${job.id}/file`);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: { code: 'export_not_ready' } });
    // Another person's job does not exist for them.
    expect((await get(leader, `/api/export-jobs/${job.id}`)).statusCode).toBe(404);

    const ctx = {
      db: t.db,
      communities: t.communities,
      calendars: t.calendars,
      now: clock.now,
      storage: t.storage,
    };
    expect(await runExportJob(ctx)).toBe(true);
    expect(await runExportJob(ctx)).toBe(false); // nothing left queued

    const done = (await get(secretary, `/api/export-jobs/${job.id}`)).json() as ExportJobView;
    expect(done).toMatchObject({
      status: 'done',
      done: 5,
      total: 5,
      downloadUrl: `/api/export-jobs/${job.id}/file`,
    });
    const file = await get(secretary, done.downloadUrl!);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    expect(file.body).toContain('电梯停在三楼不动');
    expect((await get(leader, done.downloadUrl!)).statusCode).toBe(404);
  });

  it('checks the request as the synchronous ledger does before storing anything', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/communities/xiaduoyuan/issues/ledger/jobs',
      headers: secretary.auth,
      payload: { period: '2026Q4', zone: 'nowhere' },
    });
    expect(bad.statusCode).toBe(400);
    const anon = await t.app.inject({
      method: 'POST',
      url: '/api/communities/xiaduoyuan/issues/ledger/jobs',
      payload: { period: '2026Q4' },
    });
    expect(anon.statusCode).toBe(401);
  });
});
