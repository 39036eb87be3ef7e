import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COMPLAINT_LIMITS, type IssueDetail, type IssuePage } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { TEST_QR_SECRET } from '../helpers/build-app';
import { shot, staffLogin, startProduct } from './browser';

jest.setTimeout(180_000);

let product: Awaited<ReturnType<typeof startProduct>>;
const tmp = mkdtempSync(path.join(tmpdir(), 'gz-e2e-photos-'));
/** A large phone photo: compressing it on a slowed-down phone takes a while. */
const PHOTO = path.join(tmp, 'stairs.jpg');
/** Not an image at all, though its name says so (a renamed document, a HEIC the browser cannot read). */
const NOT_A_PHOTO = path.join(tmp, 'notes.jpg');

beforeAll(async () => {
  await sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 120, g: 130, b: 150 } } })
    .jpeg({ quality: 95 })
    .toFile(PHOTO);
  writeFileSync(NOT_A_PHOTO, '这不是照片，只是一段文字。\n'.repeat(50));
  product = await startProduct();
});

afterAll(async () => {
  await product?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const button = (page: Page, text: string) => page.locator('.nut-button', { hasText: text }).first();

async function choose(page: Page, file: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.locator('.nut-uploader-input').first().click();
  await (await chooser).setFiles(file);
}

/** How many photos the one issue whose description holds `words` has (the zone's inspector reads it). */
async function photosOfTheOneIssue(words: string) {
  const inspector = await product.t.loginAs('yang-chenyi');
  const list = await product.t.app.inject({
    url: `/api/issues?community=xiaduoyuan&q=${encodeURIComponent(words)}`,
    headers: inspector.auth,
  });
  const items = (list.json() as IssuePage).items;
  expect(items).toHaveLength(1);
  const detail = await product.t.app.inject({ url: `/api/issues/${items[0]!.id}`, headers: inspector.auth });
  return (detail.json() as IssueDetail).photos.length;
}

async function openForm(page: Page, building: number) {
  const code = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building });
  await page.goto(`${product.base}/q/${code}`);
  await page.getByText(`${building} 号楼`, { exact: false }).first().waitFor();
}

