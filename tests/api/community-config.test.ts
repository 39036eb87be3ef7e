import type { CommunityPeopleView, ConfigEditResult, ConfigVersionPage, TaskPage } from '@gongzhi/domain';
import { and, eq, sql } from 'drizzle-orm';
import { configVersionsTable, peopleTable } from '../../apps/api/src/db/schema';
import { createAccount } from '../../apps/api/src/services/accounts/create-account';
import { communityId } from '../../apps/api/src/services/communities/community-id';
import { readCommunityConfigFiles } from '../../apps/api/src/services/communities/load-community-configs';
import { loadCommunityVersions } from '../../apps/api/src/services/communities/load-community-versions';
import {
  servedVersion,
  startConfigRefresh,
} from '../../apps/api/src/services/communities/refresh-community-configs';
import { buildTestApp, CONFIG_DIR, PASSWORD, type TestApp } from '../helpers/build-app';
import { complain, issueById, issueIdOf, type Session } from '../helpers/issue-flow';

jest.setTimeout(120_000);

const URL_EDIT = '/api/admin/communities/xiaduoyuan/config-versions';
const SUCCESSOR = { op: 'addPerson', key: 'wang-fang', name: '王芳', phone: '13900001111' } as const;

/** The 张丽芬 → 王芳 succession in one change: a new person, the zone-1 property seat moves, she leaves. */
const SUCCESSION = [
  SUCCESSOR,
  { op: 'addZoneMember', zone: 'zone-1', person: 'wang-fang', org: 'property' },
  { op: 'removeZoneMember', zone: 'zone-1', person: 'zhang-lifen', org: 'property' },
  { op: 'deactivatePerson', person: 'zhang-lifen' },
];

let t: TestApp;
let admin: Session;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await t.loginAs('admin');
});
afterAll(async () => {
  await t?.close();
});

const versionCount = async () =>
  (await t.db.select({ n: sql<number>`count(*)::int` }).from(configVersionsTable))[0]!.n;

const edit = (payload: unknown, auth = admin.auth, url = URL_EDIT) =>
  t.app.inject({ method: 'POST', url, headers: auth, payload: payload as object });

async function tasksOf(s: Session) {
  const r = await t.app.inject({
    url: '/api/tasks?community=xiaduoyuan&view=mine&status=active',
    headers: s.auth,
  });
  expect(r.statusCode).toBe(200);
  return (r.json() as TaskPage).items;
}

