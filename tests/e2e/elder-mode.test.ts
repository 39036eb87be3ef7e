import type { CampaignView, GeneratedCodes, NoticeView } from '@gongzhi/domain';
import { formatQuarter, quarterOf } from '@gongzhi/domain';
import type { Page } from 'playwright-core';
import { complain, issueIdOf, qrFor, resolveTaskOf } from '../helpers/issue-flow';
import { type A11ySamples, collectA11y, judge, type Rule } from './a11y-measure';
import { shot, startProduct } from './browser';

/**
 * 长辈版 (elder-friendly mode) as MIIT's 适老化 rules and WeChat's guide put it, measured in
 * Chromium at phone size on every page a resident reaches without a staff login, in both modes:
 * text sizes (CSS px at phone size = the rules' pt/dp), the largest text, WCAG contrast of each
 * text against what is behind it, and the size of every tap target.
 */
jest.setTimeout(600_000);

const NORMAL: Rule = { minText: 12, largestText: 0, minContrast: 4.5, minTarget: 44 };
const ELDER: Rule = { minText: 18, largestText: 30, minContrast: 4.5, minTarget: 60 };

let product: Awaited<ReturnType<typeof startProduct>>;
const seeded = {
  code: '',
  secret: '',
  notice: '',
  noticeTitle: '停水通知',
  open: null as CampaignView | null,
  codes: [] as string[],
  published: null as CampaignView | null,
};

