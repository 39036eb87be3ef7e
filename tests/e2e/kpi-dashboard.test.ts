import { addDays, type CreditFileView, type KpiView, quarterPeriodOf, stepPeriod } from '@gongzhi/domain';
import { testClock } from '../helpers/build-app';
import { kpiStory } from '../helpers/kpi-story';
import { shot, startProduct } from './browser';

jest.setTimeout(240_000);

// The browser runs on real time, so the story is placed in the quarter before the current one
// (always complete and in the past): the dashboard opens on the current quarter, and 上一期 goes
// back to it. The API's clock is a test clock, moved through the story and then back to now.
const clock = testClock(new Date());
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const previous = stepPeriod(quarterPeriodOf(today), -1);
/** A working-day-ish date in the n-th month (0–2) of the previous quarter. */
const day = (month: number, dayOfMonth: number) => {
  const m = Number(previous.from.slice(5, 7)) + month;
  return `${previous.from.slice(0, 4)}-${String(m).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
};

let product: Awaited<ReturnType<typeof startProduct>>;
beforeAll(async () => {
  product = await startProduct({ now: clock.now });
});
afterAll(() => product?.close());

describe('the KPI dashboard in the mini-program', () => {
  it('the secretary sees a quarter with its ratios, counts and charts; a zone leader only their zone', async () => {
    const { t, base } = product;
    const s = kpiStory(t, clock);
    // Month 1: two sanitation issues in zone 1, one fixed at once (rated 5), one reopened (rated 2);
    // a parking issue in zone 2 fixed late. Month 2: an elevator fault fixed by the line leader
    // (rated 4), a noise complaint still open. Month 3: a greening issue fixed, one rejected.
    s.at(day(0, 6));
    const a = (
      await s.file('yang-chenyi', { building: 12, category: 'sanitation', description: '12号楼垃圾' })
    ).id;
    const b = (
      await s.file('yang-chenyi', { building: 13, category: 'sanitation', description: '13号楼垃圾' })
    ).id;
    const c = (
      await s.file('zhuang-yongliang', { building: 50, category: 'parking', description: '50号楼停车' })
    ).id;
    s.at(day(0, 8));
    await s.resolve(a, 'zhang-lifen');
    await s.resolve(b, 'zhang-lifen');
    await s.rate(a, 5);
    s.at(day(0, 9));
    await s.ok('yang-chenyi', 'POST', `/api/issues/${b}/reject-fix`, { reason: '垃圾仍未清运' });
    s.at(day(0, 12));
    await s.resolve(b, 'zhang-lifen');
    await s.rate(b, 2);
    s.at(day(0, 28));
    await s.resolve(c, 'shen-xuli');
    s.at(day(1, 4));
    const d = (
      await s.file('yang-chenyi', { building: 14, category: 'elevator', description: '14号楼电梯异响' })
    ).id;
    await s.file('zhuang-yongliang', { building: 51, category: 'noise', description: '51号楼噪声' });
    s.at(day(1, 5));
    await s.resolve(d, 'zhou-jianping', false);
    await s.rate(d, 4);
    s.at(day(2, 3));
    const g = (await s.file('yang-chenyi', { building: 15, category: 'greening', description: '15号楼绿化' }))
      .id;
    const f = (await s.file('yang-chenyi', { building: 16, category: 'sanitation', description: '重复上报' }))
      .id;
    await s.ok('wu-wenjie', 'POST', `/api/issues/${f}/reject`, { reason: '重复上报' });
    s.at(addDays(day(2, 3), 2));
    await s.resolve(g, 'zhang-lifen');
    clock.set(new Date());

    const expected = await s.ok<KpiView>(
      'tu-zhongmei',
      'GET',
      `/api/communities/xiaduoyuan/kpis?period=${previous.key}`,
    );
    // A B C D E G received, A B C D G handled, A C D G effective.
    expect([expected.totals.received, expected.totals.handled, expected.totals.effective]).toEqual([6, 5, 4]);

    const secretary = await t.loginAs('tu-zhongmei');
    const page = await product.newPage();
    await page.goto(`${base}/#/pages/work/index`);
    await page.locator('input[placeholder="请输入手机号"]').fill(secretary.phone);
    await page.locator('input[placeholder="请输入密码"]').fill('test-password-1');
    await page.locator('.nut-button:visible', { hasText: '登录' }).first().click();
    await page.locator('.nut-cell:visible', { hasText: '考核指标' }).click();
    await page.getByText(quarterPeriodOf(today).label).waitFor();
    await page.locator('.nut-button:visible', { hasText: '上一期' }).click();
    await page.getByText(previous.label).waitFor();
    await page.locator('.gz-kpi__ratio', { hasText: '调处率' }).getByText('83.3%').waitFor();
    // Counts beside every ratio, as the API computed them.
    for (const [name, r] of [
      ['调处率', expected.totals.handlingRate],
      ['处置有效率', expected.totals.effectiveRate],
      ['满意率', expected.totals.satisfactionRate],
      ['按时办结率', expected.totals.onTimeRate],
    ] as const) {
      await page
        .locator('.gz-kpi__ratio', { hasText: name })
        .getByText(`${r.numerator} / ${r.denominator}`)
        .waitFor();
    }
    // The charts are images of SVG that the browser decoded (a broken SVG has no natural width).
    const charts = page.locator('img[src^="data:image/svg+xml"]');
    await charts.nth(2).waitFor();
    expect(await charts.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      expect(
        await charts.nth(i).evaluate((img) => {
          const i = img as unknown as { complete: boolean; naturalWidth: number };
          return i.complete && i.naturalWidth;
        }),
      ).toBe(700);
    }
    await shot(page, 'kpi-01-dashboard-quarter');
    // The page scrolls inside Taro's container, so each part is brought into view for its picture.
    await charts.nth(1).scrollIntoViewIfNeeded();
    await shot(page, 'kpi-02-charts-category-tier');
    await page.locator('.gz-card', { hasText: '分类明细' }).locator('.gz-table').scrollIntoViewIfNeeded();
    await shot(page, 'kpi-03-trend-and-table');
    // 按渠道 (issue 17 item 8): each intake channel with its counts and rates, as the API counts them.
    expect(expected.byChannel.length).toBeGreaterThan(0);
    const channels = page.locator('.gz-card', { hasText: '按渠道' }).locator('.gz-table');
    await channels.scrollIntoViewIfNeeded();
    for (const c of expected.byChannel) {
      const row = channels.locator('.gz-table__row', { hasText: c.name });
      await row.getByText(String(c.figures.received), { exact: true }).waitFor();
      const r = c.figures.handlingRate;
      await row.getByText(`${r.numerator}/${r.denominator}`, { exact: true }).first().waitFor();
    }
    await shot(page, 'kpi-07-by-channel');
    // 排名 (issue 17 item 6): zones ranked by a rate, each with its counts.
    const ranking = page.locator('.gz-kpi__ranking');
    await ranking.scrollIntoViewIfNeeded();
    await page.locator('.nut-button:visible', { hasText: '调处率' }).last().click();
    await ranking.getByText('第一责任区域').waitFor();
    await shot(page, 'kpi-06-ranking');

    // A zone leader: only their zone, no picker of other scopes.
    const leader = await t.loginAs('wu-wenjie');
    const other = await product.newPage();
    await other.goto(`${base}/#/pages/work/index`);
    await other.locator('input[placeholder="请输入手机号"]').fill(leader.phone);
    await other.locator('input[placeholder="请输入密码"]').fill('test-password-1');
    await other.locator('.nut-button:visible', { hasText: '登录' }).first().click();
    await other.locator('.nut-cell:visible', { hasText: '考核指标' }).click();
    await other.locator('.gz-kpi__scope', { hasText: '第一责任区域' }).waitFor();
    await other.locator('.nut-button:visible', { hasText: '上一期' }).click();
    await other.getByText(previous.label).waitFor();
    // Zone 1: A B D G received, all handled.
    await other.locator('.gz-kpi__ratio', { hasText: '调处率' }).getByText('4 / 4').waitFor();
    await shot(other, 'kpi-04-dashboard-zone-leader');
    await other.close();

    // The credit file of the property company for the same quarter, with the API's figures.
    const file = await s.ok<CreditFileView>(
      'tu-zhongmei',
      'GET',
      `/api/communities/xiaduoyuan/credit?org=property&period=${previous.key}`,
    );
    await page.goto(`${base}/#/kpi/pages/credit/index?org=property`);
    await page.locator('.nut-button:visible', { hasText: '上一季度' }).click();
    await page.getByText(previous.label).waitFor();
    await page.locator('.gz-credit__score', { hasText: String(file.score.score) }).waitFor();
    await page.getByText(`${file.onTime.numerator}/${file.onTime.denominator}）`).first().waitFor();
    await page.getByText('计分办法', { exact: false }).waitFor();
    await shot(page, 'kpi-05-credit-file');
    await page.close();
  });
});
