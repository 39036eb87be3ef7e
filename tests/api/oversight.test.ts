import type { IssueDetail, OversightCommentsView, RoundsView } from '@gongzhi/domain';
import { count, eq, sql } from 'drizzle-orm';
import { oversightCommentsTable, patrolRoundsTable } from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';

type Session = Awaited<ReturnType<TestApp['loginAs']>>;

// The supervisory committee (监督委员会, seed 004) and patrol rounds and home visits (两巡两访,
// seed 002) on 夏朵园 with a committee of two added to the config (the source names none).
const clock = testClock(new Date('2026-11-16T02:00:00Z'));
let t: TestApp;
let sun: Session; // committee chair
let qian: Session; // committee member
let in1: Session; // grid inspector, zone 1 (杨琛怡)
let in2: Session; // grid inspector, zones 2 and 3 (庄永亮)
let rc1: Session; // residents' committee, zone 1 (张嫩)
let zl1: Session; // zone 1 leader (吴文杰)
let zl2: Session; // zone 2 leader (胡圣家)
let sec: Session; // secretary (屠忠梅)
let issue: IssueDetail; // zone 1
let issue2: IssueDetail; // zone 2

beforeAll(async () => {
  t = await buildTestApp({
    now: clock.now,
    editConfig: (raw) => {
      (raw.people as unknown[]).push(
        { key: 'sun-liping', name: '孙立平' },
        { key: 'qian-fang', name: '钱芳' },
      );
      raw.supervisoryCommittee = { chair: 'sun-liping', members: ['sun-liping', 'qian-fang'] };
    },
  });
  const s = await Promise.all(
    [
      'sun-liping',
      'qian-fang',
      'yang-chenyi',
      'zhuang-yongliang',
      'zhang-nen',
      'wu-wenjie',
      'hu-shengjia',
      'tu-zhongmei',
    ].map((p) => t.loginAs(p)),
  );
  [sun, qian, in1, in2, rc1, zl1, zl2, sec] = s as [
    Session,
    Session,
    Session,
    Session,
    Session,
    Session,
    Session,
    Session,
  ];
  issue = await ok<IssueDetail>(in1, 'POST', '/api/issues', {
    community: 'xiaduoyuan',
    building: 12,
    category: 'sanitation',
    description: '12号楼门口垃圾堆积',
  });
  issue2 = await ok<IssueDetail>(in2, 'POST', '/api/issues', {
    community: 'xiaduoyuan',
    building: 50,
    category: 'sanitation',
    description: '50号楼门口垃圾堆积',
  });
}, 120_000);
afterAll(() => t?.close());

const call = (s: Session | null, method: string, url: string, payload?: object, headers: object = {}) =>
  t.app.inject({
    method: method as 'GET',
    url,
    headers: { ...(s?.auth ?? {}), ...headers },
    ...(payload ? { payload } : {}),
  });
async function ok<T>(s: Session, method: string, url: string, payload?: object): Promise<T> {
  const r = await call(s, method, url, payload);
  if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json() as T;
}
const C = '/api/communities/xiaduoyuan';
const comments = (s: Session, subject: string, ref: string) =>
  call(s, 'GET', `${C}/oversight-comments?subject=${subject}&ref=${ref}`);
const commentRows = async () => (await t.db.select({ n: count() }).from(oversightCommentsTable))[0]!.n;
const roundRows = async () => (await t.db.select({ n: count() }).from(patrolRoundsTable))[0]!.n;

describe('the supervisory committee reads complaint handling, letters and the credit file', () => {
  test('reads every zone’s issues with their timelines, and may do nothing to them', async () => {
    const list = await ok<{ items: { id: string }[] }>(sun, 'GET', '/api/issues?community=xiaduoyuan');
    expect(list.items.map((i) => i.id)).toEqual(expect.arrayContaining([issue.id, issue2.id]));
    const detail = await ok<IssueDetail>(sun, 'GET', `/api/issues/${issue2.id}`);
    expect(detail.events.length).toBeGreaterThan(0);
    expect(detail.allowedActions).toEqual([]);
    const dispatch = await call(sun, 'POST', `/api/issues/${issue.id}/dispatch`, {
      assignee: 'zhang-lifen',
      note: '请处理',
    });
    expect(dispatch.statusCode).toBe(403);
  });

  test('reads the letters and every organisation’s credit file', async () => {
    expect((await call(sun, 'GET', '/api/letters?community=xiaduoyuan')).statusCode).toBe(200);
    for (const org of ['property', 'oc', 'rc']) {
      expect((await call(qian, 'GET', `${C}/credit?org=${org}&period=2026Q4`)).statusCode).toBe(200);
    }
  });

  test('the work desk offers the committee its page', async () => {
    const me = await ok<{ menu: { key: string }[] }>(sun, 'GET', '/api/me');
    expect(me.menu.map((e) => e.key)).toEqual(
      expect.arrayContaining(['oversight', 'zone_issues', 'letters', 'credit']),
    );
    const secMe = await ok<{ menu: { key: string }[] }>(sec, 'GET', '/api/me');
    expect(secMe.menu.map((e) => e.key)).not.toContain('oversight');
  });
});

