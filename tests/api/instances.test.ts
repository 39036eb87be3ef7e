import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IssueDetail, PhotoUploadResult } from '@gongzhi/domain';
import { eq, like } from 'drizzle-orm';
import {
  accountsTable,
  issuesTable,
  lapsesTable,
  lettersTable,
  notificationsTable,
  outboxTable,
  rateLimitCountersTable,
} from '../../apps/api/src/db/schema';
import { LocalStorage } from '../../apps/api/src/lib/storage';
import { hitCounter, purgeExpiredCounters } from '../../apps/api/src/services/rate-limits/counters';
import { buildTestApp, PASSWORD, type TestApp, testClock } from '../helpers/build-app';
import { startFakeWechat } from '../helpers/fake-wechat';
import { qrFor, type Session } from '../helpers/issue-flow';
import { multipartBody, smallJpeg } from '../helpers/multipart';
import { type S3Server, startS3Server } from '../helpers/s3-server';

/**
 * Two API instances on one database and one object store, as behind a load balancer: A is the
 * test app, B a second app with its own connection pool (on PostgreSQL), its own rate-limit store
 * and its own background passes. On in-memory PGlite (one process) B shares A's connection, which
 * still checks everything that is not about connections: storage, counters, claimed work.
 */
let s3: S3Server;
let wechat: Awaited<ReturnType<typeof startFakeWechat>>;
let a: TestApp;
let b: Awaited<ReturnType<TestApp['peer']>>;
// Monday 2026-11-16 10:00 in Shanghai.
const clock = testClock(new Date('2026-11-16T02:00:00Z'));
const MINUTE = 60_000;

beforeAll(async () => {
  s3 = await startS3Server();
  wechat = await startFakeWechat({ appid: 'wx-test-appid', secret: 'wx-test-secret' });
  a = await buildTestApp({
    now: clock.now,
    storage: s3.storage(),
    wechatApiBase: wechat.baseUrl,
    wechatTemplateId: 'TPL-instances',
  });
  b = await a.peer();
});
afterAll(async () => {
  await b.close();
  await a.close();
  await wechat.close();
  await s3.close();
});

