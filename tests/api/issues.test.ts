import { createHmac, randomUUID } from 'node:crypto';
import type { IssueDetail, IssuePage, IssueSummary } from '@gongzhi/domain';
import { and, count, eq, type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { type Db, preparing } from '../../apps/api/src/db/client';
import type { namedStatements } from '../../apps/api/src/db/pglite-named';
import * as schema from '../../apps/api/src/db/schema';
import { issueEventsTable, issuesTable, photosTable } from '../../apps/api/src/db/schema';
import { listIssues } from '../../apps/api/src/services/issues/list-issues';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';

const TEST_SECRET = 'test-secret-that-is-long-enough-000000';
const COMMUNITY = 'xiaduoyuan';

type Session = Awaited<ReturnType<TestApp['loginAs']>>;
type Headers = Session['auth'];

// Each issue is created one minute after the previous one, so "newest first" has one right answer.
const clock = testClock();
let t: TestApp;
let yang: Session; // zone-1 grid inspector
let wu: Session; // zone-1 leader
let zhuang: Session; // grid in zones 2 and 3
let zhou: Session; // elevator line leader
let tu: Session; // secretary
let zhangNen: Session; // zone-1 rc
let admin: Session;

const fixtures = {} as Record<
  | 'sanZone1'
  | 'elevEmergencyZone1'
  | 'communityWide'
  | 'sanZone2'
  | 'elevZone3'
  | 'sanZone3'
  | 'onBehalf'
  | 'percent',
  IssueDetail
>;

function issueBody(overrides: Record<string, unknown> = {}) {
  return {
    community: COMMUNITY,
    building: 12,
    category: 'sanitation',
    description: '楼道堆放杂物，影响通行',
    ...overrides,
  };
}

const post = (headers: Headers | Record<string, never>, payload: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/issues', headers, payload: payload as Record<string, unknown> });

/** Create an issue that must succeed; the clock moves a minute first. */
async function create(
  who: Session,
  overrides: Record<string, unknown> = {},
  advance = 60_000,
): Promise<IssueDetail> {
  clock.advance(advance);
  const res = await post(who.auth, issueBody(overrides));
  if (res.statusCode !== 201) throw new Error(`create failed ${res.statusCode}: ${res.body}`);
  return res.json() as IssueDetail;
}

const getIssue = (who: Headers, id: string) =>
  t.app.inject({ method: 'GET', url: `/api/issues/${id}`, headers: who });

async function listPage(who: Headers, query: Record<string, string | number>) {
  const qs = new URLSearchParams({
    community: COMMUNITY,
    ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
  });
  return t.app.inject({ method: 'GET', url: `/api/issues?${qs}`, headers: who });
}

/** Every item the caller can list under a filter, walking all pages. */
async function listAll(who: Headers, query: Record<string, string | number> = {}): Promise<IssueSummary[]> {
  const items: IssueSummary[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const res = await listPage(who, { limit: 100, ...query, ...(cursor ? { cursor } : {}) });
    expect(res.statusCode).toBe(200);
    const page = res.json() as IssuePage;
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('pagination did not end');
}

/** Descending by plain code-unit order: ISO instants and lowercase uuids sort like the database does. */
const newestFirst = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

const ids = (items: { id: string }[]) => items.map((i) => i.id);

async function rowCounts() {
  const [issues] = await t.db.select({ n: count() }).from(issuesTable);
  const [events] = await t.db.select({ n: count() }).from(issueEventsTable);
  return { issues: issues!.n, events: events!.n };
}

/** Run a request that must fail, and check it wrote nothing to issues or issue_events. */
async function expectNothingWritten<T>(run: () => Promise<T>): Promise<T> {
  const before = await rowCounts();
  const result = await run();
  expect(await rowCounts()).toEqual(before);
  return result;
}

/** Ids of the community's issues matching a condition, straight from the database. */
async function idsInDb(where?: SQL) {
  const rows = await t.db.select({ id: issuesTable.id }).from(issuesTable).where(where);
  return rows.map((r) => r.id).sort();
}

function signHs256(payload: Record<string, unknown>, secret: string) {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const data = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${data}.${createHmac('sha256', secret).update(data).digest('base64url')}`;
}

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  yang = await t.loginAs('yang-chenyi');
  wu = await t.loginAs('wu-wenjie');
  zhuang = await t.loginAs('zhuang-yongliang');
  zhou = await t.loginAs('zhou-jianping');
  tu = await t.loginAs('tu-zhongmei');
  zhangNen = await t.loginAs('zhang-nen');
  admin = await t.loginAs('admin');

  fixtures.sanZone1 = await create(yang, { description: '12号楼垃圾桶满溢，无人清运', spot: '3 单元门口' });
  fixtures.elevEmergencyZone1 = await create(yang, {
    category: 'elevator',
    urgency: 'emergency',
    description: '12号楼电梯困人',
  });
  fixtures.communityWide = await create(yang, {
    category: 'public_facility',
    scope: 'community',
    description: '小区健身器材普遍老化',
  });
  fixtures.sanZone2 = await create(zhuang, { building: 50, description: '50号楼绿化带有建筑垃圾' });
  fixtures.elevZone3 = await create(zhuang, {
    building: 100,
    category: 'elevator',
    description: '100号楼电梯异响',
  });
  fixtures.sanZone3 = await create(zhuang, { building: 100, description: '100号楼楼道小广告' });
  fixtures.onBehalf = await create(zhangNen, {
    category: 'noise',
    description: '楼上夜间装修噪声',
    reporterName: '王阿姨',
    reporterPhone: '13812341234',
  });
  fixtures.percent = await create(yang, { building: 20, description: '楼道灯只有 50% 能亮' });
}, 60_000);
afterAll(() => t.close());

describe('creating', () => {
  test('a sanitation issue from the zone-1 inspector is routed to the zone: leader owns, property specialist does', async () => {
    const before = await rowCounts();
    const issue = await create(yang, { description: '12号楼东侧垃圾散落' });
    expect(await rowCounts()).toEqual({ issues: before.issues + 1, events: before.events + 2 });

    expect(issue).toEqual(
      expect.objectContaining({
        community: COMMUNITY,
        zone: 'zone-1',
        building: 12,
        category: 'sanitation',
        categoryName: '环境卫生',
        tier: 'zone',
        status: 'dispatched',
        channel: 'patrol',
        line: null,
        urgency: 'normal',
        scope: 'building',
        owner: { key: 'wu-wenjie', name: '吴文杰' },
        assignees: [{ key: 'zhang-lifen', name: '张丽芬' }],
        reporter: { name: '杨琛怡', phone: null },
      }),
    );
    expect(issue.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    expect(issue.createdAt).toBe(clock.now().toISOString());

    expect(issue.route.reasons.length).toBeGreaterThan(0);
    expect(issue.route.reasons.map((r) => r.rule)).toContain('zone_default');
    expect(issue.events.map((e) => e.action)).toEqual(['submit', 'dispatch']);
    const [submit, dispatch] = issue.events;
    expect(submit).toEqual(
      expect.objectContaining({
        fromStatus: null,
        toStatus: 'submitted',
        actor: 'yang-chenyi',
        actorName: '杨琛怡',
      }),
    );
    expect(dispatch).toEqual(
      expect.objectContaining({ fromStatus: 'submitted', toStatus: 'dispatched', actor: 'system' }),
    );
    for (const reason of issue.route.reasons) expect(dispatch?.note).toContain(reason.text);
    expect(dispatch?.note).toContain('吴文杰');
  });

  test('an elevator emergency goes to the elevator line, with a report back to zone and line leaders', async () => {
    const issue = fixtures.elevEmergencyZone1;
    expect(issue.tier).toBe('line');
    expect(issue.line).toBe('elevator');
    expect(issue.status).toBe('dispatched');
    expect(issue.owner?.key).toBe('zhou-jianping');
    expect(issue.assignees.map((a) => a.key)).toEqual(['zhang-lifen']);
    const reportBack = issue.route.procedures.find((p) => p.kind === 'dual_report_back');
    expect(reportBack).toBeDefined();
    expect(reportBack && 'to' in reportBack ? [...reportBack.to].sort() : []).toEqual([
      'wu-wenjie',
      'zhou-jianping',
    ]);
    expect(issue.route.reasons.map((r) => r.rule)).toContain('emergency_line');
  });

  test('a community-wide matter goes to the joint meeting and is escalated', async () => {
    const issue = fixtures.communityWide;
    expect(issue.tier).toBe('joint_meeting');
    expect(issue.status).toBe('escalated');
    expect(issue.owner?.key).toBe('tu-zhongmei');
    expect(issue.assignees).toEqual([]);
    expect(issue.events.map((e) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ['submit', null, 'submitted'],
      ['refer', 'submitted', 'escalated'],
    ]);
  });

  test('the channel follows the role: an rc member files at the duty desk', () => {
    expect(fixtures.onBehalf.channel).toBe('duty_desk');
    expect(fixtures.sanZone2.channel).toBe('patrol');
  });

  test('a zone with no numbered buildings is chosen by zone', async () => {
    const res = await post(
      admin.auth,
      issueBody({ building: undefined, zone: 'commercial', spot: '商业街 8 号门面' }),
    );
    expect(res.statusCode).toBe(201);
    const issue = res.json() as IssueDetail;
    expect(issue).toEqual(
      expect.objectContaining({ zone: 'commercial', building: null, spot: '商业街 8 号门面' }),
    );
    expect(issue.owner?.key).toBe('zhou-jianguang');
    expect(issue.channel).toBe('staff_on_behalf');
  });

  test('GET one returns the issue with its timeline', async () => {
    const res = await getIssue(wu.auth, fixtures.sanZone1.id);
    expect(res.statusCode).toBe(200);
    const issue = res.json() as IssueDetail;
    expect(issue.id).toBe(fixtures.sanZone1.id);
    expect(issue.description).toBe('12号楼垃圾桶满溢，无人清运');
    expect(issue.spot).toBe('3 单元门口');
    expect(issue.events.map((e) => e.action)).toEqual(['submit', 'dispatch']);
    expect(issue.events[0]!.id).toBeLessThan(issue.events[1]!.id);
    expect(issue.events.every((e) => e.createdAt === fixtures.sanZone1.createdAt)).toBe(true);
    expect(issue.route).toEqual(fixtures.sanZone1.route);
  });

  test('an issue that does not exist → 404 issue_not_found', async () => {
    const res = await getIssue(admin.auth, randomUUID());
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('issue_not_found');
  });
});

describe('listing', () => {
  test('filters by zone, tier, status and category match the database exactly', async () => {
    const cases: [Record<string, string>, SQL][] = [
      [{ zone: 'zone-2' }, eq(issuesTable.zone, 'zone-2')],
      [{ tier: 'line' }, eq(issuesTable.tier, 'line')],
      [{ status: 'escalated' }, eq(issuesTable.status, 'escalated')],
      [{ category: 'elevator' }, eq(issuesTable.category, 'elevator')],
      [
        { zone: 'zone-1', category: 'sanitation' },
        and(eq(issuesTable.zone, 'zone-1'), eq(issuesTable.category, 'sanitation'))!,
      ],
    ];
    for (const [filter, where] of cases) {
      const items = await listAll(admin.auth, filter);
      expect(items.length).toBeGreaterThan(0);
      expect({ filter, ids: ids(items).sort() }).toEqual({ filter, ids: await idsInDb(where) });
    }
    expect(ids(await listAll(admin.auth, { category: 'elevator' })).sort()).toEqual(
      [fixtures.elevEmergencyZone1.id, fixtures.elevZone3.id].sort(),
    );
    expect(ids(await listAll(admin.auth, { status: 'escalated' }))).toEqual([fixtures.communityWide.id]);
  });

  test('an unknown filter value is a validation error', async () => {
    const res = await listPage(admin.auth, { tier: 'galaxy' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details[0].path).toBe('querystring.tier');
  });

  test('text search finds words in the description and spot, and an issue by its code', async () => {
    expect(ids(await listAll(admin.auth, { q: '垃圾桶' }))).toEqual([fixtures.sanZone1.id]);
    expect(ids(await listAll(admin.auth, { q: '3 单元' }))).toEqual([fixtures.sanZone1.id]);
    expect(ids(await listAll(admin.auth, { q: fixtures.sanZone2.code.toLowerCase() }))).toEqual([
      fixtures.sanZone2.id,
    ]);
    expect(await listAll(admin.auth, { q: '不存在的词语' })).toEqual([]);
  });

  test('"%" and "_" in a search are literal characters, not wildcards', async () => {
    expect(ids(await listAll(admin.auth, { q: '%' }))).toEqual([fixtures.percent.id]);
    expect(ids(await listAll(admin.auth, { q: '50%' }))).toEqual([fixtures.percent.id]);
    expect(await listAll(admin.auth, { q: '_' })).toEqual([]);
    expect(await listAll(admin.auth, { q: '%%' })).toEqual([]);
  });

  test('keyset pagination: newest first, no duplicates, no gaps, even with equal timestamps', async () => {
    const created: IssueDetail[] = [];
    for (let i = 0; i < 4; i++)
      created.push(await create(yang, { category: 'greening', description: `翻页测试 ${i} 草坪枯黄` }));
    // Three more at the same instant: only the id breaks the tie.
    clock.advance(60_000);
    for (let i = 4; i < 7; i++)
      created.push(await create(yang, { category: 'greening', description: `翻页测试 ${i} 草坪枯黄` }, 0));

    const expected = [...created]
      .sort((a, b) => newestFirst(`${a.createdAt}|${a.id}`, `${b.createdAt}|${b.id}`))
      .map((i) => i.id);
    // The last three share the newest instant, so they lead; the first created is last.
    expect(new Set(expected.slice(0, 3))).toEqual(new Set(ids(created.slice(4))));
    expect(expected.at(-1)).toBe(created[0]!.id);

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await listPage(yang.auth, { q: '翻页测试', limit: 3, ...(cursor ? { cursor } : {}) });
      expect(res.statusCode).toBe(200);
      const page = res.json() as IssuePage;
      pages.push(ids(page.items));
      cursor = page.nextCursor;
    } while (cursor && pages.length < 10);

    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(expected);
    expect(new Set(pages.flat()).size).toBe(7);
  });

  test('a page of exactly the remaining rows has no next cursor', async () => {
    const all = await listAll(admin.auth, { q: '翻页测试' });
    expect(all).toHaveLength(7);
    const res = await listPage(admin.auth, { q: '翻页测试', limit: 7 });
    expect(res.json().items).toHaveLength(7);
    expect(res.json().nextCursor).toBeNull();
  });

  test('the whole list is newest first', async () => {
    const all = await listAll(admin.auth);
    const keys = all.map((i) => `${i.createdAt}|${i.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(all.length).toBe((await idsInDb()).length);
  });

  test('an invalid cursor → 400 invalid_cursor', async () => {
    const forged = Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', "x' or 1=1"])).toString('base64url');
    for (const cursor of ['not-a-cursor', forged, Buffer.from('[]').toString('base64url')]) {
      const res = await listPage(admin.auth, { cursor });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid_cursor');
    }
  });

  test('a list without filters (its page size written into the statement) pages the same rows at any size', async () => {
    const zone1 = await idsInDb(and(eq(issuesTable.zone, 'zone-1'), eq(issuesTable.hidden, false)));
    expect(zone1.length).toBeGreaterThan(3);
    const whole = ids(await listAll(wu.auth, { zone: 'zone-1' }));
    expect([...whole].sort()).toEqual(zone1);
    for (const limit of [1, 2, 3]) {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const res = await listPage(wu.auth, { zone: 'zone-1', limit, ...(cursor ? { cursor } : {}) });
        expect(res.statusCode).toBe(200);
        const page = res.json() as IssuePage;
        pages.push(ids(page.items));
        cursor = page.nextCursor;
      } while (cursor && pages.length < 50);
      expect({ limit, sizes: pages.map((p) => p.length) }).toEqual({
        limit,
        sizes: [...Array(Math.ceil(whole.length / limit))].map((_, i) =>
          Math.min(limit, whole.length - i * limit),
        ),
      });
      expect(pages.flat()).toEqual(whole);
    }
  });

  test('limit outside 1..100 → 400', async () => {
    for (const limit of [0, 101]) {
      const res = await listPage(admin.auth, { limit });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].path).toBe('querystring.limit');
    }
  });
});

