import type { HonorEntryPage, HonorEntryView, NoticePage, NoticeView } from '@gongzhi/domain';
import { sql, count as sqlCount } from 'drizzle-orm';
import { honorEntriesTable, noticesTable } from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import { complain } from '../helpers/issue-flow';
import { readXlsx } from '../helpers/xlsx-read';

/**
 * Issue 16, items 7 and 8: general announcements (停水停电, 消杀, 活动) through the notice flow;
 * the residents' convention and its red and black lists (红黑榜); the issue ledger (工单台账) export.
 */
let t: TestApp;
// Monday 2026-11-16 10:00 in Shanghai.
const clock = testClock(new Date('2026-11-16T02:00:00Z'));
type Session = Awaited<ReturnType<TestApp['loginAs']>>;
let tuZhongmei: Session; // the secretary
let wenLiang: Session; // the leadership group's leader (Party branch)
let wuWenjie: Session; // zone-1 leader (业委会)
let zhangNen: Session; // zone-1 residents' committee
let yangChenyi: Session; // zone-1 grid inspector

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  tuZhongmei = await t.loginAs('tu-zhongmei');
  wenLiang = await t.loginAs('wen-liang');
  wuWenjie = await t.loginAs('wu-wenjie');
  zhangNen = await t.loginAs('zhang-nen');
  yangChenyi = await t.loginAs('yang-chenyi');
});
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PUT';
const call = (s: Session | null, method: Method, url: string, payload?: object) =>
  t.app.inject({ method, url, headers: s ? s.auth : {}, ...(payload ? { payload } : {}) });
async function ok<T>(s: Session | null, method: Method, url: string, payload?: object, status = 200) {
  const r = await call(s, method, url, payload);
  if (r.statusCode !== status) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json() as T;
}
const draft = (s: Session, body: object) =>
  ok<NoticeView>(s, 'POST', '/api/notices', { community: 'xiaduoyuan', ...body }, 201);
const approve = (s: Session, id: string) => ok<NoticeView>(s, 'POST', `/api/notices/${id}/approve`);
const publish = (s: Session, id: string) => ok<NoticeView>(s, 'POST', `/api/notices/${id}/publish`);
const count = async (table: 'notices' | 'honor_entries') =>
  (await t.db.select({ n: sqlCount() }).from(table === 'notices' ? noticesTable : honorEntriesTable))[0]!.n;

