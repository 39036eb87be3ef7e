import {
  type EvaluationReportView,
  type JointMeetingView,
  type LetterProposalPage,
  quarterPeriodOf,
  stepPeriod,
} from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { testClock } from '../helpers/build-app';
import { JOINT_MEETING_PRESENT } from '../helpers/demo-quarter';
import { kpiStory } from '../helpers/kpi-story';
import { shot, startProduct } from './browser';

jest.setTimeout(300_000);

// Letters by hand and the evaluation report (issue 16, items 5 and 6). The browser runs on real
// time; the API's test clock places a joint meeting in the first month of the previous quarter
// (the later two months have none), then comes back to now for the story.
const clock = testClock(new Date());
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const previous = stepPeriod(quarterPeriodOf(today), -1);
const firstMonth = previous.from.slice(0, 7);

let product: Awaited<ReturnType<typeof startProduct>>;
beforeAll(async () => {
  product = await startProduct({ now: clock.now });
});
afterAll(() => product?.close());

async function signIn(page: Page, phone: string) {
  await page.goto(`${product.base}/#/pages/work/index`);
  await page.locator('input[placeholder="请输入手机号"]').fill(phone);
  await page.locator('input[placeholder="请输入密码"]').fill('test-password-1');
  await page.locator('.nut-button:visible', { hasText: '登录' }).first().click();
}

describe('letters by hand and the evaluation report', () => {
  it('the leadership issues a 警示函 citing an issue, the company acknowledges it; a proposal is confirmed; the quarterly report shows the cadence', async () => {
    const { t } = product;
    const s = kpiStory(t, clock);

    // A joint meeting held in the previous quarter's first month.
    s.at(`${firstMonth}-05`);
    const jm = await s.ok<JointMeetingView>(
      'tu-zhongmei',
      'POST',
      '/api/joint-meetings',
      {
        community: 'xiaduoyuan',
        at: new Date(`${firstMonth}-08T14:00:00+08:00`).toISOString(),
        place: '居委会会议室',
      },
      201,
    );
    s.at(`${firstMonth}-08`, '14:30');
    await s.ok('tu-zhongmei', 'POST', `/api/joint-meetings/${jm.id}/attendance`, {
      present: JOINT_MEETING_PRESENT,
    });

    // Now: an issue whose fix the reporter rejects three times (residents pressing hard), and another to cite.
    clock.set(new Date());
    const pressed = await s.file('yang-chenyi', {
      building: 12,
      category: 'sanitation',
      description: '12号楼垃圾长期无人清运',
    });
    for (let i = 0; i < 3; i++) {
      await s.resolve(pressed.id, 'zhang-lifen');
      await s.ok('yang-chenyi', 'POST', `/api/issues/${pressed.id}/reject-fix`, { reason: '垃圾仍未清运' });
    }
    const cited = await s.file('yang-chenyi', {
      building: 13,
      category: 'sanitation',
      description: '13号楼楼道堆物',
    });
    await t.runFollowUp();
    const proposals = await s.ok<LetterProposalPage>(
      'wen-liang',
      'GET',
      '/api/letter-proposals?community=xiaduoyuan',
    );
    expect(proposals.items.map((p) => p.issues[0]?.code)).toEqual([pressed.code]);

    // The leadership: the letters page offers to issue a letter and shows the clock's proposal.
    const leader = await t.loginAs('wen-liang');
    const page = await product.newPage();
    await signIn(page, leader.phone);
    await page.locator('.nut-cell:visible', { hasText: '提示函与警示函' }).click();
    await page.getByText('建议发出警示函：物业公司').waitFor();
    await page.getByText('3 次投诉', { exact: false }).waitFor();
    await shot(page, 'letters-01-leadership-page-with-proposal');

    await page.locator('.nut-button:visible', { hasText: '发出提示函 / 警示函' }).click();
    await page.getByText('发往单位').waitFor();
    await page.locator('.nut-button:visible', { hasText: /^警示函$/ }).click();
    await page.locator('.nut-button:visible', { hasText: /^物业公司$/ }).click();
    await page.locator('textarea:visible').fill('13号楼楼道堆物群众反映强烈，屡经提醒仍未清理');
    await page.locator('input[placeholder="问题编号或描述"]').fill(cited.code);
    await page.locator('.nut-button:visible', { hasText: '查找' }).click();
    await page.getByText(`☐ ${cited.code}`, { exact: false }).click();
    await page.getByText(`${cited.code} ✕`).waitFor();
    await shot(page, 'letters-02-new-warning-letter');
    await page.locator('.nut-button:visible', { hasText: '发出警示函' }).click();
    await page.getByText('函件已发出').waitFor();
    await page.locator('.nut-cell:visible, .gz-card:visible', { hasText: '警示〔' }).first().waitFor();
    await page.getByText('等待物业公司签收').first().waitFor();

    // The proposal is confirmed: a second warning letter, to the property company, citing the pressed issue.
    await page.locator('.nut-button:visible', { hasText: '确认发函' }).click();
    await page.getByText('已发函', { exact: true }).first().waitFor();
    await page.getByText('建议发出警示函：物业公司').waitFor({ state: 'detached' });
    await page.getByText(pressed.code).first().waitFor();
    await shot(page, 'letters-03-letters-after-confirm');
    await page.close();

    // The property company acknowledges the hand-issued letter.
    const company = await t.loginAs('zhang-lifen');
    const cp = await product.newPage();
    await signIn(cp, company.phone);
    await cp.locator('.nut-cell:visible', { hasText: '提示函与警示函' }).click();
    const card = cp.locator('.gz-card', { hasText: '13号楼楼道堆物群众反映强烈' });
    await card.locator('.nut-button', { hasText: '签收' }).click();
    await cp.locator('textarea:visible').fill('已安排保洁清理，三日内书面反馈');
    await cp.locator('.nut-dialog .nut-button', { hasText: '签收' }).click();
    await card.getByText('签收：已安排保洁清理', { exact: false }).waitFor();
    await shot(cp, 'letters-04-company-acknowledged');
    await cp.close();

    // The secretary: the previous quarter's report with the cadence, and its printable form.
    const report = await s.ok<EvaluationReportView>(
      'tu-zhongmei',
      'GET',
      `/api/communities/xiaduoyuan/reports/evaluation?period=${previous.key}`,
    );
    expect(report.meetings.windows.map((w) => w.held)).toEqual([1, 0, 0]);
    const secretary = await t.loginAs('tu-zhongmei');
    const rp = await product.newPage();
    await signIn(rp, secretary.phone);
    await rp.locator('.nut-cell:visible', { hasText: '评估报告' }).click();
    await rp.getByText(previous.label).first().waitFor();
    await rp.getByText(report.meetings.summary, { exact: false }).waitFor();
    await rp.getByText('召开 1 次', { exact: true }).waitFor();
    expect(await rp.getByText('未召开', { exact: true }).count()).toBe(2);
    await shot(rp, 'letters-05-quarterly-report');

    const [popup] = await Promise.all([
      rp.context().waitForEvent('page'),
      rp.locator('.nut-button:visible', { hasText: '打印 / 导出 PDF' }).click(),
    ]);
    await popup.getByText('联席会议制度执行情况').waitFor();
    await popup.getByText(report.meetings.summary, { exact: false }).waitFor();
    expect(await popup.locator('td.missed').count()).toBe(2);
    await popup.setViewportSize({ width: 794, height: 1123 });
    await shot(popup, 'letters-06-printable-report');
    await popup.close();
    await rp.close();
  });
});
