/**
 * The optional phone number through WeChat's getPhoneNumber button (issue 18, item 4): the button's
 * code is exchanged on the server at /wxa/business/getuserphonenumber (the fake WeChat on
 * 127.0.0.1, a real HTTP server), the number kept on the caller's account, shown whole only to its
 * owner and masked to everyone else; a bad code is a 422, WeChat down a 503, never a 500.
 */
import type { AccountDetail, ComplaintReceipt, IssueDetail } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { accountsTable } from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { startFakeWechat } from '../helpers/fake-wechat';
import { qrFor } from '../helpers/issue-flow';

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

let seq = 0;
const address = () => `10.66.${seq >> 8}.${++seq & 255}`;

async function wechatResident(openid: string) {
  const code = `login-${++seq}`;
  wechat.issue(code, openid);
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/wechat',
    payload: { code },
    remoteAddress: address(),
  });
  expect(login.statusCode).toBe(200);
  const accessToken = login.json().accessToken as string;
  const [row] = await t.db.select().from(accountsTable).where(eq(accountsTable.wechatOpenid, openid));
  return { accountId: row!.id, auth: { authorization: `Bearer ${accessToken}` } };
}

const givePhone = (auth: Record<string, string>, code: string, remoteAddress = address()) =>
  t.app.inject({ method: 'POST', url: '/api/me/phone', headers: auth, payload: { code }, remoteAddress });
const ownPhone = async (auth: Record<string, string>) => {
  const r = await t.app.inject({ url: '/api/me/phone', headers: auth });
  expect(r.statusCode).toBe(200);
  return r.json().phone as string | null;
};
const stored = async (accountId: string) =>
  (await t.db.select().from(accountsTable).where(eq(accountsTable.id, accountId)))[0]!.wechatPhone;

describe('a resident gives their phone through WeChat', () => {
  it('exchanges the code with WeChat, keeps the number and shows it whole to its owner only', async () => {
    const me = await wechatResident('o-phone-1');
    expect(await ownPhone(me.auth)).toBeNull();
    wechat.issuePhone('phone-code-1', '13812345678');
    const r = await givePhone(me.auth, 'phone-code-1');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ phone: '13812345678' });
    // As WeChat asks: a POST with the code, the process's access token in the query.
    expect(wechat.phoneRequests.at(-1)).toEqual({
      code: 'phone-code-1',
      accessToken: expect.stringMatching(/^TOKEN-/),
    });
    expect(await ownPhone(me.auth)).toBe('13812345678');
    expect(await stored(me.accountId)).toBe('13812345678');

    // An administrator sees the account with the number masked, never whole.
    const admin = await t.loginAs('admin');
    const detail = await t.app.inject({ url: `/api/admin/accounts/${me.accountId}`, headers: admin.auth });
    expect(detail.statusCode).toBe(200);
    expect((detail.json() as AccountDetail).account.wechatPhone).toBe('138****5678');
    expect(detail.body).not.toContain('13812345678');
    const list = await t.app.inject({
      url: '/api/admin/accounts?kind=resident&limit=100',
      headers: admin.auth,
    });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('138****5678');
    expect(list.body).not.toContain('13812345678');

    // A code is good once: WeChat says it was used, the number stays.
    const again = await givePhone(me.auth, 'phone-code-1');
    expect(again.statusCode).toBe(422);
    expect(again.json().error.code).toBe('phone_code_invalid');
    expect(await stored(me.accountId)).toBe('13812345678');

    // Forgotten on request.
    const gone = await t.app.inject({ method: 'DELETE', url: '/api/me/phone', headers: me.auth });
    expect(gone.statusCode).toBe(200);
    expect(gone.json()).toEqual({ phone: null });
    expect(await stored(me.accountId)).toBeNull();
  });

  it('the number filled into a complaint is whole for its handler and masked for other staff', async () => {
    const me = await wechatResident('o-phone-2');
    wechat.issuePhone('phone-code-2', '13987654321');
    const { phone } = (await givePhone(me.auth, 'phone-code-2')).json() as { phone: string };
    // The complaint page fills its optional phone field from that answer.
    const filed = await t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      headers: me.auth,
      payload: { qr: qrFor(8), category: 'sanitation', description: '8号楼门口垃圾满了没人清', phone },
      remoteAddress: address(),
    });
    expect(filed.statusCode).toBe(201);
    const receipt = filed.json() as ComplaintReceipt;
    const secretary = await t.loginAs('tu-zhongmei');
    const list = await t.app.inject({
      url: `/api/issues?community=xiaduoyuan&q=${encodeURIComponent('8号楼门口垃圾满了')}`,
      headers: secretary.auth,
    });
    const id = list.json().items[0].id as string;
    const seen = await t.app.inject({ url: `/api/issues/${id}`, headers: secretary.auth });
    expect((seen.json() as IssueDetail).reporter.phone).toBe('139****4321');
    expect(seen.body).not.toContain('13987654321');
    const owner = (seen.json() as IssueDetail).owner?.key;
    expect(owner).toBeTruthy();
    const handler = await t.loginAs(owner!);
    const handled = await t.app.inject({ url: `/api/issues/${id}`, headers: handler.auth });
    expect((handled.json() as IssueDetail).reporter.phone).toBe('13987654321');
    expect(receipt.trackingCode).toBeTruthy();
  });

  it('staff give theirs the same way; it is not their login phone', async () => {
    const staff = await t.loginAs('yang-chenyi');
    wechat.issuePhone('phone-code-3', '13700009999');
    const r = await givePhone(staff.auth, 'phone-code-3');
    expect(r.statusCode).toBe(200);
    expect(await ownPhone(staff.auth)).toBe('13700009999');
    const [row] = await t.db.select().from(accountsTable).where(eq(accountsTable.id, staff.accountId));
    expect(row!.phone).toBe(staff.phone);
    expect(row!.wechatPhone).toBe('13700009999');
  });
});

