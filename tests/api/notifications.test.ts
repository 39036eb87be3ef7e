import type { IssueDetail, TaskView } from '@gongzhi/domain';
import { and, eq } from 'drizzle-orm';
import { issuesTable, outboxTable } from '../../apps/api/src/db/schema';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { buildTestApp, TEST_QR_SECRET, type TestApp, testClock } from '../helpers/build-app';
import { startFakeWechat } from '../helpers/fake-wechat';
import { multipartBody, smallJpeg } from '../helpers/multipart';

let t: TestApp;
let wechat: Awaited<ReturnType<typeof startFakeWechat>>;
const clock = testClock(new Date('2026-11-16T02:00:00Z'));
const TEMPLATE = 'TPL-issue-progress';

beforeAll(async () => {
  wechat = await startFakeWechat({ appid: 'wx-test-appid', secret: 'wx-test-secret' });
  t = await buildTestApp({ now: clock.now, wechatApiBase: wechat.baseUrl, wechatTemplateId: TEMPLATE });
});
afterAll(async () => {
  await t.close();
  await wechat.close();
});

let codeSeq = 0;
/** A resident signed in with WeChat files a complaint; the specialist resolves it. */
async function residentComplaintResolved(openid: string, opts: { grant?: boolean } = {}) {
  const code = `code-${++codeSeq}`;
  wechat.issue(code, openid);
  const login = await t.app.inject({ method: 'POST', url: '/api/auth/wechat', payload: { code } });
  expect(login.statusCode).toBe(200);
  const resident = { authorization: `Bearer ${login.json().accessToken}` };
  // In the mini-program the resident tapped 允许 when asked for the subscription: one message.
  if (opts.grant ?? true) {
    const granted = await t.app.inject({
      method: 'POST',
      url: '/api/me/wechat-subscriptions',
      headers: resident,
      payload: { accepted: [TEMPLATE] },
    });
    expect(granted.statusCode).toBe(200);
  }
  const qr = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 8 });
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/complaints',
    headers: resident,
    payload: { qr, category: 'sanitation', description: '8号楼垃圾房很臭' },
    remoteAddress: `10.55.0.${codeSeq}`,
  });
  expect(r.statusCode).toBe(201);
  const [issue] = await t.db.select().from(issuesTable).where(eq(issuesTable.code, r.json().trackingCode));
  const specialist = await t.loginAs('zhang-lifen');
  const detail = (
    await t.app.inject({ url: `/api/issues/${issue!.id}`, headers: specialist.auth })
  ).json() as IssueDetail;
  const task = detail.tasks[0] as TaskView;
  await t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/accept`, headers: specialist.auth });
  const { payload, headers } = multipartBody([
    { filename: 'a.jpg', contentType: 'image/jpeg', data: await smallJpeg() },
  ]);
  const up = await t.app.inject({
    method: 'POST',
    url: '/api/photos',
    payload,
    headers: { ...headers, ...specialist.auth },
  });
  const resolved = await t.app.inject({
    method: 'POST',
    url: `/api/tasks/${task.id}/resolve`,
    headers: specialist.auth,
    payload: { note: '已清理', photoIds: [up.json().photos[0].id] },
  });
  expect(resolved.statusCode).toBe(200);
  return { issueId: issue!.id, resident };
}

const wechatRowFor = async (issueId: string) => {
  const rows = await t.db
    .select()
    .from(outboxTable)
    .where(and(eq(outboxTable.channel, 'wechat'), eq(outboxTable.kind, 'issue_resolved')));
  return rows.find((r) => r.payload.issueId === issueId)!;
};

describe('WeChat subscription messages', () => {
  test('a resident who signed in with WeChat gets the inbox and a subscription message', async () => {
    const { issueId, resident } = await residentComplaintResolved('openid-resident-1');
    await t.deliverOutbox();
    const msg = wechat.sent.find((m) => m.touser === 'openid-resident-1');
    expect(msg?.template_id).toBe(TEMPLATE);
    expect(msg?.page).toContain(issueId);
    expect(msg?.data.thing1?.value).toContain('已办结');
    const inbox = await t.app.inject({ url: '/api/me/notifications', headers: resident });
    expect(inbox.json().items.map((n: { kind: string }) => n.kind)).toContain('issue_resolved');
  });

  test('a failed send is retried with backoff, visible to an administrator, then delivered', async () => {
    wechat.failNextSends({ status: 500 }, { errcode: -1 });
    const { issueId } = await residentComplaintResolved('openid-resident-2');
    const sentBefore = wechat.sent.length;
    await t.deliverOutbox();
    let row = await wechatRowFor(issueId);
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain('HTTP 500');
    expect(row.nextAttemptAt!.getTime() - clock.now().getTime()).toBe(30_000);

    const admin = await t.loginAs('admin');
    const failing = await t.app.inject({ url: '/api/admin/outbox?status=failing', headers: admin.auth });
    expect(failing.statusCode).toBe(200);
    expect(failing.json().items.map((i: { id: number }) => i.id)).toContain(row.id);
    const notAdmin = await t.app.inject({
      url: '/api/admin/outbox',
      headers: (await t.loginAs('wu-wenjie')).auth,
    });
    expect(notAdmin.statusCode).toBe(403);

    await t.deliverOutbox(); // not due yet: nothing is tried
    expect((await wechatRowFor(issueId)).attempts).toBe(1);
    clock.advance(30_000);
    await t.deliverOutbox();
    row = await wechatRowFor(issueId);
    expect(row.attempts).toBe(2);
    expect(row.lastError).toContain('-1');
    expect(row.nextAttemptAt!.getTime() - clock.now().getTime()).toBe(60_000);
    clock.advance(60_000);
    await t.deliverOutbox();
    row = await wechatRowFor(issueId);
    expect(row.status).toBe('delivered');
    expect(wechat.sent.length).toBe(sentBefore + 1);
  });

  test('a refused subscription (43101) is dead at once; an administrator can send it again', async () => {
    wechat.failNextSends({ errcode: 43101 });
    const { issueId, resident } = await residentComplaintResolved('openid-resident-3');
    await t.deliverOutbox();
    const row = await wechatRowFor(issueId);
    expect(row.status).toBe('dead');
    expect(row.lastError).toContain('43101');
    // The inbox got it regardless: channels fail independently.
    const inboxRow = await t.db
      .select()
      .from(outboxTable)
      .where(
        and(
          eq(outboxTable.accountId, row.accountId),
          eq(outboxTable.channel, 'inbox'),
          eq(outboxTable.kind, 'issue_resolved'),
        ),
      );
    expect(inboxRow.map((r) => r.status)).toEqual(['delivered']);

    const admin = await t.loginAs('admin');
    const dead = await t.app.inject({ url: '/api/admin/outbox?status=dead', headers: admin.auth });
    expect(dead.json().items.map((i: { id: number }) => i.id)).toContain(row.id);
    const retry = await t.app.inject({
      method: 'POST',
      url: `/api/admin/outbox/${row.id}/retry`,
      headers: admin.auth,
    });
    expect(retry.statusCode).toBe(200);
    // WeChat said the subscription is gone: our count followed it, so the retry is skipped…
    await t.deliverOutbox();
    expect((await wechatRowFor(issueId)).status).toBe('skipped');
    const quota = await t.app.inject({ url: '/api/me/wechat-subscriptions', headers: resident });
    expect(quota.json().remaining).toEqual({ [TEMPLATE]: 0 });
    // …until the resident accepts again; then the administrator's retry gets through.
    await t.app.inject({
      method: 'POST',
      url: '/api/me/wechat-subscriptions',
      headers: resident,
      payload: { accepted: [TEMPLATE] },
    });
    await t.app.inject({ method: 'POST', url: `/api/admin/outbox/${row.id}/retry`, headers: admin.auth });
    await t.deliverOutbox();
    expect((await wechatRowFor(issueId)).status).toBe('delivered');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/admin/outbox/${row.id}/retry`,
      headers: admin.auth,
    });
    expect(again.statusCode).toBe(409);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/admin/outbox/999999/retry',
      headers: admin.auth,
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('one-time subscription quota', () => {
  test('a message goes only where an accepted subscription covers it; without one it is skipped, the inbox has it', async () => {
    const first = await residentComplaintResolved('openid-resident-4');
    await t.deliverOutbox();
    expect((await wechatRowFor(first.issueId)).status).toBe('delivered');
    const after = await t.app.inject({ url: '/api/me/wechat-subscriptions', headers: first.resident });
    expect(after.json()).toEqual({ templateIds: [TEMPLATE], remaining: { [TEMPLATE]: 0 } });

    // The same resident, this time without tapping 允许: no WeChat message, the inbox still.
    const sentBefore = wechat.sent.length;
    const second = await residentComplaintResolved('openid-resident-4', { grant: false });
    await t.deliverOutbox();
    const skipped = await wechatRowFor(second.issueId);
    expect([skipped.status, skipped.lastError]).toEqual([
      'skipped',
      '未订阅（订阅消息额度为 0）：仅发站内消息',
    ]);
    expect(wechat.sent.length).toBe(sentBefore);
    const inbox = await t.app.inject({ url: '/api/me/notifications', headers: second.resident });
    expect(
      inbox.json().items.filter((n: { kind: string; issueId: string }) => n.issueId === second.issueId),
    ).toHaveLength(1);
    // An administrator sees it among the skipped deliveries.
    const admin = await t.loginAs('admin');
    const list = await t.app.inject({ url: '/api/admin/outbox?status=skipped', headers: admin.auth });
    expect(list.json().items.map((i: { id: number }) => i.id)).toContain(skipped.id);
  });

  test('the template keywords are filled as configured (WECHAT_SUBSCRIBE_FIELDS), within their limits', async () => {
    const mapped = await buildTestApp({
      now: clock.now,
      wechatApiBase: wechat.baseUrl,
      wechatTemplateId: 'TPL-mapped',
      wechatTemplateFields: { thing3: 'body', time4: 'at', phrase5: 'title' },
    });
    try {
      wechat.issue('code-mapped-1', 'openid-mapped-1');
      const login = await mapped.app.inject({
        method: 'POST',
        url: '/api/auth/wechat',
        payload: { code: 'code-mapped-1' },
      });
      expect([login.statusCode, login.statusCode === 200 ? '' : login.body]).toEqual([200, '']);
      const resident = { authorization: `Bearer ${login.json().accessToken}` };
      await mapped.app.inject({
        method: 'POST',
        url: '/api/me/wechat-subscriptions',
        headers: resident,
        payload: { accepted: ['TPL-mapped'] },
      });
      const qr = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 9 });
      const filed = await mapped.app.inject({
        method: 'POST',
        url: '/api/complaints',
        headers: resident,
        payload: { qr, category: 'sanitation', description: '9号楼垃圾房很臭' },
        remoteAddress: '10.56.0.1',
      });
      expect(filed.statusCode).toBe(201);
      const owner = await mapped.loginAs('wu-wenjie');
      const found = await mapped.app.inject({
        url: `/api/issues?community=xiaduoyuan&q=${encodeURIComponent('9号楼垃圾房很臭')}`,
        headers: owner.auth,
      });
      const issue = (found.json().items as { id: string; code: string }[]).find(
        (x) => x.code === filed.json().trackingCode,
      );
      const rejected = await mapped.app.inject({
        method: 'POST',
        url: `/api/issues/${issue!.id}/reject`,
        headers: owner.auth,
        payload: { reason: '已由物业当场清理，无需派单' },
      });
      expect(rejected.statusCode).toBe(200);
      await mapped.deliverOutbox();
      const msg = wechat.sent.find((m) => m.touser === 'openid-mapped-1');
      expect(msg?.template_id).toBe('TPL-mapped');
      expect(Object.keys(msg!.data).sort()).toEqual(['phrase5', 'thing3', 'time4']);
      expect(msg!.data.phrase5!.value.length).toBeLessThanOrEqual(5);
      expect(msg!.data.thing3!.value.length).toBeLessThanOrEqual(20);
      expect(msg!.data.time4!.value).toMatch(/^\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}$/);
    } finally {
      await mapped.close();
    }
  });

  test('unknown templates are ignored, duplicates count once, and the input is checked', async () => {
    const { resident } = await residentComplaintResolved('openid-resident-5', { grant: false });
    const granted = await t.app.inject({
      method: 'POST',
      url: '/api/me/wechat-subscriptions',
      headers: resident,
      payload: { accepted: [TEMPLATE, TEMPLATE, 'TPL-somebody-else'] },
    });
    expect(granted.json()).toEqual({ templateIds: [TEMPLATE], remaining: { [TEMPLATE]: 1 } });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/me/wechat-subscriptions',
      headers: resident,
      payload: { accepted: [''] },
    });
    expect([bad.statusCode, bad.json().error.details[0].path]).toEqual([400, 'body.accepted.0']);
    const extra = await t.app.inject({
      method: 'POST',
      url: '/api/me/wechat-subscriptions',
      headers: resident,
      payload: { accepted: [], more: 1 },
    });
    expect(extra.statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/me/wechat-subscriptions' })).statusCode).toBe(401);
  });
});

describe('a rate limit stays on its own route', () => {
  test('routes declared after the limited subscription route are not limited with it (40 calls a minute)', async () => {
    const staff = await t.loginAs('yang-chenyi');
    const codes = new Set<number>();
    for (let i = 0; i < 40; i++) {
      codes.add(
        (await t.app.inject({ url: '/api/me/notifications/unread-count', headers: staff.auth })).statusCode,
      );
      codes.add(
        (await t.app.inject({ url: '/api/letters?community=xiaduoyuan', headers: staff.auth })).statusCode,
      );
    }
    expect([...codes]).toEqual([200]);
  });
});