beforeAll(async () => {
  product = await startProduct();
  const { t } = product;
  // A complaint that has been resolved: its tracking page asks for the resident's confirmation.
  const filed = await complain(t, 12, '12号楼门口垃圾桶满了，气味很大，请尽快清运');
  seeded.code = filed.trackingCode;
  seeded.secret = filed.secret;
  const zhangLifen = await t.loginAs('zhang-lifen');
  await resolveTaskOf(t, zhangLifen, await issueIdOf(t, filed.trackingCode), 'zhang-lifen');

  // A published notice.
  const call = async <T>(who: string, url: string, payload: object = {}) => {
    const s = await t.loginAs(who);
    const r = await t.app.inject({ method: 'POST', url, headers: s.auth, payload });
    expect(r.statusCode).toBeLessThan(300);
    return r.json() as T;
  };
  const notice = await call<NoticeView>('wu-wenjie', '/api/notices', {
    community: 'xiaduoyuan',
    kind: 'announcement',
    title: seeded.noticeTitle,
    body: '因二次供水水箱清洗，本周六 8:00–16:00 第一责任区域停水。\n请提前储水，给您带来不便，敬请谅解。',
    zone: 'zone-1',
  });
  await call('tu-zhongmei', `/api/notices/${notice.id}/approve`);
  await call('tu-zhongmei', `/api/notices/${notice.id}/publish`);
  seeded.notice = notice.id;

  // Last quarter's evaluation, published; this quarter's, open, with codes for the households.
  const quarter = (d: Date) => formatQuarter(quarterOf(d, 'Asia/Shanghai'));
  const last = await call<CampaignView>('wen-liang', '/api/evaluations', {
    community: 'xiaduoyuan',
    quarter: quarter(new Date(Date.now() - 100 * 86_400_000)),
  });
  const slips = await call<GeneratedCodes>('wen-liang', `/api/evaluations/${last.id}/codes`, {
    households: [{ building: 13, rooms: ['201', '202'] }],
  });
  await call('wen-liang', `/api/evaluations/${last.id}/open`);
  // Two households answered: the results have means, distributions and 不了解.
  for (const [i, slip] of slips.codes.entries()) {
    const zone = i === 0 ? 4 : 3;
    const answers: Record<string, Record<string, number | null>> = {};
    for (const z of ['zone-1', 'zone-2', 'zone-3', 'zone-4', 'commercial'])
      answers[z] = { responsive: zone, effective: zone, reachable: i ? null : 5, overall: zone };
    answers.property = { cleaning: 5, repairs: 2, equipment: 3, order: 4, overall: 4 };
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/evaluations/${last.id}/responses`,
      payload: { code: slip.code, answers },
    });
    expect(r.statusCode).toBe(201);
  }
  for (const step of ['close', 'publish']) await call('wen-liang', `/api/evaluations/${last.id}/${step}`);
  seeded.published = last;
  seeded.open = await call<CampaignView>('wen-liang', '/api/evaluations', {
    community: 'xiaduoyuan',
    quarter: quarter(new Date()),
  });
  const codes = await call<GeneratedCodes>('wen-liang', `/api/evaluations/${seeded.open.id}/codes`, {
    households: [{ building: 12, rooms: ['101', '102'] }],
  });
  seeded.codes = codes.codes.map((c) => c.code);
  await call('wen-liang', `/api/evaluations/${seeded.open.id}/open`);
});

afterAll(() => product?.close());

/** A phone 375 pt wide (an iPhone's): Taro's rem and rpx are the design's px there, so a CSS px is the rules' pt. */
const phone = () => product.newPage({ width: 375, height: 812 });

const button = (page: Page, text: string) => page.locator('.nut-button:visible', { hasText: text }).first();
const field = (page: Page, placeholder: string) =>
  page.locator(`input[placeholder="${placeholder}"]:visible`);

/** Each resident page: how to get there and what shows once it has its content. */
const PAGES: { name: string; open: (page: Page, mode: 'normal' | 'elder') => Promise<void> }[] = [
  {
    name: 'home',
    open: async (page) => {
      await page.goto(`${product.base}/#/pages/home/index`);
      await page.locator('.gz-notice-item:visible', { hasText: seeded.noticeTitle }).waitFor();
      await page.locator('.nut-collapse-item:visible').first().waitFor();
    },
  },
  {
    name: 'complain',
    open: async (page) => {
      await page.goto(`${product.base}/q/${qrFor(12)}`);
      await page.getByText('12 号楼', { exact: false }).first().waitFor();
      await page.getByText('环境卫生', { exact: true }).click();
    },
  },
  {
    name: 'track-form',
    open: async (page) => {
      await page.goto(`${product.base}/#/pages/track/index`);
      await field(page, '8 位查询码').waitFor();
    },
  },
  {
    name: 'track',
    open: async (page) => {
      await field(page, '8 位查询码').fill(seeded.code);
      await field(page, '提交成功时显示的密钥').fill(seeded.secret);
      await button(page, '查询').click();
      await page.getByText('问题已办结，请您确认并评价').waitFor();
      await page.locator('.nut-rate-item:visible').first().waitFor();
    },
  },
  {
    name: 'mine',
    open: async (page) => {
      await page.goto(`${product.base}/#/pages/mine/index`);
      await page.getByText(seeded.code, { exact: false }).first().waitFor();
    },
  },
  {
    name: 'privacy',
    open: async (page) => {
      await page.goto(`${product.base}/#/pages/privacy/index`);
      await page.getByText('我们收集哪些信息', { exact: true }).waitFor();
    },
  },
  {
    name: 'notices',
    open: async (page) => {
      await page.goto(`${product.base}/#/notices/pages/list/index`);
      await page.locator('.gz-notice-item:visible', { hasText: seeded.noticeTitle }).waitFor();
    },
  },
  {
    name: 'notice',
    open: async (page) => {
      await page.goto(`${product.base}/#/notices/pages/detail/index?id=${seeded.notice}`);
      await page.getByText('请提前储水', { exact: false }).waitFor();
    },
  },
  {
    name: 'evaluation',
    open: async (page) => {
      await page.goto(`${product.base}/#/evaluation/pages/index/index`);
      await page.locator('.nut-cell:visible', { hasText: seeded.open!.title }).waitFor();
    },
  },
  {
    name: 'questionnaire-code',
    open: async (page) => {
      await page.goto(`${product.base}/#/evaluation/pages/questionnaire/index?id=${seeded.open!.id}`);
      await field(page, '例如 ABCD-EFGH-JKMN').waitFor();
    },
  },
  {
    name: 'questionnaire',
    open: async (page, mode) => {
      await field(page, '例如 ABCD-EFGH-JKMN').fill(seeded.codes[mode === 'normal' ? 0 : 1]!);
      await button(page, '确认评议码').click();
      await page.getByText('评议户：', { exact: false }).waitFor();
      await page.locator('.gz-eval__question:visible').first().waitFor();
    },
  },
  {
    name: 'results',
    open: async (page) => {
      await page.goto(`${product.base}/#/evaluation/pages/results/index?id=${seeded.published!.id}`);
      await page.getByText('共 2 户参加', { exact: false }).first().waitFor();
    },
  },
  {
    // Signs this phone in as a resident (H5's stand-in for WeChat): last.
    name: 'home-binding',
    open: async (page) => {
      await page.goto(`${product.base}/#/evaluation/pages/home/index`);
      await page.getByText('绑定我的房屋').waitFor();
    },
  },
];

