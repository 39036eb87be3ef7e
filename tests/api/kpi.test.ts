import type { JointMeetingView, KpiView } from '@gongzhi/domain';
import readXlsxFile from 'read-excel-file/node';
import { issuesTable } from '../../apps/api/src/db/schema';
import { transitionIssue } from '../../apps/api/src/services/issues/transition-issue';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import { JOINT_MEETING_PRESENT } from '../helpers/joint-meeting';
import { kpiStory } from '../helpers/kpi-story';

let t: TestApp;
const clock = testClock(new Date('2026-06-30T02:00:00Z'));
let story: ReturnType<typeof kpiStory>;
const as = (person: string) => story.as(person);
const call = (person: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  story.call(person, method, url, payload);
const ok = <T>(person: string, method: 'GET' | 'POST', url: string, payload?: object, status = 200) =>
  story.ok<T>(person, method, url, payload, status);
const at = (date: string, time?: string) => story.at(date, time);

/** Counts of a figures object, for comparing with the worked answers. */
const counts = (f: KpiView['totals']) => [f.received, f.handled, f.effective, f.onTime, f.rated, f.satisfied];
const kpis = (person: string, query: string) =>
  ok<KpiView>(person, 'GET', `/api/communities/xiaduoyuan/kpis?${query}`);

const ids: Record<string, string> = {};

/**
 * The hand-built data set. Period under test: 2026Q3 = 2026-07-01 00:00 to 2026-09-30 24:00 in
 * Asia/Shanghai. Normal urgency: resolve within 7 working days of submission (no holidays in July
 * or August; 2026-09-25 is Mid-Autumn, after every deadline below).
 *
 *     issue                          submitted        tier   what happened                          due
 *  A  zone-1 sanitation (12号楼)     Mon 07-06 10:00  zone   resolved 07-08, verified; rating 5     07-15
 *  B  zone-1 greening (13号楼)       Tue 07-07 10:00  zone   resolved 07-09, NOT FIXED 07-10 →       07-16
 *                                                          reopened, resolved 07-13; rating 2
 *  C  zone-2 parking (50号楼)        Mon 07-20 10:00  zone   resolved 08-10 (late), no rating       07-29
 *  D  zone-1 elevator (14号楼)       Mon 08-03 10:00  line   resolved 08-04 by the line leader; 4   08-12
 *  E  zone-2 noise (51号楼)          Wed 08-05 10:00  zone   still dispatched
 *  F  zone-1 sanitation (15号楼)     Wed 08-12 10:00  zone   rejected as invalid → not received
 *  G  zone-1 public facility (16号楼) Wed 09-02 10:00 zone   merged into A → not received
 *  H  zone-1 shared leak, community  Tue 09-08 10:00  joint  referred at intake; the joint meeting   09-17
 *     scope (17号楼)                                         of 09-24 resolves to close it (late)
 *  I  zone-3 sanitation (100号楼)    Wed 09-30 23:59  zone   still dispatched (last minute of Q3)
 *  J  zone-1 sanitation (18号楼)     Tue 06-30 23:00  zone   resolved 07-02: Q2, outside the period
 *  K  zone-1 sanitation (19号楼)     Thu 10-01 00:00  zone   Q4, outside the period
 *
 * Worked answers for 2026Q3, community:
 *  received  = A B C D E H I                     = 7   (F rejected, G merged; J, K outside)
 *  handled   = A B C D H                         = 5   (H by the joint meeting's resolution)
 *  effective = A C D H                           = 4   (B was reopened — and rated 2)
 *  on time   = A (07-08 ≤ 07-15), B (first handled 07-09 ≤ 07-16), D (08-04 ≤ 08-12)
 *                                                = 3   (C 08-10 > 07-29; H 09-24 > 09-17)
 *  rated     = A 5, B 2, D 4                     = 3;  satisfied (≥ 4) = A, D = 2
 *  调处率 5/7, 处置有效率 4/5, 满意率 2/3, 按时办结率 3/5.
 */
beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  story = kpiStory(t, clock);
  const { file, resolve, rate } = story;

  at('2026-06-30', '23:00');
  ids.J = (await file('yang-chenyi', { building: 18, category: 'sanitation', description: '18号楼垃圾' })).id;
  at('2026-07-02');
  await resolve(ids.J, 'zhang-lifen');

  at('2026-07-06');
  ids.A = (await file('yang-chenyi', { building: 12, category: 'sanitation', description: '12号楼垃圾' })).id;
  at('2026-07-07');
  ids.B = (await file('yang-chenyi', { building: 13, category: 'greening', description: '13号楼绿化' })).id;
  at('2026-07-08');
  await resolve(ids.A, 'zhang-lifen');
  at('2026-07-09');
  await ok('yang-chenyi', 'POST', `/api/issues/${ids.A}/verify`, {});
  await rate(ids.A, 5);
  await resolve(ids.B, 'zhang-lifen');
  at('2026-07-10');
  // "Not fixed": reopened and dispatched again to whoever resolved it.
  await ok('yang-chenyi', 'POST', `/api/issues/${ids.B}/reject-fix`, { reason: '草坪仍未修剪' });
  at('2026-07-13');
  await resolve(ids.B, 'zhang-lifen');
  await ok('yang-chenyi', 'POST', `/api/issues/${ids.B}/verify`, {});
  await rate(ids.B, 2);

  at('2026-07-20');
  ids.C = (
    await file('zhuang-yongliang', { building: 50, category: 'parking', description: '50号楼乱停车' })
  ).id;
  at('2026-08-03');
  ids.D = (
    await file('yang-chenyi', { building: 14, category: 'elevator', description: '14号楼电梯异响' })
  ).id;
  at('2026-08-04');
  await resolve(ids.D, 'zhou-jianping', false);
  await rate(ids.D, 4);
  at('2026-08-05');
  ids.E = (await file('zhuang-yongliang', { building: 51, category: 'noise', description: '51号楼噪声' })).id;
  at('2026-08-10');
  await resolve(ids.C, 'shen-xuli');
  at('2026-08-12');
  ids.F = (await file('yang-chenyi', { building: 15, category: 'sanitation', description: '15号楼垃圾' })).id;
  await ok('wu-wenjie', 'POST', `/api/issues/${ids.F}/reject`, { reason: '重复上报，现场无此问题' });

  at('2026-09-02');
  ids.G = (
    await file('yang-chenyi', { building: 16, category: 'public_facility', description: '16号楼路灯' })
  ).id;
  // No merge endpoint exists yet: the merge goes through the one transition path, as an administrator.
  const admin = await as('admin');
  await transitionIssue(
    {
      db: t.db,
      communities: t.communities,
      calendars: t.calendars,
      now: clock.now,
      principal: {
        accountId: admin.accountId,
        sessionId: 'kpi-test',
        kind: 'admin',
        displayName: '管理员',
        personKey: null,
        communityKey: null,
      },
    },
    ids.G,
    { action: 'merge', mergeTarget: ids.A },
  );

  at('2026-09-08');
  ids.H = (
    await file('yang-chenyi', {
      building: 17,
      category: 'shared_leak',
      description: '全小区屋面渗漏',
      scope: 'community',
    })
  ).id;
  at('2026-09-10');
  const jm = await ok<JointMeetingView>(
    'tu-zhongmei',
    'POST',
    '/api/joint-meetings',
    { community: 'xiaduoyuan', at: '2026-09-24T19:00:00+08:00', place: '居委会会议室' },
    201,
  );
  // H was referred to the joint meeting at intake: it waited on the agenda, and the meeting took it up.
  expect(jm.agenda.map((i) => [i.source, i.issues])).toEqual([['referral', [ids.H]]]);
  at('2026-09-24', '20:00');
  await ok('tu-zhongmei', 'POST', `/api/joint-meetings/${jm.id}/attendance`, {
    present: JOINT_MEETING_PRESENT,
  });
  await ok('tu-zhongmei', 'POST', `/api/joint-meetings/${jm.id}/items/1/consultation`, {
    individual: '分别听取意见',
    joint: '不属于共用部位维修范围',
  });
  await ok('wen-liang', 'POST', `/api/joint-meetings/${jm.id}/items/1/vote`, {
    votes: { for: 12, against: 0, abstain: 1 },
  });
  await ok(
    'tu-zhongmei',
    'POST',
    `/api/joint-meetings/${jm.id}/items/1/resolution`,
    {
      text: '经查属个别住户自用部位，由住户自行维修，本事项关闭',
      responsibleOrg: 'rc',
      responsiblePerson: 'zhang-nen',
      dueDate: '2026-10-15',
      disposition: 'close',
    },
    201,
  );

  at('2026-09-30', '23:59');
  ids.I = (
    await file('zhuang-yongliang', { building: 100, category: 'sanitation', description: '100号楼垃圾' })
  ).id;
  at('2026-10-01', '00:00');
  ids.K = (await file('yang-chenyi', { building: 19, category: 'sanitation', description: '19号楼垃圾' })).id;
  at('2026-10-08');
}, 120_000);
afterAll(() => t.close());

