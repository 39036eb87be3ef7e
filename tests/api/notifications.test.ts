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
async function residentComplaintResolved(openid: string) {
  const code = `code-${++codeSeq}`;
  wechat.issue(code, openid);
  const login = await t.app.inject({ method: 'POST', url: '/api/auth/wechat', payload: { code } });
  expect(login.statusCode).toBe(200);
  const resident = { authorization: `Bearer ${login.json().accessToken}` };
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
    const { issueId } = await residentComplaintResolved('openid-resident-3');
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