describe('people and roles edited at run time as configuration versions', () => {
  it('the first start made version 1 from the YAML file', async () => {
    const r = await t.app.inject({ url: '/api/admin/communities', headers: admin.auth });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual([{ key: 'xiaduoyuan', name: '夏朵园居民区', version: 1 }]);
    const page = await t.app.inject({ url: `${URL_EDIT}`, headers: admin.auth });
    const v1 = (page.json() as ConfigVersionPage).items[0]!;
    expect(v1).toMatchObject({
      version: 1,
      source: 'yaml',
      author: null,
      reason: '由配置文件 xiaduoyuan.yaml 创建',
    });
    expect(v1.diff[0]!.text).toMatch(/^新建小区 夏朵园居民区：\d+ 名人员/);
  });

  it('refuses, writing nothing: no login 401, not an administrator 403, unknown community 404, bad body 400', async () => {
    const before = await versionCount();
    const body = { baseVersion: 1, reason: '人员变动', changes: [SUCCESSOR] };
    expect((await t.app.inject({ method: 'POST', url: URL_EDIT, payload: body })).statusCode).toBe(401);

    const staff = await t.loginAs('wu-wenjie');
    const forbidden = await edit(body, staff.auth);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('admin_only');
    expect((await t.app.inject({ url: URL_EDIT, headers: staff.auth })).statusCode).toBe(403);
    expect(
      (await t.app.inject({ url: '/api/admin/communities/xiaduoyuan/people', headers: staff.auth }))
        .statusCode,
    ).toBe(403);

    const missing = await edit(body, admin.auth, '/api/admin/communities/nowhere/config-versions');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('community_not_found');

    const cases: [unknown, string][] = [
      [{ baseVersion: 1, changes: [SUCCESSOR] }, 'body.reason'],
      [{ baseVersion: 1, reason: '人员变动', changes: [] }, 'body.changes'],
      [
        { baseVersion: 1, reason: '人员变动', changes: [{ op: 'renameZone', zone: 'zone-1' }] },
        'body.changes.0.op',
      ],
      [
        { baseVersion: 1, reason: '人员变动', changes: [{ ...SUCCESSOR, phone: '12345' }] },
        'body.changes.0.phone',
      ],
      [
        { baseVersion: 1, reason: '人员变动', changes: [{ ...SUCCESSOR, key: 'Wang Fang' }] },
        'body.changes.0.key',
      ],
      [{ baseVersion: 0, reason: '人员变动', changes: [SUCCESSOR] }, 'body.baseVersion'],
      [{ ...body, extra: true }, 'body.extra'],
    ];
    for (const [payload, path] of cases) {
      const r = await edit(payload);
      expect(r.statusCode).toBe(400);
      const error = r.json().error;
      expect(error.code).toBe('validation_failed');
      expect(error.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(await versionCount()).toBe(before);
  });

  it('a change the validator refuses is 422 listing every problem with path and values, and changes nothing', async () => {
    const before = await versionCount();
    // She leaves while still holding zone 1's property seat, and the elevator line goes to nobody.
    const r = await edit({
      baseVersion: 1,
      reason: '人员变动',
      changes: [
        { op: 'deactivatePerson', person: 'zhang-lifen' },
        { op: 'setLineLeader', line: 'elevator', person: 'nobody' },
        { op: 'setZoneLeader', zone: 'zone-2', person: 'zhang-nen' },
      ],
    });
    expect(r.statusCode).toBe(422);
    const error = r.json().error;
    expect(error.code).toBe('config_invalid');
    expect(error.details).toEqual(
      expect.arrayContaining([
        {
          path: 'zones[0].members[3].person',
          message: '人员 "zhang-lifen"（张丽芬）已停用，不能担任任何职务：请先改由他人担任',
          values: { person: 'zhang-lifen' },
        },
        {
          path: 'lines[0].leader',
          message: '引用了未定义的人员 "nobody"：请先在 people 中定义',
          values: { person: 'nobody' },
        },
      ]),
    );
    expect(error.details).toHaveLength(2);

    // What cannot even be applied is named by its place in the request.
    const absent = await edit({
      baseVersion: 1,
      reason: '人员变动',
      changes: [
        { op: 'removeZoneMember', zone: 'zone-1', person: 'zhang-lifen', org: 'grid' },
        { op: 'addZoneMember', zone: 'zone-9', person: 'zhang-lifen', org: 'grid' },
      ],
    });
    expect(absent.statusCode).toBe(422);
    expect(absent.json().error.details.map((d: { path: string }) => d.path)).toEqual([
      'changes[0]',
      'changes[1].zone',
    ]);
    // The same leader again is no change at all.
    const same = await edit({
      baseVersion: 1,
      reason: '人员变动',
      changes: [{ op: 'setZoneLeader', zone: 'zone-1', person: 'wu-wenjie' }],
    });
    expect(same.statusCode).toBe(422);
    expect(same.json().error.code).toBe('config_unchanged');

    expect(await versionCount()).toBe(before);
    expect(servedVersion(t.communities, 'xiaduoyuan')).toBe(1);
    expect(t.communities.get('xiaduoyuan')!.people.get('zhang-lifen')!.active).toBe(true);
  });

  it("张丽芬's successor: the administrator's change is version 2 with its reason and diff; the next zone-1 task goes to her", async () => {
    // Before: a zone-1 complaint goes to 张丽芬.
    const zhang = await t.loginAs('zhang-lifen');
    const old = await complain(t, 5, '5号楼门口垃圾堆放');
    const oldId = await issueIdOf(t, old.trackingCode);
    expect((await tasksOf(zhang)).map((x) => x.issueId)).toContain(oldId);

    const r = await edit({
      baseVersion: 1,
      reason: '张丽芬调离，王芳接任第一责任区域物业专员',
      changes: SUCCESSION,
    });
    expect(r.statusCode).toBe(201);
    const result = r.json() as ConfigEditResult;
    expect(result.version).toMatchObject({
      version: 2,
      source: 'app',
      author: '管理员',
      reason: '张丽芬调离，王芳接任第一责任区域物业专员',
    });
    expect(result.version.diff.map((d) => d.text)).toEqual([
      '停用人员 张丽芬（已离任，历史记录保留）',
      '新增人员 王芳（wang-fang），电话 13900001111',
      '第一责任区域：新增成员 王芳（物业公司）',
      '第一责任区域：移除成员 张丽芬（物业公司）',
    ]);
    expect(result.community.people.find((p) => p.key === 'zhang-lifen')).toMatchObject({
      active: false,
      roles: [],
    });
    expect(result.community.people.find((p) => p.key === 'wang-fang')!.roles).toEqual([
      '第一责任区域 · 物业公司',
    ]);

    // A second edit based on version 1 is stale now.
    const stale = await edit({
      baseVersion: 1,
      reason: '另一处修改',
      changes: [{ op: 'setSecretary', person: 'wen-liang' }],
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'config_version_stale' });
    expect(await versionCount()).toBe(2);

    // The tables mirror version 2: she is inactive, not deleted.
    const cid = await communityId(t.db, 'xiaduoyuan');
    const [row] = await t.db
      .select({ active: peopleTable.active, name: peopleTable.name })
      .from(peopleTable)
      .where(and(eq(peopleTable.communityId, cid), eq(peopleTable.key, 'zhang-lifen')));
    expect(row).toEqual({ active: false, name: '张丽芬' });

    // An account for the successor (the accounts API comes with issue 13 item 1), then the next task.
    const phone = '13900001111';
    await createAccount(t.db, {
      kind: 'staff',
      phone,
      password: PASSWORD,
      displayName: '王芳',
      person: { community: 'xiaduoyuan', key: 'wang-fang' },
    });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone, password: PASSWORD },
      remoteAddress: '10.251.0.1',
    });
    expect(login.statusCode).toBe(200);
    const wang = { auth: { authorization: `Bearer ${login.json().accessToken}` } } as Session;
    const next = await complain(t, 7, '7号楼绿化带杂草丛生');
    const nextId = await issueIdOf(t, next.trackingCode);
    expect((await tasksOf(wang)).map((x) => x.issueId)).toEqual([nextId]);

    // History is not rewritten: the earlier issue still names 张丽芬 as its assignee.
    const earlier = await issueById(t, admin, oldId);
    expect(earlier.tasks.map((x) => x.assignee)).toContainEqual({ key: 'zhang-lifen', name: '张丽芬' });
  });

  it('lists versions newest first with their diffs, page by page', async () => {
    const r = await t.app.inject({ url: `${URL_EDIT}?limit=1`, headers: admin.auth });
    expect(r.statusCode).toBe(200);
    const page = r.json() as ConfigVersionPage;
    expect(page.items.map((v) => v.version)).toEqual([2]);
    expect(page.nextBefore).toBe(2);
    const older = (
      await t.app.inject({ url: `${URL_EDIT}?before=2`, headers: admin.auth })
    ).json() as ConfigVersionPage;
    expect(older.items.map((v) => v.version)).toEqual([1]);
    expect(older.nextBefore).toBeNull();
    const bad = await t.app.inject({ url: `${URL_EDIT}?limit=500`, headers: admin.auth });
    expect(bad.statusCode).toBe(400);

    const people = (
      await t.app.inject({ url: '/api/admin/communities/xiaduoyuan/people', headers: admin.auth })
    ).json() as CommunityPeopleView;
    expect(people.version).toBe(2);
    expect(people.zones[0]!.members.map((m) => m.key)).toEqual([
      'zhang-nen',
      'li-yongkang',
      'yang-chenyi',
      'wang-fang',
    ]);
  });

  it('the database refuses to change or delete a version', async () => {
    await expect(
      t.db.update(configVersionsTable).set({ reason: 'rewritten' }).where(eq(configVersionsTable.version, 1)),
    ).rejects.toThrow();
    await expect(t.db.delete(configVersionsTable)).rejects.toThrow();
    expect(await versionCount()).toBe(2);
  });

  it('another instance (its own communities Map on the same database) serves a new version on its next poll', async () => {
    const elsewhere = (await loadCommunityVersions(t.db, [])).communities;
    expect(servedVersion(elsewhere, 'xiaduoyuan')).toBe(2);
    const stop = startConfigRefresh({
      db: t.db,
      communities: elsewhere,
      intervalMs: 20,
      log: { info: () => {}, error: () => {} },
    });
    try {
      const r = await edit({
        baseVersion: 2,
        reason: '王芳公开联系电话',
        changes: [{ op: 'updatePerson', person: 'wang-fang', showContact: true }],
      });
      expect(r.statusCode).toBe(201);
      // Waits for the timer, however long the machine takes; asserts what it served, not when.
      while (servedVersion(elsewhere, 'xiaduoyuan') < 3) await new Promise((ok) => setTimeout(ok, 20));
      expect(elsewhere.get('xiaduoyuan')!.people.get('wang-fang')!.showContact).toBe(true);
    } finally {
      stop();
    }
  });

  it('the start rule: the database wins over an unchanged file; a changed file is a new version, checked the same way', async () => {
    const files = readCommunityConfigFiles(CONFIG_DIR);
    // Unchanged file: the runtime edits survive the restart.
    const restarted = await loadCommunityVersions(t.db, files);
    expect(restarted.imported).toEqual([]);
    expect(servedVersion(restarted.communities, 'xiaduoyuan')).toBe(3);
    expect(restarted.communities.get('xiaduoyuan')!.people.get('wang-fang')!.name).toBe('王芳');

    // A file edited without the people added in the app would drop 王芳: refused, naming her.
    const edited = files.map((f) => ({ ...f, text: `${f.text}\n# edited\n` }));
    await expect(loadCommunityVersions(t.db, edited)).rejects.toThrow(
      /xiaduoyuan\.yaml: people: 人员 "wang-fang"（王芳）不能从配置中删除/,
    );
    expect(await versionCount()).toBe(3);

    // Edited from the exported latest version, the file is imported as version 4.
    const latest = restarted.communities.get('xiaduoyuan')!;
    const config = structuredClone(latest.config);
    config.people.find((p) => p.key === 'wang-fang')!.name = '王芳芳';
    const { validateCommunityConfig } = await import('@gongzhi/domain');
    const v = validateCommunityConfig(config);
    if (!v.ok) throw new Error('invalid');
    const again = await loadCommunityVersions(t.db, [{ ...files[0]!, text: 'v4', community: v.community }]);
    expect(again.imported).toEqual([expect.objectContaining({ key: 'xiaduoyuan', version: 4 })]);
    const page = (
      await t.app.inject({ url: `${URL_EDIT}?limit=1`, headers: admin.auth })
    ).json() as ConfigVersionPage;
    expect(page.items[0]).toMatchObject({
      version: 4,
      source: 'yaml',
      reason: '配置文件 xiaduoyuan.yaml 已修改，重新导入',
      diff: [expect.objectContaining({ text: '人员改名：王芳 → 王芳芳' })],
    });
  });
});