describe('the KPI facts on the issue row', () => {
  test('kept by the transitions: first handling, reopenings, the SLA deadline from submission', async () => {
    const rows = await t.db.select().from(issuesTable);
    const fact = (k: string) => {
      const r = rows.find((x) => x.id === ids[k])!;
      return [r.status, r.handledAt?.toISOString() ?? null, r.reopenCount, r.resolveDueAt?.toISOString()];
    };
    expect(fact('A')).toEqual(['closed', '2026-07-08T02:00:00.000Z', 0, '2026-07-15T02:00:00.000Z']);
    // B: the first resolve stays its handling time; the "not fixed" is counted.
    expect(fact('B')).toEqual(['closed', '2026-07-09T02:00:00.000Z', 1, '2026-07-16T02:00:00.000Z']);
    expect(fact('C')).toEqual(['resolved', '2026-08-10T02:00:00.000Z', 0, '2026-07-29T02:00:00.000Z']);
    expect(fact('D')).toEqual(['resolved', '2026-08-04T02:00:00.000Z', 0, '2026-08-12T02:00:00.000Z']);
    expect(fact('E')).toEqual(['dispatched', null, 0, '2026-08-14T02:00:00.000Z']);
    expect(fact('F')[0]).toBe('rejected');
    expect(fact('G')[0]).toBe('merged');
    // H: closed by the joint meeting's resolution, at the moment it was recorded.
    expect(fact('H')).toEqual(['closed', '2026-09-24T12:00:00.000Z', 0, '2026-09-17T02:00:00.000Z']);
  });
});