describe('access (DOMAIN §12)', () => {
  test('the zone-1 inspector cannot read a zone-2 issue: 404, and it is not in the list', async () => {
    const res = await getIssue(yang.auth, fixtures.sanZone2.id);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('issue_not_found');
    expect(res.body).not.toContain(fixtures.sanZone2.description);
    expect(res.body).not.toContain(fixtures.sanZone2.code);
    // Forbidden and missing look the same.
    expect(res.json().error.message).toBe((await getIssue(yang.auth, randomUUID())).json().error.message);

    const list = await listAll(yang.auth);
    expect(ids(list)).toContain(fixtures.sanZone1.id);
    expect(ids(list)).not.toContain(fixtures.sanZone2.id);
    expect(new Set(list.map((i) => i.zone))).toEqual(new Set(['zone-1']));
    // Asking for zone-2 explicitly does not open it either.
    expect(await listAll(yang.auth, { zone: 'zone-2' })).toEqual([]);
    expect(await listAll(yang.auth, { q: fixtures.sanZone2.code })).toEqual([]);
  });

  test('a grid member of zones 2 and 3 reads both, but not zone 1', async () => {
    expect((await getIssue(zhuang.auth, fixtures.sanZone2.id)).statusCode).toBe(200);
    expect((await getIssue(zhuang.auth, fixtures.sanZone3.id)).statusCode).toBe(200);
    const denied = await getIssue(zhuang.auth, fixtures.sanZone1.id);
    expect(denied.statusCode).toBe(404);
    expect(denied.body).not.toContain(fixtures.sanZone1.description);

    const list = await listAll(zhuang.auth);
    expect(ids(list)).toEqual(
      expect.arrayContaining([fixtures.sanZone2.id, fixtures.sanZone3.id, fixtures.elevZone3.id]),
    );
    expect(new Set(list.map((i) => i.zone))).toEqual(new Set(['zone-2', 'zone-3']));
    expect(list).toHaveLength((await idsInDb(sql`${issuesTable.zone} in ('zone-2', 'zone-3')`)).length);
  });

  test('the elevator line leader reads elevator issues in any zone, not other issues of the zone', async () => {
    expect((await getIssue(zhou.auth, fixtures.elevZone3.id)).statusCode).toBe(200);
    expect((await getIssue(zhou.auth, fixtures.elevEmergencyZone1.id)).statusCode).toBe(200);
    const denied = await getIssue(zhou.auth, fixtures.sanZone3.id);
    expect(denied.statusCode).toBe(404);
    expect(denied.body).not.toContain(fixtures.sanZone3.description);

    const list = await listAll(zhou.auth);
    expect(ids(list).sort()).toEqual([fixtures.elevEmergencyZone1.id, fixtures.elevZone3.id].sort());
  });

  test('the secretary and an admin read everything', async () => {
    const everything = await idsInDb();
    for (const who of [tu, admin]) {
      expect(ids(await listAll(who.auth)).sort()).toEqual(everything);
      for (const issue of [fixtures.sanZone1, fixtures.sanZone2, fixtures.sanZone3, fixtures.elevZone3]) {
        expect((await getIssue(who.auth, issue.id)).statusCode).toBe(200);
      }
    }
  });

  test("a resident's phone filed on their behalf: the owner sees it, the zone inspector sees it masked", async () => {
    const id = fixtures.onBehalf.id;
    expect(fixtures.onBehalf.owner?.key).toBe('wu-wenjie');

    const owner = (await getIssue(wu.auth, id)).json() as IssueDetail;
    expect(owner.reporter).toEqual({ name: '王阿姨', phone: '13812341234' });

    const filer = (await getIssue(zhangNen.auth, id)).json() as IssueDetail;
    expect(filer.reporter.phone).toBe('13812341234');

    const inspectorRes = await getIssue(yang.auth, id);
    expect(inspectorRes.statusCode).toBe(200);
    expect((inspectorRes.json() as IssueDetail).reporter).toEqual({ name: '王阿姨', phone: '138****1234' });
    expect(inspectorRes.body).not.toContain('13812341234');

    const secretary = (await getIssue(tu.auth, id)).json() as IssueDetail;
    expect(secretary.reporter.phone).toBe('138****1234');

    const inspectorList = await listPage(yang.auth, { q: '装修噪声' });
    expect(inspectorList.json().items).toHaveLength(1);
    expect(inspectorList.body).not.toContain('13812341234');
  });
});

