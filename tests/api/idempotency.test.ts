import { eq, sql } from 'drizzle-orm';
import { idempotencyKeysTable, issuesTable } from '../../apps/api/src/db/schema';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { deriveKey, seal } from '../../apps/api/src/lib/secrets';
import {
  ABANDONED_AFTER_MS,
  IDEMPOTENCY_TTL_MS,
  purgeExpiredIdempotencyKeys,
  recordIdempotentCommit,
} from '../../apps/api/src/services/idempotency';
import { buildTestApp, TEST_QR_SECRET, type TestApp, testClock } from '../helpers/build-app';

// Idempotency-Key under races (issue 15 §2): a key is claimed with an owner token, only its owner
// may commit, a replay gives back the same working receipt, and keys expire.

let t: TestApp;
const clock = testClock();
beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
});
afterAll(() => t.close());

const JWT_SECRET = 'test-secret-that-is-long-enough-000000'; // build-app's
const qr = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 21 });
let addr = 0;
const complain = (key: string, description: string, app: TestApp['app'] = t.app) =>
  app.inject({
    method: 'POST',
    url: '/api/complaints',
    payload: { qr, category: 'sanitation', description },
    headers: { 'idempotency-key': key },
    // Each from its own address: the per-address limit is not what is tested here.
    remoteAddress: `10.77.${Math.floor(++addr / 250)}.${addr % 250}`,
  });
const issuesWith = async (description: string) =>
  (
    await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(issuesTable)
      .where(eq(issuesTable.description, description))
  )[0]!.n;
const track = (code: string, secret: string) =>
  t.app.inject({ url: `/api/complaints/${code}`, headers: { 'x-tracking-secret': secret } });
const keyRow = async (key: string) =>
  (await t.db.select().from(idempotencyKeysTable).where(eq(idempotencyKeysTable.key, key)))[0]!;

test('20 submissions with one key at once across two instances: one complaint, every receipt handed out opens it', async () => {
  // A second API instance on the same database (its own pool on PostgreSQL), as a second process.
  const b = await t.peer();
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) => complain('race-key-000001', '垃圾桶倒了', i % 2 ? b.app : t.app)),
  ).finally(() => b.close());
  const ok = answers.filter((a) => a.statusCode === 201);
  const busy = answers.filter((a) => a.statusCode === 409);
  expect(ok.length + busy.length).toBe(20);
  for (const b of busy) expect(b.json().error.code).toBe('idempotency_in_progress');
  expect(ok.length).toBeGreaterThanOrEqual(1);
  expect(await issuesWith('垃圾桶倒了')).toBe(1);
  expect(new Set(ok.map((a) => a.json().trackingCode)).size).toBe(1);
  expect(new Set(ok.map((a) => a.json().secret)).size).toBe(1);
  const { trackingCode, secret } = ok[0]!.json();
  expect((await track(trackingCode, secret)).statusCode).toBe(200);
});

test('a replay of a committed complaint whose answer was lost gives back the same working secret, however many race', async () => {
  const first = await complain('crash-key-00001', '路灯闪烁');
  expect(first.statusCode).toBe(201);
  const { trackingCode, secret } = first.json();
  // What a crash between the commit and the stored answer leaves: committed, with the sealed secret.
  await t.db
    .update(idempotencyKeysTable)
    .set({
      state: 'committed',
      statusCode: null,
      sealed: seal(deriveKey(JWT_SECRET, 'idempotency response v1'), JSON.stringify({ secret })),
    })
    .where(eq(idempotencyKeysTable.key, 'crash-key-00001'));
  const replays = await Promise.all(Array.from({ length: 8 }, () => complain('crash-key-00001', '路灯闪烁')));
  for (const r of replays) {
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ trackingCode, secret });
  }
  expect((await track(trackingCode, secret)).statusCode).toBe(200);
  expect(await issuesWith('路灯闪烁')).toBe(1);
});

test('no secret is kept in clear: the stored answer is sealed, the tracking secret appears nowhere', async () => {
  const r = await complain('secret-key-0001', '楼道堆物');
  const { secret } = r.json();
  const row = await keyRow('secret-key-0001');
  expect(row.state).toBe('done');
  expect(row.response).toEqual({ resourceId: expect.any(String) });
  expect(row.sealed).toEqual(expect.any(String));
  expect(JSON.stringify(row)).not.toContain(secret);
  const [{ found }] = (await t.db
    .select({ found: sql<number>`count(*)::int` })
    .from(idempotencyKeysTable)
    .where(
      sql`concat_ws('|', ${idempotencyKeysTable.key}, ${idempotencyKeysTable.response}::text, ${idempotencyKeysTable.sealed}) like ${`%${secret}%`}`,
    )) as [{ found: number }];
  expect(found).toBe(0);
  // The replay still gives the secret back.
  expect((await complain('secret-key-0001', '楼道堆物')).json().secret).toBe(secret);
});

test('a request that lost its key to a retry cannot commit: it rolls back, the retry is the one complaint', async () => {
  // The first request's claim, as its stalled process left it: running, long ago, another owner.
  const first = await complain('stall-key-00001', '消防通道被占');
  expect(first.statusCode).toBe(201);
  await t.db
    .update(idempotencyKeysTable)
    .set({
      state: 'running',
      owner: 'stalled-owner',
      createdAt: new Date(clock.now().getTime() - ABANDONED_AFTER_MS - 1),
    })
    .where(eq(idempotencyKeysTable.key, 'stall-key-00001'));
  // A retry takes the key over…
  const retry = await complain('stall-key-00001', '消防通道被占');
  expect(retry.statusCode).toBe(201);
  expect(retry.json().trackingCode).not.toBe(first.json().trackingCode);
  // …and the stalled request, coming back to commit, is refused: its transaction rolls back.
  const row = await keyRow('stall-key-00001');
  expect(row.owner).not.toBe('stalled-owner');
  const stalled = {
    scope: 'anonymous',
    key: 'stall-key-00001',
    owner: 'stalled-owner',
    seal: (x: string) => x,
  };
  await expect(
    t.db.transaction((tx) => recordIdempotentCommit(tx, stalled, '00000000-0000-4000-8000-000000000000')),
  ).rejects.toMatchObject({ code: 'idempotency_key_taken_over', kind: 'conflict' });
  expect((await keyRow('stall-key-00001')).owner).toBe(row.owner);
});

test('keys expire after a day and are purged; a submission after that is new', async () => {
  const a = await complain('expire-key-0001', '井盖缺失');
  clock.advance(IDEMPOTENCY_TTL_MS + 1000);
  const b = await complain('expire-key-0001', '井盖缺失');
  expect(b.statusCode).toBe(201);
  expect(b.headers['idempotent-replayed']).toBeUndefined();
  expect(b.json().trackingCode).not.toBe(a.json().trackingCode);
  const kept = (await t.db.select().from(idempotencyKeysTable)).length;
  expect(kept).toBeGreaterThan(1);
  clock.advance(IDEMPOTENCY_TTL_MS + 1000);
  // The follow-up clock's pass purges them (services/followup/background.ts).
  expect(await purgeExpiredIdempotencyKeys(t.db, clock.now())).toBe(kept);
  expect(await t.db.select().from(idempotencyKeysTable)).toHaveLength(0);
});