describe('GET /api/communities/:key/kpis', () => {
  test('the community in 2026Q3: the worked answers, with counts beside every ratio', async () => {
    const v = await kpis('tu-zhongmei', 'period=2026Q3');
    expect(v.period).toEqual({
      kind: 'quarter',
      key: '2026Q3',
      label: '2026年第三季度',
      from: '2026-07-01',
      to: '2026-09-30',
      timezone: 'Asia/Shanghai',
    });
    expect(v.scope).toEqual({ kind: 'community', key: null, name: '夏朵园居民区' });
    expect(counts(v.totals)).toEqual([7, 5, 4, 3, 3, 2]);
    expect(v.totals.handlingRate).toEqual({ numerator: 5, denominator: 7, value: 5 / 7 });
    expect(v.totals.effectiveRate).toEqual({ numerator: 4, denominator: 5, value: 0.8 });
    expect(v.totals.satisfactionRate).toEqual({ numerator: 2, denominator: 3, value: 2 / 3 });
    expect(v.totals.onTimeRate).toEqual({ numerator: 3, denominator: 5, value: 0.6 });
  });

  test('by tier, by category and by month', async () => {
    const v = await kpis('wen-liang', 'period=2026Q3');
    // zone: A B C E I received; A B C handled; A C effective; A B on time; A B rated, A satisfied.
    // line: D, all of it. joint meeting: H, handled and effective, late, unrated.
    expect(v.byTier.map((x) => [x.key, ...counts(x.figures)])).toEqual([
      ['zone', 5, 3, 2, 2, 2, 1],
      ['line', 1, 1, 1, 1, 1, 1],
      ['joint_meeting', 1, 1, 1, 0, 0, 0],
    ]);
    expect(v.byTier[2]!.figures.satisfactionRate.value).toBeNull();
    // Most received first (sanitation: A and I), then the config's order.
    expect(v.byCategory.map((x) => [x.name, ...counts(x.figures)])).toEqual([
      ['环境卫生', 2, 1, 1, 1, 1, 1],
      ['电梯故障', 1, 1, 1, 1, 1, 1],
      ['绿化养护', 1, 1, 0, 1, 1, 0],
      ['停车管理', 1, 1, 1, 0, 0, 0],
      ['共用部位渗漏', 1, 1, 1, 0, 0, 0],
      ['噪声扰民', 1, 0, 0, 0, 0, 0],
    ]);
    // July: A B C. August: D E. September: H, and I at 23:59 local time (15:59 UTC).
    expect(v.trend.map((m) => [m.month, m.label, ...counts(m.figures)])).toEqual([
      ['2026-07', '7月', 3, 3, 2, 2, 2, 1],
      ['2026-08', '8月', 2, 1, 1, 1, 1, 1],
      ['2026-09', '9月', 2, 1, 1, 0, 0, 0],
    ]);
    expect(v.trend[2]!.figures.onTimeRate).toEqual({ numerator: 0, denominator: 1, value: 0 });
  });

  test.each([
    // zone-1: A B D H received (F rejected, G merged; J and K outside).
    ['scope=zone&zone=zone-1', [4, 4, 3, 3, 3, 2]],
    // zone-2: C and E.
    ['scope=zone&zone=zone-2', [2, 1, 1, 0, 0, 0]],
    ['scope=line&line=elevator', [1, 1, 1, 1, 1, 1]],
    // The property company had tasks on A B C E I, and D (a line leader's task is answerable by the
    // property company: orgOfTask). H never had a task.
    ['scope=org&org=property', [6, 4, 3, 3, 3, 2]],
    ['scope=org&org=oc', [0, 0, 0, 0, 0, 0]],
    // 张丽芬 (zone-1 property) worked A and B.
    ['scope=person&person=zhang-lifen', [2, 2, 1, 2, 2, 1]],
    ['scope=person&person=zhou-jianping', [1, 1, 1, 1, 1, 1]],
  ])('%s', async (scope, expected) => {
    const v = await kpis('tu-zhongmei', `period=2026Q3&${scope}`);
    expect(counts(v.totals)).toEqual(expected);
  });

  test('no data is no data: a zero denominator is null, not 0 or 1', async () => {
    const v = await kpis('tu-zhongmei', 'period=2026Q3&scope=org&org=oc');
    for (const k of ['handlingRate', 'effectiveRate', 'satisfactionRate', 'onTimeRate'] as const) {
      expect(v.totals[k]).toEqual({ numerator: 0, denominator: 0, value: null });
    }
    expect(v.byCategory).toEqual([]);
    expect(v.trend.map((m) => m.month)).toEqual(['2026-07', '2026-08', '2026-09']);
  });

  test.each([
    // A month: A B C.
    ['period=2026-07', [3, 3, 2, 2, 2, 1]],
    // A range of local days: A only (J was submitted 06-30 23:00 Shanghai, 15:00 UTC).
    ['from=2026-06-30&to=2026-07-06', [2, 2, 2, 2, 1, 1]],
    ['from=2026-07-01&to=2026-07-06', [1, 1, 1, 1, 1, 1]],
    // Q4: K, at 00:00 on 1 October local time.
    ['period=2026Q4', [1, 0, 0, 0, 0, 0]],
    ['period=2026Q2', [1, 1, 1, 1, 0, 0]],
  ])('%s', async (period, expected) => {
    expect(counts((await kpis('tu-zhongmei', period)).totals)).toEqual(expected);
  });
});