describe('comments on the record', () => {
  test('a member comments on an issue’s handling: kept with who and when, read by whoever reads the issue', async () => {
    const before = await comments(in1, 'issue', issue.id);
    expect(before.json()).toEqual({ items: [], allowedActions: [] });
    const r = await call(sun, 'POST', `${C}/oversight-comments`, {
      subject: 'issue',
      ref: issue.id,
      text: '请物业公司说明为何两天未接单。',
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      subject: 'issue',
      subjectName: '投诉处理',
      ref: issue.id,
      by: '孙立平（监督委员会主任）',
      byPerson: 'sun-liping',
      at: clock.now().toISOString(),
    });
    clock.advance(60_000);
    await ok(qian, 'POST', `${C}/oversight-comments`, {
      subject: 'issue',
      ref: issue.id,
      text: '同意，请一周内答复。',
    });
    const seen = (await comments(in1, 'issue', issue.id)).json() as OversightCommentsView;
    expect(seen.items.map((c) => c.by)).toEqual(['孙立平（监督委员会主任）', '钱芳（监督委员会委员）']);
    expect(seen.allowedActions).toEqual([]);
    expect(((await comments(sun, 'issue', issue.id)).json() as OversightCommentsView).allowedActions).toEqual(
      ['comment'],
    );
    // Another zone's leader does not read the issue, nor its comments.
    expect((await comments(zl2, 'issue', issue.id)).statusCode).toBe(404);
  });

  test('only the committee comments; nothing is written on a refusal', async () => {
    const n = await commentRows();
    const cases: [Session, object, number, string][] = [
      [sec, { subject: 'issue', ref: issue.id, text: '秘书的意见' }, 403, 'not_supervisor'],
      [zl1, { subject: 'issue', ref: issue.id, text: '组长的意见' }, 403, 'not_supervisor'],
      [sun, { subject: 'issue', ref: issue.id, text: '好' }, 400, 'validation_failed'],
      [sun, { subject: 'credit', ref: 'landlord', text: '没有这个单位' }, 400, 'invalid_subject_ref'],
      [sun, { subject: 'fund_use', ref: issue.id, text: '此问题不使用维修资金' }, 404, 'fund_use_not_found'],
      [sun, { subject: 'letter', ref: issue.id, text: '这不是函件' }, 404, 'letter_not_found'],
      [sun, { subject: 'meeting', ref: issue.id, text: '未知对象' }, 400, 'validation_failed'],
    ];
    for (const [s, body, status, code] of cases) {
      const r = await call(s, 'POST', `${C}/oversight-comments`, body);
      expect([status, r.json().error?.code]).toEqual([status, code]);
    }
    expect(await commentRows()).toBe(n);
  });

  test('a comment on a credit file, and a retried post is one comment', async () => {
    const n = await commentRows();
    const body = { subject: 'credit', ref: 'property', text: '本季度物业公司收到提示函，请说明整改情况。' };
    const key = { 'idempotency-key': 'oversight-comment-0001' };
    const first = await call(sun, 'POST', `${C}/oversight-comments`, body, key);
    const again = await call(sun, 'POST', `${C}/oversight-comments`, body, key);
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.json().id).toBe(first.json().id);
    expect(await commentRows()).toBe(n + 1);
    expect(((await comments(sec, 'credit', 'property')).json() as OversightCommentsView).items).toHaveLength(
      1,
    );
  });

  test('the database refuses to change or delete a comment', async () => {
    await expect(t.db.execute(sql`update oversight_comments set text = '改过的意见'`)).rejects.toMatchObject({
      cause: expect.objectContaining({ code: '23514' }),
    });
    await expect(t.db.execute(sql`delete from oversight_comments`)).rejects.toMatchObject({
      cause: expect.objectContaining({ code: '23514' }),
    });
  });
});

