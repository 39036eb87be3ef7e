import type { CallbackListView, IssueDetail, KpiView } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { issueEventsTable, issueRatingsTable, issuesTable } from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import { kpiStory } from '../helpers/kpi-story';

let t: TestApp;
const clock = testClock(new Date('2026-09-07T02:00:00Z'));
let story: ReturnType<typeof kpiStory>;
const ids: Record<string, string> = {};
const ok = <T>(person: string, method: 'GET' | 'POST', url: string, payload?: object, status = 200) =>
  story.ok<T>(person, method, url, payload, status);
const at = (date: string, time?: string) => story.at(date, time);

/** What a refusal must leave alone: the issue row, its events and its rating. */
async function footprint(id: string) {
  const [issue] = await t.db.select().from(issuesTable).where(eq(issuesTable.id, id));
  const events = await t.db.select().from(issueEventsTable).where(eq(issueEventsTable.issueId, id));
  const ratings = await t.db.select().from(issueRatingsTable).where(eq(issueRatingsTable.issueId, id));
  return { issue, events: events.length, ratings: ratings.length };
}

/**
 * The hand-built story (issue 17 item 6). Urgent: contact within 2 working hours (08:30–12:00,
 * 13:00–17:30), resolve within 24 h; normal: contact within 1 working day, resolve within 7.
 * Filed by the zone-1 inspector on a resident's behalf (a reporter to contact) except E (her own
 * patrol: nobody to contact). Mon 2026-09-07, Shanghai time; the task goes to 张丽芬 (ps1).
 *
 *     filed        urgency  contact due  first contact                 resolve due  what happened
 *  A  09-07 10:00  urgent   09-07 12:00  11:00 phone (on time)         09-08 10:00  resolved 15:00, verified 16:00; callback yes, 5
 *  B  09-07 10:00  urgent   09-07 12:00  14:00 sms (late)              09-08 10:00  resolved 15:00, NOT FIXED 16:00, resolved 09-08 09:00,
 *                                                                                   verified 09:30; callback no, 2
 *  C  09-07 10:00  urgent   09-07 12:00  09-08 09:50 the resolve note  09-08 10:00  resolved 09-08 09:50, verified 11:00 (closed late);
 *                                                                                   callback yes, 4
 *  D  09-07 10:00  normal   09-08 10:00  —                             09-16        still open
 *  E  09-07 10:00  normal   — (patrol)   —                             09-16        resolved and verified 09-09
 *
 * By hand, September 2026, computed on 09-30:
 *  received 5; handled A B C E = 4
 *  响应率   contacts due A B C D = 4 (E none); on time A              → 1/4
 *  解决率   callbacks A B C = 3; solved A C                            → 2/3
 *  满意率   scores ≥ 4: A (5), C (4)                                   → 2/3
 *  按期结案率 closed A B C E = 4; by the resolve due A, B, E (C 11:00 > 10:00) → 3/4
 *  返工率   reopened B                                                → 1/4
 *  按时办结率 first handled by due: A, B (09-07 15:00), C (09:50), E     → 4/4
 */
beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  story = kpiStory(t, clock);
  const { file, resolve } = story;
  const onBehalf = { channel: 'staff_on_behalf', reporterName: '王阿姨', reporterPhone: '13812345678' };
  at('2026-09-07', '10:00');
  for (const [k, urgency, building] of [
    ['A', 'urgent', 12],
    ['B', 'urgent', 13],
    ['C', 'urgent', 14],
    ['D', 'normal', 15],
  ] as const) {
    ids[k] = (
      await file('yang-chenyi', {
        building,
        category: 'sanitation',
        description: `${building}号楼垃圾堆积`,
        urgency,
        ...onBehalf,
      })
    ).id;
  }
  ids.E = (await file('yang-chenyi', { building: 16, category: 'sanitation', description: '16号楼垃圾' })).id;

  at('2026-09-07', '11:00');
  await ok('zhang-lifen', 'POST', `/api/issues/${ids.A}/contact`, { means: 'phone', note: '已电话告知' });
  at('2026-09-07', '14:00');
  await ok('zhang-nen', 'POST', `/api/issues/${ids.B}/contact`, { means: 'sms' });
  at('2026-09-07', '15:00');
  await resolve(ids.A!, 'zhang-lifen');
  await resolve(ids.B!, 'zhang-lifen');
  at('2026-09-07', '16:00');
  await ok('yang-chenyi', 'POST', `/api/issues/${ids.A}/verify`, {});
  await ok('yang-chenyi', 'POST', `/api/issues/${ids.B}/reject-fix`, { reason: '垃圾仍未清运' });
  at('2026-09-08', '09:00');
  await resolve(ids.B!, 'zhang-lifen');
  at('2026-09-08', '09:30');
  await ok('yang-chenyi', 'POST', `/api/issues/${ids.B}/verify`, {});
  at('2026-09-08', '09:50');
  await resolve(ids.C!, 'zhang-lifen');
  at('2026-09-08', '11:00');
  await ok('yang-chenyi', 'POST', `/api/issues/${ids.C}/verify`, {});
  at('2026-09-09', '10:00');
  await resolve(ids.E!, 'zhang-lifen');
  await ok('yang-chenyi', 'POST', `/api/issues/${ids.E}/verify`, {});
  at('2026-09-10', '10:00');
}, 120_000);
afterAll(() => t.close());