describe('who may read KPIs (docs/domain.md §12)', () => {
  const get = (person: string, query: string) =>
    call(person, 'GET', `/api/communities/xiaduoyuan/kpis?period=2026Q3&${query}`);

  test.each([
    ['wu-wenjie', 'zone-1 leader, own zone', 'scope=zone&zone=zone-1', 200, null],
    ['wu-wenjie', 'zone-1 leader, zone 2', 'scope=zone&zone=zone-2', 403, 'kpi_scope_not_permitted'],
    ['wu-wenjie', 'zone-1 leader, community', '', 403, 'kpi_scope_not_permitted'],
    ['zhou-jianping', 'elevator line leader, own line', 'scope=line&line=elevator', 200, null],
    [
      'zhou-jianping',
      'elevator line leader, fire line',
      'scope=line&line=fire',
      403,
      'kpi_scope_not_permitted',
    ],
    ['he-xianyang', 'fire and pump leader, pump', 'scope=line&line=pump', 200, null],
    ['zhang-nen', 'zone-1 rc member', 'scope=zone&zone=zone-1', 403, 'kpi_not_permitted'],
    [
      'zhang-lifen',
      'property specialist, herself',
      'scope=person&person=zhang-lifen',
      403,
      'kpi_not_permitted',
    ],
    ['admin', 'administrator', 'scope=org&org=property', 200, null],
  ])('%s (%s): %s → %i', async (person, _who, query, status, code) => {
    const r = await get(person, query);
    expect(r.statusCode).toBe(status);
    if (code) {
      expect(r.json().error.code).toBe(code);
      expect(r.json().error.message).toMatch(/考核指标/);
    }
  });

  test('someone with no KPI access hears 403 even for a malformed request (nothing else leaks)', async () => {
    const r = await call('zhang-nen', 'GET', '/api/communities/xiaduoyuan/kpis?period=nonsense');
    expect({ status: r.statusCode, code: r.json().error.code }).toEqual({
      status: 403,
      code: 'kpi_not_permitted',
    });
  });

  test('without a token: 401', async () => {
    const r = await t.app.inject({ url: '/api/communities/xiaduoyuan/kpis?period=2026Q3' });
    expect(r.statusCode).toBe(401);
  });
});

