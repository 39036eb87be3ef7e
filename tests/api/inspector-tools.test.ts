/**
 * Inspector tools (issue 18, item 5): a scanned building code opens that building's open issues
 * (GET /api/issues?building=&open=true), and a patrol report may carry an optional location pin
 * (validated ranges; stored on the issue, shown on its detail; never required).
 */
import type { IssueDetail, IssuePage } from '@gongzhi/domain';
import { sql } from 'drizzle-orm';
import { issuesTable } from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { complain, type Session } from '../helpers/issue-flow';

let t: TestApp;
let yang: Session;
beforeAll(async () => {
  t = await buildTestApp();
  yang = await t.loginAs('yang-chenyi'); // grid inspector of zone 1 (buildings 1–42)
});
afterAll(() => t.close());

const report = (payload: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: '/api/issues',
    headers: yang.auth,
    payload: { community: 'xiaduoyuan', category: 'sanitation', description: '巡查发现垃圾堆放', ...payload },
  });
const issueCount = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(issuesTable))[0]!.n;
const list = (qs: string) =>
  t.app.inject({ url: `/api/issues?community=xiaduoyuan&${qs}`, headers: yang.auth });

describe('the optional location pin', () => {
  it('is stored with the report and shown on the issue', async () => {
    const r = await report({ building: 12, location: { lat: 31.2304, lng: 121.4737 } });
    expect(r.statusCode).toBe(201);
    const issue = r.json() as IssueDetail;
    expect(issue.location).toEqual({ lat: 31.2304, lng: 121.4737 });
    const again = await t.app.inject({ url: `/api/issues/${issue.id}`, headers: yang.auth });
    expect((again.json() as IssueDetail).location).toEqual({ lat: 31.2304, lng: 121.4737 });
  });

  it('is never required: a report without one has none', async () => {
    const r = await report({ building: 13 });
    expect(r.statusCode).toBe(201);
    expect((r.json() as IssueDetail).location).toBeNull();
  });

  it.each([
    [{ lat: 91, lng: 121 }, 'body.location.lat', /纬度/],
    [{ lat: -90.5, lng: 121 }, 'body.location.lat', /纬度/],
    [{ lat: 31, lng: 180.1 }, 'body.location.lng', /经度/],
    [{ lat: 31, lng: '121' }, 'body.location.lng', /./],
    [{ lat: 31 }, 'body.location.lng', /./],
    [{ lat: 31, lng: 121, alt: 5 }, 'body.location.alt', /不允许/],
  ])('refuses %j with 400 at its field and writes nothing', async (location, path, message) => {
    const before = await issueCount();
    const r = await report({ building: 14, location });
    expect(r.statusCode).toBe(400);
    const err = r.json().error;
    expect(err.code).toBe('validation_failed');
    expect(err.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]),
    );
    expect(await issueCount()).toBe(before);
  });
});

describe("a building's open issues (查看未办结)", () => {
  it('lists only that building, and with open=true only what is not concluded', async () => {
    const a = await complain(t, 21, '21号楼门口垃圾没人清');
    await complain(t, 21, '21号楼楼道灯坏了');
    await complain(t, 22, '22号楼门口垃圾没人清');
    // One of building 21's is rejected by the zone leader's desk: concluded.
    const [row] = await t.db
      .select({ id: issuesTable.id })
      .from(issuesTable)
      .where(sql`${issuesTable.code} = ${a.trackingCode}`);
    const leader = await t.loginAs('wu-wenjie');
    const rejected = await t.app.inject({
      method: 'POST',
      url: `/api/issues/${row!.id}/reject`,
      headers: leader.auth,
      payload: { reason: '重复反映，已合并处理' },
    });
    expect(rejected.statusCode).toBe(200);

    const all21 = (await list('building=21')).json() as IssuePage;
    expect(all21.items.map((i) => i.building)).toEqual([21, 21]);
    const open21 = (await list('building=21&open=true')).json() as IssuePage;
    expect(open21.items.map((i) => i.description)).toEqual(['21号楼楼道灯坏了']);
    const open22 = (await list('building=22&open=true')).json() as IssuePage;
    expect(open22.items.map((i) => i.description)).toEqual(['22号楼门口垃圾没人清']);
    const closedToo = (await list('building=21&open=false')).json() as IssuePage;
    expect(closedToo.items).toHaveLength(2);
  });

  it.each([
    ['building=abc', 'querystring.building'],
    ['building=0', 'querystring.building'],
    ['building=1.5', 'querystring.building'],
    ['open=yes', 'querystring.open'],
  ])('refuses %s with 400 at %s', async (qs, path) => {
    const r = await list(qs);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details[0].path).toBe(path);
  });
});
