import { eq, sql } from 'drizzle-orm';
import {
  accountsTable,
  communitiesTable,
  peopleTable,
  refreshTokensTable,
  sessionsTable,
} from '../../apps/api/src/db/schema';
import { principalForSession } from '../../apps/api/src/plugins/auth';
import { PRINCIPAL_CHANNEL, PrincipalCache } from '../../apps/api/src/plugins/principal-cache';
import type { Principal } from '../../apps/api/src/services/context';
import { buildTestApp, PASSWORD, type TestApp, testClock } from '../helpers/build-app';

/**
 * The principal cache of the embedded database (plugins/principal-cache.ts): on PGlite a session's
 * principal is kept between requests, and every change that alters or ends it — through the API,
 * a service, or plain SQL — is seen by the very next request. On PostgreSQL there is no cache
 * (the session is read on every request): the same changes are seen there too.
 */
const onPglite = process.env.DATABASE_URL ? test.skip : test;
const onPostgres = process.env.DATABASE_URL ? test : test.skip;

let t: TestApp;
// Monday 2026-11-16 10:00 in Shanghai; the sessions' expiry (30 days) is counted from it.
const clock = testClock(new Date('2026-11-16T02:00:00Z'));
beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
});
afterAll(() => t.close());

type Login = Awaited<ReturnType<TestApp['loginAs']>>;
const sidOf = (accessToken: string) =>
  JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid as string;
const me = (user: Login) => t.app.inject({ method: 'GET', url: '/api/me', headers: user.auth });
const meBody = async (user: Login) => {
  const res = await me(user);
  expect(res.statusCode).toBe(200);
  return res.json() as {
    account: { id: string; kind: string; displayName: string };
    person: { key: string; community: string } | null;
    passwordChangeRequired: boolean;
  };
};
const expectEnded = async (user: Login) => {
  const res = await me(user);
  expect([res.statusCode, res.json().error?.code]).toEqual([401, 'session_ended']);
};
/** A login whose principal has just been read (and, on PGlite, kept). */
const liveLogin = async (person = 'yang-chenyi') => {
  const user = await t.loginAs(person);
  await meBody(user);
  await meBody(user);
  return user;
};
const post = (url: string, headers: Record<string, string>, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });

describe('a change through the API is seen by the next request', () => {
  test('logout', async () => {
    const user = await liveLogin();
    expect((await post('/api/auth/logout', user.auth)).statusCode).toBe(204);
    await expectEnded(user);
  });

  test('a password change ends the other sessions', async () => {
    const user = await liveLogin();
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone: user.phone, password: PASSWORD },
      remoteAddress: '10.77.0.1',
    });
    const other = { ...user, auth: { authorization: `Bearer ${login.json().accessToken}` } };
    await meBody(other);
    const changed = await post('/api/me/password', user.auth, {
      oldPassword: PASSWORD,
      newPassword: 'Lou-jia-2026',
    });
    expect(changed.statusCode).toBe(204);
    await expectEnded(other);
  });

  test('an administrator ends the session, resets the password, disables the account', async () => {
    const admin = await t.loginAs('admin');
    const ended = await liveLogin();
    const end = await post(
      `/api/admin/accounts/${ended.accountId}/sessions/${sidOf(ended.accessToken)}/end`,
      admin.auth,
    );
    expect(end.statusCode).toBe(204);
    await expectEnded(ended);

    const reset = await liveLogin();
    expect((await post(`/api/admin/accounts/${reset.accountId}/reset-password`, admin.auth)).statusCode).toBe(
      200,
    );
    await expectEnded(reset);

    const disabled = await liveLogin();
    expect((await post(`/api/admin/accounts/${disabled.accountId}/disable`, admin.auth)).statusCode).toBe(
      200,
    );
    await expectEnded(disabled);
  });
});

