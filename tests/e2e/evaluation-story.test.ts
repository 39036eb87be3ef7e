import type { AuditPage, CampaignResults, CampaignView, GeneratedCodes, HomePage } from '@gongzhi/domain';
import { formatQuarter, quarterOf } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { evaluationResponsesTable } from '../../apps/api/src/db/schema';
import { shot, startProduct } from './browser';

jest.setTimeout(180_000);

let product: Awaited<ReturnType<typeof startProduct>>;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(() => product?.close());

const button = (page: Page, text: string) => page.locator('.nut-button:visible', { hasText: text }).first();
const field = (page: Page, placeholder: string) => page.locator(`input[placeholder="${placeholder}"]`);

/** Zone questions × 5 zones + property questions: the default questionnaire's 25 rows. */
const ROWS = 4 * 5 + 5;

/**
 * Answer every row of the questionnaire on screen: the first row 不了解, the others `stars`.
 * Clicks the NutUI Rate's n-th star, as a finger would.
 */
async function answerAll(page: Page, stars: number) {
  const rows = page.locator('.gz-eval__question:visible');
  expect(await rows.count()).toBe(ROWS);
  for (let i = 0; i < ROWS; i++) {
    const row = rows.nth(i);
    if (i === 0) await row.getByText('不了解').click();
    else
      await row
        .locator('.nut-rate-item')
        .nth(stars - 1)
        .click();
  }
}

