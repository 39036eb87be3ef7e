import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase } from '../../apps/api/src/db/client';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { buildTestApp, TEST_QR_SECRET, type TestApp } from '../helpers/build-app';
import { startTcpProxy } from '../helpers/tcp-proxy';

/**
 * A PostgreSQL outage, played by a TCP proxy between the API and the real server: requests answer
 * 503 database_unavailable (not 500, not a hang), /ready answers 503, and both recover by
 * themselves when the database is back. And an API started while the database is down waits for
 * it. PostgreSQL only (CI's second pass): the embedded PGlite cannot become unreachable.
 */
const PG = process.env.DATABASE_URL;
const onPostgres = PG ? describe : describe.skip;

onPostgres('database outage (PostgreSQL through a TCP proxy)', () => {
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let t: TestApp;
  let addr = 0;
  const from = () => `10.66.${++addr >> 8}.${addr & 255}`;
  const complain = () =>
    t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      remoteAddress: from(),
      payload: {
        qr: signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 12 }),
        category: 'sanitation',
        description: '断网测试',
      },
    });

  beforeAll(async () => {
    const u = new URL(PG!);
    proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    t = await buildTestApp({
      database: { via: proxy.via, connectTimeoutMs: 1_000, statementTimeoutMs: 5_000 },
    });
  }, 120_000);
  afterAll(async () => {
    await proxy.restore();
    await t.close();
    await proxy.close();
  });

  test.each(['refuse', 'blackhole'] as const)(
    'database %s: 503 database_unavailable for requests and /ready, then recovery without a restart',
    async (how) => {
      const filed = await complain();
      expect(filed.statusCode).toBe(201);
      const { trackingCode, secret } = filed.json() as { trackingCode: string; secret: string };
      const track = () =>
        t.app.inject({
          url: `/api/complaints/${trackingCode}`,
          headers: { 'x-tracking-secret': secret },
          remoteAddress: from(),
        });

      // A signed-in request's session check (a prepared statement) fails the same way.
      const { auth } = await t.loginAs('yang-chenyi');
      const me = () => t.app.inject({ url: '/api/me', headers: auth, remoteAddress: from() });
      expect((await me()).statusCode).toBe(200);

      await proxy.cut(how);
      const ready = await t.app.inject({ url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().error.code).toBe('database_unavailable');
      expect(ready.json().error.message).toBe('数据库暂时不可用');
      for (const r of [await track(), await complain(), await me()]) {
        expect(r.statusCode).toBe(503);
        expect(r.json().error).toMatchObject({
          code: 'database_unavailable',
          message: '数据库暂时不可用，请稍后再试',
        });
      }

      await proxy.restore();
      let back = await t.app.inject({ url: '/ready' });
      for (let i = 0; i < 100 && back.statusCode !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        back = await t.app.inject({ url: '/ready' });
      }
      expect(back.json()).toMatchObject({ status: 'ready', database: 'postgres' });
      const again = await track();
      expect(again.statusCode).toBe(200);
      expect(again.json().code).toBe(trackingCode);
      expect((await complain()).statusCode).toBe(201);
      expect((await me()).statusCode).toBe(200);
    },
    60_000,
  );
});

onPostgres('starting while PostgreSQL is down', () => {
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let name: string;
  let admin: postgres.Sql;
  let url: string;
  beforeAll(async () => {
    const u = new URL(PG!);
    proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    name = `gongzhi_wait_${process.pid}_${randomBytes(4).toString('hex')}`;
    admin = postgres(PG!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    u.pathname = `/${name}`;
    u.password = 'not-to-be-logged'; // the test server trusts local connections; never printed
    url = proxy.via(u.toString());
  });
  afterAll(async () => {
    await proxy.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  test('the API retries with backoff, naming the host it waits for (not the password), and opens once it is up', async () => {
    await proxy.cut('refuse');
    const log: string[] = [];
    let firstWait: () => void = () => {};
    const waiting = new Promise<void>((r) => {
      firstWait = r;
    });
    const opening = openDatabase({
      databaseUrl: url,
      pgliteDir: 'memory',
      connectTimeoutMs: 1_000,
      waitSeconds: 60,
      log: (m) => {
        log.push(m);
        firstWait();
      },
    });
    await waiting;
    await proxy.restore();
    const database = await opening;
    try {
      expect(database.kind).toBe('postgres');
      expect(log[0]).toContain(`正在等待数据库 127.0.0.1:${proxy.port}/${name}`);
      expect(log.at(-1)).toBe(`数据库 127.0.0.1:${proxy.port}/${name} 已可连接`);
      expect(log.join('\n')).not.toContain('not-to-be-logged');
    } finally {
      await database.close();
    }
  }, 120_000);

  test('after DATABASE_WAIT_SECONDS it gives up with the host and the setting to change', async () => {
    await proxy.cut('refuse');
    const log: string[] = [];
    const err = await openDatabase({
      databaseUrl: url,
      pgliteDir: 'memory',
      connectTimeoutMs: 500,
      waitSeconds: 1,
      log: (m) => log.push(m),
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`无法连接数据库 127.0.0.1:${proxy.port}/${name}`);
    expect((err as Error).message).toContain('DATABASE_WAIT_SECONDS');
    expect((err as Error).message).not.toContain('not-to-be-logged');
    expect(log.length).toBeGreaterThan(0);
    await proxy.restore();
  }, 60_000);
});
