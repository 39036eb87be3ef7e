import type { OnDutyNowView, RotaView } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { shot, startProduct } from './browser';

jest.setTimeout(180_000);

/**
 * The server runs on real time here, so the rota gets two shifts that cover the whole day
 * (白班 08:00–20:00, 夜班 20:00–08:00): whenever the test runs, somebody is on duty now.
 */
let product: Awaited<ReturnType<typeof startProduct>>;
beforeAll(async () => {
  product = await startProduct({
    editConfig: (raw) => {
      raw.duty = {
        shifts: [
          { key: 'day', name: '白班', start: '08:00', end: '20:00' },
          { key: 'night', name: '夜班', start: '20:00', end: '08:00' },
        ],
      };
    },
  });
});
afterAll(() => product?.close());

const field = (page: Page, placeholder: string) => page.locator(`input[placeholder="${placeholder}"]`);
const button = (page: Page, text: string) => page.locator('.nut-button:visible', { hasText: text }).first();

/** "2026-11-21" in Shanghai, `days` from now. */
const shanghaiDate = (days = 0) =>
  new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

describe('the duty rota in the mini-program', () => {
  let now: OnDutyNowView;

  it('the secretary publishes the rota; the home page shows who is on duty now', async () => {
    const { t, base } = product;
    const secretary = await t.loginAs('tu-zhongmei');
    const gen = await t.app.inject({
      method: 'POST',
      url: '/api/communities/xiaduoyuan/duty/generate',
      headers: secretary.auth,
      payload: { from: shanghaiDate(-1), to: shanghaiDate(30) },
    });
    expect(gen.statusCode).toBe(200);
    now = (await t.app.inject({ method: 'GET', url: '/api/communities/xiaduoyuan/duty/now' })).json();
    expect(now.onDuty.length).toBeGreaterThan(0);

    const page = await product.newPage();
    await page.goto(`${base}/`);
    await page.getByText('今日值班').waitFor();
    for (const p of now.onDuty) {
      await page.locator('.gz-duty-now', { hasText: p.name }).getByText(p.orgName).waitFor();
    }
    await page.getByText('责任区域与负责人').waitFor();
    await shot(page, 'duty-01-home-today');
    await page.close();
  });

  it('a person on duty shows a phone; the home page shows it only then', async () => {
    const { t, base } = product;
    const today = shanghaiDate();
    const secretary = await t.loginAs('tu-zhongmei');
    const rota = (
      await t.app.inject({
        method: 'GET',
        url: `/api/communities/xiaduoyuan/duty?from=${shanghaiDate(-1)}&to=${today}`,
        headers: secretary.auth,
      })
    ).json() as RotaView;
    const running = rota.shifts.find(
      (s) => Date.parse(s.start) <= Date.now() && Date.now() < Date.parse(s.end) - 120_000,
    );
    if (!running) return; // a handover within the next two minutes: nothing stable to look at
    const person = await t.loginAs(running.person.key);
    const pref = await t.app.inject({
      method: 'PUT',
      url: '/api/me/duty-preferences',
      headers: person.auth,
      payload: { showContact: true, phone: '13900001234' },
    });
    expect(pref.statusCode).toBe(200);

    const page = await product.newPage();
    await page.goto(`${base}/`);
    await page.locator('.gz-duty-now', { hasText: running.person.name }).getByText('13900001234').waitFor();
    await shot(page, 'duty-02-home-phone');

    // The same person logs in on the workbench: their shifts, the month, and the duty log.
    await page.goto(`${base}/#/pages/work/index`);
    await field(page, '请输入手机号').fill(person.phone);
    await field(page, '请输入密码').fill('test-password-1');
    await button(page, '登录').click();
    await page.locator('.nut-cell:visible', { hasText: '我的班次' }).click();
    await page.locator('.gz-shift:visible', { hasText: '值班中' }).waitFor();
    await shot(page, 'duty-03-my-shifts');

    await page.locator('.nut-cell:visible', { hasText: '月度值班表' }).click();
    // After midnight the running shift is last night's: it sits on yesterday's day of the month.
    if (running.date === today) {
      await page.locator('.gz-day--today:visible').getByText(running.person.name, { exact: false }).waitFor();
    } else if (running.date.slice(0, 7) === today.slice(0, 7)) {
      await page.locator('.gz-day:visible', { hasText: running.person.name }).first().waitFor();
    }
    await shot(page, 'duty-04-rota');
    await page.goBack();

    await page.locator('.nut-cell:visible', { hasText: '接待记录' }).click();
    await field(page, '问的是什么事').waitFor();
    await field(page, '姓名，或如“3号楼住户”“匿名”').fill('12号楼住户');
    await field(page, '问的是什么事').fill('楼道灯不亮');
    await page.locator('textarea:visible').fill('已登记，通知物业今天修复');
    await button(page, '保存记录').click();
    const entry = page.locator('.gz-log__entry:visible', { hasText: '楼道灯不亮' });
    await entry.waitFor();
    await shot(page, 'duty-05-log');

    await entry.locator('.nut-button', { hasText: '转为问题' }).click();
    await page.getByText('确认转为问题').waitFor();
    // The zone defaults to the person's own; someone without one picks it.
    const zoneCell = page.locator('.nut-popup:visible .nut-cell', { hasText: '责任区域' });
    if ((await zoneCell.textContent())?.includes('请选择')) {
      await zoneCell.click();
      await page.locator('.nut-picker-confirm-btn:visible').click();
    }
    await page.locator('.nut-popup:visible .gz-cat').first().click();
    await shot(page, 'duty-06-log-to-issue');
    await button(page, '确认转为问题').click();
    await entry.getByText('已转问题', { exact: false }).waitFor({ timeout: 30_000 });
    await shot(page, 'duty-07-log-filed');

    // Asking for a swap: the form offers a future shift and people of the same organisation.
    await page.goto(`${base}/#/duty/pages/swaps/index`);
    await page.getByText('没有待确认的换班申请').waitFor();
    await button(page, '申请换班').click();
    await page
      .locator('.nut-cell:visible', { hasText: '换出班次' })
      .getByText('月', { exact: false })
      .waitFor();
    await page.locator('.nut-cell:visible', { hasText: '代班人' }).click();
    await page.locator('.nut-picker-confirm-btn:visible').click();
    await page.locator('textarea:visible').fill('当天需要陪家人就医');
    await shot(page, 'duty-08-swap-form');
    await button(page, '发送申请').click();
    await page
      .locator('.gz-shift:visible', { hasText: '当天需要陪家人就医' })
      .getByText('待对方确认')
      .waitFor();
    await shot(page, 'duty-09-swap-sent');
    await page.close();
  });
});
