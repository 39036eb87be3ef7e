import { readFileSync } from 'node:fs';
import { EXTERNAL_EXPORT_HEADER } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { TEST_QR_SECRET } from '../helpers/build-app';
import { readXlsx } from '../helpers/xlsx-read';
import { shot, staffLogin, startProduct } from './browser';

jest.setTimeout(240_000);

let product: Awaited<ReturnType<typeof startProduct>>;

beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.close();
});

const visibleButton = (page: Page, text: string) =>
  page.locator('.nut-button:visible', { hasText: text }).first();
let addr = 0;
const qr12 = () => signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 12 });
async function complain(description: string, category = 'sanitation') {
  const r = await product.t.app.inject({
    method: 'POST',
    url: '/api/complaints',
    payload: { qr: qr12(), category, description },
    remoteAddress: `10.78.0.${++addr}`,
  });
  expect(r.statusCode).toBe(201);
}

describe('duplicates at intake, 12345 orders and 每月一题 on a phone', () => {
  it('the complaint form offers the open issue of the same building and category', async () => {
    await complain('12号楼门口垃圾堆了三天');
    const page = await product.newPage();
    await page.goto(`${product.base}/q/${qr12()}`);
    await page.getByText('夏朵园居民区 · 第一责任区域 · 12 号楼').waitFor();
    await page.getByText('环境卫生', { exact: true }).click();
    await page.getByText('已有相同问题在处理（1）').waitFor();
    await page.locator('.nut-button:visible', { hasText: '这也是我的问题' }).waitFor();
    await shot(page, 'intake-01-similar');
    await page.close();
  });

  it('the secretary enters a 12345 order and sees it listed with its deadlines', async () => {
    const s = await product.t.loginAs('tu-zhongmei');
    const page = await product.newPage();
    await staffLogin(page, s.phone, { open: product.base });
    await page.locator('.nut-cell:visible', { hasText: '12345 与街道转办' }).click();
    await visibleButton(page, '登记工单').click();
    await page.locator('input[placeholder="外部工单编号"]').fill('BJ12345-20261116-0009');
    await page.locator('input[placeholder="办结时限，如 2026-11-20 18:00"]').fill('2030-11-20 18:00');
    await page.locator('input[placeholder="楼号（知道的话请填写），如：12"]').fill('12');
    await page.getByText('噪声扰民', { exact: true }).click();
    await page.locator('textarea').first().fill('市民来电：12号楼夜间装修噪音');
    await shot(page, 'intake-02-external-new');
    await visibleButton(page, '登记并派单').click();
    await page.getByText('12345热线 · BJ12345-20261116-0009').waitFor();
    await page.getByText('办结后可记录回复').waitFor();
    await shot(page, 'intake-03-external-list');
    // The replies for the hotline's system (12345): the page's export button downloads the file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      visibleButton(page, '导出 Excel').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const [sheet] = readXlsx(readFileSync((await download.path())!));
    expect(sheet!.rows[0]).toEqual([...EXTERNAL_EXPORT_HEADER]);
    expect(sheet!.rows.slice(1).map((r) => r[0])).toEqual(['BJ12345-20261116-0009']);

    await page.goto(`${product.base}/#/intake/pages/topics/index`);
    await page.getByText('已确定的每月一题').waitFor();
    await shot(page, 'intake-04-topics');
    await page.close();
  });
});
