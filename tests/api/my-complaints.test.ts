import type { ComplaintView, MyComplaintPage } from '@gongzhi/domain';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import { startFakeWechat } from '../helpers/fake-wechat';
import { issueIdOf, qrFor, resolveTaskOf, type Session } from '../helpers/issue-flow';
import { multipartBody, smallJpeg } from '../helpers/multipart';

// A resident signed in with WeChat: every complaint belongs to their account, 我的投诉 comes from the
// server, and their login opens each complaint (and its photos, and its steps) without the secret —
// on a new phone, or after WeChat's storage was cleared.

let t: TestApp;
let wechat: Awaited<ReturnType<typeof startFakeWechat>>;
const clock = testClock(new Date('2026-11-16T02:00:00Z'));
let zhangLifen: Session; // zone-1 property specialist: zone-1 sanitation tasks go to her

beforeAll(async () => {
  wechat = await startFakeWechat({ appid: 'wx-test-appid', secret: 'wx-test-secret' });
  t = await buildTestApp({ now: clock.now, wechatApiBase: wechat.baseUrl });
  zhangLifen = await t.loginAs('zhang-lifen');
});
afterAll(async () => {
  await t?.close();
  await wechat?.close();
});

let addr = 0;
async function residentSignsIn(code: string, openid: string) {
  wechat.issue(code, openid);
  const r = await t.app.inject({ method: 'POST', url: '/api/auth/wechat', payload: { code } });
  expect(r.statusCode).toBe(200);
  return { authorization: `Bearer ${r.json().accessToken as string}` };
}
async function complainAs(auth: Record<string, string>, building: number, description: string) {
  const { payload, headers } = multipartBody([
    { filename: 'a.jpg', contentType: 'image/jpeg', data: await smallJpeg() },
  ]);
  const photo = (
    await t.app.inject({ method: 'POST', url: '/api/photos', payload, headers: { ...headers, ...auth } })
  ).json().photos[0].id as string;
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/complaints',
    headers: auth,
    remoteAddress: `10.77.0.${++addr}`,
    payload: { qr: qrFor(building), category: 'sanitation', description, photos: [{ id: photo }] },
  });
  expect(r.statusCode).toBe(201);
  return r.json() as { trackingCode: string; secret: string; complaint: ComplaintView };
}

describe('a resident signed in with WeChat', () => {
  let he: Record<string, string>;
  let other: Record<string, string>;
  let first: Awaited<ReturnType<typeof complainAs>>;
  let second: Awaited<ReturnType<typeof complainAs>>;

  beforeAll(async () => {
    he = await residentSignsIn('code-he-1', 'o-resident-he-0001');
    other = await residentSignsIn('code-other-1', 'o-resident-other-0002');
    first = await complainAs(he, 12, '12号楼楼道灯不亮');
    clock.advance(60_000);
    second = await complainAs(he, 13, '13号楼门口垃圾未清');
    await complainAs(other, 14, '14号楼信箱损坏');
  });

  it('我的投诉 lists only my complaints, newest first, page by page', async () => {
    const p1 = await t.app.inject({ url: '/api/me/complaints?limit=1', headers: he });
    expect(p1.statusCode).toBe(200);
    const page1 = p1.json() as MyComplaintPage;
    expect(page1.items.map((c) => c.code)).toEqual([second.trackingCode]);
    expect(page1.items[0]).toMatchObject({
      zoneName: '第一责任区域',
      categoryName: '环境卫生',
      statusName: '已派单',
    });
    const p2 = (
      await t.app.inject({ url: `/api/me/complaints?limit=1&cursor=${page1.nextCursor}`, headers: he })
    ).json() as MyComplaintPage;
    expect(p2.items.map((c) => c.code)).toEqual([first.trackingCode]);
    expect(p2.nextCursor).toBeNull();
    // After signing in again (a new phone: a new session), the same list.
    const again = await residentSignsIn('code-he-2', 'o-resident-he-0001');
    const all = (await t.app.inject({ url: '/api/me/complaints', headers: again })).json() as MyComplaintPage;
    expect(all.items.map((c) => c.code)).toEqual([second.trackingCode, first.trackingCode]);
  });

  it('my login opens my complaint and its photos without the secret; nobody else’s', async () => {
    const view = await t.app.inject({ url: `/api/complaints/${first.trackingCode}`, headers: he });
    expect(view.statusCode).toBe(200);
    const photo = (view.json() as ComplaintView).photos[0]!;
    const bytes = await t.app.inject({ url: photo.thumbUrl, headers: he });
    expect([bytes.statusCode, bytes.headers['content-type']]).toEqual([200, 'image/webp']);
    // Another resident's login, and a staff login, do not open it without the secret.
    for (const auth of [other, zhangLifen.auth]) {
      const r = await t.app.inject({ url: `/api/complaints/${first.trackingCode}`, headers: auth });
      expect([r.statusCode, r.json().error.code]).toEqual([404, 'complaint_not_found']);
      expect((await t.app.inject({ url: photo.thumbUrl, headers: auth })).statusCode).toBe(404);
    }
    // With neither a secret nor a login: 400 at the header.
    const none = await t.app.inject({ url: `/api/complaints/${first.trackingCode}` });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.details).toEqual([
      { path: 'headers.x-tracking-secret', message: '缺少查询密钥' },
    ]);
    // The secret still works for anyone who holds it.
    const bySecret = await t.app.inject({
      url: `/api/complaints/${first.trackingCode}`,
      headers: { 'x-tracking-secret': first.secret },
    });
    expect(bySecret.statusCode).toBe(200);
  });

  it('my login confirms and rates my resolved complaint, which closes it', async () => {
    await resolveTaskOf(t, zhangLifen, await issueIdOf(t, first.trackingCode), 'zhang-lifen');
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/complaints/${first.trackingCode}/rating`,
      headers: other,
      payload: { score: 1, fixed: false, comment: '没修好' },
    });
    expect([refused.statusCode, refused.json().error.code]).toEqual([404, 'complaint_not_found']);
    const rated = await t.app.inject({
      method: 'POST',
      url: `/api/complaints/${first.trackingCode}/rating`,
      headers: he,
      payload: { score: 5, fixed: true, comment: '修好了' },
    });
    expect(rated.statusCode).toBe(200);
    const view = rated.json() as ComplaintView;
    expect(view.status).toBe('closed');
    expect(view.rating).toMatchObject({ score: 5, fixed: true });
  });

  it('the list needs a login, and its query is checked', async () => {
    expect((await t.app.inject({ url: '/api/me/complaints' })).statusCode).toBe(401);
    const bad = await t.app.inject({ url: '/api/me/complaints?limit=0', headers: he });
    expect([bad.statusCode, bad.json().error.details[0].path]).toEqual([400, 'querystring.limit']);
    const cursor = await t.app.inject({ url: '/api/me/complaints?cursor=not-a-cursor', headers: he });
    expect([cursor.statusCode, cursor.json().error.code]).toEqual([400, 'invalid_cursor']);
  });
});
