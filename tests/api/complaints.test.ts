import { COMPLAINT_LIMITS } from '@gongzhi/domain';
import { eq, sql } from 'drizzle-orm';
import { issueEventsTable, issuesTable } from '../../apps/api/src/db/schema';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { buildTestApp, TEST_QR_SECRET, type TestApp, testClock } from '../helpers/build-app';

let t: TestApp;
const clock = testClock();
beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
});
afterAll(() => t.close());

const qrFor = (building: number) =>
  signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building });
const counts = async () => {
  const [i] = (await t.db.select({ n: sql<number>`count(*)::int` }).from(issuesTable)) as [{ n: number }];
  const [e] = (await t.db.select({ n: sql<number>`count(*)::int` }).from(issueEventsTable)) as [
    { n: number },
  ];
  return { issues: i.n, events: e.n };
};
let addr = 0;
/** Each call from its own client address, so the per-address limit does not mix tests. */
const complain = (
  payload: object,
  headers: Record<string, string> = {},
  remoteAddress = `10.9.${++addr >> 8}.${addr & 255}`,
) => t.app.inject({ method: 'POST', url: '/api/complaints', payload, headers, remoteAddress });

describe('anonymous complaint from a building QR code', () => {
  test('no account: routed like any issue; answer is a tracking code, a secret and who is responsible', async () => {
    const r = await complain({
      qr: qrFor(12),
      category: 'sanitation',
      description: '单元门口垃圾堆了三天',
      phone: '13912345678',
    });
    expect(r.statusCode).toBe(201);
    const receipt = r.json();
    expect(receipt.trackingCode).toMatch(/^[2-9A-Z]{8}$/);
    expect(receipt.secret.length).toBeGreaterThanOrEqual(20);
    expect(receipt.complaint.zoneName).toBe('第一责任区域');
    expect(receipt.complaint.building).toBe(12);
    expect(receipt.complaint.status).toBe('dispatched');
    expect(receipt.complaint.tierName).toBe('责任区域');
    expect(receipt.complaint.responsible.join('')).toContain('吴文杰');
    expect(JSON.stringify(receipt)).not.toContain('13912345678');

    const [row] = await t.db.select().from(issuesTable).where(eq(issuesTable.code, receipt.trackingCode));
    expect(row!.channel).toBe('resident_qr');
    expect(row!.assignees).toEqual(['zhang-lifen']);
    expect(row!.reporterAccountId).toBeNull();
    expect(row!.trackingSecretHash).not.toContain(receipt.secret);
  });

  test('with the code and secret (only) the resident sees status and timeline', async () => {
    const r = await complain({ qr: qrFor(30), category: 'greening', description: '草坪被挖坏' });
    const { trackingCode, secret } = r.json();
    const ok = await t.app.inject({
      url: `/api/complaints/${trackingCode}`,
      headers: { 'x-tracking-secret': secret },
    });
    expect(ok.statusCode).toBe(200);
    // The receipt (built from what the submission wrote) shows exactly what tracking reads back.
    expect(ok.json()).toEqual(r.json().complaint);
    expect(ok.json().timeline.map((e: { action: string }) => e.action)).toEqual(['submit', 'dispatch']);
    expect(ok.json().timeline[1].statusName).toBe('已派单');

    const wrong = await t.app.inject({
      url: `/api/complaints/${trackingCode}`,
      headers: { 'x-tracking-secret': `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}` },
    });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().error.code).toBe('complaint_not_found');
    const unknown = await t.app.inject({
      url: '/api/complaints/ZZZZZZZZ',
      headers: { 'x-tracking-secret': secret },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
    const none = await t.app.inject({ url: `/api/complaints/${trackingCode}` });
    expect(none.statusCode).toBe(400);
  });

  test('a facility code carries its category; an emergency in it goes to the line with property first', async () => {
    const qr = signQrTarget(TEST_QR_SECRET, {
      community: 'xiaduoyuan',
      kind: 'facility',
      facility: 'lift-50-1',
    });
    const r = await complain({ qr, description: '电梯困人了，快来', urgency: 'emergency' });
    expect(r.statusCode).toBe(201);
    const c = r.json().complaint;
    expect(c.categoryName).toBe('电梯故障');
    expect(c.tier).toBe('line');
    expect(c.responsible.join('')).toContain('物业公司先行处置');
  });

  test('a zone-only code (commercial street) needs a category and files in that zone', async () => {
    const qr = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'zone', zone: 'commercial' });
    const before = await counts();
    const missing = await complain({ qr, description: '店铺占道经营' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].path).toBe('body.category');
    expect(await counts()).toEqual(before);
    const ok = await complain({ qr, category: 'parking', description: '店铺占道经营', spot: '南侧' });
    expect(ok.json().complaint.zoneName).toBe('商业街区域');
  });

  test('a WeChat-logged-in resident sees all their complaints in one list', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/dev-resident' });
    const auth = { authorization: `Bearer ${login.json().accessToken}` };
    await complain({ qr: qrFor(5), category: 'noise', description: '楼上深夜装修' }, auth);
    await complain({ qr: qrFor(90), category: 'parking', description: '消防通道停车' }, auth);
    const mine = await t.app.inject({ url: '/api/issues?community=xiaduoyuan', headers: auth });
    expect(mine.statusCode).toBe(200);
    expect(
      mine
        .json()
        .items.map((i: { description: string }) => i.description)
        .sort(),
    ).toEqual(['楼上深夜装修', '消防通道停车'].sort());
  });
});

