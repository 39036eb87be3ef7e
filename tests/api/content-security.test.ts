/**
 * WeChat content security (issue 18, item 4): a WeChat resident's complaint text goes through
 * msgSecCheck v2 before anything is written, their photos through mediaCheckAsync after the commit,
 * and WeChat's signed push of a photo's verdict hides a risky photo and tells its owner. WeChat is
 * the fake on 127.0.0.1 (a real HTTP server); the app listens on a real port so the fake can fetch
 * the photo link and push the verdict as WeChat does.
 */
import type { AddressInfo } from 'node:net';
import type { ComplaintView, IssueDetail } from '@gongzhi/domain';
import { and, eq, sql } from 'drizzle-orm';
import { issueEventsTable, issuesTable, outboxTable, photosTable } from '../../apps/api/src/db/schema';
import { buildTestApp, TEST_WECHAT_PUSH_TOKEN, type TestApp } from '../helpers/build-app';
import { pushMediaCheck, pushSignature, startFakeWechat } from '../helpers/fake-wechat';
import { qrFor } from '../helpers/issue-flow';
import { multipartBody, smallJpeg } from '../helpers/multipart';

let t: TestApp;
let wechat: Awaited<ReturnType<typeof startFakeWechat>>;
let base: string;
const logLines: string[] = [];

beforeAll(async () => {
  wechat = await startFakeWechat({ appid: 'wx-test-appid', secret: 'wx-test-secret' });
  t = await buildTestApp({
    wechatApiBase: wechat.baseUrl,
    log: { level: 'warn', stream: { write: (line) => void logLines.push(line) } },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  // As the server does once it listens: photo links point where WeChat can reach us.
  t.app.deps.settings.PUBLIC_URL = base;
});
afterAll(async () => {
  await t.close();
  await wechat.close();
});

let seq = 0;
async function wechatResident(openid: string) {
  const code = `cs-code-${++seq}`;
  wechat.issue(code, openid);
  const login = await t.app.inject({ method: 'POST', url: '/api/auth/wechat', payload: { code } });
  expect(login.statusCode).toBe(200);
  return { authorization: `Bearer ${login.json().accessToken}` };
}

const complain = (payload: Record<string, unknown>, auth: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/complaints',
    headers: auth,
    payload: { qr: qrFor(8), category: 'sanitation', ...payload },
    remoteAddress: `10.77.0.${++seq}`,
  });

const issueCount = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(issuesTable))[0]!.n;

const submitEventOf = async (code: string) => {
  const [row] = await t.db
    .select({ data: issueEventsTable.data })
    .from(issueEventsTable)
    .innerJoin(issuesTable, eq(issuesTable.id, issueEventsTable.issueId))
    .where(and(eq(issuesTable.code, code), eq(issueEventsTable.action, 'submit')));
  return row!.data as Record<string, unknown>;
};