describe('patrol rounds and home visits (两巡两访)', () => {
  const round = (body: object) => ({ community: 'xiaduoyuan', zone: 'zone-1', kind: 'patrol', ...body });

  test('an inspector records a round that found nothing and one that filed an issue; the month counts them', async () => {
    const nothing = await call(in1, 'POST', '/api/rounds', round({ building: 12, outcome: 'nothing_found' }));
    expect(nothing.statusCode).toBe(201);
    expect(nothing.json()).toMatchObject({
      person: 'yang-chenyi',
      personName: '杨琛怡',
      zone: 'zone-1',
      zoneName: '第一责任区域',
      building: 12,
      outcome: 'nothing_found',
      outcomeName: '未发现问题',
      issues: [],
    });
    const filed = await call(
      in1,
      'POST',
      '/api/rounds',
      round({ place: '南门广场', outcome: 'issues_filed', issueIds: [issue.id] }),
    );
    expect(filed.statusCode).toBe(201);
    expect(filed.json().issues).toEqual([{ id: issue.id, code: issue.code }]);
    await ok(
      in1,
      'POST',
      '/api/rounds',
      round({ kind: 'home_visit', outcome: 'nothing_found', note: '独居老人，一切正常' }),
    );
    await ok(rc1, 'POST', '/api/rounds', round({ kind: 'home_visit', outcome: 'nothing_found' }));

    const mine = await ok<RoundsView>(in1, 'GET', `${C}/rounds?month=2026-11`);
    expect(mine.counts).toEqual([
      {
        person: 'yang-chenyi',
        personName: '杨琛怡',
        patrols: 2,
        visits: 1,
        nothingFound: 2,
        withIssues: 1,
        issuesFiled: 1,
      },
    ]);
    expect(mine.allowedActions).toEqual(['record']);
    expect(mine.recordZones).toEqual([{ key: 'zone-1', name: '第一责任区域' }]);
    // The zone leader reads the zone's; the committee everyone's; another zone's inspector only their own.
    const zone = await ok<RoundsView>(zl1, 'GET', `${C}/rounds?month=2026-11`);
    expect(zone.counts.map((c) => [c.person, c.patrols + c.visits])).toEqual([
      ['yang-chenyi', 3],
      ['zhang-nen', 1],
    ]);
    expect(zone.allowedActions).toEqual([]);
    expect((await ok<RoundsView>(sun, 'GET', `${C}/rounds?month=2026-11`)).items).toHaveLength(4);
    expect((await ok<RoundsView>(in2, 'GET', `${C}/rounds?month=2026-11`)).items).toHaveLength(0);
    // Another month is another count.
    expect((await ok<RoundsView>(in1, 'GET', `${C}/rounds?month=2026-10`)).counts).toEqual([]);
  });

  test('refusals: the wrong person, the outcome against its issues, another zone’s issue; nothing written', async () => {
    const n = await roundRows();
    const cases: [Session, object, number, string][] = [
      [rc1, round({ outcome: 'nothing_found' }), 403, 'round_not_permitted'],
      [zl1, round({ outcome: 'nothing_found' }), 403, 'round_not_permitted'],
      [sun, round({ outcome: 'nothing_found' }), 403, 'round_not_permitted'],
      [in1, round({ zone: 'zone-2', outcome: 'nothing_found' }), 403, 'round_not_permitted'],
      [in1, round({ outcome: 'issues_filed' }), 400, 'round_outcome_mismatch'],
      [in1, round({ outcome: 'nothing_found', issueIds: [issue.id] }), 400, 'round_outcome_mismatch'],
      [in1, round({ outcome: 'issues_filed', issueIds: [issue2.id] }), 400, 'round_issue_other_zone'],
      [in1, round({ building: 50, outcome: 'nothing_found' }), 400, 'building_zone_mismatch'],
      [in1, round({ outcome: 'nothing_found', at: '2026-11-17T02:00:00Z' }), 400, 'round_in_future'],
      [in1, round({ outcome: 'maybe' }), 400, 'validation_failed'],
    ];
    for (const [s, body, status, code] of cases) {
      const r = await call(s, 'POST', '/api/rounds', body);
      expect([JSON.stringify(body), r.statusCode, r.json().error?.code]).toEqual([
        JSON.stringify(body),
        status,
        code,
      ]);
    }
    expect(await roundRows()).toBe(n);
  });

  test('a round retried from an offline phone is recorded once', async () => {
    const n = await roundRows();
    const body = round({ outcome: 'nothing_found', at: '2026-11-15T08:00:00Z' });
    const key = { 'idempotency-key': 'round-offline-0001' };
    const a = await call(in1, 'POST', '/api/rounds', body, key);
    const b = await call(in1, 'POST', '/api/rounds', body, key);
    expect([a.statusCode, b.statusCode, b.json().id]).toEqual([201, 201, a.json().id]);
    expect(await roundRows()).toBe(n + 1);
  });

  test('the database refuses to change or delete a round', async () => {
    await expect(
      t.db
        .update(patrolRoundsTable)
        .set({ outcome: 'issues_filed' })
        .where(eq(patrolRoundsTable.person, 'yang-chenyi')),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: '23514' }) });
    await expect(t.db.execute(sql`delete from patrol_rounds`)).rejects.toMatchObject({
      cause: expect.objectContaining({ code: '23514' }),
    });
  });
});
