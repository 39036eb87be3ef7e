import type { DutyPreferencesView, OnDutyNowView, RotaView } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { shot, startProduct } from './browser';

jest.setTimeout(240_000);

// Issue 16, the secretary's rota: she generates next month as a draft on the rota page, sees what
// cannot be staffed, gives a shift to someone else and publishes; a person on duty now copies
// their calendar feed and chooses to show their phone; residents' 今日值班 shows it.
// (tests/e2e/duty-today.test.ts covers the home page, my shifts, the duty log and swaps.)

const pad = (n: number) => String(n).padStart(2, '0');
/** "2026-11-21" in Shanghai, `days` from now. */
const shanghaiDate = (days = 0) =>
  new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
const today = shanghaiDate();
const [y, m] = today.split('-').map(Number) as [number, number];
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const next = m === 12 ? { y: y + 1, m: 1 } : { y, m: m + 1 };
const nextMonth = `${next.y}-${pad(next.m)}`;
const nextFrom = `${nextMonth}-01`;
const nextTo = `${nextMonth}-${pad(lastDay(next.y, next.m))}`;
const thisTo = `${y}-${pad(m)}-${pad(lastDay(y, m))}`;
// The property company is away all of next month: its weekend places cannot be staffed.
const PROPERTY = ['zhang-lifen', 'shen-xuli', 'tang-wangwei', 'guo-honghui', 'cao-zulu'];

let product: Awaited<ReturnType<typeof startProduct>>;
beforeAll(async () => {
  product = await startProduct({
    editConfig: (raw) => {
      raw.duty = {
        // Two shifts cover the whole day: whenever the test runs, somebody is on duty now.
        shifts: [
          { key: 'day', name: '白班', start: '08:00', end: '20:00' },
          { key: 'night', name: '夜班', start: '20:00', end: '08:00' },
        ],
        unavailable: Object.fromEntries(PROPERTY.map((p) => [p, [`${nextFrom}..${nextTo}`]])),
      };
    },
  });
});
afterAll(() => product?.close());

const field = (page: Page, placeholder: string) => page.locator(`input[placeholder="${placeholder}"]`);
const button = (page: Page, text: string) => page.locator('.nut-button:visible', { hasText: text }).first();
const dialogButton = (page: Page, text: string) =>
  page.locator('.nut-dialog:visible .nut-button', { hasText: text }).last();

async function signIn(page: Page, phone: string) {
  await page.goto(`${product.base}/#/pages/work/index`);
  await field(page, '请输入手机号').fill(phone);
  await field(page, '请输入密码').fill('test-password-1');
  await button(page, '登录').click();
  await page.locator('.nut-cell:visible', { hasText: '我的班次' }).waitFor();
}