describe('complaint text (msgSecCheck v2)', () => {
  it('refuses risky text with 422 content_refused naming the field, and writes nothing', async () => {
    const auth = await wechatResident('o-risky-writer');
    const text = '违规内容测试：这是一段会被判为风险的文字';
    wechat.suggestFor(text, 'risky');
    const before = await issueCount();
    const r = await complain({ description: text, spot: '垃圾房旁' }, auth);
    expect(r.statusCode).toBe(422);
    const err = r.json().error;
    expect(err.code).toBe('content_refused');
    expect(err.message).toMatch(/内容安全/);
    expect(err.details).toEqual([{ path: 'body.description', message: expect.stringMatching(/内容安全/) }]);
    expect(await issueCount()).toBe(before);
    // Each field is checked on its own, as WeChat's v2 asks: content, version 2, scene, the writer's openid.
    expect(wechat.textChecks.slice(-2)).toEqual(
      expect.arrayContaining([
        { content: text, version: 2, scene: 1, openid: 'o-risky-writer' },
        { content: '垃圾房旁', version: 2, scene: 1, openid: 'o-risky-writer' },
      ]),
    );
  });

  it('names the spot when the spot is the risky part', async () => {
    const auth = await wechatResident('o-risky-spot');
    wechat.suggestFor('风险位置文字', 'risky');
    const r = await complain({ description: '楼道灯坏了很久', spot: '风险位置文字' }, auth);
    expect(r.statusCode).toBe(422);
    expect(r.json().error.details.map((d: { path: string }) => d.path)).toEqual(['body.spot']);
  });

  it("accepts 'review' text and marks it on the intake event for staff", async () => {
    const auth = await wechatResident('o-review-writer');
    const text = '需要人工复核的文字：楼下有人长期占用消防通道';
    wechat.suggestFor(text, 'review');
    const r = await complain({ description: text }, auth);
    expect(r.statusCode).toBe(201);
    expect(await submitEventOf(r.json().trackingCode)).toMatchObject({
      contentReview: { suggest: 'review', fields: ['body.description'] },
    });
    // Staff see it on the issue's timeline.
    const ps = await t.loginAs('zhang-lifen');
    const [issue] = await t.db.select().from(issuesTable).where(eq(issuesTable.code, r.json().trackingCode));
    const detail = (
      await t.app.inject({ url: `/api/issues/${issue!.id}`, headers: ps.auth })
    ).json() as IssueDetail;
    const submit = detail.events.find((e) => e.action === 'submit');
    expect(submit?.data).toMatchObject({ contentReview: { fields: ['body.description'] } });
    // A review mark does not hold the complaint back: it is dispatched as any other.
    expect(issue!.hidden).toBe(false);
    expect(issue!.status).not.toBe('submitted');
  });

  it("accepts 'pass' text unmarked", async () => {
    const auth = await wechatResident('o-pass-writer');
    const checks = wechat.textChecks.length;
    const r = await complain({ description: '8号楼垃圾桶满了没人清' }, auth);
    expect(r.statusCode).toBe(201);
    expect(wechat.textChecks.length).toBe(checks + 1);
    expect(await submitEventOf(r.json().trackingCode)).not.toHaveProperty('contentReview');
  });

  it('accepts the complaint when WeChat is down or answers an error (fail open), with a warning', async () => {
    const auth = await wechatResident('o-while-down');
    wechat.setDown(true);
    try {
      const r = await complain({ description: '微信故障时提交的投诉' }, auth);
      expect(r.statusCode).toBe(201);
    } finally {
      wechat.setDown(false);
    }
    expect(logLines.some((l) => l.includes('msgSecCheck failed'))).toBe(true);

    wechat.failNextChecks({ errcode: 45009 });
    expect((await complain({ description: '微信限流时提交的投诉' }, auth)).statusCode).toBe(201);
    wechat.failNextChecks({ status: 500 });
    expect((await complain({ description: '微信报错时提交的投诉' }, auth)).statusCode).toBe(201);
  });

  it('does not check an anonymous complaint (no openid to check with)', async () => {
    const checks = wechat.textChecks.length;
    wechat.suggestFor('匿名投诉的文字内容', 'risky');
    const r = await complain({ description: '匿名投诉的文字内容' });
    expect(r.statusCode).toBe(201);
    expect(wechat.textChecks.length).toBe(checks);
  });
});

