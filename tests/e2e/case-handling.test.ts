import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IssueDetail } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { TEST_QR_SECRET } from '../helpers/build-app';
import * as flow from '../helpers/issue-flow';
import { shot, staffLogin, startProduct } from './browser';

/**
 * Issue 17 in the browser: the owner's decision on an extension the handler asked for, and the
 * grid inspector's on-site verification (fail with photos → rework; pass → closed). Sanitation is
 * configured to be checked on site.
 */
jest.setTimeout(300_000);

let product: Awaited<ReturnType<typeof startProduct>>;
const tmp = mkdtempSync(path.join(tmpdir(), 'gz-case-'));
const SITE_PHOTO = path.join(tmp, 'site.jpg');

beforeAll(async () => {
  await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 120, g: 150, b: 90 } } })
    .jpeg()
    .toFile(SITE_PHOTO);
  product = await startProduct({
    editConfig: (raw) => {
      raw.caseHandling = { verification: { categories: ['sanitation'] } };
    },
  });
});
afterAll(async () => {
  await product?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const visibleButton = (page: Page, text: string) =>
  page.locator('.nut-button:visible', { hasText: text }).first();

let addr = 0;
async function complain(description: string) {
  const r = await product.t.app.inject({
    method: 'POST',
    url: '/api/complaints',
    payload: {
      qr: signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 12 }),
      category: 'sanitation',
      description,
    },
    remoteAddress: `10.78.0.${++addr}`,
  });
  expect(r.statusCode).toBe(201);
  const { trackingCode } = r.json() as { trackingCode: string };
  return flow.issueIdOf(product.t, trackingCode);
}

const issueAs = async (person: string, id: string) =>
  (
    await product.t.app.inject({ url: `/api/issues/${id}`, headers: (await product.t.loginAs(person)).auth })
  ).json() as IssueDetail;

async function staffPage(person: string) {
  const s = await product.t.loginAs(person);
  const page = await product.newPage();
  await staffLogin(page, s.phone, { open: product.base });
  await page.getByText('我的任务').first().waitFor();
  return page;
}

async function choosePhoto(page: Page, file: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.locator('.nut-uploader-input:visible').first().click();
  await (await chooser).setFiles(file);
}

