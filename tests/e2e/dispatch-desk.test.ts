import type { IssueDetail } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { TEST_QR_SECRET } from '../helpers/build-app';
import { shot, startProduct } from './browser';

jest.setTimeout(240_000);

let product: Awaited<ReturnType<typeof startProduct>>;

beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.close();
});

const field = (page: Page, placeholder: string) => page.locator(`input[placeholder="${placeholder}"]`);
const visibleButton = (page: Page, text: string) =>
  page.locator('.nut-button:visible', { hasText: text }).first();

let addr = 0;
/** A resident's complaint through building 12's QR code (the API, as the complaint story tests the form). */
async function complain(description: string, category = 'sanitation') {
  const r = await product.t.app.inject({
    method: 'POST',
    url: '/api/complaints',
    payload: {
      qr: signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 12 }),
      category,
      description,
    },
    remoteAddress: `10.77.0.${++addr}`,
  });
  expect(r.statusCode).toBe(201);
  const { trackingCode, secret } = r.json() as { trackingCode: string; secret: string };
  const leader = await product.t.loginAs('wu-wenjie');
  const list = await product.t.app.inject({
    url: `/api/issues?community=xiaduoyuan&q=${trackingCode}`,
    headers: leader.auth,
  });
  const id = (list.json().items as { id: string }[])[0]!.id;
  return { trackingCode, secret, id };
}

async function staffPage(person: string) {
  const s = await product.t.loginAs(person);
  const page = await product.newPage();
  await page.goto(`${product.base}/#/pages/work/index`);
  await field(page, '请输入手机号').fill(s.phone);
  await field(page, '请输入密码').fill('test-password-1');
  await visibleButton(page, '登录').click();
  await page.getByText('我的任务').first().waitFor();
  return page;
}

describe('the dispatch desk: returned work, duplicates and mediation', () => {
  const returned = '12号楼地下室积水有异味';
  let leader: Page;

  it('the property specialist returns a task; the zone leader finds it on the desk and re-dispatches it', async () => {
    const c = await complain(returned);
    const specialist = await product.t.loginAs('zhang-lifen');
    const issue = (
      await product.t.app.inject({ url: `/api/issues/${c.id}`, headers: specialist.auth })
    ).json() as IssueDetail;
    const task = issue.tasks.find((x) => x.status === 'open')!;
    const r = await product.t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/return`,
      headers: specialist.auth,
      payload: { reason: '地下室属人防设施，不归物业' },
    });
    expect(r.statusCode).toBe(200);

    leader = await staffPage('wu-wenjie');
    await leader.locator('.nut-cell:visible', { hasText: '调度台' }).click();
    const card = leader.locator('.gz-desk__item:visible', { hasText: returned });
    await card.waitFor();
    await card.getByText('退单待处理').waitFor();
    await card.getByText('张丽芬退单：地下室属人防设施，不归物业').waitFor();
    await shot(leader, 'desk-01-queue');

    await card.click();
    await leader.getByText('调度', { exact: true }).waitFor();
    await shot(leader, 'desk-02-issue-controls');
    await visibleButton(leader, '重新派单').click();
    await leader.locator('.gz-pick__row:visible', { hasText: '张丽芬' }).click();
    await leader.locator('.nut-dialog:visible textarea').fill('已与人防办确认，由物业先行抽水');
    await shot(leader, 'desk-03-redispatch');
    await leader.locator('.nut-dialog:visible .nut-button', { hasText: '确定' }).click();
    await leader.locator('.nut-cell:visible', { hasText: '张丽芬 · 待接单' }).waitFor();

    // Reassign the new task to the zone leader himself (a note is required).
    await leader.locator('.nut-cell:visible', { hasText: '张丽芬 · 待接单' }).locator('.nut-button').click();
    await leader.locator('.gz-pick__row:visible', { hasText: '吴文杰' }).click();
    await leader.locator('.nut-dialog:visible textarea').fill('物业人手不足，由我协调');
    await leader.locator('.nut-dialog:visible .nut-button', { hasText: '确定' }).click();
    await leader.locator('.nut-cell:visible', { hasText: '吴文杰 · 待接单' }).waitFor();
    await shot(leader, 'desk-04-reassigned');

    const after = (
      await product.t.app.inject({ url: `/api/issues/${c.id}`, headers: specialist.auth })
    ).json();
    expect((after as IssueDetail).tasks.map((x) => [x.assignee.key, x.status])).toEqual([
      ['zhang-lifen', 'returned'],
      ['zhang-lifen', 'cancelled'],
      ['wu-wenjie', 'open'],
    ]);
  });

  it('a duplicate is merged; its reporter’s tracking page shows the surviving issue', async () => {
    const survivor = await complain('12号楼东侧路灯不亮', 'public_facility');
    const dup = await complain('12号楼旁边路灯坏了，晚上很黑', 'public_facility');
    await leader.goto(`${product.base}/#/inspector/pages/issue/index?id=${dup.id}`);
    await visibleButton(leader, '合并重复问题').click();
    await field(leader, '保留的问题编号，如 XDY-…').fill(survivor.trackingCode);
    await shot(leader, 'desk-05-merge');
    await leader.locator('.nut-dialog:visible .nut-button', { hasText: '合并' }).click();
    await leader.getByText(`已合并到 ${survivor.trackingCode}`).waitFor();
    await leader.locator('.gz-status:visible', { hasText: '已合并' }).first().waitFor();
    await shot(leader, 'desk-06-merged');

    const resident = await product.newPage();
    await resident.goto(`${product.base}/#/pages/track/index`);
    await field(resident, '8 位查询码').fill(dup.trackingCode);
    await field(resident, '提交成功时显示的密钥').fill(dup.secret);
    await visibleButton(resident, '查询').click();
    await resident.getByText(`已合并到 ${survivor.trackingCode}`).waitFor();
    await resident.getByText('以下是合并后问题的办理进度').waitFor();
    await shot(resident, 'desk-07-tracking-merged');
    await resident.close();
  });

  it('a 邻里纠纷 goes to a 居委会 member, who finds it among her tasks', async () => {
    const dispute = '12号楼501与601因漏水纠纷多次争吵';
    const c = await complain(dispute, 'neighbour_dispute');
    await leader.goto(`${product.base}/#/inspector/pages/issue/index?id=${c.id}`);
    await visibleButton(leader, '重新派单').click();
    const row = leader.locator('.gz-pick__row:visible', { hasText: '张嫩' });
    await row.getByText('居委会（调解）').waitFor();
    await row.click();
    await leader.locator('.nut-dialog:visible textarea').fill('请居委会上门调解');
    await shot(leader, 'desk-08-mediation-pick');
    await leader.locator('.nut-dialog:visible .nut-button', { hasText: '确定' }).click();
    await leader.locator('.nut-cell:visible', { hasText: '张嫩 · 待接单' }).waitFor();
    await leader.close();

    const rc = await staffPage('zhang-nen');
    await rc.locator('.nut-cell:visible', { hasText: '我的任务' }).click();
    const card = rc.locator('.gz-task:visible', { hasText: dispute });
    await card.waitFor();
    await card.getByText('待接单').waitFor();
    await shot(rc, 'desk-09-rc-task');
    await rc.close();
  });
});
