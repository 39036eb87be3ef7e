import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ArchiveList } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { testClock } from '../helpers/build-app';
import { seedDemoQuarter } from '../helpers/demo-quarter';
import { shot, startProduct } from './browser';

jest.setTimeout(300_000);

// The server's clock: the 夏朵园 demo quarter 2026Q3 is lived through, then it is 9 October.
const clock = testClock(new Date('2026-06-20T02:00:00Z'));
let product: Awaited<ReturnType<typeof startProduct>>;
beforeAll(async () => {
  product = await startProduct({ now: clock.now });
  await seedDemoQuarter(product.t, clock, new Date('2026-06-30T16:00:00Z'), product.t.runFollowUp);
  clock.set(new Date('2026-10-09T02:00:00Z'));
});
afterAll(() => product?.close());

const field = (page: Page, placeholder: string) => page.locator(`input[placeholder="${placeholder}"]`);
const button = (page: Page, text: string) => page.locator('.nut-button:visible', { hasText: text }).first();

describe('the quarterly archive in the mini-program', () => {
  it('the secretary archives 2026Q3 from the work page and downloads the package', async () => {
    const { t, base } = product;
    const secretary = await t.loginAs('tu-zhongmei');
    const page = await product.newPage();
    await page.goto(`${base}/#/pages/work/index`);
    await field(page, '请输入手机号').fill(secretary.phone);
    await field(page, '请输入密码').fill('test-password-1');
    await button(page, '登录').click();
    await page.locator('.nut-cell:visible', { hasText: '季度归档' }).click();
    await page.getByText('还没有归档的季度').waitFor();
    await shot(page, 'archive-01-empty');

    await button(page, '归档2026年第三季度').click();
    await page.getByText('确定归档吗？').waitFor();
    await shot(page, 'archive-02-confirm');
    await page.locator('.nut-dialog:visible .nut-button', { hasText: '归档' }).last().click();
    const card = page.locator('.gz-card:visible', { hasText: 'xiaduoyuan-2026Q3.zip' });
    await card.waitFor({ timeout: 60_000 });
    await page.getByText('2026年第三季度已归档').waitFor();
    await page.getByText('2026年第三季度已归档').waitFor({ state: 'hidden' });

    const list = (
      await t.app.inject({ url: '/api/communities/xiaduoyuan/archives', headers: secretary.auth })
    ).json() as ArchiveList;
    const archived = list.items[0]!;
    expect(archived.quarter).toBe('2026Q3');
    await card.getByText(archived.sha256).waitFor();
    await card.getByText('由 屠忠梅 归档', { exact: false }).waitFor();
    await card.getByText(`问题 ${archived.counts.issues} 件`, { exact: false }).waitFor();
    // 2026Q3 is no longer offered; the quarters before it still are.
    expect(await page.locator('.nut-button:visible', { hasText: '归档2026年第三季度' }).count()).toBe(0);
    await button(page, '归档2026年第二季度').waitFor();
    await shot(page, 'archive-03-list');

    const [download] = await Promise.all([page.waitForEvent('download'), button(page, '下载归档包').click()]);
    expect(download.suggestedFilename()).toBe('xiaduoyuan-2026Q3.zip');
    const file = await download.path();
    expect(createHash('sha256').update(readFileSync(file!)).digest('hex')).toBe(archived.sha256);
    await page.close();
  });
});
