import { sql } from 'drizzle-orm';
import { issuesTable } from '../../apps/api/src/db/schema';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { serializeError } from '../../apps/api/src/lib/safe-error';
import { buildTestApp, TEST_QR_SECRET, type TestApp } from '../helpers/build-app';

/** The named cases of issue 15: NUL in text and paths, crafted cursors, values in database errors. */
let t: TestApp;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await buildTestApp();
  admin = (await t.loginAs('admin')).auth;
});
afterAll(() => t.close());

const issueCount = async () =>
  ((await t.db.select({ n: sql<number>`count(*)::int` }).from(issuesTable)) as [{ n: number }])[0].n;
let addr = 0;
const qr = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 12 });

describe('control characters never reach the database', () => {
  test.each([
    ['NUL in the description', { description: '垃圾\u0000堆放' }, 'body.description', '不能包含控制字符'],
    // The guard (before the schema) finds the NUL; the spot's own schema, a single line, the line break.
    ['NUL in the spot', { spot: '3单元\u0000门口' }, 'body.spot', '不能包含控制字符'],
    ['a line break in the spot', { spot: '3单元\n门口' }, 'body.spot', '不能包含换行或控制字符'],
    ['a C1 control', { description: '垃圾\u0085堆放' }, 'body.description', '不能包含控制字符'],
    [
      'a lone surrogate',
      { description: '垃圾\ud800堆放' },
      'body.description',
      '包含无效的字符（不完整的 Unicode 编码）',
    ],
    ['NUL in a key', { 'a\u0000b': 1 }, 'body.a\u0000b', '字段名不能包含换行或控制字符'],
    ['a huge string', { description: '长'.repeat(10_001) }, 'body.description', '最多 10000 个字符'],
  ])(
    'the anonymous complaint with %s: 400 at its path, nothing written',
    async (_n, change, path, message) => {
      const before = await issueCount();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/complaints',
        remoteAddress: `10.31.0.${++addr}`,
        payload: { qr, category: 'sanitation', description: '楼道堆放杂物', ...change },
      });
      expect(res.statusCode).toBe(400);
      const error = res.json().error;
      expect(error.code).toBe('validation_failed');
      expect(error.details[0]).toEqual({ path, message });
      expect(error.message).toMatch(/^请求内容有误：/);
      expect(await issueCount()).toBe(before);
    },
  );

  test('line breaks and tabs are kept in free text', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      remoteAddress: `10.31.0.${++addr}`,
      payload: { qr, category: 'sanitation', description: '第一行\n\t第二行' },
    });
    expect(res.statusCode).toBe(201);
  });

  test.each([
    ['/api/complaints/ABCD%00EF', 'params.code'],
    ['/api/communities/xiaduoyuan%00', 'params.key'],
    ['/api/issues?community=xiaduoyuan&q=a%00b', 'querystring.q'],
    ['/api/issues?community=xiaduoyuan&q=a%0Ab', 'querystring.q'],
  ])('%s → 400 at %s', async (url, path) => {
    const res = await t.app.inject({ url, headers: { ...admin, 'x-tracking-secret': 'x'.repeat(20) } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe(path);
  });

  test('a declared header with a control character is refused too', async () => {
    const res = await t.app.inject({
      url: '/api/complaints/ABCDEFGH',
      headers: { 'x-tracking-secret': 'abcdefghij\u0085k' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('headers.x-tracking-secret');
  });
});

describe('crafted cursors are 400 on every paginated list', () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const cursors = [
    b64(['2026-01-01T00:00:00.000Z', '------------------------------------']),
    b64(['+275760-09-13T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']),
    b64(['2026-02-30T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']),
    b64(['2026-01-01T00:00:00.000Z', 1]),
    b64({ at: 1 }),
    'bm90IGpzb24',
    'ABCD%00EF',
  ];
  const lists = [
    '/api/issues?community=xiaduoyuan',
    '/api/tasks?community=xiaduoyuan',
    '/api/me/notifications?',
    '/api/letters?community=xiaduoyuan',
    '/api/communities/xiaduoyuan/duty/log?',
    '/api/zone-meetings?community=xiaduoyuan',
    '/api/joint-meetings?community=xiaduoyuan',
    '/api/resolutions?community=xiaduoyuan',
    '/api/communities/xiaduoyuan/notices?',
    '/api/notices?community=xiaduoyuan',
    '/api/home-requests?community=xiaduoyuan',
  ];
  test.each(lists)('%s', async (list) => {
    for (const cursor of cursors) {
      const res = await t.app.inject({ url: `${list}&cursor=${cursor}`, headers: admin });
      expect([res.statusCode, res.json().error?.details?.[0]?.path]).toEqual([400, 'querystring.cursor']);
    }
  });
});

test('a database error is logged with its statement and SQLSTATE, never its values', async () => {
  const phone = '13912345678';
  const err = await t.db.execute(sql`select ${phone}::uuid, ${'王阿姨'}::text`).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).toContain(phone); // what used to be logged
  const logged = JSON.stringify(serializeError(err));
  expect(logged).not.toContain(phone);
  expect(logged).not.toContain('王阿姨');
  expect(logged).toContain('$1::uuid');
  expect(logged).toContain('22P02');
});