describe('the quarterly evaluation in the mini-program', () => {
  let campaign: CampaignView;
  let codes: GeneratedCodes['codes'];

  it('the leadership opens this quarter’s campaign and prints codes', async () => {
    const { t } = product;
    const leader = await t.loginAs('wen-liang');
    const quarter = formatQuarter(quarterOf(new Date(), 'Asia/Shanghai'));
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/evaluations',
      headers: leader.auth,
      payload: { community: 'xiaduoyuan', quarter },
    });
    expect(created.statusCode).toBe(201);
    campaign = created.json() as CampaignView;
    const batch = await t.app.inject({
      method: 'POST',
      url: `/api/evaluations/${campaign.id}/codes`,
      headers: leader.auth,
      payload: { households: [{ building: 12, rooms: ['101', '102'] }] },
    });
    codes = (batch.json() as GeneratedCodes).codes;
    const opened = await t.app.inject({
      method: 'POST',
      url: `/api/evaluations/${campaign.id}/open`,
      headers: leader.auth,
      payload: {},
    });
    expect(opened.json()).toMatchObject({ status: 'open' });

    // The leader's desk in the browser.
    const page = await product.newPage();
    await page.goto(`${product.base}/#/pages/work/index`);
    await field(page, '请输入手机号').fill(leader.phone);
    await field(page, '请输入密码').fill('test-password-1');
    await button(page, '登录').click();
    await page.locator('.nut-cell:visible', { hasText: '评议管理' }).click();
    await page
      .locator('.gz-card:visible', { hasText: campaign.title })
      .getByText('已发评议码 2 个')
      .waitFor();
    await shot(page, 'evaluation-01-admin');
    await page.close();
  });

  it('a resident answers with the code from the household’s slip', async () => {
    const page = await product.newPage();
    await page.goto(`${product.base}/`);
    await page.locator('.nut-cell:visible', { hasText: '居民评议' }).click();
    await page.locator('.nut-cell:visible', { hasText: campaign.title }).click();
    await field(page, '例如 ABCD-EFGH-JKMN').fill(codes[0]!.code.toLowerCase());
    await button(page, '确认评议码').click();
    await page.getByText('评议户：12号楼101室').waitFor();
    await page.locator('.gz-card__title:visible', { hasText: '第一责任区域' }).waitFor();

    // Sending with nothing answered names what is missing; nothing is sent.
    await button(page, '提交评议').click();
    await page.getByText('还有 25 项未作答（可选“不了解”）').waitFor();
    expect(await page.locator('.gz-eval__missing:visible').count()).toBe(ROWS);
    await shot(page, 'evaluation-02-questionnaire-missing');

    await answerAll(page, 4);
    expect(await page.locator('.gz-eval__missing:visible').count()).toBe(0);
    await shot(page, 'evaluation-02-questionnaire-answered');
    await button(page, '提交评议').click();
    await page.getByText('评议已提交，谢谢您').waitFor();
    const receipt = await page.locator('.gz-eval__receipt').textContent();
    expect(receipt).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
    await shot(page, 'evaluation-03-receipt');

    // What the API recorded is what was tapped: the first question skipped, every other 4 stars.
    const [row] = await product.t.db
      .select()
      .from(evaluationResponsesTable)
      .where(eq(evaluationResponsesTable.room, '101'));
    expect(row!.channel).toBe('code');
    expect(row!.receipt).toBe(receipt);
    const scores = Object.values(row!.answers).flatMap((qs) => Object.values(qs));
    expect(scores).toHaveLength(ROWS);
    expect(row!.answers['zone-1']!.responsive).toBeNull();
    expect(scores.filter((s) => s === 4)).toHaveLength(ROWS - 1);
    await page.close();
  });

  it('a resident binds the home, the zone verifies it, and the account answers once', async () => {
    const { t } = product;
    const page = await product.newPage();
    await page.goto(`${product.base}/#/evaluation/pages/home/index`);
    await field(page, '例如 12').fill('12');
    await field(page, '例如 302 或 3单元302室').fill('3单元302室');
    await field(page, '例如 王阿姨').fill('王阿姨');
    await button(page, '提交认证申请').click();
    await page.getByText('待认证').waitFor();
    await page.getByText('12号楼3单元302室').waitFor();
    await shot(page, 'evaluation-04-home-pending');

    // 张嫩 of the zone's residents' committee verifies it in her queue.
    const rc = await t.loginAs('zhang-nen');
    const verifier = await product.newPage();
    await verifier.goto(`${product.base}/#/pages/work/index`);
    await field(verifier, '请输入手机号').fill(rc.phone);
    await field(verifier, '请输入密码').fill('test-password-1');
    await button(verifier, '登录').click();
    await verifier.locator('.nut-cell:visible', { hasText: '住户认证审核' }).click();
    await verifier.locator('.gz-card:visible', { hasText: '12号楼3单元302室' }).getByText('王阿姨').waitFor();
    await shot(verifier, 'evaluation-05-verify');
    await button(verifier, '核实无误，认证').click();
    await verifier.getByText('没有待认证的申请').waitFor();
    const verified = (
      await t.app.inject({
        method: 'GET',
        url: '/api/home-requests?community=xiaduoyuan&status=verified',
        headers: rc.auth,
      })
    ).json() as HomePage;
    expect(verified.items.map((h) => [h.household, h.decidedBy])).toEqual([['12号楼3单元302室', '张嫩']]);
    await verifier.close();

    // Back to the resident: the questionnaire opens straight onto the verified household.
    await page.goto(`${product.base}/#/evaluation/pages/questionnaire/index?id=${campaign.id}`);
    await page.getByText('评议户：12号楼3单元302室').waitFor();
    await answerAll(page, 2);
    await button(page, '提交评议').click();
    await page.getByText('认证住户账号').waitFor();

    // Once per household: opening it again says so.
    await page.reload();
    await page.getByText('您家已参加本次评议，每户只能评议一次').waitFor();
    await page.close();
  });

  it('closed and published, everyone sees the results', async () => {
    const { t } = product;
    const leader = await t.loginAs('wen-liang');
    for (const action of ['close', 'publish']) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/evaluations/${campaign.id}/${action}`,
        headers: leader.auth,
        payload: {},
      });
      expect(r.statusCode).toBe(200);
    }
    const audit = (
      await t.app.inject({
        method: 'GET',
        url: `/api/evaluations/${campaign.id}/audit`,
        headers: leader.auth,
      })
    ).json() as AuditPage;
    expect(audit.items.map((e) => [e.household, e.channel]).sort()).toEqual([
      ['12号楼101室', 'code'],
      ['12号楼3单元302室', 'account'],
    ]);
    const results = (
      await t.app.inject({ method: 'GET', url: `/api/evaluations/${campaign.id}/results` })
    ).json() as CampaignResults;
    // Both households skipped zone 1's first question (不了解) and gave 4 and 2 stars to every other.
    expect(results.targets[0]!.questions[0]).toMatchObject({ responses: 0, skipped: 2, mean: null });
    expect(results.targets[0]!.questions[1]).toMatchObject({ responses: 2, skipped: 0, mean: 3 });
    expect(results.targets[5]).toMatchObject({ name: '物业公司', mean: 3, satisfaction: 0.5 });

    const page = await product.newPage();
    await page.goto(`${product.base}/`);
    await page.locator('.nut-cell:visible', { hasText: '居民评议' }).click();
    await page.locator('.nut-cell:visible', { hasText: '结果已公布' }).click();
    await page.getByText('共 2 户参加').waitFor();
    const property = page.locator('.gz-card:visible', { hasText: '物业公司' });
    await property.getByText('3.00（一般） · 满意率 50% · 2 户打分').waitFor();
    await shot(page, 'evaluation-06-results');
    await page.close();
  });
});