describe('a resident’s photos are never silently lost', () => {
  it('a photo still being prepared when 提交 is tapped is sent with the complaint', async () => {
    const page = await product.newPage();
    await openForm(page, 15);
    await page.getByText('环境卫生', { exact: true }).click();
    await page.locator('textarea').fill('15号楼楼梯间堆放杂物，影响通行');
    // A slow phone: compressing the 12-megapixel photo takes seconds, and the resident does not wait.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 8 });
    await choose(page, PHOTO);
    await button(page, '提交').click();
    await page.getByText('提交成功').waitFor();
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await shot(page, 'photos-01-sent-while-preparing');
    await page.close();

    expect(await photosOfTheOneIssue('15号楼楼梯间')).toBe(1);
  });

  it('a file that is not a readable photo is refused with a message, and nothing is attached', async () => {
    const page = await product.newPage();
    await openForm(page, 16);
    await page.getByText('环境卫生', { exact: true }).click();
    await page.locator('textarea').fill('16号楼门口垃圾桶破损');
    await choose(page, NOT_A_PHOTO);
    await page.getByText('这张照片无法读取', { exact: false }).waitFor();
    await shot(page, 'photos-02-unreadable');
    await button(page, '提交').click();
    await page.getByText('提交成功').waitFor();
    await page.close();

    expect(await photosOfTheOneIssue('16号楼门口垃圾桶')).toBe(0);
  });

  it('a refusal for too many complaints is shown as what it is, not as a lost network', async () => {
    // This address has just sent building 17 all the ordinary complaints an hour allows.
    const qr = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 17 });
    for (let i = 0; i < COMPLAINT_LIMITS.perQrPerAddressPerHour; i++) {
      const res = await product.t.app.inject({
        method: 'POST',
        url: '/api/complaints',
        payload: { qr, category: 'other', description: `17号楼投诉第${i + 1}条` },
        remoteAddress: '127.0.0.1',
      });
      expect(res.statusCode).toBe(201);
    }
    const page = await product.newPage();
    await openForm(page, 17);
    await page.getByText('环境卫生', { exact: true }).click();
    await page.locator('textarea').fill('17号楼垃圾房异味严重');
    await button(page, '提交').click();
    await page.getByText('暂未受理：', { exact: false }).waitFor();
    expect(await page.getByText('当前没有网络').count()).toBe(0);
    await shot(page, 'photos-03-too-many');
    await page.close();
  });

  it('a paste past the 2,000-character limit is told, not silently cut', async () => {
    const page = await product.newPage();
    await openForm(page, 18);
    await page.locator('textarea').fill('楼道灯不亮。'.repeat(400)); // 2,400 characters
    await page.getByText('已达 2000 字上限', { exact: false }).waitFor();
    expect((await page.locator('textarea').inputValue()).length).toBeLessThanOrEqual(2000);
    await shot(page, 'photos-04-paste-limit');
    await page.close();
  });

  it('a list shows at most three lines of a long description', async () => {
    const long = `18号楼地下室常年积水，${'水泵坏了没人修，蚊虫滋生，气味很大，'.repeat(60)}`;
    const filed = await product.t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      payload: {
        qr: signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 18 }),
        category: 'other',
        description: long,
      },
      remoteAddress: '10.77.0.1',
    });
    expect(filed.statusCode).toBe(201);
    const inspector = await product.t.loginAs('yang-chenyi');
    const page = await product.newPage();
    await staffLogin(page, inspector.phone, { open: product.base });
    await page.locator('.nut-cell:visible', { hasText: '区域问题' }).first().click();
    const desc = page.locator('.gz-issue__desc:visible', { hasText: '18号楼地下室常年积水' });
    await desc.waitFor();
    const box = (await desc.boundingBox())!;
    const lineHeight = Number.parseFloat(
      (await page.evaluate(
        "getComputedStyle(document.querySelector('.gz-issue__desc.gz-clamp-3')).lineHeight",
      )) as string,
    );
    expect(box.height).toBeLessThanOrEqual(3 * lineHeight + 1);
    await shot(page, 'photos-05-list-clamped');
    await page.close();
  });
});

describe('every H5 page can be left, and a deep link survives the login', () => {
  const bar = (page: Page) => page.locator('#taro-navigation-bar');
  const barButton = (page: Page, which: 'back' | 'home') =>
    page.locator(`#taro-navigation-bar .taro-navigation-bar-${which}`);

  it('a sub-page opened from the home page has a back button in the title bar; a tab page has none', async () => {
    const page = await product.newPage();
    await page.goto(`${product.base}/#/pages/home/index`);
    await page.locator('.nut-cell:visible', { hasText: '用查询码查询' }).waitFor();
    await expect(bar(page).isVisible()).resolves.toBe(true);
    await expect(barButton(page, 'back').isVisible()).resolves.toBe(false);
    await expect(barButton(page, 'home').isVisible()).resolves.toBe(false);
    await page.locator('.nut-cell:visible', { hasText: '用查询码查询' }).click();
    await page.getByText('查询处理进度').waitFor();
    await barButton(page, 'back').waitFor();
    const box = (await barButton(page, 'back').boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44);
    await shot(page, 'nav-01-back-button');
    await barButton(page, 'back').click();
    await page.locator('.nut-cell:visible', { hasText: '用查询码查询' }).waitFor();
    await page.close();
  });

  it('a logged-out deep link offers 登录, and after logging in the person is back on that page', async () => {
    const inspector = await product.t.loginAs('yang-chenyi');
    const filed = await product.t.app.inject({
      method: 'POST',
      url: '/api/issues',
      headers: inspector.auth,
      payload: {
        community: 'xiaduoyuan',
        building: 12,
        category: 'sanitation',
        description: '12号楼门口落叶堆积（深链接）',
      },
    });
    expect(filed.statusCode).toBe(201);
    const id = (filed.json() as IssueDetail).id;

    const page = await product.newPage();
    // As from a shared link: the page itself, first in its tab, with nobody logged in.
    await page.goto(`${product.base}/#/inspector/pages/issue/index?id=${id}`);
    await page.getByText('请先登录').waitFor();
    // Opened directly, there is no page to go back to: the title bar offers home instead.
    await barButton(page, 'home').waitFor();
    await expect(page.locator('.nut-button:visible', { hasText: '重试' }).count()).resolves.toBe(0);
    await shot(page, 'nav-02-deep-link-logged-out');
    await button(page, '登录').click();
    await staffLogin(page, inspector.phone);
    // Back on the issue it was sent to.
    await page.getByText('12号楼门口落叶堆积（深链接）').waitFor();
    expect(page.url()).toContain(`inspector/pages/issue/index?id=${id}`);
    await shot(page, 'nav-03-back-after-login');
    await page.close();
  });
});