describe('photos on the shared object store', () => {
  test('a photo uploaded through A is served by B, and B accepts a complaint that attaches it', async () => {
    const { payload, headers } = multipartBody([
      { filename: 'IMG_1.jpg', contentType: 'image/jpeg', data: await smallJpeg('#a52') },
    ]);
    const up = await a.app.inject({
      method: 'POST',
      url: '/api/photos',
      payload,
      headers,
      remoteAddress: '10.61.0.1',
    });
    expect(up.statusCode).toBe(201);
    const [photo] = (up.json() as PhotoUploadResult).photos;
    const token = photo!.uploadToken!;

    const fromA = await a.app.inject({ url: `${photo!.displayUrl}?uploadToken=${token}` });
    const fromB = await b.app.inject({ url: `${photo!.displayUrl}?uploadToken=${token}` });
    expect(fromB.statusCode).toBe(200);
    expect(fromB.headers['content-type']).toBe('image/webp');
    expect(fromB.rawPayload.equals(fromA.rawPayload)).toBe(true);

    const complaint = await b.app.inject({
      method: 'POST',
      url: '/api/complaints',
      payload: {
        qr: qrFor(12),
        category: 'sanitation',
        description: '12号楼门口垃圾没人清',
        photos: [{ id: photo!.id, uploadToken: token }],
      },
      remoteAddress: '10.61.0.1',
    });
    expect(complaint.statusCode).toBe(201);
    const [issue] = await a.db
      .select({ id: issuesTable.id })
      .from(issuesTable)
      .where(eq(issuesTable.code, complaint.json().trackingCode));
    // Staff read the attached photo through either instance.
    const wu = await a.loginAs('wu-wenjie');
    const detail = (
      await b.app.inject({ url: `/api/issues/${issue!.id}`, headers: wu.auth })
    ).json() as IssueDetail;
    expect(detail.photos.map((p) => p.id)).toEqual([photo!.id]);
    const original = await b.app.inject({ url: photo!.url, headers: wu.auth });
    expect(original.statusCode).toBe(200);
    expect(original.headers['content-type']).toBe('image/jpeg');
  });

  test('what goes wrong without it: an instance with its own local directory does not have the photo', async () => {
    const { payload, headers } = multipartBody([
      { filename: 'IMG_2.jpg', contentType: 'image/jpeg', data: await smallJpeg('#25a') },
    ]);
    const up = await a.app.inject({ method: 'POST', url: '/api/photos', payload, headers });
    expect(up.statusCode).toBe(201);
    const [photo] = (up.json() as PhotoUploadResult).photos;
    const dir = mkdtempSync(path.join(tmpdir(), 'gz-own-disk-'));
    const lonely = await a.peer({ storage: new LocalStorage(dir) });
    try {
      const res = await lonely.app.inject({ url: `${photo!.url}?uploadToken=${photo!.uploadToken}` });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('photo_file_missing');
    } finally {
      await lonely.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rate limits held in the database', () => {
  const complainFrom = (app: TestApp['app'], remoteAddress: string, i: number) =>
    app.inject({
      method: 'POST',
      url: '/api/complaints',
      payload: { qr: qrFor(30 + (i % 10)), category: 'other', description: `第${i}次反映` },
      remoteAddress,
    });

  test('a complaint flood spread over A and B is limited as one: 10 a minute per address in all', async () => {
    const ip = '10.62.0.1';
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await complainFrom(i % 2 ? b.app : a.app, ip, i)).statusCode);
    expect(statuses).toEqual([...Array(10).fill(201), 429, 429, 429, 429]);
    const refused = await complainFrom(b.app, ip, 99);
    expect(refused.json().error.code).toBe('rate_limited');
    // Another address is not affected, on either instance.
    expect((await complainFrom(b.app, '10.62.0.2', 100)).statusCode).toBe(201);
    expect((await complainFrom(a.app, '10.62.0.3', 101)).statusCode).toBe(201);

    // A minute later the address has its allowance again, on both.
    clock.advance(MINUTE);
    expect((await complainFrom(b.app, ip, 102)).statusCode).toBe(201);
    expect((await complainFrom(a.app, ip, 103)).statusCode).toBe(201);
  });

  test('each route counts apart: logins from the flooding address are not refused for complaints', async () => {
    const ip = '10.62.1.1';
    for (let i = 0; i < 10; i++) expect((await complainFrom(a.app, ip, 200 + i)).statusCode).toBe(201);
    expect((await complainFrom(b.app, ip, 210)).statusCode).toBe(429);
    const login = await b.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone: '13900000000', password: 'wrong-password' },
      remoteAddress: ip,
    });
    expect(login.statusCode).toBe(401);
  });

  test('concurrent hits from both instances each get their own count (one atomic upsert)', async () => {
    const key = `test|concurrent-${Date.now()}`;
    const at = clock.now();
    const hits = await Promise.all(
      Array.from({ length: 60 }, (_, i) => hitCounter(i % 2 ? b.db : a.db, key, at, MINUTE)),
    );
    expect(hits.map((h) => h.current).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    for (const h of hits) expect(h.ttl).toBe(MINUTE);
    const [row] = await a.db.select().from(rateLimitCountersTable).where(eq(rateLimitCountersTable.key, key));
    expect(row!.hits).toBe(60);
    // The window ends: the next hit starts again at 1, with a full window.
    const later = new Date(at.getTime() + MINUTE);
    expect(await hitCounter(b.db, key, later, MINUTE)).toEqual({ current: 1, ttl: MINUTE });
    expect(await hitCounter(a.db, key, new Date(later.getTime() + 1000), MINUTE)).toEqual({
      current: 2,
      ttl: MINUTE - 1000,
    });
  });

  test('counters whose window has ended are purged, by a direct purge and by the store once a minute', async () => {
    await hitCounter(a.db, 'test|purge-me', clock.now(), MINUTE);
    await hitCounter(a.db, 'test|keep-me', clock.now(), 10 * MINUTE);
    expect(await purgeExpiredCounters(a.db, clock.now())).toBe(0);
    const keys = async () =>
      (await a.db.select({ key: rateLimitCountersTable.key }).from(rateLimitCountersTable)).map((r) => r.key);
    expect(await keys()).toEqual(expect.arrayContaining(['test|purge-me', 'test|keep-me']));

    // Two minutes on, the next counted request on an instance sweeps what has ended (the flood's
    // rows included) and keeps what has not.
    clock.advance(2 * MINUTE);
    const flood = await a.db
      .select()
      .from(rateLimitCountersTable)
      .where(like(rateLimitCountersTable.key, '%10.62.0.1'));
    expect(flood).toHaveLength(1);
    expect((await complainFrom(b.app, '10.62.9.9', 300)).statusCode).toBe(201);
    const left = await keys();
    expect(left).toContain('test|keep-me');
    expect(left).not.toContain('test|purge-me');
    expect(left.some((k) => k.endsWith('10.62.0.1'))).toBe(false);
    expect(left).toContain('POST /api/complaints|10.62.9.9');
  });
});

