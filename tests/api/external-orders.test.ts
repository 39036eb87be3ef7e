import type { ExternalOrderPage, ExternalOrderView, IssueDetail, KpiView } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { externalOrdersTable, issueEventsTable, issuesTable } from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import * as flow from '../helpers/issue-flow';

type Session = flow.Session;

let t: TestApp;
// Monday 2026-11-16 10:00 in Shanghai.
const clock = testClock(new Date('2026-11-16T02:00:00Z'));
let sec: Session; // the secretary
let rc1: Session; // rc member of zone 1 (居委会接待)
let in1: Session; // grid inspector of zone 1
let ps1: Session; // property specialist of zone 1
let ldr: Session; // leadership: reads, does not enter

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  sec = await t.loginAs('tu-zhongmei');
  rc1 = await t.loginAs('zhang-nen');
  in1 = await t.loginAs('yang-chenyi');
  ps1 = await t.loginAs('zhang-lifen');
  ldr = await t.loginAs('wen-liang');
});
afterAll(() => t.close());

const order = (over: Record<string, unknown> = {}) => ({
  community: 'xiaduoyuan',
  source: 'hotline_12345',
  externalNo: 'BJ12345-20261116-0001',
  externalDueAt: '2026-11-20T18:00:00+08:00',
  replyDueAt: '2026-11-21T18:00:00+08:00',
  building: 12,
  category: 'sanitation',
  description: '市民来电：12号楼门口垃圾三天没人清运',
  reporterName: '王女士',
  reporterPhone: '13900001111',
  ...over,
});
const post = (s: Session, url: string, payload: object) =>
  t.app.inject({ method: 'POST', url, headers: s.auth, payload });
const rowCounts = async () => ({
  orders: (await t.db.select({ id: externalOrdersTable.id }).from(externalOrdersTable)).length,
  issues: (await t.db.select({ id: issuesTable.id }).from(issuesTable)).length,
});

