import { EFFECTIVE_SCORE, type IssueDetail, type KpiView, SATISFIED_SCORE } from '@gongzhi/domain';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import * as flow from '../helpers/issue-flow';

/**
 * The rating thresholds of the KPIs at each boundary, through the real aggregate query
 * (services/kpi/compute-kpis.ts): one issue a day, rated 2, 3, 4 or 5 by its reporter, and the
 * KPIs of that one day. 处置有效 needs a rating of at least 3, 满意 at least 4 (docs/domain.md §11).
 */

let t: TestApp;
// Monday 2026-11-02 10:00 in Shanghai.
const clock = testClock(new Date('2026-11-02T02:00:00Z'));
const DAY = 24 * 3_600_000;
let zhangLifen: flow.Session; // zone-1 property specialist: resolves
let yangChenyi: flow.Session; // zone-1 grid inspector: reports and rates
let tuZhongmei: flow.Session; // secretary: reads the KPIs

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  zhangLifen = await t.loginAs('zhang-lifen');
  yangChenyi = await t.loginAs('yang-chenyi');
  tuZhongmei = await t.loginAs('tu-zhongmei');
}, 120_000);
afterAll(() => t.close());

test('the thresholds are the domain rule of docs/domain.md §11', () => {
  expect([EFFECTIVE_SCORE, SATISFIED_SCORE]).toEqual([3, 4]);
});

// [score, the day it is filed, effective, satisfied]
test.each([
  [2, '2026-11-02', 0, 0],
  [3, '2026-11-03', 1, 0],
  [4, '2026-11-04', 1, 1],
  [5, '2026-11-05', 1, 1],
])('rated %i on %s: effective %i, satisfied %i', async (score, day, effective, satisfied) => {
  clock.set(new Date(`${day}T02:00:00Z`));
  const filed = await t.app.inject({
    method: 'POST',
    url: '/api/issues',
    headers: yangChenyi.auth,
    payload: {
      community: 'xiaduoyuan',
      building: 3,
      category: 'sanitation',
      description: `3号楼垃圾清运（评分 ${score}）`,
    },
  });
  expect(filed.statusCode).toBe(201);
  const issue = filed.json() as IssueDetail;
  await flow.resolveTaskOf(t, zhangLifen, issue.id, 'zhang-lifen');
  const rated = await t.app.inject({
    method: 'POST',
    url: `/api/issues/${issue.id}/rating`,
    headers: yangChenyi.auth,
    payload: { score, fixed: true },
  });
  expect(rated.statusCode).toBe(200);
  const r = await t.app.inject({
    url: `/api/communities/xiaduoyuan/kpis?from=${day}&to=${day}`,
    headers: tuZhongmei.auth,
  });
  expect(r.statusCode).toBe(200);
  const { totals } = r.json() as KpiView;
  expect({
    received: totals.received,
    handled: totals.handled,
    rated: totals.rated,
    effective: totals.effective,
    satisfied: totals.satisfied,
  }).toEqual({ received: 1, handled: 1, rated: 1, effective, satisfied });
  clock.advance(DAY);
});
