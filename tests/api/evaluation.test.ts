import type {
  AuditPage,
  CampaignList,
  CampaignResults,
  CampaignView,
  CodeCheckView,
  GeneratedCodes,
  HomePage,
  HomeView,
  RespondentView,
  ResponseReceipt,
} from '@gongzhi/domain';
import { count, eq } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  evaluationCampaignsTable,
  evaluationCodesTable,
  evaluationResponsesTable,
  residentHomesTable,
} from '../../apps/api/src/db/schema';
import { campaignResults } from '../../apps/api/src/services/evaluation/results';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';

type Auth = { auth: { authorization: string } };

const clock = testClock(new Date('2026-12-21T02:00:00Z')); // Mon 21 Dec 2026, 10:00 in Shanghai
let t: TestApp;
let leader: Auth; // 闻良, head of the leadership group
let secretary: Auth; // 屠忠梅: not the leadership group
let zone1Rc: Auth; // 张嫩, residents' committee of zone 1
let zone1Grid: Auth; // 杨琛怡, grid inspector of zone 1
let zone1Property: Auth; // 张丽芬, property specialist of zone 1
let zone2Rc: Auth; // 陈霞, residents' committee of zone 2

let residentSeq = 0;
/** A fresh resident account (the demo-mode login the H5 build uses instead of wx.login). */
async function newResident(): Promise<Auth> {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/auth/dev-resident',
    remoteAddress: `10.252.0.${++residentSeq}`,
  });
  expect(r.statusCode).toBe(200);
  return { auth: { authorization: `Bearer ${(r.json() as { accessToken: string }).accessToken}` } };
}

let addressSeq = 0;
const inject = (s: Auth | null, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    ...(s ? { headers: s.auth } : {}),
    ...(payload ? { payload } : {}),
    // Per-address limits guard the code endpoints; they are not what most tests here are about.
    remoteAddress: `10.253.${addressSeq >> 8}.${++addressSeq & 255}`,
  });

function expectError(
  r: { statusCode: number; json: () => unknown },
  status: number,
  code: string,
  path?: string,
) {
  expect(r.statusCode).toBe(status);
  const body = r.json() as { error: { code: string; message: string; details?: { path?: string }[] } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(/[\u4e00-\u9fff]/); // a message people can read
  if (path) expect(body.error.details?.map((d) => d.path)).toContain(path);
  return body.error;
}

/** Everything a refused request must not have written. */
async function written() {
  const n = async (table: PgTable) => (await t.db.select({ n: count() }).from(table))[0]!.n;
  return {
    campaigns: JSON.stringify(
      (await t.db.select().from(evaluationCampaignsTable)).map((c) => [c.id, c.status, c.codeBatches]),
    ),
    homes: JSON.stringify((await t.db.select().from(residentHomesTable)).map((h) => [h.id, h.status]).sort()),
    codes: JSON.stringify(
      (await t.db.select().from(evaluationCodesTable)).map((c) => [c.id, c.codeHash, c.usedAt]).sort(),
    ),
    responses: await n(evaluationResponsesTable),
  };
}

// The default questionnaire: four zone questions for each of five zones, five property questions.
const ZONES = ['zone-1', 'zone-2', 'zone-3', 'zone-4', 'commercial'];
const ZONE_QUESTIONS = ['responsive', 'effective', 'reachable', 'overall'];
const PROPERTY_QUESTIONS = ['cleaning', 'repairs', 'equipment', 'order', 'overall'];
/** Every question of every zone at `zone`, every property question at `property` (null = 不了解). */
function answers(zone: number | null, property: number | null) {
  const out: Record<string, Record<string, number | null>> = {};
  for (const z of ZONES) out[z] = Object.fromEntries(ZONE_QUESTIONS.map((q) => [q, zone]));
  out.property = Object.fromEntries(PROPERTY_QUESTIONS.map((q) => [q, property]));
  return out;
}

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  leader = await t.loginAs('wen-liang');
  secretary = await t.loginAs('tu-zhongmei');
  zone1Rc = await t.loginAs('zhang-nen');
  zone1Grid = await t.loginAs('yang-chenyi');
  zone1Property = await t.loginAs('zhang-lifen');
  zone2Rc = await t.loginAs('chen-xia');
});
afterAll(() => t.close());