describe('bad input changes nothing', () => {
  test.each([
    [
      'a QR code with one character changed',
      () => ({ qr: flip(qrFor(12)), category: 'sanitation', description: '有问题' }),
      'qr_invalid',
    ],
    [
      'a QR code signed with another secret',
      () => ({
        qr: signQrTarget('another-secret-xxxxxxxxxxxxxxxxxxxxxxx', {
          community: 'xiaduoyuan',
          kind: 'building',
          building: 12,
        }),
        category: 'sanitation',
        description: '有问题',
      }),
      'qr_invalid',
    ],
    [
      'an unknown category',
      () => ({ qr: qrFor(12), category: 'spaceship', description: '有问题' }),
      'unknown_category',
    ],
    [
      'a photo that is not yours',
      () => ({
        qr: qrFor(12),
        category: 'sanitation',
        description: '有问题',
        photos: [{ id: '00000000-0000-4000-8000-000000000000', uploadToken: 'not-a-real-token-000' }],
      }),
      'photo_not_found',
    ],
    [
      'a bad phone',
      () => ({ qr: qrFor(12), category: 'sanitation', description: '有问题', phone: '12345' }),
      'validation_failed',
    ],
    [
      'an unknown field',
      () => ({ qr: qrFor(12), category: 'sanitation', description: '有问题', admin: true }),
      'validation_failed',
    ],
  ])('%s', async (_name, payload, code) => {
    const before = await counts();
    const r = await complain(payload());
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe(code);
    expect(typeof r.json().error.message).toBe('string');
    expect(await counts()).toEqual(before);
  });
});

function flip(code: string): string {
  const i = Math.floor(code.length / 3);
  return code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1);
}

