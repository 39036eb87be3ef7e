import type { IssueDetail } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { issueRatingsTable, issuesTable } from '../../apps/api/src/db/schema';
import { issueIdOf, qrFor, resolveTaskOf, type Session } from '../helpers/issue-flow';
import { shot, staffLogin, startProduct } from './browser';

jest.setTimeout(240_000);

let product: Awaited<ReturnType<typeof startProduct>>;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.close();
});

/** NutUI buttons are <taro-button-core> elements, without the button role. */
const button = (page: Page, text: string) => page.locator('.nut-button:visible', { hasText: text }).first();

/** A resident's complaint through a QR code (with a phone to call back), resolved and verified: closed. */
async function closedComplaint(building: number, description: string) {
  const { t } = product;
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/complaints',
    payload: { qr: qrFor(building), category: 'sanitation', description, phone: '13812345678' },
    remoteAddress: `10.77.0.${building}`,
  });
  expect(r.statusCode).toBe(201);
  const { trackingCode, secret } = r.json() as { trackingCode: string; secret: string };
  const id = await issueIdOf(t, trackingCode);
  const specialist: Session = await t.loginAs('zhang-lifen');
  await resolveTaskOf(t, specialist, id, 'zhang-lifen');
  const inspector = await t.loginAs('yang-chenyi');
  const v = await t.app.inject({
    method: 'POST',
    url: `/api/issues/${id}/verify`,
    headers: inspector.auth,
    payload: {},
  });
  expect((v.json() as IssueDetail).status).toBe('closed');
  return { id, trackingCode, secret };
}

const ratingOf = async (id: string) =>
  (await product.t.db.select().from(issueRatingsTable).where(eq(issueRatingsTable.issueId, id)))[0];

describe('回访: the resident answers online on the tracking page; staff record a phone callback', () => {
  it('the resident opens the closed complaint and answers 解决了吗 and 满意吗', async () => {
    const c = await closedComplaint(12, '12号楼门口垃圾三天没人清');
    const page = await product.newPage();
    await page.goto(`${product.base}/#/pages/track/index`);
    await page.locator('input[placeholder="8 位查询码"]').fill(c.trackingCode);
    await page.locator('input[placeholder="提交成功时显示的密钥"]').fill(c.secret);
    await button(page, '查询').click();
    await page.getByText('回访：请告诉我们处理结果').waitFor();
    await page.getByText('问题解决了吗？').waitFor();
    await page.getByText('您对处理满意吗？').waitFor();
    await shot(page, 'callback-01-track-question');

    // Not answered yet: the page says what is missing and sends nothing.
    await button(page, '提交回访').click();
    await page.getByText('请先选择问题是否已解决').waitFor();
    expect(await ratingOf(c.id)).toBeUndefined();

    await button(page, '已解决').click();
    await page.locator('.nut-rate-item').nth(3).click();
    await page.getByText('4 分 · 满意').waitFor();
    await shot(page, 'callback-02-track-answered');
    await button(page, '提交回访').click();
    await page.getByText('问题解决了吗：已解决').waitFor();
    await shot(page, 'callback-03-track-done');
    expect(await ratingOf(c.id)).toMatchObject({ score: 4, fixed: true, channel: 'online' });
    const [row] = await product.t.db.select().from(issuesTable).where(eq(issuesTable.id, c.id));
    expect(row!.status).toBe('closed');
  });

  it('the zone leader calls back from the 回访 desk and records "not solved, 不满意"', async () => {
    const c = await closedComplaint(13, '13号楼垃圾房异味很大');
    const leader = await product.t.loginAs('wu-wenjie');
    const page = await product.newPage();
    await staffLogin(page, leader.phone, { open: product.base });
    await page.locator('.nut-cell:visible', { hasText: '已结案的问题：致电反映人' }).click();
    await page.getByText(`待回访 1 件`).waitFor();
    await page.getByText('13812345678', { exact: false }).first().waitFor();
    await shot(page, 'callback-04-desk');

    await page.locator('.nut-cell:visible', { hasText: c.trackingCode }).click();
    await page.getByText('联系反映人与回访').waitFor();
    await page.getByText('电话回访（问题已结案）').scrollIntoViewIfNeeded();
    await button(page, '提交回访结果').click();
    await page.getByText('请记录“问题解决了吗”的回答').waitFor();
    expect(await ratingOf(c.id)).toBeUndefined();

    const card = page.locator('.gz-contact__callback');
    await card.locator('.nut-button', { hasText: '未解决' }).click();
    await card.locator('.nut-button', { hasText: /^不满意$/ }).click();
    await card.locator('textarea').fill('居民说垃圾房仍有异味');
    await shot(page, 'callback-05-phone-answers');
    await button(page, '提交回访结果').click();
    await page.getByText('电话回访结果').waitFor();
    await page.getByText('问题解决了吗：未解决').waitFor();
    await shot(page, 'callback-06-phone-recorded');
    expect(await ratingOf(c.id)).toMatchObject({
      score: 2,
      fixed: false,
      channel: 'phone',
      recordedBy: 'wu-wenjie',
    });
  });
});