describe('the quarterly evaluation (评议), from draft to published results', () => {
  let campaign: CampaignView;
  let residentA: Auth; // 12号楼3单元302室, verified by 张嫩
  let residentB: Auth; // the same household (a family member), verified by 杨琛怡
  let residentC: Auth; // 15号楼101室, still pending
  let homeA: HomeView;
  let codes: GeneratedCodes['codes'];
  const codeOf = (household: string) => codes.find((c) => c.household === household)!.code;

  test('only the leadership group creates a campaign; bad input is refused and writes nothing', async () => {
    const before = await written();
    const body = { community: 'xiaduoyuan', quarter: '2026Q4' };
    expectError(await inject(secretary, 'POST', '/api/evaluations', body), 403, 'evaluation_leadership_only');
    expectError(await inject(zone1Rc, 'POST', '/api/evaluations', body), 403, 'evaluation_leadership_only');
    expectError(await inject(null, 'POST', '/api/evaluations', body), 401, 'token_missing');
    expectError(
      await inject(leader, 'POST', '/api/evaluations', { ...body, quarter: '2026-Q4' }),
      400,
      'validation_failed',
      'body.quarter',
    );
    expectError(
      await inject(leader, 'POST', '/api/evaluations', {
        ...body,
        questions: [
          { key: 'overall', for: 'zone', text: '总体评价如何' },
          { key: 'overall', for: 'property', text: '物业总体评价' },
          { key: 'overall', for: 'zone', text: '再问一次总体' },
        ],
      }),
      400,
      'questions_invalid',
      'body.questions[2].key',
    );
    expectError(
      await inject(leader, 'POST', '/api/evaluations', { ...body, colour: 'red' }),
      400,
      'validation_failed',
      'body.colour',
    );
    expect(await written()).toEqual(before);
  });

  test('the leader creates the 2026 Q4 campaign as a draft with the default questionnaire; one per quarter', async () => {
    const r = await inject(leader, 'POST', '/api/evaluations', {
      community: 'xiaduoyuan',
      quarter: '2026Q4',
    });
    expect(r.statusCode).toBe(201);
    campaign = r.json() as CampaignView;
    expect(campaign).toMatchObject({
      community: 'xiaduoyuan',
      quarter: '2026Q4',
      title: '夏朵园居民区2026年第四季度居民评议',
      status: 'draft',
      statusName: '准备中',
      canManage: true,
      stats: { responses: 0, codesIssued: 0 },
    });
    expect(campaign.questionnaire.targets.map((x) => x.key)).toEqual([...ZONES, 'property']);
    expect(campaign.questionnaire.targets.map((x) => x.name)).toEqual([
      '第一责任区域',
      '第二责任区域',
      '第三责任区域',
      '第四责任区域',
      '商业街区域',
      '物业公司',
    ]);
    expect(campaign.questionnaire.questions.filter((q) => q.for === 'zone').map((q) => q.key)).toEqual(
      ZONE_QUESTIONS,
    );

    const before = await written();
    expectError(
      await inject(leader, 'POST', '/api/evaluations', { community: 'xiaduoyuan', quarter: '2026Q4' }),
      409,
      'campaign_exists',
      'body.quarter',
    );
    expect(await written()).toEqual(before);
  });

  test('a draft is the leadership’s: residents neither list nor read it', async () => {
    const list = await inject(null, 'GET', '/api/evaluations?community=xiaduoyuan');
    expect((list.json() as CampaignList).items).toEqual([]);
    expectError(await inject(null, 'GET', `/api/evaluations/${campaign.id}`), 404, 'campaign_not_found');
    const own = await inject(leader, 'GET', '/api/evaluations?community=xiaduoyuan');
    expect((own.json() as CampaignList).items.map((c) => c.id)).toEqual([campaign.id]);
  });

  test('residents ask to bind their home; bad requests are refused and write nothing', async () => {
    residentA = await newResident();
    residentB = await newResident();
    residentC = await newResident();
    const before = await written();
    const home = { community: 'xiaduoyuan', building: 12, room: '3单元302室', name: '王阿姨' };
    expectError(await inject(zone1Rc, 'POST', '/api/me/homes', home), 403, 'residents_only');
    expectError(
      await inject(residentA, 'POST', '/api/me/homes', { ...home, building: 200 }),
      400,
      'zone_required',
      'body.zone',
    );
    expectError(
      await inject(residentA, 'POST', '/api/me/homes', { ...home, room: '三楼东' }),
      400,
      'room_invalid',
      'body.room',
    );
    expectError(
      await inject(residentA, 'POST', '/api/me/homes', { ...home, building: 12, zone: 'zone-2' }),
      400,
      'building_zone_mismatch',
      'body.zone',
    );
    expectError(
      await inject(residentA, 'POST', '/api/me/homes', { ...home, phone: '12345' }),
      400,
      'validation_failed',
      'body.phone',
    );
    expect(await written()).toEqual(before);

    const r = await inject(residentA, 'POST', '/api/me/homes', { ...home, phone: '13812345678' });
    expect(r.statusCode).toBe(201);
    homeA = r.json() as HomeView;
    expect(homeA).toMatchObject({
      building: 12,
      room: '3-302',
      household: '12号楼3单元302室',
      zone: 'zone-1',
      zoneName: '第一责任区域',
      status: 'pending',
      statusName: '待认证',
    });
    // One active binding per account.
    const before2 = await written();
    expectError(
      await inject(residentA, 'POST', '/api/me/homes', { ...home, room: '101' }),
      409,
      'home_already_bound',
    );
    expect(await written()).toEqual(before2);

    // A family member binds the same room, spelt differently; a third resident elsewhere.
    const b = await inject(residentB, 'POST', '/api/me/homes', { ...home, room: '3-302', name: '王先生' });
    expect((b.json() as HomeView).household).toBe('12号楼3单元302室');
    const c = await inject(residentC, 'POST', '/api/me/homes', { ...home, building: 15, room: '101' });
    expect(c.statusCode).toBe(201);
  });

  test('the zone’s rc, oc and grid people verify; not the property company, not another zone', async () => {
    const queue = async (s: Auth) => {
      const r = await inject(s, 'GET', '/api/home-requests?community=xiaduoyuan&status=pending');
      return r;
    };
    const mine = (await queue(zone1Rc)).json() as HomePage;
    expect(mine.items.map((h) => h.household).sort()).toEqual([
      '12号楼3单元302室',
      '12号楼3单元302室',
      '15号楼101室',
    ]);
    expect(mine.items.find((h) => h.id === homeA.id)?.phone).toBe('13812345678');
    expect(((await queue(zone2Rc)).json() as HomePage).items).toEqual([]);
    expectError(await queue(zone1Property), 403, 'not_zone_verifier');

    const before = await written();
    expectError(
      await inject(zone1Property, 'POST', `/api/home-requests/${homeA.id}/decide`, { approve: true }),
      404,
      'home_not_found',
    );
    expectError(
      await inject(zone2Rc, 'POST', `/api/home-requests/${homeA.id}/decide`, { approve: true }),
      404,
      'home_not_found',
    );
    expectError(
      await inject(zone1Rc, 'POST', `/api/home-requests/${homeA.id}/decide`, { approve: 'yes' }),
      400,
      'validation_failed',
      'body.approve',
    );
    expectError(
      await inject(zone1Rc, 'POST', '/api/home-requests/not-a-uuid/decide', { approve: true }),
      400,
      'validation_failed',
      'params.id',
    );
    expect(await written()).toEqual(before);

    const ok = await inject(zone1Rc, 'POST', `/api/home-requests/${homeA.id}/decide`, {
      approve: true,
      note: '已电话核实',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'verified', decidedBy: '张嫩', note: '已电话核实' });
    expectError(
      await inject(zone1Grid, 'POST', `/api/home-requests/${homeA.id}/decide`, { approve: false }),
      409,
      'home_request_decided',
    );
    const homeB = ((await queue(zone1Grid)).json() as HomePage).items.find(
      (h) => h.household === '12号楼3单元302室',
    )!;
    const okB = await inject(zone1Grid, 'POST', `/api/home-requests/${homeB.id}/decide`, { approve: true });
    expect(okB.json()).toMatchObject({ status: 'verified', decidedBy: '杨琛怡' });

    const own = (await inject(residentA, 'GET', '/api/me/homes')).json() as { items: HomeView[] };
    expect(own.items.map((h) => [h.household, h.status])).toEqual([['12号楼3单元302室', 'verified']]);
  });

  test('codes are printed per household in batches; only their hashes are kept', async () => {
    const before = await written();
    const url = `/api/evaluations/${campaign.id}/codes`;
    expectError(
      await inject(secretary, 'POST', url, { households: [{ building: 12, rooms: ['101'] }] }),
      403,
      'evaluation_leadership_only',
    );
    expectError(
      await inject(leader, 'POST', url, { households: [{ building: 12, rooms: ['101', '三楼'] }] }),
      400,
      'room_invalid',
      'body.households[0].rooms[1]',
    );
    expectError(
      await inject(leader, 'POST', url, { households: [{ building: 200, rooms: ['101'] }] }),
      400,
      'zone_required',
      'body.households[0].zone',
    );
    expectError(
      await inject(leader, 'POST', url, { households: [] }),
      400,
      'validation_failed',
      'body.households',
    );
    expect(await written()).toEqual(before);

    const r = await inject(leader, 'POST', url, {
      households: [
        // '0101' is room 101 again: one canonical room per household, whatever the spelling.
        { building: 12, rooms: ['3单元302', '101', '102', '0101', '103'] },
        { building: 200, zone: 'zone-4', rooms: ['1-101'] },
      ],
    });
    expect(r.statusCode).toBe(201);
    expect(r.headers['cache-control']).toBe('no-store');
    const batch = r.json() as GeneratedCodes;
    expect(batch.batch).toBe(1);
    codes = batch.codes;
    expect(codes.map((c) => [c.household, c.zone])).toEqual([
      ['12号楼3单元302室', 'zone-1'],
      ['12号楼101室', 'zone-1'],
      ['12号楼102室', 'zone-1'],
      ['12号楼103室', 'zone-1'],
      ['200号楼1单元101室', 'zone-4'],
    ]);
    expect(batch.skipped).toEqual([{ household: '12号楼101室', reason: '本批中重复' }]);
    for (const c of codes)
      expect(c.code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);

    // Nothing stored gives a code back.
    const stored = JSON.stringify(await t.db.select().from(evaluationCodesTable));
    for (const c of codes) {
      expect(stored).not.toContain(c.code);
      expect(stored).not.toContain(c.code.replaceAll('-', ''));
    }

    // Again: every household already has a code, so nothing new (unless reissued).
    const again = (
      await inject(leader, 'POST', url, { households: [{ building: 12, rooms: ['０１０１号'] }] })
    ).json() as GeneratedCodes;
    expect(again.codes).toEqual([]);
    expect(again.skipped).toEqual([{ household: '12号楼101室', reason: '已有评议码（遗失可选择补发）' }]);
  });

  test('a lost slip is reissued: the old code stops working', async () => {
    const old = codeOf('12号楼103室');
    const r = await inject(leader, 'POST', `/api/evaluations/${campaign.id}/codes`, {
      households: [{ building: 12, rooms: ['103'] }],
      reissue: true,
    });
    const batch = r.json() as GeneratedCodes;
    expect(batch.batch).toBe(2);
    expect(batch.codes).toHaveLength(1);
    expect(batch.codes[0]!.code).not.toBe(old);
    codes = codes.map((c) => (c.household === '12号楼103室' ? batch.codes[0]! : c));
    expectError(
      await inject(null, 'POST', '/api/evaluation-codes/check', { code: old }),
      404,
      'code_not_found',
    );
  });

  test('the printable slips carry the household and its code', async () => {
    const r = await inject(leader, 'POST', `/api/evaluations/${campaign.id}/codes/slips`, {
      households: [{ building: 13, rooms: ['201', '202'] }],
    });
    expect(r.statusCode).toBe(201);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body).toContain('13号楼201室');
    expect(r.body).toContain('13号楼202室');
    expect(r.body).toContain('第 3 批');
    const printed = r.body.match(/class="code">([^<]+)</g) ?? [];
    expect(printed).toHaveLength(2);
    const code = printed[0]!.replace(/^class="code">|<$/g, '');
    // Checked before the campaign opens: a code of a draft is not found.
    expectError(await inject(null, 'POST', '/api/evaluation-codes/check', { code }), 404, 'code_not_found');
  });

  test('nobody answers a draft; the leader opens it, once', async () => {
    const before = await written();
    expectError(
      await inject(null, 'POST', `/api/evaluations/${campaign.id}/responses`, {
        code: codeOf('12号楼101室'),
        answers: answers(5, 5),
      }),
      404,
      'campaign_not_found',
    );
    expectError(
      await inject(secretary, 'POST', `/api/evaluations/${campaign.id}/open`, {}),
      403,
      'evaluation_leadership_only',
    );
    expect(await written()).toEqual(before);
    const r = await inject(leader, 'POST', `/api/evaluations/${campaign.id}/open`, {});
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'open',
      statusName: '评议中',
      openedAt: clock.now().toISOString(),
    });
    expectError(
      await inject(leader, 'POST', `/api/evaluations/${campaign.id}/open`, {}),
      409,
      'campaign_not_draft',
    );
    expectError(
      await inject(leader, 'POST', `/api/evaluations/${campaign.id}/publish`, {}),
      409,
      'campaign_not_closed',
    );
    const list = (await inject(null, 'GET', '/api/evaluations?community=xiaduoyuan')).json() as CampaignList;
    expect(list.items.map((c) => [c.id, c.status, c.stats, c.canManage])).toEqual([
      [campaign.id, 'open', null, false],
    ]);
  });

  test('a code names its household and campaign', async () => {
    const r = await inject(null, 'POST', '/api/evaluation-codes/check', {
      code: codeOf('12号楼101室').toLowerCase().replaceAll('-', ' '),
    });
    expect(r.statusCode).toBe(200);
    const check = r.json() as CodeCheckView;
    expect(check.household).toBe('12号楼101室');
    expect(check.campaign.id).toBe(campaign.id);
    expectError(
      await inject(null, 'POST', '/api/evaluation-codes/check', { code: 'ABCD-EFGH-JKMN' }),
      404,
      'code_not_found',
    );
    expectError(
      await inject(null, 'POST', '/api/evaluation-codes/check', { code: '' }),
      400,
      'validation_failed',
      'body.code',
    );
  });

  let receiptA: ResponseReceipt;

  test('households answer by code or as a verified resident', async () => {
    const url = `/api/evaluations/${campaign.id}/responses`;
    const byCode = await inject(null, 'POST', url, { code: codeOf('12号楼101室'), answers: answers(5, 5) });
    expect(byCode.statusCode).toBe(201);
    expect(byCode.json()).toMatchObject({
      household: '12号楼101室',
      channel: 'code',
      channelName: '一次性评议码',
    });
    expect((byCode.json() as ResponseReceipt).receipt).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);

    const view = (
      await inject(residentA, 'GET', `/api/evaluations/${campaign.id}/questionnaire`)
    ).json() as RespondentView;
    expect(view).toMatchObject({ household: '12号楼3单元302室', answered: false, reason: null });

    // Resident A answers for 12/3-302; the property company skipped (不了解).
    const byAccount = await inject(residentA, 'POST', url, { answers: answers(4, null) });
    expect(byAccount.statusCode).toBe(201);
    receiptA = byAccount.json() as ResponseReceipt;
    expect(receiptA).toMatchObject({
      household: '12号楼3单元302室',
      channel: 'account',
      channelName: '认证住户账号',
    });

    const after = (
      await inject(residentA, 'GET', `/api/evaluations/${campaign.id}/questionnaire`)
    ).json() as RespondentView;
    expect(after).toMatchObject({ answered: true, reason: '您家已参加本次评议，每户只能评议一次' });

    const zone4 = await inject(null, 'POST', url, {
      code: codeOf('200号楼1单元101室'),
      answers: answers(2, 2),
    });
    expect(zone4.statusCode).toBe(201);
  });

  test('a second response from one household → 409, whichever credential, and nothing written', async () => {
    const url = `/api/evaluations/${campaign.id}/responses`;
    const before = await written();
    // The same code again: refused when checked, and when sent.
    expectError(
      await inject(null, 'POST', '/api/evaluation-codes/check', { code: codeOf('12号楼101室') }),
      409,
      'already_responded',
    );
    // The household's slip, after the household answered by account.
    expectError(
      await inject(null, 'POST', '/api/evaluation-codes/check', { code: codeOf('12号楼3单元302室') }),
      409,
      'already_responded',
    );
    expectError(
      await inject(null, 'POST', url, { code: codeOf('12号楼101室'), answers: answers(1, 1) }),
      409,
      'already_responded',
    );
    // The same account again.
    expectError(await inject(residentA, 'POST', url, { answers: answers(1, 1) }), 409, 'already_responded');
    // Another verified account of the same household.
    expectError(await inject(residentB, 'POST', url, { answers: answers(1, 1) }), 409, 'already_responded');
    // The household's printed code, after its resident answered by account: refused, and the code stays unspent.
    expectError(
      await inject(null, 'POST', url, { code: codeOf('12号楼3单元302室'), answers: answers(1, 1) }),
      409,
      'already_responded',
    );
    expect(await written()).toEqual(before);
    const [slip] = await t.db
      .select()
      .from(evaluationCodesTable)
      .where(eq(evaluationCodesTable.room, '3-302'));
    expect(slip!.usedAt).toBeNull();
  });

  test('two answers from one household at once: exactly one is counted', async () => {
    const url = `/api/evaluations/${campaign.id}/responses`;
    const code = codeOf('12号楼102室');
    const results = await Promise.all([
      inject(null, 'POST', url, { code, answers: answers(3, 3) }),
      inject(null, 'POST', url, { code, answers: answers(1, 1) }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const rows = await t.db
      .select()
      .from(evaluationResponsesTable)
      .where(eq(evaluationResponsesTable.room, '102'));
    expect(rows).toHaveLength(1);
    // Keep the tally below worked out by hand: whichever won, record its score.
    const won = results.findIndex((r) => r.statusCode === 201);
    expect(rows[0]!.answers['zone-1']!.responsive).toBe(won === 0 ? 3 : 1);
    wonScore = won === 0 ? 3 : 1;
  });
  let wonScore = 0;

  test('bad answers and missing credentials are refused with the field named, and write nothing', async () => {
    const url = `/api/evaluations/${campaign.id}/responses`;
    const before = await written();
    const code = codeOf('12号楼103室');
    const partial = answers(4, 4);
    delete partial['zone-3']!.reachable;
    expectError(
      await inject(null, 'POST', url, { code, answers: partial }),
      400,
      'answers_invalid',
      'body.answers.zone-3.reachable',
    );
    const six = answers(4, 4);
    six['zone-1']!.responsive = 6;
    expectError(
      await inject(null, 'POST', url, { code, answers: six }),
      400,
      'validation_failed',
      'body.answers.zone-1.responsive',
    );
    const extra = { ...answers(4, 4), 'zone-9': { overall: 3 } };
    expectError(
      await inject(null, 'POST', url, { code, answers: extra }),
      400,
      'answers_invalid',
      'body.answers.zone-9',
    );
    expectError(
      await inject(null, 'POST', url, { code, answers: answers(null, null) }),
      400,
      'answers_all_skipped',
    );
    expectError(
      await inject(null, 'POST', url, { answers: answers(4, 4) }),
      400,
      'credential_required',
      'body.code',
    );
    expectError(
      await inject(null, 'POST', url, { code: 'ABCD-EFGH-JKMN', answers: answers(4, 4) }),
      404,
      'code_not_found',
    );
    expectError(await inject(residentC, 'POST', url, { answers: answers(4, 4) }), 403, 'home_not_verified');
    expectError(await inject(zone1Rc, 'POST', url, { answers: answers(4, 4) }), 403, 'residents_only');
    expect(await written()).toEqual(before);
  });

  test('results are not shown while the campaign is open', async () => {
    expectError(
      await inject(leader, 'GET', `/api/evaluations/${campaign.id}/results`),
      409,
      'results_not_ready',
    );
    expectError(
      await inject(null, 'GET', `/api/evaluations/${campaign.id}/results`),
      409,
      'results_not_ready',
    );
    // Nor can a results notice be drafted from it.
    const source = { kind: 'evaluation_results', campaign: campaign.id };
    expectError(
      await inject(secretary, 'POST', '/api/notices', { community: 'xiaduoyuan', source }),
      409,
      'results_not_ready',
    );
  });

  test('the audit list names each household, channel and credential, never the answers', async () => {
    expectError(
      await inject(secretary, 'GET', `/api/evaluations/${campaign.id}/audit`),
      403,
      'evaluation_leadership_only',
    );
    const first = (
      await inject(leader, 'GET', `/api/evaluations/${campaign.id}/audit?limit=2`)
    ).json() as AuditPage;
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const rest = (
      await inject(leader, 'GET', `/api/evaluations/${campaign.id}/audit?limit=2&cursor=${first.nextCursor}`)
    ).json() as AuditPage;
    const all = [...first.items, ...rest.items];
    expect(rest.nextCursor).toBeNull();
    expect(all.map((e) => e.household).sort()).toEqual([
      '12号楼101室',
      '12号楼102室',
      '12号楼3单元302室',
      '200号楼1单元101室',
    ]);
    const a = all.find((e) => e.household === '12号楼3单元302室')!;
    expect(a).toMatchObject({
      channel: 'account',
      credential: '住户账号，张嫩于 2026-12-21 认证',
      receipt: receiptA.receipt,
      intact: true,
      zoneName: '第一责任区域',
    });
    expect(all.find((e) => e.household === '200号楼1单元101室')).toMatchObject({
      channel: 'code',
      credential: '评议码，第 1 批',
      zone: 'zone-4',
    });
    for (const e of all) expect(e).not.toHaveProperty('answers');
    expectError(
      await inject(leader, 'GET', `/api/evaluations/${campaign.id}/audit?cursor=nonsense`),
      400,
      'invalid_cursor',
      'querystring.cursor',
    );
  });

  test('responses are append-only in the database', async () => {
    await expect(t.db.update(evaluationResponsesTable).set({ receipt: 'X' })).rejects.toThrow();
    await expect(t.db.delete(evaluationResponsesTable)).rejects.toThrow();
  });

  test('closing stops responses; the leadership reads the results, the public not yet', async () => {
    const closed = await inject(leader, 'POST', `/api/evaluations/${campaign.id}/close`, {});
    expect(closed.json()).toMatchObject({
      status: 'closed',
      stats: { responses: 4, byChannel: { account: 1, code: 3 }, codesIssued: 7, codesUsed: 3 },
    });
    const before = await written();
    expectError(
      await inject(null, 'POST', `/api/evaluations/${campaign.id}/responses`, {
        code: codeOf('12号楼103室'),
        answers: answers(4, 4),
      }),
      409,
      'campaign_not_open',
    );
    expectError(
      await inject(leader, 'POST', `/api/evaluations/${campaign.id}/codes`, {
        households: [{ building: 14, rooms: ['101'] }],
      }),
      409,
      'campaign_closed',
    );
    expect(await written()).toEqual(before);
    expectError(
      await inject(null, 'GET', `/api/evaluations/${campaign.id}/results`),
      403,
      'results_not_published',
    );
    expectError(
      await inject(residentA, 'GET', `/api/evaluations/${campaign.id}/results`),
      403,
      'results_not_published',
    );

    const r = await inject(leader, 'GET', `/api/evaluations/${campaign.id}/results`);
    expect(r.statusCode).toBe(200);
    const results = r.json() as CampaignResults;
    // By hand: zones scored 5 (12/101), 4 (12/3-302), w (12/102: 3 or 1, whichever won) and 2 (200/1-101).
    // The property company: 5, w and 2; 12/3-302 skipped it.
    const w = wonScore;
    const zoneScores = [5, 4, w, 2];
    const propertyScores = [5, w, 2];
    const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
    const dist = (xs: number[]) => [1, 2, 3, 4, 5].map((s) => xs.filter((x) => x === s).length);
    expect(results.responses).toBe(4);
    expect(results.byChannel).toEqual({ account: 1, code: 3 });
    expect(results.targets.map((x) => x.key)).toEqual([...ZONES, 'property']);
    for (const target of results.targets.slice(0, 5)) {
      expect(target).toMatchObject({ responses: 4, mean: mean(zoneScores) });
      for (const q of target.questions) {
        expect(q).toMatchObject({
          responses: 4,
          skipped: 0,
          mean: mean(zoneScores),
          distribution: dist(zoneScores),
        });
      }
    }
    const property = results.targets[5]!;
    expect(property).toMatchObject({ name: '物业公司', responses: 3, mean: mean(propertyScores) });
    expect(property.questions.map((q) => q.key)).toEqual(PROPERTY_QUESTIONS);
    expect(property.questions[0]).toMatchObject({
      responses: 3,
      skipped: 1,
      distribution: dist(propertyScores),
    });
    // 满意 = 4 or 5: zones 2 of 4 (5 and 4); property 1 of 3.
    expect(results.targets[0]!.satisfaction).toBe(0.5);
    expect(property.satisfaction).toBe(0.3333);
    // The exported service gives the same tally (used by the results notice and the credit file).
    expect(await campaignResults(t.db, campaign.id)).toEqual(results);
  });

  test('publishing shows the same results to everyone', async () => {
    expectError(
      await inject(secretary, 'POST', `/api/evaluations/${campaign.id}/publish`, {}),
      403,
      'evaluation_leadership_only',
    );
    const published = await inject(leader, 'POST', `/api/evaluations/${campaign.id}/publish`, {});
    expect(published.json()).toMatchObject({ status: 'published', statusName: '已公布' });
    const open = await inject(null, 'GET', `/api/evaluations/${campaign.id}/results`);
    expect(open.statusCode).toBe(200);
    const lead = await inject(leader, 'GET', `/api/evaluations/${campaign.id}/results`);
    expect(open.json()).toEqual(lead.json());
    expect((open.json() as CampaignResults).campaign).toMatchObject({
      status: 'published',
      quarter: '2026Q4',
    });
    expect(open.body).not.toContain('12号楼');
  });

  test('the secretary drafts the results notice from the campaign: aggregates only', async () => {
    const source = { kind: 'evaluation_results', campaign: campaign.id };
    const r = await inject(secretary, 'POST', '/api/notices', { community: 'xiaduoyuan', source });
    expect(r.statusCode).toBe(201);
    const notice = r.json() as { kind: string; status: string; title: string; body: string };
    expect(notice).toMatchObject({
      kind: 'evaluation_results',
      status: 'draft',
      title: `${campaign.title}结果公布`,
    });
    const results = await campaignResults(t.db, campaign.id);
    expect(notice.body).toContain(`共收到 ${results.responses} 户居民的评议`);
    for (const target of results.targets) {
      const mean = target.mean === null ? '无评分' : `${target.mean.toFixed(2)} 分`;
      expect(notice.body).toContain(`${target.name}：平均 ${mean}`);
    }
    expect(notice.body).not.toContain('302');
  });

  test("the property company's credit file counts the evaluation of its quarter", async () => {
    const results = await campaignResults(t.db, campaign.id);
    const property = results.targets.find((x) => x.key === 'property')!;
    const r = await inject(leader, 'GET', '/api/communities/xiaduoyuan/credit?org=property&period=2026Q4');
    expect(r.statusCode).toBe(200);
    const file = r.json() as {
      evaluation: unknown;
      score: { lines: { label: string; arithmetic: string }[] };
    };
    expect(file.evaluation).toEqual({
      mean: property.mean,
      responses: property.responses,
      campaigns: ['2026Q4'],
    });
    expect(file.score.lines.find((l) => l.label === '居民评议')!.arithmetic).toContain(
      `平均 ${property.mean!.toFixed(2)} 分（${property.responses} 份）`,
    );
    // A zone's organisation is not evaluated as such.
    const oc = await inject(leader, 'GET', '/api/communities/xiaduoyuan/credit?org=oc&period=2026Q4');
    expect((oc.json() as { evaluation: unknown }).evaluation).toBeNull();
  });

  test('a resident gives up a binding; the response given stands', async () => {
    const r = await inject(residentA, 'POST', `/api/me/homes/${homeA.id}/cancel`, {});
    expect(r.json()).toMatchObject({ status: 'cancelled' });
    expectError(
      await inject(residentA, 'POST', `/api/me/homes/${homeA.id}/cancel`, {}),
      409,
      'home_not_active',
    );
    expectError(
      await inject(residentB, 'POST', `/api/me/homes/${homeA.id}/cancel`, {}),
      404,
      'home_not_found',
    );
    expect((await campaignResults(t.db, campaign.id)).responses).toBe(4);
  });
});