describe('background work run by both instances at once', () => {
  let zhangLifen: Session;
  const openid = 'openid-zhang-lifen';

  beforeAll(async () => {
    zhangLifen = await a.loginAs('zhang-lifen');
    // She bound WeChat, so her reminders go to the inbox and as a subscription message.
    await a.db
      .update(accountsTable)
      .set({ wechatOpenid: openid })
      .where(eq(accountsTable.id, zhangLifen.accountId));
    // …and accepted the subscription message often enough for what follows (one message each).
    for (let i = 0; i < 10; i++) {
      const granted = await a.app.inject({
        method: 'POST',
        url: '/api/me/wechat-subscriptions',
        headers: zhangLifen.auth,
        payload: { accepted: ['TPL-instances'] },
      });
      expect(granted.statusCode).toBe(200);
    }
  });

  test('an overdue task gets one reminder, one letter, one inbox entry and one WeChat message', async () => {
    clock.set(new Date('2026-11-23T02:00:00Z')); // Monday 10:00
    const yang = await a.loginAs('yang-chenyi');
    const filed = await b.app.inject({
      method: 'POST',
      url: '/api/issues',
      headers: yang.auth,
      payload: { community: 'xiaduoyuan', building: 20, category: 'sanitation', description: '楼道灯不亮' },
    });
    expect(filed.statusCode).toBe(201);
    const issue = filed.json() as IssueDetail;
    const task = issue.tasks.find((x) => x.assignee.key === 'zhang-lifen')!;
    expect(task.acceptDueAt).toBe('2026-11-24T02:00:00.000Z');

    // Earlier tests' complaints are overdue by now too: every one must be handled exactly once.
    clock.set(new Date('2026-11-24T02:00:00Z')); // accept deadline: a reminder is due
    const first = await Promise.all([a.runFollowUp(), b.runFollowUp(), a.runFollowUp(), b.runFollowUp()]);
    const reminders = await a.db.select().from(lapsesTable).where(eq(lapsesTable.kind, 'accept_overdue'));
    expect(first.map((p) => p.reminders).reduce((x, y) => x + y)).toBe(reminders.length);
    expect(new Set(reminders.map((l) => l.taskId)).size).toBe(reminders.length);
    expect(reminders.filter((l) => l.taskId === task.id)).toHaveLength(1);
    expect((await Promise.all([a.runFollowUp(), b.runFollowUp()])).map((p) => p.reminders)).toEqual([0, 0]);

    clock.set(new Date('2026-11-25T02:00:00Z')); // one working day later: a reminder letter is due
    const second = await Promise.all([a.runFollowUp(), b.runFollowUp(), a.runFollowUp(), b.runFollowUp()]);
    const letters = await a.db.select().from(lettersTable);
    expect(letters.length).toBeGreaterThan(0);
    // Every letter issued (提示函 and 警示函, in either round) was counted by exactly one pass.
    const issued = [...first, ...second].map((p) => p.letters + p.warnings).reduce((x, y) => x + y);
    expect(issued).toBe(letters.length);
    // One 提示函 cites the task (the earlier overdue complaints also earn the property company a 警示函).
    expect(letters.filter((l) => l.kind === 'reminder' && l.issueIds.includes(issue.id))).toHaveLength(1);
    expect(new Set(letters.map((l) => l.number)).size).toBe(letters.length);
    expect(
      (await Promise.all([a.runFollowUp(), b.runFollowUp()])).map((p) => p.letters + p.warnings),
    ).toEqual([0, 0]);

    // Both outbox workers at once, twice over: every row is delivered exactly once.
    await Promise.all([a.deliverOutbox(), b.deliverOutbox(), a.deliverOutbox(), b.deliverOutbox()]);
    await Promise.all([a.deliverOutbox(), b.deliverOutbox()]);
    const mine = await a.db
      .select()
      .from(notificationsTable)
      .where(eq(notificationsTable.accountId, zhangLifen.accountId));
    expect(mine.filter((n) => n.issueId === issue.id && n.kind === 'overdue_reminder')).toHaveLength(1);
    const queued = await a.db
      .select()
      .from(outboxTable)
      .where(eq(outboxTable.accountId, zhangLifen.accountId));
    // Every row was handled: the inbox ones delivered; a WeChat one delivered while her ten
    // subscriptions lasted, then skipped (earlier tests of this file queued many more for her).
    const handled = queued.map((r) => `${r.channel}:${r.status}`);
    for (const h of handled) expect(['inbox:delivered', 'wechat:delivered', 'wechat:skipped']).toContain(h);
    expect(mine).toHaveLength(queued.filter((r) => r.channel === 'inbox').length);
    const wechatDelivered = handled.filter((h) => h === 'wechat:delivered').length;
    expect(wechatDelivered).toBe(Math.min(10, queued.filter((r) => r.channel === 'wechat').length));
    expect(wechatDelivered).toBeGreaterThanOrEqual(2); // the reminder and the letter at least
    // Exactly once each, though two workers ran twice over.
    expect(wechat.sent.filter((m) => m.touser === openid)).toHaveLength(wechatDelivered);
  });
});