describe('plain SQL on the tables a principal is read from is seen by the next request', () => {
  const accountSet = (user: Login, set: Partial<typeof accountsTable.$inferInsert>) =>
    t.database.db.update(accountsTable).set(set).where(eq(accountsTable.id, user.accountId));

  test('the account: display name, kind, one-time password, disabled, person link', async () => {
    const user = await liveLogin();
    const before = await meBody(user);
    expect(before.person?.key).toBe('yang-chenyi');

    await accountSet(user, { displayName: '杨晨一（改）' });
    expect((await meBody(user)).account.displayName).toBe('杨晨一（改）');

    await accountSet(user, { kind: 'admin' });
    expect((await meBody(user)).account.kind).toBe('admin');
    await accountSet(user, { kind: 'staff' });
    expect((await meBody(user)).account.kind).toBe('staff');

    // The one-time password gate: only /api/me, the password change and logout.
    await accountSet(user, { mustChangePassword: true });
    expect((await meBody(user)).passwordChangeRequired).toBe(true);
    const gated = await t.app.inject({ method: 'GET', url: '/api/me/notifications', headers: user.auth });
    expect([gated.statusCode, gated.json().error?.code]).toEqual([403, 'password_change_required']);
    await accountSet(user, { mustChangePassword: false });
    expect((await meBody(user)).passwordChangeRequired).toBe(false);
    const open = await t.app.inject({ method: 'GET', url: '/api/me/notifications', headers: user.auth });
    expect(open.statusCode).toBe(200);

    const [other] = await t.database.db
      .select({ id: peopleTable.id })
      .from(peopleTable)
      .where(eq(peopleTable.key, 'zhang-lifen'));
    const [own] = await t.database.db
      .select({ id: peopleTable.id })
      .from(peopleTable)
      .where(eq(peopleTable.key, 'yang-chenyi'));
    await accountSet(user, { personId: other!.id });
    expect((await meBody(user)).person?.key).toBe('zhang-lifen');
    await accountSet(user, { personId: null });
    expect((await meBody(user)).person).toBeNull();
    await accountSet(user, { personId: own!.id });
    expect((await meBody(user)).person?.key).toBe('yang-chenyi');

    await accountSet(user, { disabledAt: clock.now() });
    await expectEnded(user);
  });

  test("the person's key and the community's key", async () => {
    const user = await liveLogin();
    /** Renames a key, checks what the next request sees, and renames it back. */
    const whileRenamed = async (
      table: typeof peopleTable | typeof communitiesTable,
      key: string,
      check: () => Promise<void>,
    ) => {
      const rename = (from: string, to: string) =>
        t.database.db.update(table).set({ key: to }).where(eq(table.key, from));
      await rename(key, `${key}-renamed`);
      try {
        await check();
      } finally {
        await rename(`${key}-renamed`, key);
      }
      expect((await meBody(user)).person?.key).toBe('yang-chenyi');
    };
    await whileRenamed(peopleTable, 'yang-chenyi', async () => {
      expect((await meBody(user)).person?.key).toBe('yang-chenyi-renamed');
    });
    // A community the API does not know: no person shown.
    await whileRenamed(communitiesTable, 'xiaduoyuan', async () => {
      expect((await meBody(user)).person).toBeNull();
    });
  });

  test('the session: revoked, its expiry moved, deleted, moved to another account', async () => {
    const db = t.database.db;
    const revoked = await liveLogin();
    await db.execute(sql`update sessions set revoked_at = now() where id = ${sidOf(revoked.accessToken)}`);
    await expectEnded(revoked);

    const expired = await liveLogin();
    await db
      .update(sessionsTable)
      .set({ expiresAt: new Date(clock.now().getTime() - 1) })
      .where(eq(sessionsTable.id, sidOf(expired.accessToken)));
    await expectEnded(expired);

    const deleted = await liveLogin();
    const sid = sidOf(deleted.accessToken);
    await db.transaction(async (tx) => {
      await tx.delete(refreshTokensTable).where(eq(refreshTokensTable.sessionId, sid));
      await tx.delete(sessionsTable).where(eq(sessionsTable.id, sid));
    });
    await expectEnded(deleted);

    // The token names the account (sub): a session now of another account is refused.
    const moved = await liveLogin();
    const elsewhere = await t.loginAs('yang-chenyi');
    await db
      .update(sessionsTable)
      .set({ accountId: elsewhere.accountId })
      .where(eq(sessionsTable.id, sidOf(moved.accessToken)));
    await expectEnded(moved);
  });

  test("the clock passing the session's expiry", async () => {
    const user = await liveLogin();
    const expiresAt = new Date(clock.now().getTime() + 60_000);
    await t.database.db
      .update(sessionsTable)
      .set({ expiresAt })
      .where(eq(sessionsTable.id, sidOf(user.accessToken)));
    await meBody(user);
    await meBody(user);
    clock.set(new Date(expiresAt.getTime() - 1));
    try {
      await meBody(user);
      clock.set(expiresAt);
      await expectEnded(user);
    } finally {
      clock.set(new Date('2026-11-16T02:00:00Z'));
    }
  });

  test('TRUNCATE ends every session', async () => {
    const user = await liveLogin();
    const other = await liveLogin('zhang-lifen');
    await t.database.db.execute(sql`truncate refresh_tokens, sessions`);
    await expectEnded(user);
    await expectEnded(other);
  });
});

