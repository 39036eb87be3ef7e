import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { buildTestApp, PASSWORD, TEST_QR_SECRET, type TestApp, testClock } from '../helpers/build-app';
import { SEED_TIMEOUT, seedDemoQuarter } from '../helpers/demo-quarter';
import { multipartBody, smallJpeg } from '../helpers/multipart';

/**
 * No secret in clear at rest (issue 15, item 3; docs/security.md "Secrets at rest"): a quarter lived
 * through the API, then every other way the product hands out a secret — an anonymous upload and
 * complaint (replayed by its Idempotency-Key), a WeChat resident, refreshed sessions, a duty calendar
 * feed, evaluation codes, an account with a one-time password changed by its owner, an archive
 * download link. Every answer the app gave is read for secrets; then every table of the database is
 * read in full, as text, and none of them — nor its base64, base64url or hex spelling — may appear.
 */
let t: TestApp;
const clock = testClock(new Date('2026-06-20T02:00:00Z'));
const Q3_START = new Date('2026-06-30T16:00:00Z');

/** Every secret handed out, with the kind it is (so the test fails if a kind was never collected). */
const secrets = new Map<string, string>();
/** The anonymous complaint's tracking code: kept in clear, so the scan must find it. */
let trackingCode: string;
const remember = (kind: string, value: unknown) => {
  if (typeof value === 'string' && value.length >= 8) secrets.set(value, kind);
};

/** The keys of an answer that hold a secret, and where a secret hides in a URL. */
const SECRET_KEYS: Record<string, string> = {
  accessToken: 'access token',
  refreshToken: 'refresh token',
  uploadToken: 'upload token',
  secret: 'tracking secret',
  oneTimePassword: 'one-time password',
};
const IN_URLS: [RegExp, string][] = [
  [/[?&](?:token|uploadToken)=([^&#"\s]+)/g, 'link token'],
  [/\/feeds\/([A-Za-z0-9_-]+)\.ics/g, 'calendar feed token'],
];

/** Reads an answer (JSON or text) for secrets. */
function collect(value: unknown, key = '') {
  if (typeof value === 'string') {
    if (SECRET_KEYS[key]) remember(SECRET_KEYS[key]!, value);
    for (const [re, kind] of IN_URLS)
      for (const m of value.matchAll(re)) remember(kind, decodeURIComponent(m[1]!));
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, key);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      // Evaluation codes: { codes: [{ household, code }] }.
      if (k === 'codes' && Array.isArray(v))
        for (const c of v) remember('evaluation code', (c as { code?: unknown }).code);
      collect(v, k);
    }
  }
}

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  // Every answer the app gives in this suite passes through here and is read for secrets.
  type Inject = (opts: object) => Promise<Awaited<ReturnType<TestApp['app']['inject']>>>;
  const inject = t.app.inject.bind(t.app) as unknown as Inject;
  t.app.inject = (async (opts: object) => {
    const res = await inject(opts);
    const type = String(res.headers['content-type'] ?? '');
    if (type.includes('json')) {
      try {
        collect(res.json());
      } catch {
        // not JSON after all
      }
    } else if (type.includes('text')) collect(res.body);
    return res;
  }) as typeof t.app.inject;

  await seedDemoQuarter(t, clock, Q3_START, () => t.runFollowUp());
  clock.set(new Date('2026-10-09T02:00:00Z'));

  const call = async (
    auth: Record<string, string>,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
    status = 200,
    extra: Record<string, string> = {},
  ) => {
    const r = await t.app.inject({
      method,
      url,
      headers: { ...auth, ...extra },
      remoteAddress: `10.60.0.${secrets.size % 250}`,
      ...(payload ? { payload } : {}),
    });
    if (r.statusCode !== status) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
    return (r.body ? r.json() : {}) as Record<string, unknown>;
  };

  // A resident without an account: an anonymous photo (upload token), then the complaint (tracking
  // secret), sent twice with one Idempotency-Key as a flaky network would — the replay is sealed.
  const { payload, headers } = multipartBody([
    { filename: 'photo.jpg', contentType: 'image/jpeg', data: await smallJpeg('#c84') },
  ]);
  const up = await t.app.inject({
    method: 'POST',
    url: '/api/photos',
    payload,
    headers,
    remoteAddress: '10.61.0.1',
  });
  expect(up.statusCode).toBe(201);
  const photo = (up.json() as { photos: { id: string; uploadToken: string }[] }).photos[0]!;
  const complaint = {
    qr: signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 12 }),
    category: 'sanitation',
    description: '单元门口垃圾堆了三天',
    phone: '13912345678',
    photos: [{ id: photo.id, uploadToken: photo.uploadToken }],
  };
  const key = { 'idempotency-key': 'f1d2e3c4-0000-4000-8000-000000000001' };
  const first = await call({}, 'POST', '/api/complaints', complaint, 201, key);
  const replay = await call({}, 'POST', '/api/complaints', complaint, 201, key);
  expect(replay.secret).toBe(first.secret);
  trackingCode = String(first.trackingCode);
  await call({}, 'GET', `/api/complaints/${first.trackingCode}`, undefined, 200, {
    'x-tracking-secret': String(first.secret),
  });

  // A WeChat resident (the demo path: no wx.login in tests) and a refreshed staff session.
  const resident = await call({}, 'POST', '/api/auth/dev-resident');
  await call({}, 'POST', '/api/auth/refresh', { refreshToken: resident.refreshToken });
  const secretary = await t.loginAs('tu-zhongmei');
  await call({}, 'POST', '/api/auth/refresh', { refreshToken: secretary.refreshToken });

  // A duty calendar feed, read by a calendar app with only its URL.
  const feed = await call(secretary.auth, 'GET', '/api/me/duty-feed');
  const feedPath = new URL(String(feed.url)).pathname;
  expect((await t.app.inject({ url: feedPath })).statusCode).toBe(200);

  // Evaluation codes for two households, one of them checked by its resident.
  const leader = await t.loginAs('wen-liang');
  const campaign = await call(
    leader.auth,
    'POST',
    '/api/evaluations',
    { community: 'xiaduoyuan', quarter: '2026Q4' },
    201,
  );
  const batch = await call(
    leader.auth,
    'POST',
    `/api/evaluations/${campaign.id}/codes`,
    { households: [{ building: 12, rooms: ['101', '102'] }] },
    201,
  );
  await call(leader.auth, 'POST', `/api/evaluations/${campaign.id}/open`, {});
  const [code] = batch.codes as { code: string }[];
  await call({}, 'POST', '/api/evaluation-codes/check', { code: code!.code });

  // An administrator creates an account; its owner signs in with the one-time password and changes it.
  const admin = await t.loginAs('admin');
  const created = await call(
    admin.auth,
    'POST',
    '/api/admin/accounts',
    { community: 'xiaduoyuan', person: 'lou-jiaying', phone: '13700009999' },
    201,
  );
  const signedIn = await call({}, 'POST', '/api/auth/login', {
    phone: '13700009999',
    password: created.oneTimePassword,
  });
  remember('chosen password', 'Lou-jia-2026-new');
  await call(
    { authorization: `Bearer ${signedIn.accessToken}` },
    'POST',
    '/api/me/password',
    { oldPassword: created.oneTimePassword, newPassword: 'Lou-jia-2026-new' },
    204,
  );

  // The quarter is archived; a download link is handed out and used.
  const archive = await call(
    secretary.auth,
    'POST',
    '/api/communities/xiaduoyuan/archives',
    { quarter: '2026Q3', allowOpenIssues: true },
    201,
  );
  const link = await call(secretary.auth, 'POST', `/api/archives/${archive.id}/link`);
  const viaLink = await t.app.inject({ url: String(link.url).replace('http://localhost:3000', '') });
  expect(viaLink.statusCode).toBe(200);
  remember('password', PASSWORD);
}, SEED_TIMEOUT + 120_000);