describe('我的投诉 comes from the server for a signed-in person', () => {
  it('on another phone, after signing in, the list shows what the account filed, and it opens without the secret', async () => {
    const inspector = await product.t.loginAs('yang-chenyi');
    const filed = await product.t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      headers: inspector.auth,
      remoteAddress: '10.88.0.1',
      payload: {
        qr: signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 15 }),
        category: 'sanitation',
        description: '15号楼楼梯间堆放纸箱（账号投诉）',
      },
    });
    expect(filed.statusCode).toBe(201);
    const code = filed.json().trackingCode as string;

    // A phone that never saw this complaint: nothing kept, no secret.
    const page = await product.newPage();
    await staffLogin(page, inspector.phone, { open: product.base });
    await page.getByText('巡查上报').waitFor();
    await page.goto(`${product.base}/#/pages/mine/index`);
    const row = page.locator('.nut-cell:visible', { hasText: code });
    await row.waitFor();
    await row.getByText('已派单').waitFor();
    await shot(page, 'mine-01-from-server');
    await row.click();
    await page.getByText(`查询码 ${code}`).waitFor();
    await page.getByText('15号楼楼梯间堆放纸箱（账号投诉）', { exact: false }).waitFor();
    await expect(page.getByText('查询密钥').count()).resolves.toBe(0);
    await shot(page, 'mine-02-opened-by-login');
    await page.close();
  });
});

describe('the privacy guide', () => {
  it('is one tap from the home page and says what is collected, why, and that it is optional', async () => {
    const page = await product.newPage();
    await page.goto(`${product.base}/#/pages/home/index`);
    await page.locator('.nut-cell:visible', { hasText: '隐私保护指引' }).click();
    await page.getByText('我们收集哪些信息', { exact: true }).waitFor();
    for (const what of [
      '微信身份标识（openid）',
      '照片（相册、相机）',
      '剪贴板',
      '位置（仅工作人员巡查时）',
      '手机号',
    ]) {
      await page.getByText(what, { exact: true }).waitFor();
    }
    // The whole title shows in the title bar (Taro's default cut it after four characters).
    const title = page.locator('#taro-navigation-bar .taro-navigation-bar-title');
    await expect(title.textContent()).resolves.toBe('隐私保护指引');
    expect(
      await title.evaluate((e) => {
        const el = e as unknown as { scrollWidth: number; clientWidth: number };
        return el.scrollWidth <= el.clientWidth;
      }),
    ).toBe(true);
    // On H5 nobody is asked to agree (WeChat asks on weapp, before a protected call).
    await expect(page.getByText('同意并继续').count()).resolves.toBe(0);
    await shot(page, 'privacy-01-guide');
    await page.close();
  });
});
