import {
  type AccountDetail,
  type AccountList,
  type AccountView,
  type Community,
  type OneTimePasswordView,
  passwordProblems,
} from '@gongzhi/domain';
import { count, eq, sql } from 'drizzle-orm';
import { accountEventsTable, accountsTable } from '../../apps/api/src/db/schema';
import { newOneTimePassword } from '../../apps/api/src/services/accounts/one-time-password';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { startFakeWechat } from '../helpers/fake-wechat';
import { qrFor } from '../helpers/issue-flow';

jest.setTimeout(120_000);

let t: TestApp;
let wechat: Awaited<ReturnType<typeof startFakeWechat>>;
beforeAll(async () => {
  wechat = await startFakeWechat({ appid: 'wx-test-appid', secret: 'wx-test-secret' });
  t = await buildTestApp({ wechatApiBase: wechat.baseUrl });
});
afterAll(async () => {
  await t.close();
  await wechat.close();
});

type Auth = { authorization: string };
let addressSeq = 0;
const login = (phone: string, password: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { phone, password },
    remoteAddress: `10.77.${addressSeq >> 8}.${++addressSeq & 255}`,
  });
const bearer = (accessToken: string): Auth => ({ authorization: `Bearer ${accessToken}` });
const call = (
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  headers: Auth | Record<string, never>,
  payload?: unknown,
) =>
  t.app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
const me = (auth: Auth) => call('GET', '/api/me', auth);

const tally = async () => ({
  accounts: (await t.db.select({ n: count() }).from(accountsTable))[0]!.n,
  events: (await t.db.select({ n: count() }).from(accountEventsTable))[0]!.n,
});
const eventsOf = (accountId: string) =>
  t.db
    .select()
    .from(accountEventsTable)
    .where(eq(accountEventsTable.accountId, accountId))
    .orderBy(accountEventsTable.at);

let phoneSeq = 0;
const newPhone = () => `135${String(++phoneSeq).padStart(8, '0')}`;

let admin: Awaited<ReturnType<TestApp['loginAs']>>;
beforeAll(async () => {
  admin = await t.loginAs('admin');
});