afterAll(async () => {
  await t?.close();
});

test('the story handed out every kind of secret', () => {
  expect(new Set(secrets.values())).toEqual(
    new Set([
      'access token',
      'refresh token',
      'upload token',
      'tracking secret',
      'one-time password',
      'chosen password',
      'password',
      'calendar feed token',
      'link token',
      'evaluation code',
    ]),
  );
});

/** Every row of every table of the public schema, as PostgreSQL prints it (bytea as hex). */
async function dumpEveryTable(): Promise<Map<string, string[]>> {
  const tables = await rowsOf<{ name: string }>(
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const dump = new Map<string, string[]>();
  for (const { name } of tables) {
    const rows = await rowsOf<{ row: string }>(sql.raw(`select t::text as row from "${name}" t`));
    dump.set(
      name,
      rows.map((r) => r.row),
    );
  }
  return dump;
}

test('no table holds any of them, in clear or encoded', async () => {
  const dump = await dumpEveryTable();
  expect(dump.size).toBeGreaterThan(30);
  expect([...dump.values()].flat().length).toBeGreaterThan(100);
  const holding = (value: string) =>
    [...dump].filter(([, rows]) => rows.some((row) => row.includes(value))).map(([name]) => name);
  // The scan sees what is kept in clear: the complaint's tracking code (not a secret) is found.
  expect(holding(trackingCode)).toContain('issues');

  const found: string[] = [];
  for (const [secret, kind] of secrets) {
    const bytes = Buffer.from(secret);
    for (const [how, spelling] of [
      ['in clear', secret],
      ['base64', bytes.toString('base64')],
      ['base64url', bytes.toString('base64url')],
      ['hex', bytes.toString('hex')],
    ] as const) {
      for (const table of holding(spelling)) found.push(`${table}: ${kind} ${secret.slice(0, 6)}… ${how}`);
    }
  }
  expect([...new Set(found)]).toEqual([]);
});

test('what is kept of a tracking secret is its SHA-256', async () => {
  const tracking = [...secrets].filter(([, kind]) => kind === 'tracking secret');
  expect(tracking).toHaveLength(1);
  const hash = createHash('sha256').update(tracking[0]![0]).digest('hex');
  const held = await rowsOf<{ n: number }>(
    sql`select count(*)::int as n from issues where tracking_secret_hash = ${hash}`,
  );
  expect(held[0]!.n).toBe(1);
});

async function rowsOf<T>(query: Parameters<TestApp['db']['execute']>[0]): Promise<T[]> {
  const r: unknown = await t.db.execute(query);
  return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
}