describe('complaint photos (mediaCheckAsync and the signed push)', () => {
  let auth: Record<string, string>;
  let photoId: string;
  let tracking: { code: string; secret: string };
  let traceId: string;
  const pushUrl = () => `${base}/api/wechat/media-check`;

  async function complaintWithPhoto(description: string) {
    const { payload, headers } = multipartBody([
      { filename: 'p.jpg', contentType: 'image/jpeg', data: await smallJpeg('#a35') },
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/photos',
      payload,
      headers: { ...headers, ...auth },
    });
    expect(up.statusCode).toBe(201);
    const id = up.json().photos[0].id as string;
    const r = await complain({ description, photos: [{ id }] }, auth);
    expect(r.statusCode).toBe(201);
    return { id, code: r.json().trackingCode as string, secret: r.json().secret as string };
  }
  const photoRow = async (id: string) =>
    (await t.db.select().from(photosTable).where(eq(photosTable.id, id)))[0]!;

  beforeAll(async () => {
    auth = await wechatResident('o-photographer');
  });

  it('submits the photo with a link WeChat can fetch, and keeps the trace_id', async () => {
    const checks = wechat.mediaChecks.length;
    const fetches = wechat.mediaFetches.length;
    const c = await complaintWithPhoto('垃圾房门口堆满杂物，见照片');
    photoId = c.id;
    tracking = { code: c.code, secret: c.secret };
    expect(wechat.mediaChecks.length).toBe(checks + 1);
    const sent = wechat.mediaChecks.at(-1)!;
    expect(sent).toMatchObject({ media_type: 2, version: 2, scene: 1, openid: 'o-photographer' });
    expect(sent.media_url.startsWith(`${base}/api/photos/${photoId}?linkToken=`)).toBe(true);
    traceId = sent.trace_id;
    expect(await photoRow(photoId)).toMatchObject({ mediaCheckTraceId: traceId, mediaCheck: 'pending' });

    // WeChat's side fetched it: the JPEG itself, without any login.
    const fetched = (await wechat.waitForMediaFetches(fetches + 1)).at(-1)!;
    expect(fetched.status).toBe(200);
    expect(fetched.contentType).toBe('image/jpeg');
    expect(fetched.bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));

    // The link opens that photo's original only: not another photo, not a changed token.
    const link = new URL(sent.media_url).searchParams.get('linkToken')!;
    const other = await complaintWithPhoto('另一张照片');
    expect((await t.app.inject({ url: `/api/photos/${other.id}?linkToken=${link}` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/photos/${photoId}?linkToken=${link}x` })).statusCode).toBe(404);
  });

  it('refuses an unsigned or badly signed push with 401 and changes nothing', async () => {
    for (const sign of ['none', 'bad'] as const) {
      const r = await pushMediaCheck(
        pushUrl(),
        { traceId, suggest: 'risky' },
        { token: TEST_WECHAT_PUSH_TOKEN, sign },
      );
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body).error.code).toBe('push_signature_invalid');
    }
    expect((await photoRow(photoId)).mediaCheck).toBe('pending');
    // A push signed with another token is no better.
    const r = await pushMediaCheck(
      pushUrl(),
      { traceId, suggest: 'risky' },
      { token: 'someone-elses-token' },
    );
    expect(r.status).toBe(401);
    expect((await photoRow(photoId)).mediaCheck).toBe('pending');
  });

  it('answers 200 to an unknown trace_id and changes nothing', async () => {
    const outbox = (await t.db.select({ n: sql<number>`count(*)::int` }).from(outboxTable))[0]!.n;
    const r = await pushMediaCheck(
      pushUrl(),
      { traceId: 'TRACE-nobody-knows', suggest: 'risky' },
      { token: TEST_WECHAT_PUSH_TOKEN },
    );
    expect(r).toEqual({ status: 200, body: 'success' });
    expect((await photoRow(photoId)).mediaCheck).toBe('pending');
    expect((await t.db.select({ n: sql<number>`count(*)::int` }).from(outboxTable))[0]!.n).toBe(outbox);
  });

  it("keeps a 'pass' photo shown", async () => {
    const c = await complaintWithPhoto('通过检测的照片');
    const trace = wechat.mediaChecks.at(-1)!.trace_id;
    const r = await pushMediaCheck(
      pushUrl(),
      { traceId: trace, suggest: 'pass' },
      { token: TEST_WECHAT_PUSH_TOKEN },
    );
    expect(r.status).toBe(200);
    expect((await photoRow(c.id)).mediaCheck).toBe('pass');
    expect((await t.app.inject({ url: `/api/photos/${c.id}`, headers: auth })).statusCode).toBe(200);
  });

  it('hides a risky photo everywhere and tells its owner once', async () => {
    const ps = await t.loginAs('zhang-lifen');
    const [issue] = await t.db.select().from(issuesTable).where(eq(issuesTable.code, tracking.code));
    const staffPhotos = async () =>
      (
        (await t.app.inject({ url: `/api/issues/${issue!.id}`, headers: ps.auth })).json() as IssueDetail
      ).photos.map((p) => p.id);
    const residentPhotos = async () =>
      (
        (
          await t.app.inject({
            url: `/api/complaints/${tracking.code}`,
            headers: { 'x-tracking-secret': tracking.secret },
          })
        ).json() as ComplaintView
      ).photos.map((p) => p.id);
    expect(await staffPhotos()).toEqual([photoId]);
    expect(await residentPhotos()).toEqual([photoId]);

    const r = await pushMediaCheck(
      pushUrl(),
      { traceId, suggest: 'risky', openid: 'o-photographer' },
      { token: TEST_WECHAT_PUSH_TOKEN },
    );
    expect(r).toEqual({ status: 200, body: 'success' });
    expect((await photoRow(photoId)).mediaCheck).toBe('risky');

    expect(await staffPhotos()).toEqual([]);
    expect(await residentPhotos()).toEqual([]);
    for (const url of [
      `/api/photos/${photoId}`,
      `/api/photos/${photoId}/thumb`,
      `/api/photos/${photoId}/display`,
    ]) {
      expect((await t.app.inject({ url, headers: auth })).statusCode).toBe(404);
      expect((await t.app.inject({ url, headers: ps.auth })).statusCode).toBe(404);
    }
    const secret = { 'x-tracking-secret': tracking.secret };
    expect(
      (await t.app.inject({ url: `/api/complaints/${tracking.code}/photos/${photoId}`, headers: secret }))
        .statusCode,
    ).toBe(404);
    const link = wechat.mediaChecks.find((m) => m.trace_id === traceId)!.media_url;
    expect((await fetch(link)).status).toBe(404);

    // WeChat may push again: still one notice.
    await pushMediaCheck(pushUrl(), { traceId, suggest: 'risky' }, { token: TEST_WECHAT_PUSH_TOKEN });
    await t.deliverOutbox();
    const inbox = await t.app.inject({ url: '/api/me/notifications', headers: auth });
    const hidden = (inbox.json().items as { kind: string; title: string; issueId: string }[]).filter(
      (n) => n.kind === 'photo_hidden',
    );
    expect(hidden).toHaveLength(1);
    expect(hidden[0]).toMatchObject({ issueId: issue!.id, title: `照片未通过内容安全检测 ${tracking.code}` });
    const inboxRows = await t.db
      .select()
      .from(outboxTable)
      .where(and(eq(outboxTable.kind, 'photo_hidden'), eq(outboxTable.channel, 'inbox')));
    expect(inboxRows).toHaveLength(1);
  });

  it("answers WeChat's URL check with echostr when signed, 401 otherwise", async () => {
    const timestamp = '1700000000';
    const nonce = 'abc123';
    const signature = pushSignature(TEST_WECHAT_PUSH_TOKEN, timestamp, nonce);
    const ok = await fetch(
      `${pushUrl()}?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&echostr=hello-42`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('hello-42');
    const bad = await fetch(
      `${pushUrl()}?signature=${'0'.repeat(40)}&timestamp=${timestamp}&nonce=${nonce}&echostr=x`,
    );
    expect(bad.status).toBe(401);
  });

  it('does not submit an anonymous photo', async () => {
    const checks = wechat.mediaChecks.length;
    const { payload, headers } = multipartBody([
      { filename: 'p.jpg', contentType: 'image/jpeg', data: await smallJpeg('#357') },
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/photos',
      payload,
      headers,
      remoteAddress: '10.78.0.1',
    });
    const { id, uploadToken } = up.json().photos[0];
    const r = await complain({ description: '匿名带照片的投诉', photos: [{ id, uploadToken }] });
    expect(r.statusCode).toBe(201);
    expect(wechat.mediaChecks.length).toBe(checks);
    expect((await photoRow(id)).mediaCheck).toBeNull();
  });

  it('took every access token from the one cache', () => {
    expect(wechat.requests.filter((u) => u.pathname === '/cgi-bin/token')).toHaveLength(1);
  });
});
