import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { type Database, type Db, openDatabase } from '../../apps/api/src/db/client';
import { accountsTable } from '../../apps/api/src/db/schema';
import { principalForSession } from '../../apps/api/src/plugins/auth';
import { createAccount } from '../../apps/api/src/services/accounts/create-account';
import { buildTestApp, PASSWORD, type TestApp } from '../helpers/build-app';

const TEST_SECRET = 'test-secret-that-is-long-enough-000000';
/** What every access token must name (written here, not imported, so a change is noticed). */
const ISSUER = 'gongzhi';
const AUDIENCE = 'gongzhi-api';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

// Login is rate limited per address (10 a minute). Direct login calls in this file each use their
// own address so they neither trip the limit nor eat into loginAs's budget on 127.0.0.1.
let addressSeq = 0;
const nextAddress = () => `10.0.0.${++addressSeq}`;

const login = (phone: string, password: string, remoteAddress = nextAddress()) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password }, remoteAddress });

const refresh = (refreshToken: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });

const me = (accessToken?: string) =>
  t.app.inject({
    method: 'GET',
    url: '/api/me',
    headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` },
  });

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwtPart = (token: string, index: 0 | 1) =>
  JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

/** An HS256 JWT built by hand, so the tests do not trust the code under test to build it. */
function signHs256(payload: Record<string, unknown>, secret: string) {
  const data = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`;
  return `${data}.${createHmac('sha256', secret).update(data).digest('base64url')}`;
}

let phoneSeq = 0;
/** A staff account created straight in the database (no login), with a phone of its own. */
async function newAccount(person = 'yang-chenyi') {
  const phone = `136${String(++phoneSeq).padStart(8, '0')}`;
  const accountId = await createAccount(t.db, {
    kind: 'staff',
    phone,
    password: PASSWORD,
    displayName: person,
    person: { community: 'xiaduoyuan', key: person },
  });
  return { accountId, phone };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('login', () => {
  test('the right phone and password give an access token and a refresh token', async () => {
    const { accountId, phone } = await newAccount();
    const res = await login(phone, PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      tokenType: 'Bearer',
      accessToken: expect.any(String),
      expiresIn: 900,
      refreshToken: expect.any(String),
      passwordChangeRequired: false,
    });
    expect(body.accessToken.split('.')).toHaveLength(3);
    expect(body.refreshToken.length).toBeGreaterThanOrEqual(32);
    expect(jwtPart(body.accessToken, 1).sub).toBe(accountId);
    expect((await me(body.accessToken)).statusCode).toBe(200);
  });

  test('a wrong password and an unknown phone get the same 401 invalid_credentials', async () => {
    const { phone } = await newAccount();
    const wrongPassword = await login(phone, 'not-the-password');
    const unknownPhone = await login('13999999999', PASSWORD);
    for (const res of [wrongPassword, unknownPhone]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('invalid_credentials');
      expect(res.json()).not.toHaveProperty('accessToken');
    }
    // Nothing in the answer tells an attacker which phones have accounts.
    expect(wrongPassword.json().error.message).toBe(unknownPhone.json().error.message);
    expect(wrongPassword.json().error.message).toBeTruthy();
  });

  test('a malformed phone is a validation error, not a login attempt', async () => {
    const res = await login('12345', PASSWORD);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'body.phone' })]),
    );
  });

  test('the accounts table keeps a scrypt hash, never the password', async () => {
    const { phone } = await newAccount();
    const [row] = await t.db
      .select({ hash: accountsTable.passwordHash })
      .from(accountsTable)
      .where(eq(accountsTable.phone, phone));
    expect(row?.hash).toMatch(/^scrypt\$/);
    expect(row?.hash).not.toContain(PASSWORD);
    // Every stored hash, not just this one.
    const all = await t.db.select({ hash: accountsTable.passwordHash }).from(accountsTable);
    expect(all.length).toBeGreaterThan(0);
    for (const { hash } of all) {
      expect(hash).toMatch(/^scrypt\$/);
      expect(hash).not.toContain(PASSWORD);
    }
  });

  test('login is rate limited per address: the 11th attempt in a minute gets 429', async () => {
    // Ten phones (one phone would meet its own throttle first: tests/api/abuse.test.ts).
    const address = '10.255.0.1';
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await login(`139999999${10 + i}`, 'wrong', address)).statusCode);
    expect(statuses).toEqual(Array(10).fill(401));
    const res = await login('13999999920', 'wrong', address);
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await login('13999999920', 'wrong', '10.255.0.2')).statusCode).toBe(401);
  });
});