describe('where the principal is kept', () => {
  /** Changes the display name with the triggers off (a replica's apply role): nobody is told. */
  const renameUntold = (user: Login, name: string) =>
    t.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.update(accountsTable).set({ displayName: name }).where(eq(accountsTable.id, user.accountId));
    });

  onPglite(
    'PGlite keeps it: a change that tells nobody is not seen (what the triggers are for)',
    async () => {
      expect(t.database.listen).toBeDefined();
      const user = await liveLogin();
      const name = (await meBody(user)).account.displayName;
      await renameUntold(user, '未通知的改名');
      expect((await meBody(user)).account.displayName).toBe(name);
      // An update that moves nothing a principal holds is not told either ...
      await t.database.db
        .update(accountsTable)
        .set({ kind: 'staff' })
        .where(eq(accountsTable.id, user.accountId));
      expect((await meBody(user)).account.displayName).toBe(name);
      // ... and any told change drops it.
      await t.database.db
        .update(accountsTable)
        .set({ mustChangePassword: true })
        .where(eq(accountsTable.id, user.accountId));
      expect(await meBody(user)).toMatchObject({
        account: { displayName: '未通知的改名' },
        passwordChangeRequired: true,
      });
    },
  );

  onPglite(
    'a multi-statement exec that commits and then fails (PGlite drops what follows the error)',
    async () => {
      const user = await liveLogin();
      const client = (t.database.db as unknown as { $client: { exec(query: string): Promise<unknown> } })
        .$client;
      await expect(
        client.exec(
          `begin; update accounts set display_name = '提交后出错' where id = '${user.accountId}'; commit; select 1/0;`,
        ),
      ).rejects.toThrow('division by zero');
      expect((await meBody(user)).account.displayName).toBe('提交后出错');
    },
  );

  onPostgres('PostgreSQL keeps nothing: the same change is seen at once, and nothing listens', async () => {
    expect(t.database.listen).toBeUndefined();
    const user = await liveLogin();
    await renameUntold(user, '未通知的改名');
    expect((await meBody(user)).account.displayName).toBe('未通知的改名');
    const listening = (await t.database.db.execute(
      sql`select count(*)::int as n from pg_listening_channels()`,
    )) as unknown as { n: number }[];
    expect(listening[0]!.n).toBe(0);
  });

  onPglite(
    'a change is told before its statement resolves (plain, in a transaction, rolled back)',
    async () => {
      const cache = new PrincipalCache();
      const stop = await t.database.listen!(PRINCIPAL_CHANNEL, (payload) => cache.invalidate(payload));
      try {
        const db = t.database.db;
        const user = await t.loginAs('yang-chenyi');
        const sid = sidOf(user.accessToken);
        const load = () => principalForSession(db, sid, clock.now(), cache);
        expect((await load())?.accountId).toBe(user.accountId);
        expect(cache.size).toBe(1);
        await db.update(accountsTable).set({ displayName: '甲' }).where(eq(accountsTable.id, user.accountId));
        expect(cache.size).toBe(0);

        expect((await load())?.displayName).toBe('甲');
        await db
          .transaction(async (tx) => {
            await tx
              .update(accountsTable)
              .set({ displayName: '乙' })
              .where(eq(accountsTable.id, user.accountId));
            throw new Error('rolled back');
          })
          .catch(() => {});
        expect(cache.size).toBe(1); // nothing committed, nothing told
        await db.transaction(async (tx) => {
          await tx
            .update(accountsTable)
            .set({ displayName: '丙' })
            .where(eq(accountsTable.id, user.accountId));
          expect(cache.size).toBe(1); // told at commit, not before
        });
        expect(cache.size).toBe(0);
        expect((await load())?.displayName).toBe('丙');

        // A change to nothing a principal holds tells nobody.
        await db
          .update(accountsTable)
          .set({ wechatPhone: '13800000000' })
          .where(eq(accountsTable.id, user.accountId));
        await db.update(peopleTable).set({ showContact: true }).where(eq(peopleTable.key, 'zhang-lifen'));
        expect(cache.size).toBe(1);
      } finally {
        await stop();
      }
    },
  );
});

