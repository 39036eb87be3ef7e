import { eq, sql } from 'drizzle-orm';
import { bansTable, idempotencyKeysTable, issuesTable } from '../../apps/api/src/db/schema';
import { ABANDONED_AFTER_MS } from '../../apps/api/src/services/idempotency';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import { startFakeWechat } from '../helpers/fake-wechat';

let t: TestApp;
let wechat: Awaited<ReturnType<typeof startFakeWechat>>;
const clock = testClock();

beforeAll(async () => {
  wechat = await startFakeWechat({ appid: 'wx-test-appid', secret: 'wx-test-secret' });
  t = await buildTestApp({ now: clock.now, wechatApiBase: wechat.baseUrl });
});
afterAll(async () => {
  await t.close();
  await wechat.close();
});

const issueCount = async () =>
  ((await t.db.select({ n: sql<number>`count(*)::int` }).from(issuesTable)) as [{ n: number }])[0].n;

describe('WeChat login', () => {
  test('a wx.login code becomes our own tokens for a resident account, the same account each time', async () => {
    wechat.issue('code-1', 'openid-A');
    const r1 = await t.app.inject({ method: 'POST', url: '/api/auth/wechat', payload: { code: 'code-1' } });
    expect(r1.statusCode).toBe(200);
    expect(r1.body).not.toContain('SESSION-KEY');
    const me = await t.app.inject({
      url: '/api/me',
      headers: { authorization: `Bearer ${r1.json().accessToken}` },
    });
    expect(me.json().account.kind).toBe('resident');
    expect(me.json().person).toBeNull();

    wechat.issue('code-2', 'openid-A');
    const r2 = await t.app.inject({ method: 'POST', url: '/api/auth/wechat', payload: { code: 'code-2' } });
    const me2 = await t.app.inject({
      url: '/api/me',
      headers: { authorization: `Bearer ${r2.json().accessToken}` },
    });
    expect(me2.json().account.id).toBe(me.json().account.id);

    // The fake saw our credentials and the code, as WeChat would.
    const last = wechat.requests.at(-1)!;
    expect(last.searchParams.get('appid')).toBe('wx-test-appid');
    expect(last.searchParams.get('js_code')).toBe('code-2');
    // session_key is kept nowhere.
    const dump = await t.db.execute(sql`select row_to_json(a)::text as j from accounts a`);
    expect(JSON.stringify(dump)).not.toContain('SESSION-KEY');
  });

  test('a used or invalid code → 401; WeChat down → 503', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/wechat', payload: { code: 'code-1' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('wechat_login_failed');
    wechat.setDown(true);
    wechat.issue('code-3', 'openid-B');
    const down = await t.app.inject({ method: 'POST', url: '/api/auth/wechat', payload: { code: 'code-3' } });
    wechat.setDown(false);
    expect(down.statusCode).toBe(503);
    expect(down.json().error.code).toBe('wechat_unavailable');
  });

  test('missing code → 400 with the field path', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/wechat', payload: {} });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details[0].path).toBe('body.code');
  });
});

