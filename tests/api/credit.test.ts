import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type CreditFileView,
  creditScore,
  formatRatioWithCounts,
  type KpiView,
  parseCommunityConfigText,
} from '@gongzhi/domain';
import { and, count, eq } from 'drizzle-orm';
import { lapsesTable, lettersTable } from '../../apps/api/src/db/schema';
import { buildTestApp, CONFIG_DIR, type TestApp, testClock } from '../helpers/build-app';
import { SEED_TIMEOUT, seedDemoQuarter } from '../helpers/demo-quarter';

type Session = Awaited<ReturnType<TestApp['loginAs']>>;

// A quarter of 夏朵园 (2026Q3: reports, fixes, ratings, a late task that drew a 提示函), then the
// credit file of each organisation, checked against the records it is made of.
const Q3_START = new Date('2026-06-30T16:00:00Z');
let t: TestApp;
const clock = testClock(new Date('2026-06-20T02:00:00Z'));
let secretary: Session; // 屠忠梅
let zhangLifen: Session; // property specialist of zone 1
let zhangNen: Session; // residents' committee, zone 1

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  await seedDemoQuarter(t, clock, Q3_START, t.runFollowUp);
  clock.set(new Date('2026-10-10T02:00:00Z'));
  secretary = await t.loginAs('tu-zhongmei');
  zhangLifen = await t.loginAs('zhang-lifen');
  zhangNen = await t.loginAs('zhang-nen');
}, SEED_TIMEOUT);
afterAll(() => t.close());

const get = (s: Session | null, url: string) => t.app.inject({ url, headers: s?.auth ?? {} });
const file = async (s: Session, org: string, period = '2026Q3') => {
  const r = await get(s, `/api/communities/xiaduoyuan/credit?org=${org}&period=${period}`);
  expect(r.statusCode).toBe(200);
  return r.json() as CreditFileView;
};

describe("an organisation's credit file (诚信档案)", () => {
  test('the property company: letters, lapses, on-time and satisfaction as recorded; the score by the formula shown', async () => {
    const f = await file(secretary, 'property');
    expect(f).toMatchObject({
      org: 'property',
      orgName: '物业公司',
      period: { key: '2026Q3', label: '2026年第三季度' },
    });

    // The letters and lapses are the rows recorded against the organisation in the quarter.
    const [letters] = await t.db
      .select({ n: count() })
      .from(lettersTable)
      .where(eq(lettersTable.org, 'property'));
    const [lapses] = await t.db
      .select({ n: count() })
      .from(lapsesTable)
      .where(eq(lapsesTable.org, 'property'));
    expect(f.letters).toHaveLength(letters!.n);
    expect(f.reminderLetters + f.warningLetters).toBe(letters!.n);
    expect(f.reminderLetters).toBeGreaterThanOrEqual(1); // the demo's late task drew a 提示函
    expect(f.letters[0]!.number).toMatch(/^夏朵园居民区提示〔2026〕\d+号$/);
    expect(f.lapses).toBe(lapses!.n);
    expect(f.lapses).toBeGreaterThanOrEqual(1);

    // On-time and satisfaction are the KPIs of the organisation's scope, counts and all.
    const kpis = (
      await get(secretary, '/api/communities/xiaduoyuan/kpis?period=2026Q3&scope=org&org=property')
    ).json() as KpiView;
    expect(f.onTime).toEqual(kpis.totals.onTimeRate);
    expect(f.satisfaction).toEqual(kpis.totals.satisfactionRate);
    expect(f.satisfaction.denominator).toBeGreaterThan(0); // the demo's reporters rated some fixes

    // No evaluation in the quarter: said so, and the term left out of the score.
    expect(f.evaluation).toBeNull();
    expect(f.evaluationNote).toBe('本期间没有已结束的居民评议');

    // The score is the configured formula on these facts, and its lines add up to it.
    const parsed = parseCommunityConfigText(readFileSync(path.join(CONFIG_DIR, 'xiaduoyuan.yaml'), 'utf8'));
    if (!parsed.ok) throw new Error('config');
    const expected = creditScore(parsed.community.config.credit, {
      reminderLetters: f.reminderLetters,
      warningLetters: f.warningLetters,
      lapses: f.lapses,
      onTime: f.onTime,
      satisfaction: f.satisfaction,
      evaluation: null,
    });
    expect(f.score).toEqual(expected);
    expect(f.score.formula).toContain('基础分 60');
    expect(f.score.lines.find((l) => l.label === '居民评议')?.arithmetic).toBe('无数据，不计');
    const sum = Math.round(f.score.lines.reduce((s, l) => s + l.points, 0) * 100) / 100;
    expect(sum).toBe(f.score.score);
  });

  test("the organisation's own people read it; others may not; bad input is named", async () => {
    expect((await file(zhangLifen, 'property')).org).toBe('property');
    const other = await get(zhangLifen, '/api/communities/xiaduoyuan/credit?org=oc&period=2026Q3');
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('credit_not_permitted');
    const rc = await get(zhangNen, '/api/communities/xiaduoyuan/credit?org=property&period=2026Q3');
    expect(rc.statusCode).toBe(403);
    expect(
      (await get(null, '/api/communities/xiaduoyuan/credit?org=property&period=2026Q3')).statusCode,
    ).toBe(401);

    const badOrg = await get(secretary, '/api/communities/xiaduoyuan/credit?org=bank&period=2026Q3');
    expect(badOrg.statusCode).toBe(400);
    expect(JSON.stringify(badOrg.json().error.details)).toContain('org');
    const badPeriod = await get(secretary, '/api/communities/xiaduoyuan/credit?org=property&period=2026Q5');
    expect(badPeriod.statusCode).toBe(400);
    expect(badPeriod.json().error.code).toBe('invalid_period');
    expect(JSON.stringify(badPeriod.json().error.details)).toContain('period');
  });

  test('an organisation that received nothing keeps its base, and says what was not measured', async () => {
    const f = await file(secretary, 'party');
    expect(f.letters).toEqual([]);
    expect([f.lapses, f.onTime.denominator, f.satisfaction.denominator]).toEqual([0, 0, 0]);
    expect(f.score.score).toBe(60);
    expect(f.evaluationNote).toContain('不单独评议');
  });

  test('another quarter has its own file', async () => {
    const f = await file(secretary, 'property', '2026Q2');
    expect([f.letters.length, f.lapses, f.onTime.denominator]).toEqual([0, 0, 0]);
    // …although the company did receive a 提示函 (in Q3): the file counts only its own period.
    const [reminders] = await t.db
      .select({ n: count() })
      .from(lettersTable)
      .where(and(eq(lettersTable.org, 'property'), eq(lettersTable.kind, 'reminder')));
    expect(reminders!.n).toBeGreaterThan(0);
  });
});