describe('bad input → 400 naming the field', () => {
  test.each([
    ['period=2026Q5', 'invalid_period', 'querystring.period'],
    ['', 'period_required', 'querystring.period'],
    ['from=2026-09-30&to=2026-07-01', 'period_reversed', 'querystring.to'],
    ['from=2026-07-01', 'period_incomplete', 'querystring.to'],
    ['from=2026-02-30&to=2026-03-31', 'invalid_date', 'querystring.from'],
    ['period=2026Q3&from=2026-07-01&to=2026-07-31', 'period_ambiguous', 'querystring.period'],
    ['period=2026Q3&scope=zone', 'scope_key_required', 'querystring.zone'],
    ['period=2026Q3&scope=zone&zone=zone-9', 'unknown_zone', 'querystring.zone'],
    ['period=2026Q3&scope=line&line=gas', 'unknown_line', 'querystring.line'],
    ['period=2026Q3&scope=person&person=nobody', 'unknown_person', 'querystring.person'],
    ['period=2026Q3&zone=zone-1', 'scope_param_mismatch', 'querystring.zone'],
    ['period=2026Q3&scope=district', 'validation_failed', 'querystring.scope'],
    ['period=2026Q3&colour=red', 'validation_failed', 'querystring.colour'],
  ])('%s → %s at %s', async (query, code, path) => {
    const r = await call('tu-zhongmei', 'GET', `/api/communities/xiaduoyuan/kpis?${query}`);
    expect(r.statusCode).toBe(400);
    const error = r.json().error as { code: string; message: string; details: { path: string }[] };
    expect(error.code).toBe(code);
    expect(error.details.map((d) => d.path)).toContain(path);
    expect(error.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  test('an unknown community → 404', async () => {
    const r = await call('tu-zhongmei', 'GET', '/api/communities/nowhere/kpis?period=2026Q3');
    expect({ status: r.statusCode, code: r.json().error.code }).toEqual({
      status: 404,
      code: 'community_not_found',
    });
  });
});

describe('export', () => {
  const exportUrl = (query: string) => `/api/communities/xiaduoyuan/kpis/export?period=2026Q3&${query}`;

  test('CSV: UTF-8 with BOM, Chinese header, the same figures as the view', async () => {
    const r = await call('tu-zhongmei', 'GET', exportUrl('format=csv&scope=zone&zone=zone-1'));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe(
      `attachment; filename="kpi-xiaduoyuan-zone-1-2026Q3.csv"; filename*=UTF-8''${encodeURIComponent('夏朵园居民区-第一责任区域-2026Q3-考核指标.csv')}`,
    );
    expect(r.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = r.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    // The first twelve columns are issue 8's; the three rates and the rest follow (tests/api/callbacks.test.ts).
    const first12 = (line: string) => line.split(',').slice(0, 12).join(',');
    expect(lines[0]).toBe(
      '分组,项目,受理,已处理,调处率,有效处置,处置有效率,按时处理,按时办结率,评价数,满意评价,满意率,' +
        '应联系,按时联系,响应率,回访已解决,解决率,已结案,按期结案,按期结案率,返工,返工率',
    );
    // zone-1: 4 received, 4 handled (100.0%), 3 effective (75.0%), 3 on time (75.0%), 3 rated, 2 satisfied.
    expect(first12(lines[1]!)).toBe('合计,第一责任区域,4,4,100.0%,3,75.0%,3,75.0%,3,2,66.7%');
    expect(lines.map(first12)).toContain('按层级,社区联席会议,1,1,100.0%,1,100.0%,0,0.0%,0,0,无数据');
    expect(lines.map(first12)).toContain('按月,2026年9月,1,1,100.0%,1,100.0%,0,0.0%,0,0,无数据');
  });

  test('XLSX: read back, counts as numbers, ratios as fractions, no data as text; and a notes sheet', async () => {
    const r = await call('tu-zhongmei', 'GET', exportUrl('format=xlsx'));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(r.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('夏朵园居民区-夏朵园居民区-2026Q3-考核指标.xlsx')}`,
    );
    const sheets = await readXlsxFile(r.rawPayload);
    expect(sheets.map((s) => s.sheet)).toEqual(['考核指标', '说明']);
    const [header, total, ...rest] = sheets[0]!.data;
    expect(header).toEqual([
      '分组',
      '项目',
      '受理',
      '已处理',
      '调处率',
      '有效处置',
      '处置有效率',
      '按时处理',
      '按时办结率',
      '评价数',
      '满意评价',
      '满意率',
      '应联系',
      '按时联系',
      '响应率',
      '回访已解决',
      '解决率',
      '已结案',
      '按期结案',
      '按期结案率',
      '返工',
      '返工率',
    ]);
    const first12 = (row: unknown[]) => row.slice(0, 12);
    expect(first12(total!)).toEqual(['合计', '夏朵园居民区', 7, 5, 5 / 7, 4, 0.8, 3, 0.6, 3, 2, 2 / 3]);
    expect(rest.map(first12)).toContainEqual(['按层级', '社区联席会议', 1, 1, 1, 1, 1, 0, 0, 0, 0, '无数据']);
    expect(rest.filter((row) => ['按类别', '按层级', '按月'].includes(String(row[0])))).toHaveLength(
      6 + 3 + 3,
    );
    // Then the rankings' rows: by zone, line, organisation and person.
    expect(rest.some((row) => row[0] === '按责任区域' && row[1] === '第一责任区域')).toBe(true);
    const notes = Object.fromEntries(sheets[1]!.data.map((row) => [row[0], row[1]]));
    expect(notes.统计期间).toBe('2026年第三季度（2026-07-01 至 2026-09-30，Asia/Shanghai）');
    expect(notes.调处率).toBe('已处理 ÷ 受理');
  });

  test('the same permissions and validation as the view', async () => {
    const denied = await call('wu-wenjie', 'GET', exportUrl('format=csv'));
    expect({ status: denied.statusCode, code: denied.json().error.code }).toEqual({
      status: 403,
      code: 'kpi_scope_not_permitted',
    });
    const bad = await call('tu-zhongmei', 'GET', exportUrl('format=pdf'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('querystring.format');
  });
});
