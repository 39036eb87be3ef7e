import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../apps/api/src/db/client';
import { databaseRole, databaseRoleWarning } from '../../apps/api/src/db/roles';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { buildTestApp, TEST_QR_SECRET, type TestApp } from '../helpers/build-app';
import { serverDatabase } from '../helpers/test-db';

/**
 * The application connects as a role that owns nothing; migrations run as the owner
 * (docs/operations.md "Database roles"). The two SQL blocks are read from the docs and run as they
 * are, with this run's own role and database names: the PostgreSQL server is shared by every test
 * run, so the roles are unique and dropped afterwards.
 *
 * PostgreSQL only: PGlite has a single all-powerful user and no other to connect as, so there is
 * nothing to test there (the suite is skipped on the PGlite pass).
 */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

const DOCS = readFileSync(path.resolve(__dirname, '../../docs/operations.md'), 'utf8');
/** The ```sql block after `<!-- roles-sql: <name> -->`. */
function docsBlock(name: string): string {
  const m = new RegExp(`<!-- roles-sql: ${name} -->\\s*\`\`\`sql\\n([\\s\\S]*?)\`\`\``).exec(DOCS);
  if (!m) throw new Error(`docs/operations.md has no roles-sql: ${name} block`);
  return m[1]!;
}

onPostgres('the application as a role that owns nothing, migrations as the owner', () => {
  const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const owner = `gz_owner_${suffix}`;
  const appRole = `gz_app_${suffix}`;
  let scratch: { url: string; drop: () => Promise<void> };
  let dbName: string;
  let su: postgres.Sql; // the superuser, in the suite's database
  let asApp: postgres.Sql;
  let database: Database;
  let t: TestApp;
  const urlAs = (role: string, password: string) => {
    const u = new URL(scratch.url);
    u.username = role;
    u.password = password;
    return u.toString();
  };
  /** The docs' SQL with this run's names; the database exists already, so it is handed over. */
  const forThisRun = (block: string) =>
    block
      .replaceAll('gongzhi_owner', owner)
      .replaceAll('gongzhi_app', appRole)
      .replace(/CREATE DATABASE gongzhi OWNER (\w+);/, `ALTER DATABASE ${dbName} OWNER TO $1;`)
      .replaceAll(/DATABASE gongzhi\b/g, `DATABASE ${dbName}`);

  beforeAll(async () => {
    scratch = (await serverDatabase('roles'))!;
    dbName = new URL(scratch.url).pathname.slice(1);
    su = postgres(scratch.url, { max: 1, onnotice: () => {} });
    await su.unsafe(forThisRun(docsBlock('server')));
    await su.unsafe(forThisRun(docsBlock('database')));

    database = await openDatabase({
      databaseUrl: urlAs(appRole, 'change-me-app'),
      migrationUrl: urlAs(owner, 'change-me-owner'),
      pgliteDir: 'memory',
    });
    t = await buildTestApp({ existingDatabase: database });
    asApp = postgres(urlAs(appRole, 'change-me-app'), { max: 1, onnotice: () => {} });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await database?.close();
    await asApp?.end();
    // Whatever the roles own or were granted in this database goes, then the database, then them.
    await su?.unsafe(`drop owned by ${appRole}, ${owner} cascade`).catch(() => {});
    await su?.end();
    await scratch?.drop();
    const server = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    await server.unsafe(`drop role if exists ${appRole}`);
    await server.unsafe(`drop role if exists ${owner}`);
    await server.end();
  });

  test('the schema belongs to the owner; the application role owns nothing and is no superuser', async () => {
    const tables = await su<{ owner: string; n: number }[]>`
      select tableowner as owner, count(*)::int as n from pg_tables where schemaname = 'public' group by 1`;
    expect(tables).toEqual([{ owner, n: expect.any(Number) }]);
    expect(tables[0]!.n).toBeGreaterThan(30);
    const role = await databaseRole(database);
    expect(role).toEqual({ user: appRole, superuser: false, ownedTables: 0 });
    expect(databaseRoleWarning(role)).toBeNull();
  });

  test('a complaint through the API, served by the application role', async () => {
    const qr = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 12 });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      payload: { qr, category: 'sanitation', description: '单元门口垃圾堆了三天' },
    });
    expect(r.statusCode).toBe(201);
    const { trackingCode, secret } = r.json() as { trackingCode: string; secret: string };
    const read = await t.app.inject({
      url: `/api/complaints/${trackingCode}`,
      headers: { 'x-tracking-secret': secret },
    });
    expect(read.statusCode).toBe(200);
    expect(read.json().timeline.map((e: { action: string }) => e.action)).toEqual(['submit', 'dispatch']);
    // Staff work on it too: an account, a login, the issue read.
    const leader = await t.loginAs('wu-wenjie');
    const list = await t.app.inject({ url: '/api/issues?community=xiaduoyuan', headers: leader.auth });
    expect(list.statusCode).toBe(200);
  });

  /** The SQLSTATE of the database's refusal, or 'accepted'. */
  const sqlstate = async (statement: string) => {
    try {
      await asApp.unsafe(statement);
      return 'accepted';
    } catch (err) {
      return (err as { code?: string }).code ?? String(err);
    }
  };

  test.each([
    ['ALTER TABLE', 'alter table issues add column evil text'],
    ['DROP TABLE', 'drop table rate_limit_counters'],
    ['TRUNCATE (a table no trigger guards)', 'truncate rate_limit_counters'],
    ['CREATE TABLE', 'create table evil (id int)'],
    ['CREATE SCHEMA', 'create schema evil'],
    ['disabling a record trigger', 'alter table issue_events disable trigger issue_events_append_only'],
    ['dropping a record trigger', 'drop trigger issue_events_append_only on issue_events'],
    [
      'replacing a trigger function',
      'create or replace function gongzhi_refuse_change() returns trigger as $$ begin return new; end $$ language plpgsql',
    ],
  ])('the application role may not: %s → 42501', async (_what, statement) => {
    expect(await sqlstate(statement)).toBe('42501');
  });

  test('the records still refuse the application role (the triggers run as it)', async () => {
    expect(await sqlstate('update issue_events set note = note')).toBe('23514');
  });

  test('a table a later migration creates as the owner is the application’s to use at once', async () => {
    const ownerSql = postgres(urlAs(owner, 'change-me-owner'), { max: 1, onnotice: () => {} });
    try {
      await ownerSql.unsafe('create table later_records (id bigserial primary key, note text)');
    } finally {
      await ownerSql.end();
    }
    expect(await sqlstate("insert into later_records (note) values ('ok')")).toBe('accepted');
    expect(await sqlstate('select * from later_records')).toBe('accepted');
    expect(await sqlstate('truncate later_records')).toBe('42501');
  });

  test('without MIGRATION_DATABASE_URL the application role cannot migrate, and is told why', async () => {
    await expect(
      openDatabase({ databaseUrl: urlAs(appRole, 'change-me-app'), pgliteDir: 'memory' }),
    ).rejects.toThrow(/MIGRATION_DATABASE_URL/);
  });

  test('a superuser connection is named in the warning the server prints in production', async () => {
    const asSuperuser = await openDatabase({ databaseUrl: scratch.url, pgliteDir: 'memory' });
    try {
      const role = await databaseRole(asSuperuser);
      expect(role?.superuser).toBe(true);
      expect(databaseRoleWarning(role)).toContain('超级用户');
    } finally {
      await asSuperuser.close();
    }
  });
});