describe('refusals write nothing and are never a 500', () => {
  it('an unknown or expired code: 422 phone_code_invalid at body.code, in Chinese', async () => {
    const me = await wechatResident('o-phone-bad');
    const r = await givePhone(me.auth, 'never-issued');
    expect(r.statusCode).toBe(422);
    expect(r.json().error).toMatchObject({
      code: 'phone_code_invalid',
      message: expect.stringMatching(/手机号授权已失效/),
      details: [{ path: 'body.code', message: expect.any(String) }],
    });
    expect(await stored(me.accountId)).toBeNull();
  });

  it('a code missing from the body: 400 validation_failed naming body.code', async () => {
    const me = await wechatResident('o-phone-empty');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/me/phone',
      headers: me.auth,
      payload: { code: '' },
      remoteAddress: address(),
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details[0].path).toBe('body.code');
  });

  it('anonymous callers are told to log in', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/me/phone', payload: { code: 'x' } });
    expect(r.statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/me/phone' })).statusCode).toBe(401);
  });

  it('WeChat down, failing or answering an error: 503 wechat_unavailable, nothing kept', async () => {
    const me = await wechatResident('o-phone-down');
    wechat.issuePhone('phone-code-down', '13811112222');
    wechat.setDown(true);
    const down = await givePhone(me.auth, 'phone-code-down');
    wechat.setDown(false);
    expect(down.statusCode).toBe(503);
    expect(down.json().error.code).toBe('wechat_unavailable');
    expect(down.json().error.message).toMatch(/暂时不可用/);

    wechat.failNextPhone({ status: 500 });
    expect((await givePhone(me.auth, 'phone-code-down')).statusCode).toBe(503);
    wechat.failNextPhone({ errcode: -1 }); // 系统繁忙
    expect((await givePhone(me.auth, 'phone-code-down')).statusCode).toBe(503);
    expect(await stored(me.accountId)).toBeNull();
    // The code was never spent: the next tap works.
    const ok = await givePhone(me.auth, 'phone-code-down');
    expect(ok.statusCode).toBe(200);
    expect(await stored(me.accountId)).toBe('13811112222');
  });

  it('an expired access token is replaced and the call made once more', async () => {
    const me = await wechatResident('o-phone-token');
    wechat.issuePhone('phone-code-token', '13822223333');
    wechat.failNextPhone({ errcode: 40001 });
    const before = wechat.phoneRequests.length;
    const r = await givePhone(me.auth, 'phone-code-token');
    expect(r.statusCode).toBe(200);
    expect(wechat.phoneRequests.length - before).toBe(2);
    const [first, second] = wechat.phoneRequests.slice(before);
    expect(second!.accessToken).not.toBe(first!.accessToken);
  });

  it('a number watermarked for another mini-program is not taken: 503, nothing kept', async () => {
    const me = await wechatResident('o-phone-other-app');
    wechat.issuePhone('phone-code-other', '13833334444', { appid: 'wx-someone-else' });
    const r = await givePhone(me.auth, 'phone-code-other');
    expect(r.statusCode).toBe(503);
    expect(await stored(me.accountId)).toBeNull();
  });

  it('a number outside the mainland: 422 phone_not_supported', async () => {
    const me = await wechatResident('o-phone-hk');
    wechat.issuePhone('phone-code-hk', '61234567', { countryCode: '852' });
    const r = await givePhone(me.auth, 'phone-code-hk');
    expect(r.statusCode).toBe(422);
    expect(r.json().error.code).toBe('phone_not_supported');
    expect(await stored(me.accountId)).toBeNull();
  });

  it('is rate limited per address: the 11th try within a minute is a 429', async () => {
    const me = await wechatResident('o-phone-flood');
    const from = '10.99.0.1';
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await givePhone(me.auth, `flood-${i}`, from)).statusCode);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(422));
    expect(statuses[10]).toBe(429);
  });
});