describe('external orders: 12345 hotline and the street office', () => {
  let first: ExternalOrderView;

  test('the secretary enters a 12345 order: an issue routed as usual, channel hotline_12345', async () => {
    const r = await post(sec, '/api/external-orders', order());
    expect(r.statusCode).toBe(201);
    first = r.json() as ExternalOrderView;
    expect(first).toMatchObject({
      source: 'hotline_12345',
      sourceName: '12345热线',
      externalNo: 'BJ12345-20261116-0001',
      externalDueAt: '2026-11-20T10:00:00.000Z',
      replyDueAt: '2026-11-21T10:00:00.000Z',
      reply: null,
      canReply: false,
      handlingOverdue: false,
      replyOverdue: false,
    });
    expect(first.issue).toMatchObject({ status: 'dispatched', zoneName: '第一责任区域' });
    const issue = await flow.issueById(t, sec, first.issue.id);
    expect(issue.channel).toBe('hotline_12345');
    expect(issue.reporter.name).toBe('王女士');
    expect(flow.openTaskOf(issue, 'zhang-lifen')).toBeDefined();
  });

  test('refusals write nothing: the same number again, the wrong person, malformed fields', async () => {
    const before = await rowCounts();
    const cases: [Session, object, number, string, string | null][] = [
      [rc1, order(), 409, 'duplicate_external_no', 'body.externalNo'],
      [in1, order({ externalNo: 'X-2' }), 403, 'not_external_desk', null],
      [ldr, order({ externalNo: 'X-3' }), 403, 'not_external_desk', null],
      [
        sec,
        order({ externalNo: 'X-4', externalDueAt: '下周五' }),
        400,
        'validation_failed',
        'body.externalDueAt',
      ],
      [sec, order({ externalNo: 'X-5', source: 'wechat' }), 400, 'validation_failed', 'body.source'],
      [sec, order({ externalNo: 'X-6', category: 'nope' }), 400, 'unknown_category', 'body.category'],
      [
        sec,
        order({ externalNo: 'X-7', zone: 'zone-9', building: undefined }),
        400,
        'unknown_zone',
        'body.zone',
      ],
    ];
    for (const [s, body, status, code, path] of cases) {
      const r = await post(s, '/api/external-orders', body);
      expect([r.statusCode, r.json().error.code]).toEqual([status, code]);
      if (path) expect(r.json().error.details[0].path).toBe(path);
    }
    expect(await rowCounts()).toEqual(before);
    // The same number from another source is another order.
    const other = await post(rc1, '/api/external-orders', order({ source: 'street_office' }));
    expect(other.statusCode).toBe(201);
  });

  test('an order routing cannot place goes to the triage desk, not back to the hotline', async () => {
    const r = await post(sec, '/api/external-orders', order({ externalNo: 'BJ-T1', building: 777 }));
    expect(r.statusCode).toBe(201);
    expect((r.json() as ExternalOrderView).issue).toMatchObject({
      status: 'submitted',
      zoneName: '待确定区域',
    });
  });

  test('the reply: refused before the work is done; recorded once when done; on the issue’s record', async () => {
    const url = `/api/external-orders/${first.id}/reply`;
    const early = await post(sec, url, { text: '已处理' });
    expect([early.statusCode, early.json().error.code]).toEqual([409, 'not_done_yet']);
    expect((await post(sec, url, { text: '' })).json().error.details[0].path).toBe('body.text');

    await flow.resolveTaskOf(t, ps1, first.issue.id, 'zhang-lifen');
    clock.advance(2 * 24 * 3_600_000); // Wednesday: within both deadlines
    const listed = (
      await t.app.inject({
        url: '/api/external-orders?community=xiaduoyuan&unreplied=true',
        headers: sec.auth,
      })
    ).json() as ExternalOrderPage;
    expect(listed.items.find((o) => o.id === first.id)?.canReply).toBe(true);
    // The leadership reads the list but may not reply.
    const forLeader = (
      await t.app.inject({ url: '/api/external-orders?community=xiaduoyuan', headers: ldr.auth })
    ).json() as ExternalOrderPage;
    expect(forLeader.items.find((o) => o.id === first.id)?.canReply).toBe(false);
    const wrong = await post(in1, url, { text: '已清运' });
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([403, 'not_external_desk']);

    const r = await post(sec, url, { text: '经核实，物业已于11月16日清运完毕，已电话告知王女士。' });
    expect(r.statusCode).toBe(200);
    const replied = r.json() as ExternalOrderView;
    expect(replied.reply).toMatchObject({
      text: '经核实，物业已于11月16日清运完毕，已电话告知王女士。',
      by: '屠忠梅',
    });
    expect(replied).toMatchObject({ canReply: false, replyOverdue: false, handlingOverdue: false });
    const again = await post(sec, url, { text: '再次回复' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'already_replied']);
    const events = await t.db
      .select()
      .from(issueEventsTable)
      .where(eq(issueEventsTable.issueId, first.issue.id));
    expect(events.filter((e) => e.action === 'external_reply').map((e) => e.note)).toEqual([
      '经核实，物业已于11月16日清运完毕，已电话告知王女士。',
    ]);
    expect(
      (
        await t.app.inject({
          url: '/api/external-orders?community=xiaduoyuan&unreplied=true',
          headers: sec.auth,
        })
      )
        .json()
        .items.some((o: ExternalOrderView) => o.id === first.id),
    ).toBe(false);
  });

  test('the export for the hotline’s system: number, status, reply text and time; CSV and XLSX', async () => {
    const r = await t.app.inject({
      url: '/api/external-orders/export?community=xiaduoyuan&source=hotline_12345&format=csv',
      headers: sec.auth,
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    const lines = r.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('外部工单编号,来源,本系统编号,办理状态,办结时限,回复内容,回复时间,回复时限');
    const row = lines.find((l) => l.startsWith('BJ12345-20261116-0001,'))!;
    expect(row).toContain('12345热线');
    expect(row).toContain('已办结');
    expect(row).toContain('经核实，物业已于11月16日清运完毕');
    expect(row).toContain('2026-11-18');
    // The street office's order is not in the hotline's file.
    expect(lines.filter((l) => l.startsWith('BJ12345-20261116-0001,'))).toHaveLength(1);
    const x = await t.app.inject({
      url: '/api/external-orders/export?community=xiaduoyuan&format=xlsx',
      headers: sec.auth,
    });
    expect(x.statusCode).toBe(200);
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const denied = await t.app.inject({
      url: '/api/external-orders/export?community=xiaduoyuan',
      headers: in1.auth,
    });
    expect(denied.statusCode).toBe(403);
  });

  test('KPIs by channel count the external orders apart', async () => {
    const r = await t.app.inject({
      url: '/api/communities/xiaduoyuan/kpis?period=2026-11',
      headers: sec.auth,
    });
    expect(r.statusCode).toBe(200);
    const view = r.json() as KpiView;
    const of = (k: string) => view.byChannel.find((c) => c.key === k)?.figures.received;
    expect(of('hotline_12345')).toBe(2);
    expect(of('street_office')).toBe(1);
    expect(view.byChannel.reduce((n, c) => n + c.figures.received, 0)).toBe(view.totals.received);
  });

  test('an idempotent retry gives the same order back, not a duplicate', async () => {
    const headers = { ...sec.auth, 'idempotency-key': 'ext-retry-0001' };
    const body = order({ externalNo: 'BJ-R1' });
    const a = await t.app.inject({ method: 'POST', url: '/api/external-orders', headers, payload: body });
    const b = await t.app.inject({ method: 'POST', url: '/api/external-orders', headers, payload: body });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect((b.json() as ExternalOrderView).id).toBe((a.json() as ExternalOrderView).id);
    const issue = (
      await t.app.inject({
        url: `/api/issues/${(a.json() as ExternalOrderView).issue.id}`,
        headers: sec.auth,
      })
    ).json() as IssueDetail;
    expect(issue.channel).toBe('hotline_12345');
  });
});