describe('bad input writes nothing', () => {
  test('an unknown field → 400 validation_failed naming body.<field>', async () => {
    const res = await expectNothingWritten(() => post(yang.auth, issueBody({ priority: 'high' })));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'body.priority' })]),
    );
    expect(res.json().error.requestId).toEqual(expect.any(String));
  });

  test('a malformed building → 400 naming body.building', async () => {
    const res = await expectNothingWritten(() => post(yang.auth, issueBody({ building: 'x' })));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain('body.building');
  });

  test('a description that is too short → 400 naming body.description', async () => {
    const res = await expectNothingWritten(() => post(yang.auth, issueBody({ description: '脏' })));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain('body.description');
    // Whitespace does not count towards the minimum.
    const padded = await expectNothingWritten(() => post(yang.auth, issueBody({ description: '   脏   ' })));
    expect(padded.statusCode).toBe(400);
  });

  test('a building in no zone → 400 building_not_in_zone that says so', async () => {
    const res = await expectNothingWritten(() => post(yang.auth, issueBody({ building: 999 })));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('building_not_in_zone');
    expect(res.json().error.message).toContain('999');
    expect(res.json().error.message).toContain('不属于任何责任区域');
    expect(res.json().error.details[0].path).toBe('body.building');
  });

  test('building and zone that disagree → 400 building_zone_mismatch', async () => {
    const res = await expectNothingWritten(() =>
      post(yang.auth, issueBody({ building: 12, zone: 'zone-2' })),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('building_zone_mismatch');
    expect(res.json().error.details[0].path).toBe('body.zone');
  });

  test('neither building nor zone → 400 location_required', async () => {
    const res = await expectNothingWritten(() => post(yang.auth, issueBody({ building: undefined })));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('location_required');
  });

  test('an unknown category → 400 unknown_category listing the valid ones', async () => {
    const res = await expectNothingWritten(() => post(yang.auth, issueBody({ category: 'plumbing' })));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('unknown_category');
    expect(res.json().error.message).toContain('sanitation');
    expect(res.json().error.message).toContain('环境卫生');
    expect(res.json().error.details[0].path).toBe('body.category');
  });

  test('an unknown community → 400 unknown_community', async () => {
    const res = await expectNothingWritten(() => post(yang.auth, issueBody({ community: 'nowhere' })));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('unknown_community');
  });

  test('no token, a garbage token, an expired token → 401', async () => {
    const none = await expectNothingWritten(() => post({}, issueBody()));
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('token_missing');

    const garbage = await expectNothingWritten(() =>
      post({ authorization: 'Bearer abc.def.ghi' }, issueBody()),
    );
    expect(garbage.statusCode).toBe(401);
    expect(garbage.json().error.code).toBe('token_invalid');

    const claims = JSON.parse(Buffer.from(yang.accessToken.split('.')[1]!, 'base64url').toString('utf8'));
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expiredToken = signHs256(
      { sub: claims.sub, sid: claims.sid, iss: claims.iss, aud: claims.aud, iat: past - 900, exp: past },
      TEST_SECRET,
    );
    const expired = await expectNothingWritten(() =>
      post({ authorization: `Bearer ${expiredToken}` }, issueBody()),
    );
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('token_expired');
  });

  test('filing in a zone one is not a member of → 403 not_zone_member', async () => {
    const res = await expectNothingWritten(() => post(yang.auth, issueBody({ building: 50 })));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('not_zone_member');
  });

  test('staff asking for the resident_qr channel → 403', async () => {
    const res = await expectNothingWritten(() => post(yang.auth, issueBody({ channel: 'resident_qr' })));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('channel_not_permitted');
    // A channel of another org is refused too: an inspector is not the property company.
    const other = await expectNothingWritten(() =>
      post(yang.auth, issueBody({ channel: 'property_patrol' })),
    );
    expect(other.statusCode).toBe(403);
  });

  test('a body over the 256 KB limit → 413 payload_too_large', async () => {
    const res = await expectNothingWritten(() =>
      post(yang.auth, issueBody({ description: '脏'.repeat(100 * 1024) })),
    );
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  test('malformed JSON → 400 malformed_json', async () => {
    const res = await expectNothingWritten(() =>
      t.app.inject({
        method: 'POST',
        url: '/api/issues',
        headers: { ...yang.auth, 'content-type': 'application/json' },
        payload: '{"community": "xiaduoyuan", "building": 12,',
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('malformed_json');
  });

  test('a photo that does not exist → 400 photo_not_found, and the issue is rolled back', async () => {
    const description = '照片不存在的问题';
    const res = await expectNothingWritten(() =>
      post(yang.auth, issueBody({ description, photoIds: [randomUUID()] })),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('photo_not_found');
    expect(await idsInDb(eq(issuesTable.description, description))).toEqual([]);
  });

  test('one real photo and one missing: nothing is attached and nothing is created; the real photo alone works', async () => {
    const [photo] = await t.db
      .insert(photosTable)
      .values({
        uploaderAccountId: yang.accountId,
        sha256: 'a'.repeat(64),
        mime: 'image/jpeg',
        width: 10,
        height: 10,
        bytes: 100,
      })
      .returning({ id: photosTable.id });
    const photoId = photo!.id;
    const mixed = await expectNothingWritten(() =>
      post(yang.auth, issueBody({ description: '带照片的问题', photoIds: [photoId, randomUUID()] })),
    );
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().error.code).toBe('photo_not_found');
    const [afterMixed] = await t.db.select().from(photosTable).where(eq(photosTable.id, photoId));
    expect(afterMixed?.issueId).toBeNull();

    // Someone else's photo is refused the same way.
    const notMine = await expectNothingWritten(() =>
      post(wu.auth, issueBody({ description: '别人的照片', photoIds: [photoId] })),
    );
    expect(notMine.statusCode).toBe(400);
    expect(notMine.json().error.code).toBe('photo_not_found');

    const ok = await post(yang.auth, issueBody({ description: '带照片的问题', photoIds: [photoId] }));
    expect(ok.statusCode).toBe(201);
    const [attached] = await t.db.select().from(photosTable).where(eq(photosTable.id, photoId));
    expect(attached?.issueId).toBe(ok.json().id);
  });

  test('GET /api/issues/not-a-uuid → 400 naming params.id', async () => {
    const res = await getIssue(admin.auth, 'not-a-uuid');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details[0].path).toBe('params.id');
  });

  test('an unknown route → 404 route_not_found', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/no-such-thing?x=1', headers: admin.auth });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('route_not_found');
    expect(res.json().error.message).toContain('/api/no-such-thing');
    expect(res.json().error.message).not.toContain('x=1');
  });
});

describe('issue_events is append-only', () => {
  /** Drizzle wraps the driver's error; the trigger's message and SQLSTATE are on its cause. */
  async function expectRefused(query: PromiseLike<unknown>) {
    const err = await Promise.resolve(query).then(
      () => null,
      (e: unknown) => e as Error & { cause?: { message?: string; code?: string } },
    );
    expect(err).not.toBeNull();
    expect(err?.cause?.message ?? err?.message).toMatch(/append-only/);
    expect(err?.cause?.code).toBe('23514');
  }

  test('UPDATE and DELETE are refused by the database itself', async () => {
    const id = fixtures.sanZone1.id;
    const before = await t.db.select().from(issueEventsTable).where(eq(issueEventsTable.issueId, id));
    expect(before).toHaveLength(2);

    await expectRefused(t.db.execute(sql`update issue_events set note = 'rewritten' where issue_id = ${id}`));
    await expectRefused(t.db.execute(sql`delete from issue_events where issue_id = ${id}`));
    await expectRefused(t.db.delete(issueEventsTable));

    const after = await t.db.select().from(issueEventsTable).where(eq(issueEventsTable.issueId, id));
    expect(after).toEqual(before);
  });

  test('appending still works', async () => {
    const before = await rowCounts();
    await t.db.insert(issueEventsTable).values({
      issueId: fixtures.sanZone1.id,
      action: 'comment',
      toStatus: 'dispatched',
      actor: 'system',
      note: '追加一条记录',
    });
    expect((await rowCounts()).events).toBe(before.events + 1);
    const timeline = ((await getIssue(wu.auth, fixtures.sanZone1.id)).json() as IssueDetail).events;
    expect(timeline.at(-1)?.note).toBe('追加一条记录');
  });
});

/**
 * `n` more issues in zone 1 (1 % escalated, the rest closed), analysed: with a handful of rows any
 * plan looks cheap.
 */
async function fillZoneForPlans(n: number, codePrefix: string) {
  await t.db.execute(sql`
    insert into issues (community_id, code, zone, category, description, urgency, scope, uses_maintenance_fund,
      touches_shared_parts, multi_org, channel, status, tier, owner, assignees, route, hidden, reopen_count,
      resolve_due_at, created_at, updated_at)
    select (select id from communities where key = ${COMMUNITY}), ${codePrefix} || g, 'zone-1', 'sanitation',
      '计划缓存测试', 'normal', 'building', false, false, false, 'patrol',
      case when g % 100 = 0 then 'escalated' else 'closed' end, 'zone', 'wu-wenjie', '{}', '{}'::jsonb, false, 0,
      now() + interval '9 days', now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
    from generate_series(1, ${n}::int) g`);
  await t.db.execute(sql.raw('analyze issues'));
}

/** The zone-1 leader's service context over `db`. */
const leaderContext = (db: Db) => ({
  db,
  communities: t.communities,
  calendars: t.calendars,
  now: clock.now,
  principal: {
    accountId: wu.accountId,
    sessionId: 'test',
    kind: 'staff' as const,
    displayName: '吴文杰',
    personKey: 'wu-wenjie',
    communityKey: COMMUNITY,
  },
});

(process.env.DATABASE_URL ? describe : describe.skip)("the list statement's plan (PostgreSQL)", () => {
  test('a list without filters is served from a kept (generic) plan; a filtered one is planned per request', async () => {
    await fillZoneForPlans(1000, 'PLAN');
    // One connection, as one of the pool's: its prepared statements and how each was planned.
    const client = postgres(t.databaseUrl!, { max: 1, onnotice: () => {} });
    try {
      const db = drizzle({ client: preparing(client), schema }) as unknown as Db;
      const ctx = leaderContext(db);
      const zone = { community: COMMUNITY, zone: 'zone-1', limit: 20 };
      let first: string[] = [];
      for (let i = 0; i < 10; i++) {
        first = ids((await listIssues(ctx, zone)).items);
        await listIssues(ctx, { ...zone, status: 'escalated' });
      }
      // The kept plan's page is the newest twenty of the zone, as the API answers it.
      expect(first).toEqual(ids((await listPage(wu.auth, zone)).json().items));
      const rows = await client<{ statement: string; generic: number; custom: number }[]>`
        select statement, generic_plans::int as generic, custom_plans::int as custom
        from pg_prepared_statements
        where statement like '%from "issues" where%order by%' and statement not like '%pg_prepared_statements%'`;
      const plain = rows.filter((r) => !r.statement.includes('"status" ='));
      const filtered = rows.filter((r) => r.statement.includes('"status" ='));
      expect(plain.map((r) => r.statement.endsWith('limit 21'))).toEqual([true]);
      // PostgreSQL plans the first five executions for their values, then keeps the generic plan
      // (with `limit $n` it planned all ten).
      expect(plain[0]!.generic).toBeGreaterThanOrEqual(5);
      expect(filtered.map((r) => /limit \$\d+$/.test(r.statement))).toEqual([true]);
    } finally {
      await client.end();
    }
  });
});

(process.env.DATABASE_URL ? describe.skip : describe)("the list statement's plan (PGlite)", () => {
  test('the kept plans of the zone list and of a rare-status list read an index', async () => {
    // PGlite runs drizzle's statements as named prepared statements (db/pglite-named.ts): after
    // five executions PostgreSQL may keep a generic plan; it must still read an index.
    await fillZoneForPlans(5000, 'PGPLAN');
    const sent: { query: string; params: unknown[] }[] = [];
    const client = (t.db as unknown as { $client: Parameters<typeof namedStatements>[0] }).$client;
    const db = drizzlePglite({
      client,
      schema,
      logger: { logQuery: (query, params) => sent.push({ query, params }) },
    }) as unknown as Db;
    const ctx = leaderContext(db);
    const zone = { community: COMMUNITY, zone: 'zone-1', limit: 20 };
    const plans: Record<string, string> = {};
    const literal = (v: unknown) =>
      typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : String(v as number | boolean);
    for (const [label, q] of [
      ['zone', zone],
      ['escalated', { ...zone, status: 'escalated' as const }],
    ] as const) {
      for (let i = 0; i < 10; i++) await listIssues(ctx, q);
      const { query, params } = sent.at(-1)!;
      const named = (
        (await t.db.execute(
          sql`select name, generic_plans::int as generic from pg_prepared_statements where statement = ${query}`,
        )) as unknown as { rows: { name: string; generic: number }[] }
      ).rows;
      if (label === 'zone') {
        // a named statement: EXPLAIN EXECUTE shows the plan its next execution gets (the kept
        // generic one by now); its arguments as literals (a utility statement takes no parameters)
        expect(named).toHaveLength(1);
        plans[label] = (
          await client.query<{ 'QUERY PLAN': string }>(
            `explain execute ${named[0]!.name}(${params.map(literal).join(', ')})`,
          )
        ).rows
          .map((r) => r['QUERY PLAN'])
          .join('\n');
      } else {
        // `limit $n`: not kept, planned for its values on every call
        expect(named).toEqual([]);
        plans[label] = (await client.query<{ 'QUERY PLAN': string }>(`explain ${query}`, params)).rows
          .map((r) => r['QUERY PLAN'])
          .join('\n');
      }
    }
    expect(plans.zone).toMatch(/Index Scan using issues_zone_created/);
    // a rare status is read through the (community, status) index, not by walking the zone
    expect(plans.escalated).toMatch(/issues_community_status/);
    expect(`${plans.zone}\n${plans.escalated}`).not.toMatch(/Seq Scan on issues/);
  });
});