describe('PrincipalCache', () => {
  const principal = (sessionId: string, accountId = 'acc-1'): Principal => ({
    accountId,
    sessionId,
    kind: 'staff',
    displayName: '某人',
    personKey: 'p',
    communityKey: 'c',
    mustChangePassword: false,
  });
  const at = (ms: number) => new Date(ms);

  test('a read begun before an invalidation is not kept', () => {
    const cache = new PrincipalCache();
    const generation = cache.generation;
    cache.invalidate('s:other');
    cache.store(principal('s1'), at(1_000), generation);
    expect(cache.get('s1', 0)).toBeUndefined();
    cache.store(principal('s1'), at(1_000), cache.generation);
    expect(cache.get('s1', 0)).toEqual(principal('s1'));
  });

  test('served only before the expiry; by session, by account, or all', () => {
    const cache = new PrincipalCache();
    cache.store(principal('s1'), at(1_000), cache.generation);
    expect(cache.get('s1', 999)).toEqual(principal('s1'));
    expect(cache.get('s1', 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);

    for (const [sid, acc] of [
      ['s1', 'a1'],
      ['s2', 'a1'],
      ['s3', 'a2'],
    ] as const) {
      cache.store(principal(sid, acc), at(1_000), cache.generation);
    }
    cache.invalidate('s:s3');
    expect(cache.get('s3', 0)).toBeUndefined();
    expect(cache.size).toBe(2);
    cache.store(principal('s3', 'a2'), at(1_000), cache.generation);
    cache.invalidate('a:a1');
    expect([cache.get('s1', 0), cache.get('s2', 0), cache.get('s3', 0)?.sessionId]).toEqual([
      undefined,
      undefined,
      's3',
    ]);
    cache.invalidate('*');
    expect(cache.size).toBe(0);
  });

  test('bounded: the least recently used goes first; a caller cannot change what is kept', () => {
    const cache = new PrincipalCache(2);
    cache.store(principal('s1'), at(1_000), cache.generation);
    cache.store(principal('s2'), at(1_000), cache.generation);
    cache.get('s1', 0)!.displayName = 'changed by a caller';
    cache.store(principal('s3'), at(1_000), cache.generation);
    expect(cache.size).toBe(2);
    expect(cache.get('s2', 0)).toBeUndefined();
    expect(cache.get('s1', 0)?.displayName).toBe('某人');
    expect(cache.get('s3', 0)?.sessionId).toBe('s3');
  });
});