describe('general announcements', () => {
  test('a 停水 announcement with a validity period: drafted, approved by another, published, numbered, on the residents’ list and printable', async () => {
    const body = '因二次供水水箱清洗，11月18日 8:00–16:00 第一责任区域停水。\n请提前储水。<b>不是标记</b>';
    const n = await draft(wuWenjie, {
      kind: 'announcement',
      title: '停水通知',
      body,
      zone: 'zone-1',
      period: { start: '2026-11-18T08:00:00+08:00', end: '2026-11-18T16:00:00+08:00' },
    });
    expect(n).toMatchObject({ kind: 'announcement', kindName: '通知公告', status: 'draft', zone: 'zone-1' });
    expect(n.allowedActions).not.toContain('approve'); // not one's own
    await approve(tuZhongmei, n.id);
    const pub = await publish(tuZhongmei, n.id);
    expect(pub.status).toBe('published');
    expect(pub.number).toMatch(/^夏朵园居民区公告〔2026〕\d+号$/);
    expect(pub.periodText).toBe('2026-11-18 08:00 至 2026-11-18 16:00');

    const list = await ok<NoticePage>(null, 'GET', '/api/communities/xiaduoyuan/notices?zone=zone-1');
    expect(list.items.map((i) => i.id)).toContain(n.id);
    const other = await ok<NoticePage>(null, 'GET', '/api/communities/xiaduoyuan/notices?kind=announcement');
    expect(other.items[0]!.title).toBe('停水通知');

    const print = await call(null, 'GET', `/api/notices/${n.id}/print`);
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('&lt;b&gt;不是标记&lt;/b&gt;');
    expect(print.body).not.toContain('<b>不是标记');
    expect(print.body).toContain('有效期：');
    expect(print.body).not.toContain('公示期：');
  });

  test('resident text is bounded and free of control characters; nothing written', async () => {
    const before = await count('notices');
    for (const [payload, path] of [
      [{ title: '消杀\u0007通知', body: '正文' }, 'body.title'],
      [{ title: '消杀通知', body: '正文\u0000' }, 'body.body'],
      [{ title: '消杀通知', body: 'x'.repeat(10001) }, 'body.body'],
      [{ title: '甲'.repeat(101), body: '正文' }, 'body.title'],
    ] as const) {
      const r = await call(tuZhongmei, 'POST', '/api/notices', {
        community: 'xiaduoyuan',
        kind: 'announcement',
        ...payload,
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const period = await call(tuZhongmei, 'POST', '/api/notices', {
      community: 'xiaduoyuan',
      kind: 'convention',
      title: '居民公约',
      body: '第一条',
      periodDays: 7,
    });
    expect(period.statusCode).toBe(400);
    expect(await count('notices')).toBe(before);
  });

  test('the residents’ convention is a published notice; a revision supersedes it', async () => {
    const v1 = await draft(wenLiang, {
      kind: 'convention',
      title: '夏朵园居民公约',
      body: '一、爱护公共设施。',
    });
    await approve(tuZhongmei, v1.id);
    await publish(tuZhongmei, v1.id);
    const v2 = await draft(wenLiang, {
      kind: 'convention',
      title: '夏朵园居民公约（修订）',
      body: '一、爱护公共设施。\n二、文明养犬。',
      supersedes: v1.id,
    });
    await approve(tuZhongmei, v2.id);
    await publish(tuZhongmei, v2.id);
    const old = await ok<NoticeView>(null, 'GET', `/api/notices/${v1.id}`);
    expect(old).toMatchObject({ status: 'superseded', supersededBy: v2.id, kindName: '居民公约' });
  });
});

describe('red and black lists (红黑榜)', () => {
  const url = '/api/communities/xiaduoyuan/honor-roll';
  let red: HonorEntryView;
  let black: HonorEntryView;

  test('the Party branch and the 业委会 record entries; others may not; nothing written on refusal', async () => {
    red = await ok<HonorEntryView>(
      wenLiang,
      'POST',
      url,
      {
        list: 'red',
        subject: '12号楼302室',
        reason: '主动清理楼道堆物，带动邻居',
        day: '2026-11-10',
      },
      201,
    );
    clock.advance(60_000);
    expect(red).toMatchObject({ listName: '红榜', recordedBy: '闻良', recordedFor: '党组织', notice: null });
    black = await ok<HonorEntryView>(
      wuWenjie,
      'POST',
      url,
      {
        list: 'black',
        subject: '8号楼',
        reason: '多次高空抛物，经劝导未改',
        day: '2026-11-12',
      },
      201,
    );
    expect(black.recordedFor).toBe('业委会');

    const before = await count('honor_entries');
    for (const s of [zhangNen, yangChenyi, tuZhongmei]) {
      const r = await call(s, 'POST', url, { list: 'red', subject: 'x', reason: 'y', day: '2026-11-10' });
      expect({ status: r.statusCode, code: r.json().error.code }).toEqual({
        status: 403,
        code: 'not_honor_roll_keeper',
      });
    }
    const future = await call(wenLiang, 'POST', url, {
      list: 'red',
      subject: 'x',
      reason: 'y',
      day: '2026-11-17',
    });
    expect({ status: future.statusCode, code: future.json().error.code }).toEqual({
      status: 400,
      code: 'day_in_future',
    });
    const control = await call(wenLiang, 'POST', url, {
      list: 'red',
      subject: 'x\u0001',
      reason: 'y',
      day: '2026-11-10',
    });
    expect(control.statusCode).toBe(400);
    const badList = await call(wenLiang, 'POST', url, {
      list: 'green',
      subject: 'x',
      reason: 'y',
      day: '2026-11-10',
    });
    expect(badList.json().error.details[0].path).toBe('body.list');
    expect(await count('honor_entries')).toBe(before);
  });

  test('entries are append-only: the database refuses to rewrite or delete them', async () => {
    await expect(t.db.execute(sql`update honor_entries set reason = 'changed'`)).rejects.toThrow();
    await expect(t.db.execute(sql`delete from honor_entries`)).rejects.toThrow();
    expect(await count('honor_entries')).toBe(2);
  });

  test('published through the notice flow: generated from the entries, approved, published; the history shows the notice', async () => {
    const n = await draft(wuWenjie, { source: { kind: 'honor_roll', entries: [black.id, red.id] } });
    expect(n.kind).toBe('honor_roll');
    expect(n.body.indexOf('红榜（履约示范）')).toBeLessThan(n.body.indexOf('黑榜（违约提醒）'));
    expect(n.body.indexOf('红榜（履约示范）')).toBeGreaterThan(0);
    expect(n.body).toContain('12号楼302室（2026年11月10日）：主动清理楼道堆物');
    expect(n.body).toContain('8号楼（2026年11月12日）：多次高空抛物');
    const before = await ok<HonorEntryPage>(wenLiang, 'GET', url);
    expect(before.items.every((i) => i.notice === null)).toBe(true);
    await approve(tuZhongmei, n.id);
    const pub = await publish(tuZhongmei, n.id);
    const after = await ok<HonorEntryPage>(wenLiang, 'GET', url);
    expect(after.keeps).toBe(true);
    expect(after.items.map((i) => [i.subject, i.notice?.number])).toEqual([
      ['8号楼', pub.number],
      ['12号楼302室', pub.number],
    ]);
    const reds = await ok<HonorEntryPage>(wenLiang, 'GET', `${url}?list=red`);
    expect(reds.items.map((i) => i.id)).toEqual([red.id]);

    // The secretary is no keeper: neither the history nor a draft from entries.
    expect((await call(tuZhongmei, 'GET', url)).statusCode).toBe(403);
    const r = await call(tuZhongmei, 'POST', '/api/notices', {
      community: 'xiaduoyuan',
      source: { kind: 'honor_roll', entries: [red.id] },
    });
    expect(r.json().error.code).toBe('not_honor_roll_keeper');
    const missing = await call(wenLiang, 'POST', '/api/notices', {
      community: 'xiaduoyuan',
      source: { kind: 'honor_roll', entries: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect({ status: missing.statusCode, code: missing.json().error.code }).toEqual({
      status: 400,
      code: 'honor_entry_not_found',
    });
  });
});

describe('issue ledger (工单台账)', () => {
  const url = (q: string) => `/api/communities/xiaduoyuan/issues/ledger?${q}`;
  const csvLines = (body: string) =>
    body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');

  beforeAll(async () => {
    await complain(t, 5, '=HYPERLINK("http://evil.example","点我") 5号楼楼道堆物');
    clock.advance(60_000);
    await complain(t, 7, '7号楼电梯异响', 'elevator');
    clock.advance(60_000);
    await complain(t, 50, '50号楼门口垃圾未清', 'sanitation');
  });

  test('CSV: BOM, Chinese header, the month’s issues oldest first, formulas neutralised', async () => {
    const r = await call(tuZhongmei, 'GET', url('period=2026-11&format=csv'));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('夏朵园居民区-工单台账-2026-11.csv')}`,
    );
    expect(r.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csvLines(r.body);
    expect(lines[0]).toBe(
      '序号,编号,提交时间,区域,楼号,地点,类别,问题描述,紧急程度,层级,负责人,状态,渠道,办结时间',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"") 5号楼楼道堆物"`);
    expect(lines[1]).toMatch(/^1,[A-Z0-9-]+,2026-11-16 10:\d\d,第一责任区域,5,/);
    expect(lines[3]).toContain('第二责任区域');
  });

  test('XLSX read back with an independent reader (unzipped XML): header, rows, filters', async () => {
    const r = await call(tuZhongmei, 'GET', url('period=2026Q4&zone=zone-1&category=elevator'));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(r.headers['content-disposition']).toContain(
      encodeURIComponent('夏朵园居民区-工单台账-2026Q4-第一责任区域-电梯故障.xlsx'),
    );
    const [sheet] = readXlsx(r.rawPayload);
    expect(sheet!.name).toBe('工单台账');
    expect(sheet!.rows[0]![1]).toBe('编号');
    expect(sheet!.rows).toHaveLength(2);
    expect(sheet!.rows[1]![0]).toBe(1);
    expect(sheet!.rows[1]!.slice(3, 8)).toEqual(['第一责任区域', 7, null, '电梯故障', '7号楼电梯异响']);

    const all = readXlsx((await call(tuZhongmei, 'GET', url('period=2026-11&format=xlsx'))).rawPayload)[0]!;
    expect(all.rows).toHaveLength(4);
    expect(all.rows[1]![7]).toBe(`'=HYPERLINK("http://evil.example","点我") 5号楼楼道堆物`);
    const none = readXlsx((await call(tuZhongmei, 'GET', url('period=2026-10&format=xlsx'))).rawPayload)[0]!;
    expect(none.rows).toHaveLength(1);
    const closed = readXlsx(
      (await call(tuZhongmei, 'GET', url('period=2026-11&status=closed'))).rawPayload,
    )[0]!;
    expect(closed.rows).toHaveLength(1);
  });

  test('scoped by the server to what the caller may read', async () => {
    const zone1 = csvLines((await call(zhangNen, 'GET', url('period=2026-11&format=csv'))).body);
    expect(zone1).toHaveLength(3);
    expect(zone1.some((l) => l.includes('第二责任区域'))).toBe(false);
    // Asking for another zone gives nothing, not someone else's issues.
    const zone2 = csvLines((await call(zhangNen, 'GET', url('period=2026-11&format=csv&zone=zone-2'))).body);
    expect(zone2).toHaveLength(1);
  });

  test('refusals: no token, a bad period, an unknown zone, a bad format', async () => {
    expect((await call(null, 'GET', url('period=2026-11'))).statusCode).toBe(401);
    const cases: [string, string, string][] = [
      ['period=2026-13', 'invalid_period', 'querystring.period'],
      ['', 'period_required', 'querystring.period'],
      ['period=2026-11&zone=zone-9', 'unknown_zone', 'querystring.zone'],
      ['period=2026-11&category=nope', 'unknown_category', 'querystring.category'],
    ];
    for (const [q, code, path] of cases) {
      const r = await call(tuZhongmei, 'GET', url(q));
      expect({
        status: r.statusCode,
        code: r.json().error.code,
        path: r.json().error.details[0].path,
      }).toEqual({
        status: 400,
        code,
        path,
      });
    }
    const bad = await call(tuZhongmei, 'GET', url('period=2026-11&format=pdf'));
    expect(bad.json().error.details[0].path).toBe('querystring.format');
  });
});