describe('the secretary’s rota, a person’s feed and phone, the residents’ 今日值班', () => {
  test('generate next month, see the shortfall, override a shift, publish', async () => {
    const { t } = product;
    const secretary = await t.loginAs('tu-zhongmei');
    // This month is live already (generated in one step through the API, as before).
    const live = await t.app.inject({
      method: 'POST',
      url: '/api/communities/xiaduoyuan/duty/generate',
      headers: secretary.auth,
      payload: { from: shanghaiDate(-1), to: thisTo },
    });
    expect(live.statusCode).toBe(200);
    const readNext = async () =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/communities/xiaduoyuan/duty?from=${nextFrom}&to=${nextTo}`,
          headers: secretary.auth,
        })
      ).json() as RotaView;
    expect((await readNext()).months[0]!.status).toBe('unplanned');

    const page = await product.newPage();
    await signIn(page, secretary.phone);
    await page.locator('.nut-cell:visible', { hasText: '月度值班表' }).click();
    await page.locator('.gz-month__title:visible').waitFor();
    await button(page, '下个月').click();
    await page.locator('.gz-month__title:visible', { hasText: `${next.y}年${next.m}月` }).waitFor();
    await page.locator('.gz-tag:visible', { hasText: '未排班' }).waitFor();
    await button(page, '生成本月值班表').click();
    await dialogButton(page, '生成').click();

    // The draft: what could not be staffed is listed, each with its reason.
    await page.locator('.gz-rota-shortfall:visible', { hasText: '个岗位排不满' }).waitFor();
    await page.locator('.gz-tag:visible', { hasText: '草稿' }).waitFor();
    const draft = await readNext();
    expect(draft.months[0]!.status).toBe('draft');
    const propertyGap = draft.gaps.find((g) => g.org === 'property');
    expect(propertyGap).toBeDefined();
    // The run's own reasons in the result card, and the day short marked on the day itself.
    await page
      .locator('.gz-card:visible', { hasText: '生成结果' })
      .getByText('物业', { exact: false })
      .first()
      .waitFor();
    const [, gm, gd] = propertyGap!.date.split('-').map(Number) as [number, number, number];
    await page
      .locator('.gz-day:visible', {
        has: page.locator('.gz-day__date', { hasText: new RegExp(`^${gm}月${gd}日 `) }),
      })
      .getByText('缺岗：白班 物业公司 需 1 人，已排 0 人')
      .waitFor();
    await shot(page, 'rota-01-draft-shortfalls');

    // Give the grid's day shift of the 15th to another grid member free that day.
    const day = `${nextMonth}-15`;
    const shift = draft.shifts.find((s) => s.date === day && s.shift === 'day' && s.org === 'grid')!;
    const busyThatDay = new Set(draft.shifts.filter((s) => s.date === day).map((s) => s.person.key));
    const taker = draft.shifts.find((s) => s.org === 'grid' && !busyThatDay.has(s.person.key))!.person;
    const dayCard = page.locator('.gz-day:visible', { hasText: `${next.m}月15日` });
    await dayCard.locator('.gz-rota-person', { hasText: `${shift.person.name}（${shift.orgName}）` }).click();
    await page.locator('.nut-dialog:visible .gz-rota-chip', { hasText: taker.name }).click();
    await page.locator('.nut-dialog:visible textarea').fill('原值班人当天参加区里培训');
    await shot(page, 'rota-02-override');
    await dialogButton(page, '确认调整').click();
    await dayCard.locator('.gz-rota-person', { hasText: `${taker.name}（${shift.orgName}）` }).waitFor();
    const changed = (await readNext()).shifts.find((s) => s.id === shift.id)!;
    expect([changed.person.key, changed.source]).toEqual([taker.key, 'override']);

    // Publishing with places unfilled asks first; then the month is live.
    await button(page, '发布本月值班表').click();
    await page.locator('.nut-dialog:visible', { hasText: '天缺岗' }).waitFor();
    await dialogButton(page, '仍然发布').click();
    await page.locator('.gz-tag:visible', { hasText: '已发布' }).waitFor();
    await page.getByText('由屠忠梅发布').waitFor();
    await shot(page, 'rota-03-published');
    expect((await readNext()).months[0]!.status).toBe('published');
    await page.close();
  });

  test('a person on duty copies their feed and shows their phone; the home page shows it', async () => {
    const { t, base } = product;
    const secretary = await t.loginAs('tu-zhongmei');
    const rota = (
      await t.app.inject({
        method: 'GET',
        url: `/api/communities/xiaduoyuan/duty?from=${shanghaiDate(-1)}&to=${today}`,
        headers: secretary.auth,
      })
    ).json() as RotaView;
    const running = rota.shifts.find(
      (s) => Date.parse(s.start) <= Date.now() && Date.now() < Date.parse(s.end) - 300_000,
    );
    // A handover within five minutes: take whoever holds the next shift instead, and skip the home page.
    const holder = (running ?? rota.shifts.at(-1)!).person;
    const person = await t.loginAs(holder.key);

    const page = await product.newPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await signIn(page, person.phone);
    await page.locator('.nut-cell:visible', { hasText: '我的班次' }).click();
    await page.locator('.nut-cell:visible', { hasText: '日历订阅与联系电话' }).click();
    const feedUrl = page.locator('.gz-feed__url:visible');
    await feedUrl.waitFor();
    const url = ((await feedUrl.textContent()) ?? '').trim();
    expect(url).toMatch(/\/api\/duty\/feeds\/[A-Za-z0-9_-]+\.ics$/);
    await button(page, '复制订阅地址').click();
    await page.getByText('订阅地址已复制').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(url);
    // The copied address is a calendar with this person's shifts.
    const ics = await t.app.inject({ url: new URL(url).pathname });
    expect(ics.statusCode).toBe(200);
    expect(ics.body).toContain('BEGIN:VEVENT');

    await page.getByText('居民现在看不到您的电话').waitFor();
    await page.locator('.nut-switch:visible').click();
    await field(page, '显示的电话（不填则用登记的电话）').fill('13900005678');
    await button(page, '保存').click();
    await page.getByText('居民现在看到：13900005678').waitFor();
    await shot(page, 'rota-04-feed-and-phone');
    const prefs = (
      await t.app.inject({ url: '/api/me/duty-preferences', headers: person.auth })
    ).json() as DutyPreferencesView;
    expect(prefs).toMatchObject({ showContact: true, publicContact: '13900005678' });

    // Reset: a new address, the old one no longer reads.
    await button(page, '重置地址').click();
    await dialogButton(page, '重置').click();
    await page.getByText('已生成新地址').waitFor();
    const fresh = ((await feedUrl.textContent()) ?? '').trim();
    expect(fresh).not.toBe(url);
    expect((await t.app.inject({ url: new URL(url).pathname })).statusCode).toBe(404);
    await page.close();

    if (!running) return;
    const now = (await t.app.inject({ url: '/api/communities/xiaduoyuan/duty/now' })).json() as OnDutyNowView;
    expect(now.onDuty.find((p) => p.name === holder.name)?.contact).toBe('13900005678');
    const home = await product.newPage();
    await home.goto(`${base}/`);
    await home.getByText('今日值班').waitFor();
    await home.locator('.gz-duty-now', { hasText: holder.name }).getByText('13900005678').waitFor();
    await shot(home, 'rota-05-home-phone');
    await home.close();
  });
});