describe('the first contact (响应)', () => {
  test('kept on the row: the deadline in working hours, the first contact by record or reply', async () => {
    const rows = await t.db.select().from(issuesTable);
    const fact = (k: string) => {
      const r = rows.find((x) => x.id === ids[k])!;
      return [r.contactDueAt?.toISOString() ?? null, r.firstContactAt?.toISOString() ?? null];
    };
    expect(fact('A')).toEqual(['2026-09-07T04:00:00.000Z', '2026-09-07T03:00:00.000Z']);
    expect(fact('B')).toEqual(['2026-09-07T04:00:00.000Z', '2026-09-07T06:00:00.000Z']);
    // C: nobody recorded a contact; the resolve's note was the first reply the reporter read.
    expect(fact('C')).toEqual(['2026-09-07T04:00:00.000Z', '2026-09-08T01:50:00.000Z']);
    expect(fact('D')).toEqual(['2026-09-08T02:00:00.000Z', null]);
    expect(fact('E')).toEqual([null, '2026-09-09T02:00:00.000Z']);
  });

  test('a later contact is recorded and does not move the first', async () => {
    at('2026-09-10', '10:00');
    const d = await ok<IssueDetail>('wu-wenjie', 'POST', `/api/issues/${ids.A}/contact`, { means: 'visit' });
    expect(d.reporterContact.firstAt).toBe('2026-09-07T03:00:00.000Z');
    expect(d.events.filter((e) => e.action === 'contact_reporter').map((e) => e.note)).toEqual([
      '电话：已电话告知',
      '上门',
    ]);
  });

  test.each([
    ['a missing means', {}, 400, 'means'],
    ['an unknown means', { means: 'fax' }, 400, 'means'],
    ['an unknown field', { means: 'phone', when: 'now' }, 400, ''],
  ])('refuses %s with the field path, writing nothing', async (_what, body, status, path) => {
    const before = await footprint(ids.D!);
    const r = await story.call('zhang-lifen', 'POST', `/api/issues/${ids.D}/contact`, body);
    expect(r.statusCode).toBe(status);
    expect(JSON.stringify(r.json().error.details ?? [])).toContain(`"path":"body${path ? `.${path}` : ''}`);
    expect(await footprint(ids.D!)).toEqual(before);
  });

  test('refuses someone not handling the issue (403), writing nothing', async () => {
    const before = await footprint(ids.D!);
    const r = await story.call('tu-zhongmei', 'POST', `/api/issues/${ids.D}/contact`, { means: 'phone' });
    expect([r.statusCode, r.json().error.code]).toEqual([403, 'not_handling_issue']);
    expect(await footprint(ids.D!)).toEqual(before);
  });
});