// Two API processes on one PostgreSQL database: the change made through A reaches B without a restart.
(process.env.DATABASE_URL ? describe : describe.skip)('two instances on one PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await buildTestApp();
    b = await buildTestApp({ databaseUrl: a.databaseUrl });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it("an administrator on A hands 张丽芬's zone-1 seat to her successor; B's next zone-1 task goes to the successor", async () => {
    const adminA = await a.loginAs('admin');
    const r = await a.app.inject({
      method: 'POST',
      url: URL_EDIT,
      headers: adminA.auth,
      payload: { baseVersion: 1, reason: '张丽芬调离，王芳接任', changes: SUCCESSION },
    });
    expect(r.statusCode).toBe(201);
    expect(servedVersion(b.communities, 'xiaduoyuan')).toBe(1);

    // The administrator gives the successor an account in the app (on A), with a one-time password.
    const account = await a.app.inject({
      method: 'POST',
      url: '/api/admin/accounts',
      headers: adminA.auth,
      payload: { community: 'xiaduoyuan', person: 'wang-fang', phone: '13900002222' },
    });
    expect(account.statusCode).toBe(201);
    const oneTime = account.json().oneTimePassword as string;
    // B's poll (the CONFIG_REFRESH_MS timer's one pass).
    expect(await b.refreshConfig()).toEqual(['xiaduoyuan']);
    const received = await complain(b, 12, '12号楼楼道堆物');
    // 王芳 signs in on B, sets her own password as the one-time password requires, and signs in again.
    const signIn = (password: string, n: number) =>
      b.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { phone: '13900002222', password },
        remoteAddress: `10.251.0.${n}`,
      });
    const first = await signIn(oneTime, 2);
    expect(first.statusCode).toBe(200);
    const changed = await b.app.inject({
      method: 'POST',
      url: '/api/me/password',
      headers: { authorization: `Bearer ${first.json().accessToken}` },
      payload: { oldPassword: oneTime, newPassword: 'Wang-Fang-2026-Zone1!' },
    });
    expect(changed.statusCode).toBeLessThan(300);
    const login = await signIn('Wang-Fang-2026-Zone1!', 3);
    expect(login.statusCode).toBe(200);
    const tasks = await b.app.inject({
      url: '/api/tasks?community=xiaduoyuan&view=mine&status=active',
      headers: { authorization: `Bearer ${login.json().accessToken}` },
    });
    const items = (tasks.json() as TaskPage).items;
    expect(items).toHaveLength(1);
    expect(items[0]!.issueCode).toBe(received.trackingCode);
  });
});