/** An administrator creates a staff account through the API; the answer carries the one-time password. */
async function createStaff(person: string, phone = newPhone()) {
  const res = await call('POST', '/api/admin/accounts', admin.auth, {
    community: 'xiaduoyuan',
    person,
    phone,
  });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.body}`);
  return { ...(res.json() as OneTimePasswordView), phone };
}

/** The person changes the one-time password; returns the new password and their tokens. */
async function takeOver(phone: string, oneTimePassword: string, newPassword = 'Lou-jia-2026') {
  const first = (await login(phone, oneTimePassword)).json();
  const res = await call('POST', '/api/me/password', bearer(first.accessToken), {
    oldPassword: oneTimePassword,
    newPassword,
  });
  expect(res.statusCode).toBe(204);
  return {
    password: newPassword,
    accessToken: first.accessToken as string,
    refreshToken: first.refreshToken,
  };
}

describe('who may administer accounts', () => {
  test('without a token 401; a staff member 403 on every account endpoint, even with a wrong body', async () => {
    expect((await call('GET', '/api/admin/accounts', {})).statusCode).toBe(401);
    const wu = await t.loginAs('wu-wenjie');
    const before = await tally();
    const id = admin.accountId;
    for (const [method, url, body] of [
      ['GET', '/api/admin/accounts', undefined],
      ['POST', '/api/admin/accounts', { community: 'xiaduoyuan', person: 'lou-jiaying', phone: newPhone() }],
      ['POST', '/api/admin/accounts', { nonsense: true }],
      ['GET', '/api/admin/account-people?community=xiaduoyuan', undefined],
      ['GET', '/api/admin/account-events', undefined],
      ['GET', `/api/admin/accounts/${id}`, undefined],
      ['POST', `/api/admin/accounts/${id}/disable`, undefined],
      ['POST', `/api/admin/accounts/${id}/enable`, undefined],
      ['POST', `/api/admin/accounts/${id}/reset-password`, undefined],
      ['PUT', `/api/admin/accounts/${id}/wechat`, { openid: 'o-someone-123' }],
      ['DELETE', `/api/admin/accounts/${id}/wechat`, undefined],
    ] as const) {
      const res = await call(method, url, wu.auth, body);
      expect([url, res.statusCode]).toEqual([url, 403]);
      expect(res.json().error).toMatchObject({ code: 'accounts_admin_only', message: '仅管理员可管理账号' });
    }
    expect(await tally()).toEqual(before);
    expect((await me(wu.auth)).json().accountAdmin).toBeNull();
    expect((await me(admin.auth)).json().accountAdmin).toBe('all');
  });
});

describe('creating a staff account for a person of the config', () => {
  test('a one-time password that opens nothing but the change-password page', async () => {
    const created = await createStaff('lou-jiaying');
    expect(created.account).toMatchObject({
      kind: 'staff',
      phone: created.phone,
      displayName: '娄佳颖',
      person: { community: 'xiaduoyuan', key: 'lou-jiaying', name: '娄佳颖' },
      mustChangePassword: true,
      disabledAt: null,
    });
    expect(created.oneTimePassword).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);

    const first = await login(created.phone, created.oneTimePassword);
    expect(first.statusCode).toBe(200);
    expect(first.json().passwordChangeRequired).toBe(true);
    const auth = bearer(first.json().accessToken);
    expect((await me(auth)).json()).toMatchObject({ passwordChangeRequired: true });
    const blocked = await call('GET', '/api/me/notifications/unread-count', auth);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');

    const changed = await call('POST', '/api/me/password', auth, {
      oldPassword: created.oneTimePassword,
      newPassword: 'Lou-jia-2026',
    });
    expect(changed.statusCode).toBe(204);
    expect((await call('GET', '/api/me/notifications/unread-count', auth)).statusCode).toBe(200);
    expect((await me(auth)).json().passwordChangeRequired).toBe(false);
    expect((await login(created.phone, created.oneTimePassword)).statusCode).toBe(401);
    const again = await login(created.phone, 'Lou-jia-2026');
    expect(again.json().passwordChangeRequired).toBe(false);

    const events = await eventsOf(created.account.id);
    expect(events.map((e) => [e.action, e.source, e.actorAccountId])).toEqual([
      ['created', 'app', admin.accountId],
      ['password_changed', 'app', created.account.id],
    ]);
    expect(events[0]!.detail).toEqual({
      kind: 'staff',
      phone: created.phone,
      community: 'xiaduoyuan',
      person: 'lou-jiaying',
    });
    expect(events[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(events[1]!.requestId).not.toBe(events[0]!.requestId);
    // Neither the one-time password nor a hash of it is in the log.
    expect(JSON.stringify(events)).not.toContain(created.oneTimePassword);
  });

  test('bad input: 400 naming the field in Chinese, and nothing written', async () => {
    const before = await tally();
    const cases: [unknown, string, string | RegExp][] = [
      [{ community: 'xiaduoyuan', person: 'lou-jiaying' }, 'body.phone', /./],
      [
        { community: 'xiaduoyuan', person: 'lou-jiaying', phone: '1234' },
        'body.phone',
        '请输入 11 位手机号码',
      ],
      [
        { community: 'xiaduoyuan', person: 'no-such-person', phone: newPhone() },
        'body.person',
        '配置中没有这个人员',
      ],
      [{ community: 'nowhere', person: 'lou-jiaying', phone: newPhone() }, 'body.community', '没有这个小区'],
      [
        { community: 'xiaduoyuan', person: 'ma-zhengcai', phone: newPhone(), kind: 'admin' },
        'body.kind',
        '不允许的字段 "kind"',
      ],
      [{ community: 'xiaduoyuan', person: '', phone: newPhone() }, 'body.person', '不能为空'],
    ];
    for (const [payload, path, message] of cases) {
      const res = await call('POST', '/api/admin/accounts', admin.auth, payload);
      expect([path, res.statusCode]).toEqual([path, 400]);
      const detail = res.json().error.details.find((d: { path: string }) => d.path === path);
      expect(detail).toBeDefined();
      expect(detail.message).toMatch(message);
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await tally()).toEqual(before);
  });

  test('a phone that already has an account → 409; a person with a working account → 409', async () => {
    const first = await createStaff('ma-zhengcai');
    const before = await tally();
    const samePhone = await call('POST', '/api/admin/accounts', admin.auth, {
      community: 'xiaduoyuan',
      person: 'cao-zulu',
      phone: first.phone,
    });
    expect(samePhone.statusCode).toBe(409);
    expect(samePhone.json().error).toMatchObject({ code: 'phone_taken', details: [{ path: 'body.phone' }] });
    const samePerson = await call('POST', '/api/admin/accounts', admin.auth, {
      community: 'xiaduoyuan',
      person: 'ma-zhengcai',
      phone: newPhone(),
    });
    expect(samePerson.statusCode).toBe(409);
    expect(samePerson.json().error.code).toBe('person_has_account');
    expect(samePerson.json().error.message).toContain(first.phone);
    expect(await tally()).toEqual(before);

    // Once the old account is disabled, the successor account may be made.
    await call('POST', `/api/admin/accounts/${first.account.id}/disable`, admin.auth);
    await createStaff('ma-zhengcai');
  });

  test('the people of the config show who has an account', async () => {
    const res = await call('GET', '/api/admin/account-people?community=xiaduoyuan', admin.auth);
    expect(res.statusCode).toBe(200);
    const people = res.json().people as { key: string; accounts: { disabled: boolean }[] }[];
    expect(people).toHaveLength(t.xdy.config.people.length);
    expect(
      people
        .find((p) => p.key === 'ma-zhengcai')!
        .accounts.map((a) => a.disabled)
        .sort(),
    ).toEqual([false, true]);
    expect(people.find((p) => p.key === 'ding-shengmin')!.accounts).toEqual([]);
    const bad = await call('GET', '/api/admin/account-people?community=nowhere', admin.auth);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('querystring.community');
  });
});

describe('disabling and enabling', () => {
  test("a disabled account's access token, refresh token and login stop at once; enabling lets it in again", async () => {
    const created = await createStaff('cao-zulu');
    const mine = await takeOver(created.phone, created.oneTimePassword);
    const other = (await login(created.phone, mine.password)).json();
    expect((await me(bearer(mine.accessToken))).statusCode).toBe(200);

    const res = await call('POST', `/api/admin/accounts/${created.account.id}/disable`, admin.auth);
    expect(res.statusCode).toBe(200);
    expect((res.json() as AccountView).disabledAt).not.toBeNull();
    for (const token of [mine.accessToken, other.accessToken]) {
      const after = await me(bearer(token));
      expect(after.statusCode).toBe(401);
      expect(after.json().error.code).toBe('session_ended');
    }
    const refreshed = await call('POST', '/api/auth/refresh', {}, { refreshToken: other.refreshToken });
    expect(refreshed.statusCode).toBe(401);
    expect((await login(created.phone, mine.password)).json().error.code).toBe('account_disabled');

    // Disabling twice changes nothing and logs nothing more.
    await call('POST', `/api/admin/accounts/${created.account.id}/disable`, admin.auth);
    const enabled = await call('POST', `/api/admin/accounts/${created.account.id}/enable`, admin.auth);
    expect(enabled.json().disabledAt).toBeNull();
    expect((await login(created.phone, mine.password)).statusCode).toBe(200);

    const events = await eventsOf(created.account.id);
    expect(events.map((e) => e.action)).toEqual(['created', 'password_changed', 'disabled', 'enabled']);
    expect(events[2]!.detail).toEqual({ sessionsEnded: 2 });
  });

  test('an administrator cannot disable their own account (409); unknown 404; malformed id 400', async () => {
    const self = await call('POST', `/api/admin/accounts/${admin.accountId}/disable`, admin.auth);
    expect(self.statusCode).toBe(409);
    expect(self.json().error.code).toBe('cannot_disable_self');
    expect((await me(admin.auth)).statusCode).toBe(200);
    const unknown = await call(
      'POST',
      '/api/admin/accounts/00000000-0000-4000-8000-000000000000/enable',
      admin.auth,
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'account_not_found', message: '账号不存在' });
    const detail404 = await call(
      'GET',
      '/api/admin/accounts/00000000-0000-4000-8000-000000000000',
      admin.auth,
    );
    expect(detail404.statusCode).toBe(404);
    const malformed = await call('POST', '/api/admin/accounts/nope/reset-password', admin.auth);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.details[0]).toMatchObject({ path: 'params.id', message: '账号编号无效' });
  });
});

describe('resetting a password', () => {
  test('ends every session; the old password stops; the one-time password must be changed', async () => {
    const created = await createStaff('ding-shengmin');
    const mine = await takeOver(created.phone, created.oneTimePassword);
    const res = await call('POST', `/api/admin/accounts/${created.account.id}/reset-password`, admin.auth);
    expect(res.statusCode).toBe(200);
    const reset = res.json() as OneTimePasswordView;
    expect(reset.oneTimePassword).not.toBe(created.oneTimePassword);
    expect(reset.account.mustChangePassword).toBe(true);
    expect((await me(bearer(mine.accessToken))).statusCode).toBe(401);
    expect((await login(created.phone, mine.password)).statusCode).toBe(401);
    const next = await login(created.phone, reset.oneTimePassword);
    expect(next.json().passwordChangeRequired).toBe(true);
    const [row] = await t.db.select().from(accountsTable).where(eq(accountsTable.id, created.account.id));
    expect(row!.passwordHash).toMatch(/^scrypt\$/);
    expect(row!.passwordHash).not.toContain(reset.oneTimePassword);
    const last = (await eventsOf(created.account.id)).at(-1)!;
    expect([last.action, last.detail]).toEqual(['password_reset', { oneTime: true, sessionsEnded: 1 }]);
  });

  test("a resident's account has no password to reset (409)", async () => {
    const resident = (await call('POST', '/api/auth/dev-resident', {})).json();
    const meRes = (await me(bearer(resident.accessToken))).json();
    const res = await call('POST', `/api/admin/accounts/${meRes.account.id}/reset-password`, admin.auth);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('resident_has_no_password');
  });
});

describe('sessions', () => {
  test('an administrator sees the sessions of an account and ends one; the other keeps working', async () => {
    const created = await createStaff('zhou-jianguang');
    const a = await takeOver(created.phone, created.oneTimePassword);
    const b = (await login(created.phone, a.password)).json();
    const detail = (
      await call('GET', `/api/admin/accounts/${created.account.id}`, admin.auth)
    ).json() as AccountDetail;
    const live = detail.sessions.filter((s) => s.live);
    expect(live).toHaveLength(2);
    expect(detail.events.map((e) => e.action)).toEqual(['password_changed', 'created']);

    const sessionOfB = JSON.parse(Buffer.from(b.accessToken.split('.')[1], 'base64url').toString()).sid;
    const ended = await call(
      'POST',
      `/api/admin/accounts/${created.account.id}/sessions/${sessionOfB}/end`,
      admin.auth,
    );
    expect(ended.statusCode).toBe(204);
    expect((await me(bearer(b.accessToken))).json().error.code).toBe('session_ended');
    expect((await me(bearer(a.accessToken))).statusCode).toBe(200);
    const after = (
      await call('GET', `/api/admin/accounts/${created.account.id}`, admin.auth)
    ).json() as AccountDetail;
    expect(after.sessions.filter((s) => s.live).map((s) => s.id)).not.toContain(sessionOfB);
    expect(after.sessions.find((s) => s.id === sessionOfB)?.revokedAt).not.toBeNull();
    expect(after.events[0]).toMatchObject({ action: 'session_ended', detail: { sessionId: sessionOfB } });

    // A session of another account is not this account's: 404, and it keeps working.
    const adminSession = JSON.parse(
      Buffer.from(admin.accessToken.split('.')[1]!, 'base64url').toString(),
    ).sid;
    const foreign = await call(
      'POST',
      `/api/admin/accounts/${created.account.id}/sessions/${adminSession}/end`,
      admin.auth,
    );
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('session_not_found');
    expect((await me(admin.auth)).statusCode).toBe(200);
  });
});

describe('binding a WeChat identity', () => {
  test('an openid held by a resident account is refused until unbound there; then WeChat signs in as the staff account', async () => {
    const created = await createStaff('he-xianyang');
    await takeOver(created.phone, created.oneTimePassword);
    // He first opened the mini-program as a resident: his openid made a resident account.
    wechat.issue('code-1', 'o-hexianyang-openid-0001');
    const asResident = (await call('POST', '/api/auth/wechat', {}, { code: 'code-1' })).json();
    const residentId = (await me(bearer(asResident.accessToken))).json().account.id;

    const before = await tally();
    const refused = await call('PUT', `/api/admin/accounts/${created.account.id}/wechat`, admin.auth, {
      openid: 'o-hexianyang-openid-0001',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'wechat_openid_taken',
      details: [{ path: 'body.openid' }],
    });
    expect(refused.json().error.message).toContain('居民账号');
    expect(await tally()).toEqual(before);

    const found = (await call('GET', '/api/admin/accounts?q=o-hexianyang', admin.auth)).json() as AccountList;
    expect(found.items.map((a) => a.id)).toEqual([residentId]);
    const unbound = await call('DELETE', `/api/admin/accounts/${residentId}/wechat`, admin.auth);
    expect(unbound.json().wechatOpenid).toBeNull();
    expect((await me(bearer(asResident.accessToken))).statusCode).toBe(401);

    const bound = await call('PUT', `/api/admin/accounts/${created.account.id}/wechat`, admin.auth, {
      openid: 'o-hexianyang-openid-0001',
    });
    expect(bound.statusCode).toBe(200);
    expect(bound.json().wechatOpenid).toBe('o-hexianyang-openid-0001');
    wechat.issue('code-2', 'o-hexianyang-openid-0001');
    const asStaff = (await call('POST', '/api/auth/wechat', {}, { code: 'code-2' })).json();
    expect((await me(bearer(asStaff.accessToken))).json().person.key).toBe('he-xianyang');

    const bad = await call('PUT', `/api/admin/accounts/${created.account.id}/wechat`, admin.auth, {
      openid: 'a b',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('body.openid');

    const actions = (await eventsOf(created.account.id)).map((e) => e.action);
    expect(actions).toEqual(['created', 'password_changed', 'wechat_bound']);
    expect((await eventsOf(residentId)).map((e) => [e.action, e.detail])).toEqual([
      ['wechat_unbound', { openid: 'o-hexianyang-openid-0001', sessionsEnded: 1 }],
    ]);
  });
});

describe('changing one’s own password', () => {
  test('wrong old password 400 (nothing changes); a weak new one 400 listing each rule; success ends the other sessions', async () => {
    const created = await createStaff('zhou-jianping');
    const mine = await takeOver(created.phone, created.oneTimePassword, 'Zhou-elev-88');
    const other = (await login(created.phone, 'Zhou-elev-88')).json();
    const auth = bearer(mine.accessToken);
    const before = await tally();

    const wrong = await call('POST', '/api/me/password', auth, {
      oldPassword: 'nope-nope-1',
      newPassword: 'Another-pass-9',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({
      code: 'wrong_password',
      details: [{ path: 'body.oldPassword' }],
    });

    const weak = await call('POST', '/api/me/password', auth, {
      oldPassword: 'Zhou-elev-88',
      newPassword: created.phone,
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('weak_password');
    const rules = weak.json().error.details.map((d: { rule: string; path: string }) => [d.path, d.rule]);
    expect(rules).toEqual([
      ['body.newPassword', 'one_kind'],
      ['body.newPassword', 'contains_phone'],
    ]);
    const missing = await call('POST', '/api/me/password', auth, { oldPassword: 'Zhou-elev-88' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].path).toBe('body.newPassword');
    expect(await tally()).toEqual(before);
    expect((await login(created.phone, 'Zhou-elev-88')).statusCode).toBe(200);

    const ok = await call('POST', '/api/me/password', auth, {
      oldPassword: 'Zhou-elev-88',
      newPassword: 'Pump&Lift-2027',
    });
    expect(ok.statusCode).toBe(204);
    expect((await me(auth)).statusCode).toBe(200);
    expect((await me(bearer(other.accessToken))).json().error.code).toBe('session_ended');
    expect((await login(created.phone, 'Pump&Lift-2027')).statusCode).toBe(200);
  });
});

describe('listing and searching', () => {
  test('newest first, a page at a time, by phone or name; residents only when asked for', async () => {
    const page1 = (await call('GET', '/api/admin/accounts?limit=2', admin.auth)).json() as AccountList;
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = (
      await call('GET', `/api/admin/accounts?limit=2&cursor=${page1.nextCursor}`, admin.auth)
    ).json() as AccountList;
    expect(page2.items.map((a) => a.id)).not.toEqual(expect.arrayContaining(page1.items.map((a) => a.id)));
    expect(Date.parse(page2.items[0]!.createdAt)).toBeLessThanOrEqual(Date.parse(page1.items[1]!.createdAt));

    const all = (await call('GET', '/api/admin/accounts?limit=100', admin.auth)).json() as AccountList;
    expect(all.items.some((a) => a.kind === 'resident')).toBe(false);
    const residents = (
      await call('GET', '/api/admin/accounts?kind=resident', admin.auth)
    ).json() as AccountList;
    expect(residents.items.length).toBeGreaterThan(0);
    expect(residents.items.every((a) => a.kind === 'resident')).toBe(true);

    const byName = (
      await call('GET', `/api/admin/accounts?q=${encodeURIComponent('娄佳')}`, admin.auth)
    ).json();
    expect(byName.items.map((a: AccountView) => a.person?.key)).toEqual(['lou-jiaying']);
    const disabled = (await call('GET', '/api/admin/accounts?status=disabled', admin.auth)).json();
    expect(disabled.items.map((a: AccountView) => a.person?.key)).toEqual(['ma-zhengcai']);
    const wildcard = (await call('GET', '/api/admin/accounts?q=%25', admin.auth)).json();
    expect(wildcard.items).toEqual([]);

    const bad = await call('GET', '/api/admin/accounts?limit=0&kind=boss', admin.auth);
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['querystring.kind', 'querystring.limit']);
    const cursor = await call('GET', '/api/admin/accounts?cursor=garbage', admin.auth);
    expect(cursor.statusCode).toBe(400);
  });
});

describe('the account log', () => {
  test('reads newest first in pages, for one account or all', async () => {
    const p1 = (await call('GET', '/api/admin/account-events?limit=3', admin.auth)).json();
    expect(p1.items).toHaveLength(3);
    const p2 = (
      await call('GET', `/api/admin/account-events?limit=3&cursor=${p1.nextCursor}`, admin.auth)
    ).json();
    expect(Date.parse(p2.items[0].at)).toBeLessThanOrEqual(Date.parse(p1.items[2].at));
    const one = (
      await call('GET', `/api/admin/account-events?account=${admin.accountId}`, admin.auth)
    ).json();
    expect(one.items).toEqual([]);
    expect(p1.items[0]).toMatchObject({
      actor: { name: expect.any(String) },
      account: { id: expect.any(String) },
    });
  });

  test('is append-only: the database refuses UPDATE and DELETE', async () => {
    const before = await t.db.select().from(accountEventsTable);
    for (const q of [sql`update account_events set action = 'enabled'`, sql`delete from account_events`]) {
      const err = await t.db.execute(q).then(
        () => null,
        (e: Error & { cause?: { message?: string; code?: string } }) => e,
      );
      expect(err?.cause?.message ?? err?.message).toMatch(/append-only/);
      expect(err?.cause?.code).toBe('23514');
    }
    expect(await t.db.select().from(accountEventsTable)).toEqual(before);
  });
});

describe("the leadership group, when the community's config allows it", () => {
  test('off by default (403); when on, manages only its own community’s staff accounts', async () => {
    const wen = await t.loginAs('wen-liang');
    expect((await call('GET', '/api/admin/accounts', wen.auth)).statusCode).toBe(403);
    expect((await me(wen.auth)).json().accountAdmin).toBeNull();

    // The flag changes in the config the app serves (as a run-time config change would).
    const xdy = t.communities.get('xiaduoyuan') as Community;
    t.communities.set('xiaduoyuan', {
      ...xdy,
      config: { ...xdy.config, accounts: { leadershipManages: true } },
    });
    try {
      expect((await me(wen.auth)).json().accountAdmin).toBe('community');
      const list = (await call('GET', '/api/admin/accounts?limit=100', wen.auth)).json() as AccountList;
      expect(list.items.length).toBeGreaterThan(0);
      expect(list.items.every((a) => a.kind === 'staff' && a.person?.community === 'xiaduoyuan')).toBe(true);
      const adminDetail = await call('GET', `/api/admin/accounts/${admin.accountId}`, wen.auth);
      expect(adminDetail.statusCode).toBe(403);
      expect(adminDetail.json().error.code).toBe('account_out_of_reach');
      const resetAdmin = await call(
        'POST',
        `/api/admin/accounts/${admin.accountId}/reset-password`,
        wen.auth,
      );
      expect(resetAdmin.statusCode).toBe(403);
      expect((await login(admin.phone, 'test-password-1')).statusCode).toBe(200);

      const created = await call('POST', '/api/admin/accounts', wen.auth, {
        community: 'xiaduoyuan',
        person: 'tang-wangwei',
        phone: newPhone(),
      });
      expect(created.statusCode).toBe(201);
      const events = (await call('GET', '/api/admin/account-events?limit=100', wen.auth)).json();
      expect(events.items.every((e: { account: { id: string } }) => e.account.id !== admin.accountId)).toBe(
        true,
      );
      expect(events.items[0]).toMatchObject({
        action: 'created',
        actor: { accountId: wen.accountId, name: '闻良' },
      });
    } finally {
      t.communities.set('xiaduoyuan', xdy);
    }
  });
});

describe('one-time passwords', () => {
  test('always meet the password rule and are not repeated', () => {
    const made = Array.from({ length: 300 }, newOneTimePassword);
    expect(made.filter((p) => passwordProblems(p).length > 0)).toEqual([]);
    expect(new Set(made).size).toBe(made.length);
  });
});

describe('a staff member binds their own WeChat after a password login', () => {
  const resident = async (code: string, openid: string) => {
    wechat.issue(code, openid);
    return bearer((await call('POST', '/api/auth/wechat', {}, { code })).json().accessToken);
  };

  test('bound by a wx.login code, WeChat then signs in as the staff account; a bare resident account gives the openid up', async () => {
    const staff = await t.loginAs('zhang-lifen');
    // The weapp signed her in as a resident on the complaint page first: a bare resident account.
    const bareResident = await resident('code-zl-1', 'o-zhanglifen-openid-01');
    wechat.issue('code-zl-2', 'o-zhanglifen-openid-01');
    const bound = await call('POST', '/api/me/wechat', staff.auth, { code: 'code-zl-2' });
    expect([bound.statusCode, bound.json()]).toEqual([200, { wechatBound: true }]);
    // The resident session that held the openid has ended; WeChat now signs in as her staff account.
    expect((await me(bareResident)).statusCode).toBe(401);
    wechat.issue('code-zl-3', 'o-zhanglifen-openid-01');
    const viaWechat = (await call('POST', '/api/auth/wechat', {}, { code: 'code-zl-3' })).json();
    expect((await me(bearer(viaWechat.accessToken))).json().person.key).toBe('zhang-lifen');
    // Binding the same WeChat again changes nothing.
    wechat.issue('code-zl-4', 'o-zhanglifen-openid-01');
    expect((await call('POST', '/api/me/wechat', staff.auth, { code: 'code-zl-4' })).statusCode).toBe(200);
  });

  test('a resident account that filed a complaint keeps its openid: 409 at body.code', async () => {
    const staff = await t.loginAs('wu-wenjie');
    const holder = await resident('code-ww-1', 'o-wuwenjie-openid-0001');
    const filed = await t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      headers: holder,
      remoteAddress: '10.99.0.1',
      payload: { qr: qrFor(12), category: 'sanitation', description: '12号楼门厅灯坏了' },
    });
    expect(filed.statusCode).toBe(201);
    wechat.issue('code-ww-2', 'o-wuwenjie-openid-0001');
    const refused = await call('POST', '/api/me/wechat', staff.auth, { code: 'code-ww-2' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'wechat_openid_taken',
      details: [{ path: 'body.code' }],
    });
    expect((await me(holder)).statusCode).toBe(200);
  });

  test('a resident needs no binding; a bad code is 401, an empty one 400', async () => {
    const holder = await resident('code-r-1', 'o-plain-resident-0001');
    wechat.issue('code-r-2', 'o-plain-resident-0001');
    const self = await call('POST', '/api/me/wechat', holder, { code: 'code-r-2' });
    expect([self.statusCode, self.json().error.code]).toEqual([409, 'wechat_self_bind_staff_only']);
    const staff = await t.loginAs('yang-chenyi');
    const bad = await call('POST', '/api/me/wechat', staff.auth, { code: 'never-issued' });
    expect([bad.statusCode, bad.json().error.code]).toEqual([401, 'wechat_login_failed']);
    const empty = await call('POST', '/api/me/wechat', staff.auth, { code: '' });
    expect([empty.statusCode, empty.json().error.details[0].path]).toEqual([400, 'body.code']);
  });
});