describe('sessions ended on one instance', () => {
  // On PostgreSQL no instance keeps a principal between requests (plugins/auth.ts reads the session
  // on each); on PGlite (one process) each app keeps them and the change's notification drops them
  // in both (plugins/principal-cache.ts). Either way a session ended through A is refused by B at
  // its very next request, whichever way it ended.
  const me = (app: TestApp['app'], accessToken: string) =>
    app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${accessToken}` } });
  const sidOf = (accessToken: string) =>
    JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid as string;
  const expectEnded = async (accessToken: string) => {
    const res = await me(b.app, accessToken);
    expect([res.statusCode, res.json().error.code]).toEqual([401, 'session_ended']);
  };

  test('logout, a password change, an administrator ending a session or disabling the account', async () => {
    const admin = await a.loginAs('admin');
    const post = (url: string, headers: Record<string, string>, payload?: object) =>
      a.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
    const loginAgain = async (phone: string) =>
      (
        await a.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password: PASSWORD } })
      ).json().accessToken as string;

    const out = await a.loginAs('yang-chenyi');
    expect((await me(b.app, out.accessToken)).statusCode).toBe(200);
    expect((await post('/api/auth/logout', out.auth)).statusCode).toBe(204);
    await expectEnded(out.accessToken);

    const changer = await a.loginAs('yang-chenyi');
    const other = await loginAgain(changer.phone);
    expect((await me(b.app, other)).statusCode).toBe(200);
    const changed = await post('/api/me/password', changer.auth, {
      oldPassword: PASSWORD,
      newPassword: 'Lou-jia-2026',
    });
    expect(changed.statusCode).toBe(204);
    await expectEnded(other);

    const ended = await a.loginAs('yang-chenyi');
    expect((await me(b.app, ended.accessToken)).statusCode).toBe(200);
    const end = await post(
      `/api/admin/accounts/${ended.accountId}/sessions/${sidOf(ended.accessToken)}/end`,
      admin.auth,
    );
    expect(end.statusCode).toBe(204);
    await expectEnded(ended.accessToken);

    const disabled = await a.loginAs('yang-chenyi');
    expect((await me(b.app, disabled.accessToken)).statusCode).toBe(200);
    expect((await post(`/api/admin/accounts/${disabled.accountId}/disable`, admin.auth)).statusCode).toBe(
      200,
    );
    await expectEnded(disabled.accessToken);
  });
});