describe('access token', () => {
  test('is HS256 and lives at most 15 minutes', async () => {
    const { accessToken } = await t.loginAs('yang-chenyi');
    const header = jwtPart(accessToken, 0);
    const payload = jwtPart(accessToken, 1);
    expect(header.alg).toBe('HS256');
    const iat = payload.iat as number;
    const exp = payload.exp as number;
    expect(typeof iat).toBe('number');
    expect(typeof exp).toBe('number');
    expect(exp - iat).toBeGreaterThan(0);
    expect(exp - iat).toBeLessThanOrEqual(900);
    expect(payload).toEqual(expect.objectContaining({ sub: expect.any(String), sid: expect.any(String) }));
  });

  test('/api/me gives the person and their roles (zone leader flag for wu-wenjie)', async () => {
    const wu = await t.loginAs('wu-wenjie');
    const res = await t.app.inject({ method: 'GET', url: '/api/me', headers: wu.auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.account).toEqual({ id: wu.accountId, kind: 'staff', displayName: '吴文杰' });
    expect(body.passwordChangeRequired).toBe(false);
    expect(body.accountAdmin).toBeNull();
    expect(body.person).toEqual({ key: 'wu-wenjie', name: '吴文杰', community: 'xiaduoyuan' });
    expect(body.roles.zones).toEqual([{ zone: 'zone-1', org: 'oc', leader: true }]);
    expect(body.roles).toEqual(
      expect.objectContaining({ linesLed: [], secretary: false, leadership: false, propertyManager: false }),
    );

    const yang = await t.loginAs('yang-chenyi');
    const yangMe = (await t.app.inject({ method: 'GET', url: '/api/me', headers: yang.auth })).json();
    expect(yangMe.person.key).toBe('yang-chenyi');
    expect(yangMe.roles.zones).toEqual([{ zone: 'zone-1', org: 'grid', leader: false }]);
  });

  test('no token → 401 token_missing', async () => {
    const res = await me();
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toEqual(
      expect.objectContaining({ code: 'token_missing', requestId: expect.any(String) }),
    );
    const notBearer = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: 'Basic eDp5' },
    });
    expect(notBearer.statusCode).toBe(401);
    expect(notBearer.json().error.code).toBe('token_missing');
  });

  test('a garbage token → 401 token_invalid', async () => {
    for (const token of ['garbage', 'a.b.c', '']) {
      const res = await me(token);
      expect(res.statusCode).toBe(401);
      expect(['token_invalid', 'token_missing']).toContain(res.json().error.code);
    }
    const res = await me('not.a.jwt');
    expect(res.json().error.code).toBe('token_invalid');
    expect(res.body).not.toContain('FST_JWT');
  });

  describe('hand-made tokens', () => {
    let claims: { sub: string; sid: string; iss: string; aud: string };
    beforeAll(async () => {
      const { accessToken } = await t.loginAs('yang-chenyi');
      const p = jwtPart(accessToken, 1);
      claims = { sub: p.sub as string, sid: p.sid as string, iss: ISSUER, aud: AUDIENCE };
    });

    test('control: a token built by hand with the right secret is accepted', async () => {
      // Without this the refusals below could pass merely because the hand-built tokens are broken.
      const token = signHs256({ ...claims, iat: nowSeconds(), exp: nowSeconds() + 300 }, TEST_SECRET);
      const res = await me(token);
      expect(res.statusCode).toBe(200);
      expect(res.json().account.id).toBe(claims.sub);
    });

    test('signed with another secret → 401 token_invalid', async () => {
      const token = signHs256(
        { ...claims, iat: nowSeconds(), exp: nowSeconds() + 300 },
        'another-secret-that-is-long-enough-0000',
      );
      const res = await me(token);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('token_invalid');
    });

    test('alg "none" → 401 token_invalid', async () => {
      const payload = b64url({ ...claims, iat: nowSeconds(), exp: nowSeconds() + 300 });
      for (const token of [
        `${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`,
        `${b64url({ alg: 'none' })}.${payload}`,
      ]) {
        const res = await me(token);
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe('token_invalid');
      }
    });

    test('a token claiming another algorithm (HS512, right secret) → 401 token_invalid', async () => {
      const data = `${b64url({ alg: 'HS512', typ: 'JWT' })}.${b64url({ ...claims, exp: nowSeconds() + 300 })}`;
      const token = `${data}.${createHmac('sha512', TEST_SECRET).update(data).digest('base64url')}`;
      const res = await me(token);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('token_invalid');
    });

    test('a tampered payload (another account id) → 401 token_invalid', async () => {
      const good = signHs256({ ...claims, iat: nowSeconds(), exp: nowSeconds() + 300 }, TEST_SECRET);
      const [h, , s] = good.split('.');
      const forged = `${h}.${b64url({ ...claims, sub: '00000000-0000-4000-8000-000000000000', exp: nowSeconds() + 300 })}.${s}`;
      const res = await me(forged);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('token_invalid');
    });

    test('expired (exp in the past, right secret) → 401 token_expired', async () => {
      const token = signHs256({ ...claims, iat: nowSeconds() - 3600, exp: nowSeconds() - 1800 }, TEST_SECRET);
      const res = await me(token);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('token_expired');
    });

    test('a token accepted (and so remembered by the verifier) is refused once its exp has passed', async () => {
      // The verifier keeps the verdict of a verified token (fast-jwt's cache); a kept verdict must
      // still end at the token's own exp, to the second, as without the cache.
      const exp = nowSeconds() + 2;
      const token = signHs256({ ...claims, iat: nowSeconds(), exp }, TEST_SECRET);
      expect((await me(token)).statusCode).toBe(200);
      expect((await me(token)).statusCode).toBe(200); // answered from the kept verdict
      await new Promise((resolve) => setTimeout(resolve, exp * 1000 + 50 - Date.now()));
      const res = await me(token);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('token_expired');
    });

    test('issued by gongzhi for gongzhi-api: a real token names both', async () => {
      const { accessToken } = await t.loginAs('yang-chenyi');
      expect(jwtPart(accessToken, 1)).toEqual(expect.objectContaining({ iss: ISSUER, aud: AUDIENCE }));
    });

    test.each([
      ['without exp', (c: Record<string, unknown>) => ({ ...c, exp: undefined })],
      ['without iss', (c: Record<string, unknown>) => ({ ...c, iss: undefined })],
      ['without aud', (c: Record<string, unknown>) => ({ ...c, aud: undefined })],
      ['for another audience', (c: Record<string, unknown>) => ({ ...c, aud: 'another-service' })],
      ['from another issuer', (c: Record<string, unknown>) => ({ ...c, iss: 'someone-else' })],
    ])('right secret, %s → 401 token_invalid', async (_name, change) => {
      const payload = change({ ...claims, iat: nowSeconds(), exp: nowSeconds() + 300 });
      const token = signHs256(JSON.parse(JSON.stringify(payload)), TEST_SECRET);
      const res = await me(token);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('token_invalid');
    });

    test('a valid signature whose sub does not own the session → 401 session_ended', async () => {
      const other = await t.loginAs('wu-wenjie');
      const token = signHs256(
        { sub: other.accountId, sid: claims.sid, iss: ISSUER, aud: AUDIENCE, exp: nowSeconds() + 300 },
        TEST_SECRET,
      );
      const res = await me(token);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('session_ended');
    });
  });
});