describe('the phone callback (回访)', () => {
  test('the desk lists closed issues awaiting a callback, with the phone to call', async () => {
    const list = await ok<CallbackListView>('wu-wenjie', 'GET', '/api/communities/xiaduoyuan/callbacks');
    expect(list.items.map((i) => i.code).sort()).toEqual(
      (await Promise.all(['A', 'B', 'C', 'E'].map((k) => story.issue(ids[k]!)))).map((i) => i.code).sort(),
    );
    expect(list.items.find((i) => i.id === ids.A)?.reporter.phone).toBe('13812345678');
    // Another zone's leader has nothing of zone 1's to call back.
    const other = await ok<CallbackListView>('hu-shengjia', 'GET', '/api/communities/xiaduoyuan/callbacks');
    expect(other.items).toEqual([]);
  });

  test('the detail says who may record what', async () => {
    const owner = await ok<IssueDetail>('wu-wenjie', 'GET', `/api/issues/${ids.A}`);
    expect(owner.reporterContact).toMatchObject({ canRecord: true, canCallback: true });
    const open = await ok<IssueDetail>('wu-wenjie', 'GET', `/api/issues/${ids.D}`);
    expect(open.reporterContact).toMatchObject({ canRecord: true, canCallback: false, firstAt: null });
    const inspector = await ok<IssueDetail>('yang-chenyi', 'GET', `/api/issues/${ids.A}`);
    expect(inspector.reporterContact).toMatchObject({ canRecord: false, canCallback: false });
  });

  test.each([
    ['no answer to 解决了吗', { score: 4 }, 'solved'],
    ['no answer to 满意吗', { solved: true }, 'score'],
    ['a score of 6', { solved: true, score: 6 }, 'score'],
  ])('refuses %s (400 with the field path), writing nothing', async (_what, body, path) => {
    const before = await footprint(ids.A!);
    const r = await story.call('wu-wenjie', 'POST', `/api/issues/${ids.A}/callback`, body);
    expect(r.statusCode).toBe(400);
    expect(JSON.stringify(r.json().error.details)).toContain(`"path":"body.${path}"`);
    expect(await footprint(ids.A!)).toEqual(before);
  });

  test('refuses the hands that did the work (403) and an open issue (409 with the open steps)', async () => {
    const before = await footprint(ids.A!);
    const own = await story.call('zhang-lifen', 'POST', `/api/issues/${ids.A}/callback`, {
      solved: true,
      score: 5,
    });
    // Her task is done and the issue closed: she no longer reads it at all.
    expect([404, 403]).toContain(own.statusCode);
    expect(await footprint(ids.A!)).toEqual(before);
    const beforeD = await footprint(ids.D!);
    const open = await story.call('wu-wenjie', 'POST', `/api/issues/${ids.D}/callback`, {
      solved: true,
      score: 5,
    });
    expect([open.statusCode, open.json().error.code]).toEqual([409, 'issue_not_closed']);
    expect(open.json().error.details[0].allowed).toEqual(['contact_reporter']);
    expect(await footprint(ids.D!)).toEqual(beforeD);
  });

  test('records the answers once: the rating, an event; a second callback is refused', async () => {
    at('2026-09-10', '15:00');
    const a = await ok<IssueDetail>('wu-wenjie', 'POST', `/api/issues/${ids.A}/callback`, {
      solved: true,
      score: 5,
    });
    expect(a.rating).toMatchObject({ score: 5, fixed: true, channel: 'phone' });
    expect(a.status).toBe('closed');
    expect(a.events.at(-1)).toMatchObject({ action: 'phone_callback', note: '已解决，非常满意（5 分）' });
    expect(a.reporterContact.canCallback).toBe(false);
    const b = await ok<IssueDetail>('zhang-nen', 'POST', `/api/issues/${ids.B}/callback`, {
      solved: false,
      score: 2,
      note: '垃圾房仍有异味',
    });
    // "Not solved" after closing: recorded, the issue stays closed.
    expect([b.status, b.rating?.fixed]).toEqual(['closed', false]);
    await ok('tu-zhongmei', 'POST', `/api/issues/${ids.C}/callback`, { solved: true, score: 4 });

    const before = await footprint(ids.A!);
    const again = await story.call('tu-zhongmei', 'POST', `/api/issues/${ids.A}/callback`, {
      solved: false,
      score: 1,
    });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'already_rated']);
    expect(await footprint(ids.A!)).toEqual(before);
    const list = await ok<CallbackListView>('wu-wenjie', 'GET', '/api/communities/xiaduoyuan/callbacks');
    expect(list.items.map((i) => i.id)).toEqual([ids.E]);
  });
});

describe('the rates on the hand-counted story', () => {
  test('September 2026: 响应率 1/4, 解决率 2/3, 满意率 2/3, 按期结案率 3/4, 返工率 1/4', async () => {
    at('2026-09-30', '12:00');
    const v = await ok<KpiView>('tu-zhongmei', 'GET', '/api/communities/xiaduoyuan/kpis?period=2026-09');
    const r = (k: keyof KpiView['totals']) => {
      const x = v.totals[k] as { numerator: number; denominator: number };
      return `${x.numerator}/${x.denominator}`;
    };
    expect({
      received: v.totals.received,
      handled: v.totals.handled,
      responseRate: r('responseRate'),
      solvedRate: r('solvedRate'),
      satisfactionRate: r('satisfactionRate'),
      closedOnTimeRate: r('closedOnTimeRate'),
      reworkRate: r('reworkRate'),
      onTimeRate: r('onTimeRate'),
      effectiveRate: r('effectiveRate'),
    }).toEqual({
      received: 5,
      handled: 4,
      responseRate: '1/4',
      solvedRate: '2/3',
      satisfactionRate: '2/3',
      closedOnTimeRate: '3/4',
      reworkRate: '1/4',
      onTimeRate: '4/4',
      // Handled, never reopened, rated ≥ 3 or not rated: A, C, E.
      effectiveRate: '3/4',
    });
    // The rankings: the zone, the organisation and the person that had the work.
    expect(
      v.rankings.zone.map((z) => [
        z.key,
        z.figures.responseRate.numerator,
        z.figures.responseRate.denominator,
      ]),
    ).toEqual([['zone-1', 1, 4]]);
    expect(v.rankings.person.map((p) => [p.key, p.figures.received])).toEqual([['zhang-lifen', 5]]);
    expect(v.rankings.org.map((o) => [o.key, o.figures.solvedRate.numerator])).toEqual([['property', 2]]);
  });

  test('before the contact deadline of D passed, D was not yet counted against the 响应率', async () => {
    at('2026-09-08', '09:59');
    const v = await ok<KpiView>('tu-zhongmei', 'GET', '/api/communities/xiaduoyuan/kpis?period=2026-09');
    expect([v.totals.contactDue, v.totals.contactedOnTime]).toEqual([3, 1]);
  });
});
