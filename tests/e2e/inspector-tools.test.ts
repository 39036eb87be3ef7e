import { type IssueDetail, wgs84ToGcj02 } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { TEST_QR_SECRET } from '../helpers/build-app';
import { complain } from '../helpers/issue-flow';
import { shot, startProduct } from './browser';

// Inspector tools (issue 18, item 5) in Chromium: the H5 client has no scanner, so the inspector
// pastes the building's QR link; 上报问题 fills the place, 添加位置 pins the report (the browser's
// geolocation, granted to the context), and 查看未办结 lists that building's open issues.
jest.setTimeout(240_000);

let product: Awaited<ReturnType<typeof startProduct>>;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(async () => {
  await product?.close();
});

const field = (page: Page, placeholder: string) =>
  page.locator(`input[placeholder="${placeholder}"]:visible`);
const button = (page: Page, text: string | RegExp) =>
  page.locator('.nut-button:visible', { hasText: text }).first();
const HERE = { latitude: 31.2304, longitude: 121.4737 };

async function signedInInspector() {
  const inspector = await product.t.loginAs('yang-chenyi');
  const page = await product.newPage();
  await page.context().grantPermissions(['geolocation'], { origin: product.base });
  await page.context().setGeolocation(HERE);
  await page.goto(`${product.base}/#/pages/work/index`);
  await field(page, '请输入手机号').fill(inspector.phone);
  await field(page, '请输入密码').fill('test-password-1');
  await button(page, '登录').click();
  await page.locator('.nut-cell:visible', { hasText: '巡查上报' }).waitFor();
  return { inspector, page };
}

const linkOf = (building: number) =>
  `${product.base}/q/${signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building })}`;

async function paste(page: Page, link: string) {
  await field(page, '粘贴二维码链接或编码').fill(link);
  await button(page, '识别').click();
}

describe('an inspector scans a building code', () => {
  it('上报问题: the building is filled in, a pin added, the report filed with both', async () => {
    const { inspector, page } = await signedInInspector();
    await page.locator('.nut-cell:visible', { hasText: '巡查上报' }).click();
    await page.locator('.nut-cell:visible', { hasText: '第一责任区域' }).waitFor();
    await paste(page, linkOf(12));
    await page.locator('.gz-scan__place', { hasText: '12 号楼' }).waitFor();
    await shot(page, 'inspector-01-scanned');
    await button(page, '上报问题').click();
    await page.locator('.nut-cell:visible', { hasText: '楼号' }).filter({ hasText: '12 号楼' }).waitFor();

    await page.getByText('环境卫生', { exact: true }).click();
    const description = '12号楼北侧绿地有人倾倒建筑垃圾';
    await page.locator('textarea:visible').fill(description);
    await button(page, '添加位置').click();
    const pin = page.getByTestId('report-location');
    await pin.waitFor();
    const expected = wgs84ToGcj02({ lat: HERE.latitude, lng: HERE.longitude });
    expect(await pin.textContent()).toContain(`${expected.lat.toFixed(5)}, ${expected.lng.toFixed(5)}`);
    await shot(page, 'inspector-02-report-with-pin');
    await button(page, /^\s*上报\s*$/).click();

    // The issue page shows the pin with a map link.
    const shown = page.getByTestId('issue-location');
    await shown.waitFor();
    expect(await shown.textContent()).toContain(expected.lat.toFixed(5));
    await page.getByText('在地图中查看').first().waitFor();
    await shot(page, 'inspector-03-issue-with-pin');

    const list = await product.t.app.inject({
      url: `/api/issues?community=xiaduoyuan&q=${encodeURIComponent(description)}`,
      headers: inspector.auth,
    });
    const [item] = list.json().items as { id: string }[];
    const issue = (
      await product.t.app.inject({ url: `/api/issues/${item!.id}`, headers: inspector.auth })
    ).json() as IssueDetail;
    expect(issue.building).toBe(12);
    expect(issue.channel).toBe('patrol');
    expect(issue.location!.lat).toBeCloseTo(expected.lat, 6);
    expect(issue.location!.lng).toBeCloseTo(expected.lng, 6);
    await page.close();
  });

  it('查看未办结: that building’s open issues, no other building’s', async () => {
    await complain(product.t, 14, '14号楼电梯口垃圾桶满了');
    await complain(product.t, 15, '15号楼门口积水');
    const { page } = await signedInInspector();
    await page.goto(`${product.base}/#/inspector/pages/zone/index`);
    await paste(page, linkOf(14));
    await page.locator('.gz-scan__place', { hasText: '14 号楼' }).waitFor();
    await button(page, '查看未办结').click();
    await page.getByTestId('scanned-place').filter({ hasText: '14 号楼' }).waitFor();
    // (Taro keeps the page it came from in the document, hidden: only what is visible counts.)
    const listed = page.locator('.gz-issue__desc:visible');
    await listed.filter({ hasText: '14号楼电梯口垃圾桶满了' }).waitFor();
    expect(await listed.filter({ hasText: '15号楼门口积水' }).count()).toBe(0);
    expect(await listed.count()).toBe(1);
    await shot(page, 'inspector-04-open-issues-of-building');
    await page.close();
  });

  it('a pasted text that is not one of our codes is told so', async () => {
    const { page } = await signedInInspector();
    await page.goto(`${product.base}/#/inspector/pages/zone/index`);
    await paste(page, '这不是二维码');
    await page.getByText('这不是小区张贴的楼栋或设施二维码').waitFor();
    await page.close();
  });
});
