import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IssueDetail } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { issueRatingsTable, issuesTable } from '../../apps/api/src/db/schema';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { TEST_QR_SECRET } from '../helpers/build-app';
import { shot, startProduct, waitForDecodedImage } from './browser';

jest.setTimeout(180_000);

let product: Awaited<ReturnType<typeof startProduct>>;
const tmp = mkdtempSync(path.join(tmpdir(), 'gz-e2e-'));
/** A phone photo: larger than the 1600 px the client compresses to. */
const PHOTO = path.join(tmp, 'lobby.jpg');
const AFTER_PHOTO = path.join(tmp, 'after.jpg');

beforeAll(async () => {
  await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 180, g: 140, b: 90 } } })
    .composite([
      {
        input: Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" width="3000" height="2000"><rect x="400" y="300" width="1200" height="900" fill="#335"/></svg>',
        ),
      },
    ])
    .jpeg({ quality: 95 })
    .toFile(PHOTO);
  await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 90, g: 160, b: 110 } } })
    .jpeg()
    .toFile(AFTER_PHOTO);
  product = await startProduct();
});

afterAll(async () => {
  await product?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Taro's <taro-input-core> wraps a native input that carries the same placeholder. */
const field = (page: Page, placeholder: string) => page.locator(`input[placeholder="${placeholder}"]`);

/** NutUI buttons are <taro-button-core> elements, without the button role. */
const button = (page: Page, text: string) => page.locator('.nut-button', { hasText: text }).first();

async function choosePhoto(page: Page, file: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.locator('.nut-uploader-input').first().click();
  await (await chooser).setFiles(file);
}

describe('a resident complains from a QR code; the inspector sees it; the specialist fixes it; the resident confirms', () => {
  const description = '12号楼3单元门口垃圾堆放三天无人清理';
  let trackingCode = '';
  let trackingSecret = '';
  /** The resident's browser tab: its storage holds the tracking code and secret. */
  let residentPage: Page;

  it('opens /q/<code>, fills the form with a photo and gets a tracking code', async () => {
    const { base } = product;
    const page = await product.newPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const code = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 12 });
    await page.goto(`${base}/q/${code}`);
    // The QR code filled in the place: community, zone and building.
    await page.getByText('夏朵园居民区 · 第一责任区域 · 12 号楼').waitFor();
    expect(page.url()).toContain('#/pages/complain/index?qr=');
    await shot(page, '01-complaint-form');

    await page.getByText('环境卫生', { exact: true }).click();
    await page.locator('textarea').fill(description);
    await choosePhoto(page, PHOTO);
    await page.locator('.nut-uploader-preview img, .nut-uploader-preview-img').first().waitFor();
    await field(page, '留下手机号，便于工作人员联系您').fill('13812345678');
    await shot(page, '02-complaint-filled');

    await button(page, '提交').click();
    await page.getByText('提交成功').waitFor({ timeout: 30_000 });
    trackingCode = (await page.getByTestId('tracking-code').textContent())?.trim() ?? '';
    expect(trackingCode).toMatch(/^[A-Z2-9]{8}$/);
    // The secret is shown once, beside the code, with a button that copies both.
    trackingSecret = (await page.getByTestId('tracking-secret').textContent())?.trim() ?? '';
    expect(trackingSecret.length).toBeGreaterThanOrEqual(20);
    await page.getByText('密钥只在这里显示这一次', { exact: false }).waitFor();
    await button(page, '复制查询码和密钥').click();
    await page.getByText('内容已复制').waitFor();
    const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
    expect(copied).toContain(trackingCode);
    expect(copied).toContain(trackingSecret);
    await page.getByText('责任区域', { exact: false }).first().waitFor();
    await shot(page, '03-complaint-receipt');

    // "My complaints" lists it from this device's storage, with its status from the API.
    await page.goto(`${base}/#/pages/mine/index`);
    await page.getByText(trackingCode, { exact: false }).waitFor();
    await page.getByText('已派单').first().waitFor();
    await shot(page, '04-my-complaints');
    residentPage = page;
  });

  it('stored one issue with the compressed photo, whatever the retries', async () => {
    const inspector = await product.t.loginAs('yang-chenyi');
    const list = await product.t.app.inject({
      method: 'GET',
      url: '/api/issues?community=xiaduoyuan&zone=zone-1',
      headers: inspector.auth,
    });
    const items = list.json().items as { id: string; code: string; description: string }[];
    expect(items.filter((i) => i.description === description)).toHaveLength(1);
    const detail = (
      await product.t.app.inject({
        method: 'GET',
        url: `/api/issues/${items[0]!.id}`,
        headers: inspector.auth,
      })
    ).json() as IssueDetail;
    expect(detail.code).toBe(trackingCode);
    expect(detail.photos).toHaveLength(1);
    // Compressed in the browser before upload: the 3000 px original arrives at most 1600 px wide.
    expect(Math.max(detail.photos[0]!.width, detail.photos[0]!.height)).toBeLessThanOrEqual(1600);
  });

  it('the inspector logs in and finds it in the zone list, then opens it', async () => {
    const { base } = product;
    const inspector = await product.t.loginAs('yang-chenyi');
    const page = await product.newPage();
    await page.goto(`${base}/#/pages/work/index`);
    await field(page, '请输入手机号').fill(inspector.phone);
    await field(page, '请输入密码').fill('test-password-1');
    await shot(page, '05-staff-login');
    await button(page, '登录').click();
    await page.getByText('巡查上报').waitFor();
    await shot(page, '06-workbench');

    await page.locator('.nut-cell:visible', { hasText: '区域问题' }).click();
    await page.getByText(description).waitFor();
    await shot(page, '07-zone-list');

    await page.locator('.gz-issue:visible', { hasText: description }).click();
    await page.getByText('分级：责任区域').waitFor();
    await page.getByText('处理记录', { exact: true }).waitFor();
    // The photo loads through the bearer token (an <img> alone would be refused).
    await waitForDecodedImage(page, '.gz-photos__item img');
    await shot(page, '08-issue-detail');
    await page.close();
  });

  it("the zone's property specialist sees the task, accepts it and resolves it with an after-photo", async () => {
    const { base } = product;
    const specialist = await product.t.loginAs('zhang-lifen');
    const page = await product.newPage();
    await page.goto(`${base}/#/pages/work/index`);
    await field(page, '请输入手机号').fill(specialist.phone);
    await field(page, '请输入密码').fill('test-password-1');
    await button(page, '登录').click();
    await page.locator('.nut-cell:visible', { hasText: '我的任务' }).click();
    const card = page.locator('.gz-task:visible', { hasText: description });
    await card.waitFor();
    await card.getByText('待接单').waitFor();
    await shot(page, '09-task-inbox');

    // Finger-sized: every button on the card at least 44 × 44 CSS px.
    for (const b of await card.locator('.nut-button').all()) {
      const box = (await b.boundingBox())!;
      expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44);
    }
    await card.locator('.nut-button', { hasText: '接单' }).click();
    await card.getByText('已接单').waitFor();
    await card.locator('.nut-button', { hasText: '办结' }).click();
    await page.locator('textarea:visible').fill('已清运垃圾并冲洗地面');
    await choosePhoto(page, AFTER_PHOTO);
    await page.locator('.nut-uploader-preview:visible').first().waitFor();
    await shot(page, '10-resolve');
    await page.locator('.nut-button:visible', { hasText: '确认办结' }).click();
    // Back on the inbox, the task has left the to-do list.
    await page.locator('.nut-tabs:visible').waitFor();
    await card.waitFor({ state: 'detached', timeout: 30_000 });
    await page.close();

    const detail = await product.t.app.inject({
      method: 'GET',
      url: `/api/issues?community=xiaduoyuan&zone=zone-1&status=resolved`,
      headers: specialist.auth,
    });
    expect((detail.json().items as { code: string }[]).map((i) => i.code)).toContain(trackingCode);
  });

  it("the resident's tracking page shows it resolved and takes the confirmation with a rating", async () => {
    const page = residentPage;
    await page.goto(`${product.base}/#/pages/track/index?code=${trackingCode}`);
    await page.getByText('问题已办结，请您确认并评价').waitFor();
    await page.locator('.gz-status:visible', { hasText: '已办结' }).waitFor();
    await page.getByText('已清运垃圾并冲洗地面').first().waitFor();
    // The resident sees the photos: their own and the after-photo they are asked to confirm.
    await page.getByText('现场照片和处理后的照片见下方', { exact: false }).waitFor();
    await waitForDecodedImage(page, '.gz-photos__item img');
    await expect(page.locator('.gz-photos__item:visible').count()).resolves.toBe(2);
    // Nothing is chosen for the resident: neither 已解决 nor 没解决 is pre-selected.
    const fixedChoice = page.locator('.gz-rating__fixed .nut-button:visible');
    expect(await fixedChoice.count()).toBe(2);
    for (const b of await fixedChoice.all()) expect(await b.getAttribute('class')).not.toContain('primary');
    await page.locator('.nut-button:visible', { hasText: '提交评价' }).click();
    await page.getByText('请先选择问题是否已解决').waitFor();
    await fixedChoice.filter({ hasText: '已解决' }).click();
    // Not rated yet: the card says so and refuses to send.
    await page.locator('.nut-button:visible', { hasText: '提交评价' }).click();
    await page.getByText('请点星评分（1–5 分）').waitFor();
    // Stars a finger can hit: each at least 32 px with 12 px between them (a 44 px pitch).
    const stars = await page.locator('.nut-rate-item:visible').all();
    expect(stars).toHaveLength(5);
    const boxes = await Promise.all(stars.map(async (x) => (await x.boundingBox())!));
    for (const b of boxes) expect(Math.min(b.width, b.height)).toBeGreaterThanOrEqual(32);
    expect(boxes[1]!.x - boxes[0]!.x).toBeGreaterThanOrEqual(44);
    await page.locator('.nut-rate-item:visible').nth(3).click();
    await page.getByText('4 分 · 满意').waitFor();
    await page.locator('textarea:visible').fill('清理得很干净');
    await shot(page, '11-tracking-resolved');
    await page.locator('.nut-button:visible', { hasText: '提交评价' }).click();
    await page.locator('.gz-status:visible', { hasText: '已关闭' }).waitFor();
    await page.getByText('您的评价', { exact: true }).waitFor();
    await page.getByText('问题解决了吗：已解决').waitFor();
    await page.getByText('4 分 · 满意').waitFor();
    await expect(page.getByText('问题已办结，请您确认并评价').count()).resolves.toBe(0);
    const rated = await product.t.db
      .select({
        score: issueRatingsTable.score,
        fixed: issueRatingsTable.fixed,
        comment: issueRatingsTable.comment,
      })
      .from(issueRatingsTable)
      .innerJoin(issuesTable, eq(issuesTable.id, issueRatingsTable.issueId))
      .where(eq(issuesTable.code, trackingCode));
    expect(rated).toEqual([{ score: 4, fixed: true, comment: '清理得很干净' }]);
    await shot(page, '12-tracking-closed');
    await page.close();
  });

  it('on another phone, the code and the secret open the complaint and its photos', async () => {
    const page = await product.newPage();
    await page.goto(`${product.base}/#/pages/home/index`);
    await page.locator('.nut-cell:visible', { hasText: '用查询码查询' }).click();
    await field(page, '8 位查询码').fill(trackingCode);
    await field(page, '提交成功时显示的密钥').fill(trackingSecret);
    await button(page, '查询').click();
    await page.getByText(`查询码 ${trackingCode}`).waitFor();
    await page.locator('.gz-status:visible', { hasText: '已关闭' }).waitFor();
    await waitForDecodedImage(page, '.gz-photos__item img');
    await expect(page.locator('.gz-photos__item:visible').count()).resolves.toBe(2);
    await shot(page, '13-tracking-other-phone');
    await page.close();
  });
});