describe('Idempotency-Key on issue creation', () => {
  let inspector: Awaited<ReturnType<TestApp['loginAs']>>;
  const body = (description: string) => ({
    community: 'xiaduoyuan',
    building: 7,
    category: 'greening',
    description,
  });
  const post = (key: string | undefined, payload: object) =>
    t.app.inject({
      method: 'POST',
      url: '/api/issues',
      headers: { ...inspector.auth, ...(key ? { 'idempotency-key': key } : {}) },
      payload,
    });

  beforeAll(async () => {
    inspector = await t.loginAs('yang-chenyi');
  });

  test('a retry with the same key and body returns the original response and creates nothing', async () => {
    const before = await issueCount();
    const first = await post('key-retry-0001', body('树枝折断挡路'));
    expect(first.statusCode).toBe(201);
    const again = await post('key-retry-0001', body('树枝折断挡路'));
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    expect(again.json().code).toBe(first.json().code);
    expect(await issueCount()).toBe(before + 1);
  });

  test('the same key with a different body → 422, nothing created', async () => {
    await post('key-reuse-0001', body('草坪枯黄'));
    const before = await issueCount();
    const r = await post('key-reuse-0001', body('完全不同的问题'));
    expect(r.statusCode).toBe(422);
    expect(r.json().error.code).toBe('idempotency_key_reused');
    expect(await issueCount()).toBe(before);
  });

  test('two identical submissions at once make one issue', async () => {
    // The first request has claimed the key and not finished (as a slow request would).
    const first = post('key-running-001', body('花坛损坏'));
    const second = post('key-running-001', body('花坛损坏'));
    const [a, b] = await Promise.all([first, second]);
    const statuses = [a.statusCode, b.statusCode].sort();
    // Either the second saw the first running (409) or, if it came after, got the replay (201).
    expect([
      [201, 409],
      [201, 201],
    ]).toContainEqual(statuses);
    const [row] = await t.db
      .select()
      .from(idempotencyKeysTable)
      .where(eq(idempotencyKeysTable.key, 'key-running-001'));
    expect(row!.state).toBe('done');
    const n = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(issuesTable)
      .where(eq(issuesTable.description, '花坛损坏'));
    expect(n[0]!.n).toBe(1);
  });

  test('a running key with the same body answers 409 and creates nothing', async () => {
    const first = await post('key-probe-00001', body('井盖松动'));
    const [done] = await t.db
      .select()
      .from(idempotencyKeysTable)
      .where(eq(idempotencyKeysTable.key, 'key-probe-00001'));
    // Same fingerprint, still running under another key.
    await t.db.insert(idempotencyKeysTable).values({
      scope: `account:${inspector.accountId}`,
      key: 'key-running-002',
      fingerprint: done!.fingerprint,
      state: 'running',
      createdAt: clock.now(),
    });
    const before = await issueCount();
    const r = await post('key-running-002', body('井盖松动'));
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('idempotency_in_progress');
    expect(await issueCount()).toBe(before);
    expect(first.statusCode).toBe(201);
  });

  test('a request that died after committing (response never stored) replays the committed issue', async () => {
    const first = await post('key-crash-00001', body('垃圾桶满溢'));
    // Rewind the record to what a crash between commit and response would leave.
    await t.db
      .update(idempotencyKeysTable)
      .set({ state: 'committed', response: { resourceId: first.json().id }, statusCode: null })
      .where(eq(idempotencyKeysTable.key, 'key-crash-00001'));
    const before = await issueCount();
    const r = await post('key-crash-00001', body('垃圾桶满溢'));
    expect(r.statusCode).toBe(201);
    expect(r.json().id).toBe(first.json().id);
    expect(await issueCount()).toBe(before);
  });

  test('a request that died before committing frees its key after a while', async () => {
    const payload = body('楼道灯坏了');
    // First attempt to learn the fingerprint, then forge an abandoned running record for a new key.
    const learn = await post('key-learn-00001', payload);
    const [learned] = await t.db
      .select()
      .from(idempotencyKeysTable)
      .where(eq(idempotencyKeysTable.key, 'key-learn-00001'));
    await t.db.insert(idempotencyKeysTable).values({
      scope: `account:${inspector.accountId}`,
      key: 'key-dead-000001',
      fingerprint: learned!.fingerprint,
      state: 'running',
      createdAt: new Date(clock.now().getTime() - ABANDONED_AFTER_MS - 1000),
    });
    const r = await post('key-dead-000001', payload);
    expect(learn.statusCode).toBe(201);
    expect(r.statusCode).toBe(201);
    expect(r.json().id).not.toBe(learn.json().id);
  });

  test('a refused request frees its key: the corrected retry with the same key succeeds', async () => {
    const bad = await post('key-fixme-00001', { ...body('x'), building: 999 });
    expect(bad.statusCode).toBe(400);
    const good = await post('key-fixme-00001', body('修好后的描述'));
    expect(good.statusCode).toBe(201);
  });

  test('a malformed key → 400 naming the header', async () => {
    const r = await post('short', body('有问题'));
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details[0].path).toBe('headers.idempotency-key');
  });
});

describe('abuse controls', () => {
  test('the owner rejects a complaint as abuse; only an admin may also ban its reporter', async () => {
    const rc = await t.loginAs('zhang-nen');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/issues',
      headers: rc.auth,
      payload: {
        community: 'xiaduoyuan',
        building: 3,
        category: 'noise',
        description: '反复无理投诉',
        reporterPhone: '13812345678',
      },
    });
    const id = created.json().id as string;
    const leader = await t.loginAs('wu-wenjie');
    const inspector = await t.loginAs('yang-chenyi');

    const notOwner = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${id}/reject`,
      headers: inspector.auth,
      payload: { reason: '恶意投诉', abuse: true },
    });
    expect(notOwner.statusCode).toBe(403);

    const banByLeader = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${id}/reject`,
      headers: leader.auth,
      payload: { reason: '恶意投诉', abuse: true, banReporter: true },
    });
    expect(banByLeader.statusCode).toBe(403);
    // Rolled back whole: still open, no ban.
    const still = await t.app.inject({ url: `/api/issues/${id}`, headers: leader.auth });
    expect(still.json().status).toBe('dispatched');
    expect(await t.db.select().from(bansTable).where(eq(bansTable.value, '13812345678'))).toHaveLength(0);

    const admin = await t.loginAs('admin');
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${id}/reject`,
      headers: admin.auth,
      payload: { reason: '恶意投诉', abuse: true, banReporter: true },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().status).toBe('rejected');
    const last = r.json().events.at(-1);
    expect(last.action).toBe('reject');
    expect(last.data).toMatchObject({ abuse: true });
    expect(await t.db.select().from(bansTable).where(eq(bansTable.value, '13812345678'))).toHaveLength(1);
  });

  test('the ban list: admin adds and lists; others are refused', async () => {
    const admin = await t.loginAs('admin');
    const add = await t.app.inject({
      method: 'POST',
      url: '/api/admin/bans',
      headers: admin.auth,
      payload: { kind: 'openid', value: 'openid-troll', reason: '多次恶意投诉' },
    });
    expect(add.statusCode).toBe(201);
    const list = await t.app.inject({ url: '/api/admin/bans', headers: admin.auth });
    expect(list.json().map((b: { value: string }) => b.value)).toContain('openid-troll');
    const staff = await t.loginAs('wu-wenjie');
    const refused = await t.app.inject({ url: '/api/admin/bans', headers: staff.auth });
    expect(refused.statusCode).toBe(403);
  });
});