describe('case handling in the mini program', () => {
  const description = '12号楼南侧绿化带建筑垃圾堆放';
  let id = '';

  it('the owner sees the pending extension on the issue page and approves it; the deadline moves', async () => {
    id = await complain(description);
    const specialist = await product.t.loginAs('zhang-lifen');
    const task = (await issueAs('zhang-lifen', id)).tasks.find((x) => x.status === 'open')!;
    await flow.taskStep(product.t, specialist, task.id, 'accept');
    const due = new Date(task.resolveDueAt);
    const newDueDate = new Date(due.getTime() + 6 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    const r = await product.t.app.inject({
      method: 'POST',
      url: `/api/issues/${id}/extension`,
      headers: specialist.auth,
      payload: { reason: '需协调渣土车清运，预计下周完成', newDueDate },
    });
    expect(r.statusCode).toBe(200);

    const leader = await staffPage('wu-wenjie');
    await leader.goto(`${product.base}/#/inspector/pages/issue/index?id=${id}`);
    await leader.getByText('案件办理', { exact: true }).waitFor();
    await leader.getByText('张丽芬申请延期', { exact: false }).waitFor();
    await leader.getByText('原因：需协调渣土车清运，预计下周完成').waitFor();
    await visibleButton(leader, '同意延期').waitFor();
    await visibleButton(leader, '不同意延期').waitFor();
    // Only what the server allows: the owner may not urge nor inspect.
    expect(await leader.locator('.nut-button:visible', { hasText: '督办' }).count()).toBe(0);
    expect(await leader.locator('.nut-button:visible', { hasText: '现场核查' }).count()).toBe(0);
    await leader.getByText('案件办理', { exact: true }).scrollIntoViewIfNeeded();
    await shot(leader, 'case-01-extension-pending');

    await visibleButton(leader, '同意延期').click();
    await leader.getByText('已延期 1 次', { exact: false }).waitFor();
    expect(await leader.locator('.nut-button:visible', { hasText: '同意延期' }).count()).toBe(0);
    await leader.getByText('同意延期', { exact: true }).first().waitFor(); // the record's entry
    await shot(leader, 'case-02-extension-approved');
    await leader.close();

    const after = await issueAs('zhang-lifen', id);
    expect(after.caseHandling.extensionCount).toBe(1);
    expect(after.tasks.find((x) => x.status === 'accepted')!.resolveDueAt).toBe(
      new Date(`${newDueDate}T23:59:59+08:00`).toISOString(),
    );
  });

  it('the grid inspector fails the fix on site with a photo (rework), then passes it (closed)', async () => {
    // The task was accepted before the extension: start and resolve it.
    const specialist = await product.t.loginAs('zhang-lifen');
    const task = flow.openTaskOf(await issueAs('zhang-lifen', id), 'zhang-lifen')!;
    expect((await flow.taskStep(product.t, specialist, task.id, 'start')).statusCode).toBe(200);
    const after = await flow.uploadPhoto(product.t, specialist);
    expect(
      (await flow.taskStep(product.t, specialist, task.id, 'resolve', { note: '已清运', photoIds: [after] }))
        .statusCode,
    ).toBe(200);
    const inspector = await staffPage('yang-chenyi');
    await inspector.goto(`${product.base}/#/inspector/pages/issue/index?id=${id}`);
    await inspector.getByText('本类问题办结后须现场核查', { exact: false }).waitFor();
    // Plain confirmation is not offered where the category is checked on site.
    expect(await inspector.locator('.nut-button:visible', { hasText: '验收通过' }).count()).toBe(0);
    await visibleButton(inspector, '现场核查').click();

    await inspector.getByText('核查结论').waitFor();
    await inspector.locator('.nut-radio:visible', { hasText: '未通过，返工' }).click();
    await inspector.locator('textarea:visible').fill('南侧绿化带内仍有碎砖未清');
    await visibleButton(inspector, '提交核查结果').click();
    await inspector.getByText('现场核查须上传至少一张现场照片').waitFor();
    await choosePhoto(inspector, SITE_PHOTO);
    await inspector.locator('.nut-uploader-preview:visible').first().waitFor();
    await shot(inspector, 'case-03-inspection-fail');
    await visibleButton(inspector, '提交核查结果').click();
    // Back on the issue page: reworked and with the handler again.
    await inspector.getByText('返工 1 次', { exact: false }).waitFor({ timeout: 60_000 });
    await inspector.locator('.gz-status:visible', { hasText: '已派单' }).first().waitFor();
    await shot(inspector, 'case-04-reworked');

    const reworked = await issueAs('wu-wenjie', id);
    expect(reworked.status).toBe('dispatched');
    expect(reworked.caseHandling.reworkCount).toBe(1);
    expect(
      reworked.events.some((e) => e.action === 'inspect_fail' && e.note === '南侧绿化带内仍有碎砖未清'),
    ).toBe(true);

    await flow.resolveTaskOf(product.t, await product.t.loginAs('zhang-lifen'), id, 'zhang-lifen');
    await inspector.reload();
    await visibleButton(inspector, '现场核查').click();
    await inspector.getByText('核查结论').waitFor();
    await inspector.locator('textarea:visible').fill('已清理干净');
    await choosePhoto(inspector, SITE_PHOTO);
    await inspector.locator('.nut-uploader-preview:visible').first().waitFor();
    await visibleButton(inspector, '提交核查结果').click();
    await inspector.locator('.gz-status:visible', { hasText: '已关闭' }).first().waitFor({ timeout: 60_000 });
    expect(await inspector.locator('.nut-button:visible', { hasText: '现场核查' }).count()).toBe(0);
    await shot(inspector, 'case-05-closed');
    await inspector.close();
    expect((await issueAs('wu-wenjie', id)).status).toBe('closed');
  });
});