/** Turns 长辈版 on or off with the switch on the home page, as a resident would. */
async function setMode(page: Page, on: boolean) {
  await page.goto(`${product.base}/#/pages/home/index`);
  const toggle = page.locator('[role="switch"]:visible', { hasText: '长辈版' });
  await toggle.waitFor();
  if ((await toggle.getAttribute('aria-checked')) !== String(on)) await toggle.click();
  await page.locator(`[role="switch"][aria-checked="${on}"]:visible`).waitFor();
}

/** Waits for the page's layout to settle (fonts, Taro's slide-in), then measures what is shown. */
async function measure(page: Page): Promise<A11ySamples> {
  await page.waitForTimeout(500);
  return page.evaluate(collectA11y);
}

for (const mode of ['normal', 'elder'] as const) {
  describe(`${mode === 'elder' ? '长辈版' : 'the standard mode'}: every resident page keeps the rule`, () => {
    const rule = mode === 'elder' ? ELDER : NORMAL;
    let page: Page;
    beforeAll(async () => {
      page = await phone();
      await setMode(page, mode === 'elder');
    });
    afterAll(() => page?.context().close());

    for (const spec of PAGES) {
      it(`${spec.name}: text ≥ ${rule.minText}px${rule.largestText ? `, largest ≥ ${rule.largestText}px` : ''}, contrast ≥ ${rule.minContrast}, targets ≥ ${rule.minTarget}×${rule.minTarget}`, async () => {
        await spec.open(page, mode);
        // Every page shows the mode: its wrapper has the class, or has not.
        const cls = (await page.locator('.gz-page:visible').first().getAttribute('class')) ?? '';
        expect(cls.includes('gz-elder')).toBe(mode === 'elder');
        const samples = await measure(page);
        await shot(page, `elder-${mode}-${spec.name}`);
        expect(samples.texts.length).toBeGreaterThan(3);
        expect(samples.targets.length).toBeGreaterThan(0);
        expect(judge(samples, rule)).toEqual([]);
      });
    }
  });
}

describe('the mode follows the phone', () => {
  it('the choice is kept: after a reload 长辈版 is still on', async () => {
    const page = await phone();
    await setMode(page, true);
    await page.reload();
    await page.locator('[role="switch"][aria-checked="true"]:visible').waitFor();
    await expect(page.locator('.gz-page.gz-elder:visible').count()).resolves.toBe(1);
    await page.context().close();
  });

  it('a large system font turns 长辈版 on until the person chooses, and scales its text', async () => {
    const page = await phone();
    // The browser's text size setting at 125 % (20 px instead of the standard 16 px).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.enable');
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 20, fixed: 16 } });
    await page.goto(`${product.base}/#/pages/home/index`);
    await page.locator('[role="switch"][aria-checked="true"]:visible').waitFor();
    const samples = await measure(page);
    expect(judge(samples, { ...ELDER, minText: 18 * 1.25 })).toEqual([]);
    await shot(page, 'elder-large-system-font-home');
    // Turned off by hand, it stays off.
    await page.locator('[role="switch"]:visible').click();
    await page.reload();
    await page.locator('[role="switch"][aria-checked="false"]:visible').waitFor();
    await page.context().close();
  });
});
