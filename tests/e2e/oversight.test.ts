import type { IssueDetail, RoundsView } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { shot, startProduct } from './browser';

jest.setTimeout(240_000);

// 夏朵园 with a supervisory committee (监督委员会, seed 004): the source names none, so the story adds
// its chair. The committee reads an issue's handling and comments on the record; zone 1's
// inspector records two rounds (两巡两访, seed 002), one that found nothing, and sees them counted.
let product: Awaited<ReturnType<typeof startProduct>>;

beforeAll(async () => {
  product = await startProduct({
    editConfig: (raw) => {
      (raw.people as unknown[]).push({ key: 'sun-liping', name: '孙立平' });
      raw.supervisoryCommittee = { chair: 'sun-liping', members: ['sun-liping'] };
    },
  });
});
afterAll(async () => {
  await product?.close();
});

const field = (page: Page, placeholder: string) =>
  page.locator(`input[placeholder="${placeholder}"]:visible`);
const button = (page: Page, text: string) => page.locator('.nut-button:visible', { hasText: text }).first();
const cell = (page: Page, text: string) => page.locator('.nut-cell:visible', { hasText: text }).first();

async function signIn(page: Page, phone: string) {
  await page.goto(`${product.base}/#/pages/work/index`);
  await field(page, '请输入手机号').fill(phone);
  await field(page, '请输入密码').fill('test-password-1');
  await button(page, '登录').click();
}

describe('oversight and participation', () => {
  let issue: IssueDetail;

  beforeAll(async () => {
    const { t } = product;
    const inspector = await t.loginAs('yang-chenyi');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/issues',
      headers: inspector.auth,
      payload: {
        community: 'xiaduoyuan',
        building: 12,
        category: 'sanitation',
        description: '12号楼门口垃圾堆积三天',
      },
    });
    expect(r.statusCode).toBe(201);
    issue = r.json() as IssueDetail;
  });

  it('a committee member reads an issue’s handling and comments; the comment stays on the record for its readers', async () => {
    const { t } = product;
    const member = await t.loginAs('sun-liping');
    const page = await product.newPage();
    await signIn(page, member.phone);
    await cell(page, '监督委员会').waitFor();
    // The committee reads; it is offered no patrol reporting.
    expect(await page.locator('.nut-cell:visible', { hasText: '巡查上报' }).count()).toBe(0);
    await shot(page, 'oversight-01-work-desk');
    await cell(page, '监督委员会').click();
    await cell(page, '诚信档案').waitFor();
    await shot(page, 'oversight-02-committee-page');

    await cell(page, '投诉处理').click();
    await page.getByText('12号楼门口垃圾堆积三天').first().click();
    await page.getByText('处理记录', { exact: true }).waitFor();
    await page.getByText('监督委员会意见', { exact: true }).waitFor();
    await page.locator('textarea:visible').fill('请物业公司说明垃圾为何三天未清运，并在一周内整改。');
    await button(page, '提交监督意见').click();
    await page.getByText('孙立平（监督委员会主任）').waitFor();
    await shot(page, 'oversight-03-comment-on-issue');
    await page.close();

    // Zone 1's inspector reads the same issue: the comment is there, with who; no box to comment.
    const inspector = await t.loginAs('yang-chenyi');
    const other = await product.newPage();
    await signIn(other, inspector.phone);
    await cell(other, '区域问题').waitFor();
    await other.goto(`${product.base}/#/inspector/pages/issue/index?id=${issue.id}`);
    await other.getByText('请物业公司说明垃圾为何三天未清运，并在一周内整改。').waitFor();
    await other.getByText('孙立平（监督委员会主任）').waitFor();
    expect(await other.locator('.nut-button:visible', { hasText: '提交监督意见' }).count()).toBe(0);
    await shot(other, 'oversight-04-comment-seen-by-inspector');
    await other.close();
  });

  it('an inspector records a round that found nothing and one with a filed issue, and sees them counted', async () => {
    const { t } = product;
    const inspector = await t.loginAs('yang-chenyi');
    const page = await product.newPage();
    await signIn(page, inspector.phone);
    await cell(page, '两巡两访').click();
    await page.getByText('登记巡查 / 走访').waitFor();
    await page.getByText('本月还没有巡查或走访记录').waitFor();

    await field(page, '如：12号楼、南门广场、3单元住户').fill('1-20号楼');
    await page.locator('.gz-rounds__choice', { hasText: '未发现问题' }).click();
    await button(page, '登记').click();
    await page.getByText('巡查 1 次 · 走访 0 次').waitFor();

    await field(page, '如：12号楼、南门广场、3单元住户').fill('12号楼');
    await page.locator('.gz-rounds__choice', { hasText: '发现问题并已上报' }).click();
    await page.locator('.gz-rounds__choice', { hasText: issue.code }).click();
    await shot(page, 'oversight-05-round-form');
    await button(page, '登记').click();
    await page.getByText('巡查 2 次 · 走访 0 次').waitFor();
    await page.getByText('未发现问题 1 次 · 发现问题 1 次（上报 1 件）').waitFor();
    await page.getByText(`发现问题并已上报：${issue.code}`).waitFor();
    await shot(page, 'oversight-06-rounds-counted');
    await page.close();

    // What the page shows is what the server recorded.
    const month = (
      await t.app.inject({ url: '/api/communities/xiaduoyuan/rounds', headers: inspector.auth })
    ).json() as RoundsView;
    expect(month.counts).toEqual([
      expect.objectContaining({
        person: 'yang-chenyi',
        patrols: 2,
        nothingFound: 1,
        withIssues: 1,
        issuesFiled: 1,
      }),
    ]);
  });
});