describe('the quarterly complaint-handling notice of a zone, from its KPIs', () => {
  const post = (s: Session, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/notices', headers: s.auth, payload });

  test('drafted from the zone scope of the quarter: every ratio with its counts', async () => {
    const r = await post(secretary, {
      community: 'xiaduoyuan',
      source: { kind: 'quarterly_summary', quarter: '2026Q3', zone: 'zone-1' },
    });
    expect(r.statusCode).toBe(201);
    const notice = r.json() as { kind: string; status: string; zone: string; title: string; body: string };
    expect(notice).toMatchObject({
      kind: 'quarterly_summary',
      status: 'draft',
      zone: 'zone-1',
      title: '第一责任区域2026年第三季度投诉处理情况',
    });
    const kpis = (
      await get(secretary, '/api/communities/xiaduoyuan/kpis?period=2026Q3&scope=zone&zone=zone-1')
    ).json() as KpiView;
    expect(kpis.totals.received).toBeGreaterThan(0);
    expect(notice.body).toContain(`受理问题 ${kpis.totals.received} 件，已处理 ${kpis.totals.handled} 件`);
    expect(notice.body).toContain(`调处率 ${formatRatioWithCounts(kpis.totals.handlingRate)}`);
    expect(notice.body).toContain(`按时办结率 ${formatRatioWithCounts(kpis.totals.onTimeRate)}`);
    for (const c of kpis.byCategory.filter((x) => x.figures.received > 0)) {
      expect(notice.body).toContain(`${c.name}：受理 ${c.figures.received} 件`);
    }
  });

  test('an unknown zone or a malformed quarter is refused, naming the field', async () => {
    const zone = await post(secretary, {
      community: 'xiaduoyuan',
      source: { kind: 'quarterly_summary', quarter: '2026Q3', zone: 'zone-9' },
    });
    expect(zone.statusCode).toBe(400);
    expect(JSON.stringify(zone.json().error.details)).toContain('source.zone');
    const quarter = await post(secretary, {
      community: 'xiaduoyuan',
      source: { kind: 'quarterly_summary', quarter: '2026-3', zone: 'zone-1' },
    });
    expect(quarter.statusCode).toBe(400);
    expect(JSON.stringify(quarter.json().error.details)).toContain('quarter');
  });
});