describe('abuse controls', () => {
  test('per client address: the 11th complaint in a minute is refused; a forged X-Forwarded-For does not help', async () => {
    const ip = '10.77.0.1';
    for (let i = 0; i < 10; i++) {
      const r = await complain(
        { qr: qrFor(60 + (i % 5)), category: 'other', description: `第${i}次反映` },
        {},
        ip,
      );
      expect(r.statusCode).toBe(201);
    }
    const before = await counts();
    const blocked = await complain(
      { qr: qrFor(61), category: 'other', description: '再来一次' },
      { 'x-forwarded-for': '1.2.3.4' },
      ip,
    );
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('rate_limited');
    expect(await counts()).toEqual(before);
  });

  test(`per QR code: at most ${COMPLAINT_LIMITS.perQrPerHour} ordinary complaints an hour from one code, from many addresses; an emergency still gets in`, async () => {
    clock.advance(2 * 3600_000);
    const qr = qrFor(100);
    for (let i = 0; i < COMPLAINT_LIMITS.perQrPerHour; i++) {
      const r = await complain({ qr, category: 'other', description: `同一二维码第${i}次` });
      expect(r.statusCode).toBe(201);
    }
    const blocked = await complain({ qr, category: 'other', description: '超出' });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('too_many_complaints');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const emergency = await complain({
      qr,
      category: 'other',
      urgency: 'emergency',
      description: '楼道起火冒烟',
    });
    expect(emergency.statusCode).toBe(201);
    clock.advance(3600_000 + 1000);
    expect((await complain({ qr, category: 'other', description: '一小时后' })).statusCode).toBe(201);
  });

  test(`per WeChat account (openid): at most ${COMPLAINT_LIMITS.perAccountPerHour} an hour, from any address or code`, async () => {
    clock.advance(2 * 3600_000);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/dev-resident',
      remoteAddress: '10.88.0.1',
    });
    const auth = { authorization: `Bearer ${login.json().accessToken}` };
    for (let i = 0; i < COMPLAINT_LIMITS.perAccountPerHour; i++) {
      const r = await complain({ qr: qrFor(110 + i), category: 'other', description: `账号第${i}次` }, auth);
      expect(r.statusCode).toBe(201);
    }
    const before = await counts();
    const blocked = await complain({ qr: qrFor(130), category: 'other', description: '超出' }, auth);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('too_many_complaints');
    expect(await counts()).toEqual(before);
    // Another resident is not affected.
    const other = await complain({ qr: qrFor(130), category: 'other', description: '别人的投诉' });
    expect(other.statusCode).toBe(201);
  });

  test('a banned phone: the complaint is accepted as usual, but hidden from staff and never dispatched', async () => {
    const admin = await t.loginAs('admin');
    await t.app.inject({
      method: 'POST',
      url: '/api/admin/bans',
      headers: admin.auth,
      payload: { kind: 'phone', value: '13700001111', reason: '多次恶意投诉' },
    });
    const r = await complain({
      qr: qrFor(20),
      category: 'noise',
      description: '恶意内容',
      phone: '13700001111',
    });
    expect(r.statusCode).toBe(201);
    const { trackingCode } = r.json();
    const [row] = await t.db.select().from(issuesTable).where(eq(issuesTable.code, trackingCode));
    expect(row!.hidden).toBe(true);
    expect(row!.status).toBe('submitted');
    expect(row!.assignees).toEqual([]);

    const leader = await t.loginAs('wu-wenjie');
    const list = await t.app.inject({
      url: '/api/issues?community=xiaduoyuan&limit=100',
      headers: leader.auth,
    });
    expect(list.json().items.map((i: { code: string }) => i.code)).not.toContain(trackingCode);
    const one = await t.app.inject({ url: `/api/issues/${row!.id}`, headers: leader.auth });
    expect(one.statusCode).toBe(404);
    // Nor can staff act on it: the same gate guards transitions.
    const act = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${row!.id}/reject`,
      headers: leader.auth,
      payload: { reason: '无效投诉' },
    });
    expect(act.statusCode).toBe(404);
    const asAdmin = await t.app.inject({ url: `/api/issues/${row!.id}`, headers: admin.auth });
    expect(asAdmin.statusCode).toBe(200);
  });
});

describe('Idempotency-Key on complaints', () => {
  test('a retried complaint returns the same receipt and creates one issue', async () => {
    const payload = { qr: qrFor(15), category: 'security', description: '单元门禁坏了' };
    const key = 'complaint-retry-0001';
    const before = await counts();
    const a = await complain(payload, { 'idempotency-key': key });
    const b = await complain(payload, { 'idempotency-key': key });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json()).toEqual(a.json());
    expect((await counts()).issues).toBe(before.issues + 1);
    const reuse = await complain({ ...payload, description: '别的问题' }, { 'idempotency-key': key });
    expect(reuse.statusCode).toBe(422);
  });
});
