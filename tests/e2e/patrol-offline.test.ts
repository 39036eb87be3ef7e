import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IssueDetail } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { shot, startProduct } from './browser';

jest.setTimeout(180_000);

let product: Awaited<ReturnType<typeof startProduct>>;
const tmp = mkdtempSync(path.join(tmpdir(), 'gz-e2e-offline-'));
const PHOTO = path.join(tmp, 'bench.jpg');

beforeAll(async () => {
  await sharp({ create: { width: 1800, height: 1200, channels: 3, background: { r: 120, g: 110, b: 100 } } })
    .jpeg()
    .toFile(PHOTO);
  product = await startProduct();
});
afterAll(async () => {
  await product?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const field = (page: Page, placeholder: string) =>
  page.locator(`input[placeholder="${placeholder}"]:visible`);
const button = (page: Page, text: string) => page.locator('.nut-button:visible', { hasText: text }).first();

describe('an inspector reports on patrol without network', () => {
  it('keeps the report with its photo on the device and sends it once when the network returns', async () => {
    const { base, t } = product;
    const inspector = await t.loginAs('yang-chenyi');
    const description = '南门长椅断裂，有钉子外露';
    const issuesNamed = async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/issues?community=xiaduoyuan&zone=zone-1&q=${encodeURIComponent(description)}`,
        headers: inspector.auth,
      });
      return (res.json().items as { id: string; description: string }[]).filter(
        (i) => i.description === description,
      );
    };

    const page = await product.newPage();
    await page.goto(`${base}/#/pages/work/index`);
    await field(page, '请输入手机号').fill(inspector.phone);
    await field(page, '请输入密码').fill('test-password-1');
    await button(page, '登录').click();
    await page.locator('.nut-cell:visible', { hasText: '巡查上报' }).click();
    await page.locator('.nut-cell:visible', { hasText: '第一责任区域' }).waitFor();

    // The lift lobby: no network from here on.
    await page.context().setOffline(true);
    await field(page, '具体位置，如：3 单元门口、南门绿地').fill('南门广场');
    await page.getByText('公共设施', { exact: true }).click();
    await page.locator('textarea:visible').fill(description);
    const chooser = page.waitForEvent('filechooser');
    await page.locator('.nut-uploader-input:visible').first().click();
    await (await chooser).setFiles(PHOTO);
    await page.locator('.nut-uploader-preview:visible').first().waitFor();
    await shot(page, '13-patrol-report');
    await button(page, '上报').click();
    await page.getByText('暂无网络，已保存在本机，联网后自动上报').waitFor();

    // Back on the workbench, the report waits on the device; the API has nothing yet.
    await page.locator('.nut-cell:visible', { hasText: '待提交的上报 1 条' }).waitFor({ timeout: 15_000 });
    await shot(page, '14-workbench-pending');
    expect(await issuesNamed()).toHaveLength(0);

    await page.context().setOffline(false);
    let created: { id: string }[] = [];
    for (let i = 0; i < 90 && created.length === 0; i++) {
      await page.waitForTimeout(500);
      created = await issuesNamed();
    }
    expect(created).toHaveLength(1);
    const detail = (
      await t.app.inject({ method: 'GET', url: `/api/issues/${created[0]!.id}`, headers: inspector.auth })
    ).json() as IssueDetail;
    expect(detail.channel).toBe('patrol');
    expect(detail.spot).toBe('南门广场');
    expect(detail.photos).toHaveLength(1);
    // Sent exactly once, however many triggers fired (network back, the periodic retry).
    await page.waitForTimeout(1500);
    expect(await issuesNamed()).toHaveLength(1);
    await page.close();
  });
});