describe('sessions', () => {
  test('refresh rotates; reusing the old refresh token revokes the whole session', async () => {
    const { phone } = await newAccount();
    const first = (await login(phone, PASSWORD)).json();

    const rotated = await refresh(first.refreshToken);
    expect(rotated.statusCode).toBe(200);
    const second = rotated.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).toEqual(expect.any(String));
    expect(jwtPart(second.accessToken, 1).sid).toBe(jwtPart(first.accessToken, 1).sid);
    expect((await me(second.accessToken)).statusCode).toBe(200);

    // The old one again: someone copied it. The answer is a refusal and the session ends.
    const reused = await refresh(first.refreshToken);
    expect(reused.statusCode).toBe(401);
    expect(reused.json().error.code).toBe('refresh_token_reused');

    const afterReuse = await refresh(second.refreshToken);
    expect(afterReuse.statusCode).toBe(401);
    expect(afterReuse.json()).not.toHaveProperty('accessToken');
    const meAfter = await me(second.accessToken);
    expect(meAfter.statusCode).toBe(401);
    expect(meAfter.json().error.code).toBe('session_ended');
  });

  test('an unknown refresh token → 401', async () => {
    const res = await refresh('x'.repeat(43));
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('refresh_token_invalid');
  });

  test('logout ends the session: its access token gets 401 session_ended, its refresh token 401', async () => {
    const { phone } = await newAccount();
    const tokens = (await login(phone, PASSWORD)).json();
    const auth = { authorization: `Bearer ${tokens.accessToken}` };
    expect((await me(tokens.accessToken)).statusCode).toBe(200);

    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: auth });
    expect(out.statusCode).toBe(204);

    const after = await me(tokens.accessToken);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('session_ended');
    expect((await refresh(tokens.refreshToken)).statusCode).toBe(401);
  });

  test('logout ends only that session: another login of the same account keeps working', async () => {
    const { phone } = await newAccount();
    const a = (await login(phone, PASSWORD)).json();
    const b = (await login(phone, PASSWORD)).json();
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${a.accessToken}` },
    });
    expect((await me(a.accessToken)).statusCode).toBe(401);
    expect((await me(b.accessToken)).statusCode).toBe(200);
  });
});

describe('the session check on PostgreSQL', () => {
  const onPostgres = process.env.DATABASE_URL ? test : test.skip;
  /** Runs the session check and, on the same connection, counts the named statements that are it. */
  const checkOn = (database: Database, sid: string) =>
    database.db.transaction(async (tx) => {
      const principal = await principalForSession(tx as unknown as Db, sid, new Date());
      const named = (await tx.execute(sql`
        select count(*)::int as n from pg_prepared_statements
        where statement like '%"communities"."key"%from "sessions" inner join "accounts"%"sessions"."revoked_at" is null%'
          and statement not like '%pg_prepared_statements%'
      `)) as unknown as { n: number }[];
      return { accountId: principal?.accountId, named: named[0]?.n };
    });

  onPostgres(
    'it is a prepared statement; with DATABASE_PREPARE=false (a pooler) it is never one',
    async () => {
      const { accessToken, accountId } = await t.loginAs('yang-chenyi');
      const sid = jwtPart(accessToken, 1).sid as string;
      expect(await checkOn(t.database, sid)).toEqual({ accountId, named: 1 });
      const unprepared = await openDatabase({
        databaseUrl: t.databaseUrl,
        pgliteDir: 'memory',
        prepare: false,
      });
      try {
        expect(await checkOn(unprepared, sid)).toEqual({ accountId, named: 0 });
      } finally {
        await unprepared.close();
      }
    },
  );
});

describe('disabling an account', () => {
  test('an admin disables an account: its token, its refresh and its login all stop at once', async () => {
    const admin = await t.loginAs('admin');
    const { accountId, phone } = await newAccount('zhang-lifen');
    const tokens = (await login(phone, PASSWORD)).json();
    expect((await me(tokens.accessToken)).statusCode).toBe(200);

    const res = await t.app.inject({
      method: 'POST',
      url: `/api/admin/accounts/${accountId}/disable`,
      headers: admin.auth,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: accountId, disabledAt: expect.any(String) });

    const meAfter = await me(tokens.accessToken);
    expect(meAfter.statusCode).toBe(401);
    expect(meAfter.json().error.code).toBe('session_ended');

    const refreshAfter = await refresh(tokens.refreshToken);
    expect(refreshAfter.statusCode).toBe(401);
    expect(refreshAfter.json()).not.toHaveProperty('accessToken');

    const loginAfter = await login(phone, PASSWORD);
    expect(loginAfter.statusCode).toBe(401);
    expect(loginAfter.json().error.code).toBe('account_disabled');

    // The wrong password on a disabled account still says only "invalid credentials".
    const wrong = await login(phone, 'not-the-password');
    expect(wrong.json().error.code).toBe('invalid_credentials');
  });

  test('a non-admin may not disable anyone (403) and the target stays active', async () => {
    const wu = await t.loginAs('wu-wenjie');
    const { accountId, phone } = await newAccount('zhang-nen');
    const tokens = (await login(phone, PASSWORD)).json();

    const res = await t.app.inject({
      method: 'POST',
      url: `/api/admin/accounts/${accountId}/disable`,
      headers: wu.auth,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('accounts_admin_only');

    const [row] = await t.db
      .select({ disabledAt: accountsTable.disabledAt })
      .from(accountsTable)
      .where(eq(accountsTable.id, accountId));
    expect(row?.disabledAt).toBeNull();
    expect((await me(tokens.accessToken)).statusCode).toBe(200);
  });

  test('disable without a token → 401; an unknown account → 404; a malformed id → 400', async () => {
    const admin = await t.loginAs('admin');
    const anon = await t.app.inject({
      method: 'POST',
      url: '/api/admin/accounts/00000000-0000-4000-8000-000000000000/disable',
    });
    expect(anon.statusCode).toBe(401);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/admin/accounts/00000000-0000-4000-8000-000000000000/disable',
      headers: admin.auth,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('account_not_found');
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/admin/accounts/nope/disable',
      headers: admin.auth,
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.details[0].path).toBe('params.id');
  });
});
