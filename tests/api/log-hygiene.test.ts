import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { runFollowUp } from '../../apps/api/src/services/followup/run-follow-up';
import { buildTestApp, PASSWORD, TEST_QR_SECRET, type TestApp, testClock } from '../helpers/build-app';
import { SEED_TIMEOUT, seedDemoQuarter } from '../helpers/demo-quarter';
import { multipartBody, smallJpeg } from '../helpers/multipart';

// The log of a full story (docs/security.md, "Audit log" and "Log hygiene"): the 夏朵园 demo
// quarter, then its archive downloaded by link, an anonymous complaint from a QR code with a photo
// and a phone, a calendar feed, a failed login, a refresh token presented twice, a logout, a
// refusal, a password reset and a configuration change — with the app logging at `info` into a
// stream this test reads. Every phone, tracking secret, token and one-time password the story
// handed out (or was handed) is collected from the requests and answers; none may be in the log.
// And the audit lines are there, one per kind of event, with their fields.

const Q3_START = new Date('2026-06-30T16:00:00Z');
const clock = testClock(new Date('2026-06-20T02:00:00Z'));
const lines: string[] = [];
let t: TestApp;

/** Every secret the story saw, and every phone. */
const secrets = new Set<string>();
const phones = new Set<string>();
/** Keys whose string values are secrets wherever they appear in a request or an answer. */
const SECRET_KEYS = new Set([
  'accessToken',
  'refreshToken',
  'secret',
  'uploadToken',
  'token',
  'oneTimePassword',
  'password',
  'newPassword',
  'code',
]);

function harvest(value: unknown, key = '') {
  if (typeof value === 'string') {
    if (key === 'phone' || /^1\d{10}$/.test(value)) phones.add(value);
    // (An error's `code` is a snake_case name, not a secret.)
    else if (SECRET_KEYS.has(key) && value.length >= 8 && !/^[a-z_]+$/.test(value)) secrets.add(value);
    // A feed URL or a download link carries its token.
    for (const m of value.matchAll(/(?:feeds\/|[?&]token=|[?&]feed=)([A-Za-z0-9_.-]{16,})/g)) {
      secrets.add(m[1]!.replace(/\.ics$/, ''));
    }
    return;
  }
  if (Array.isArray(value)) for (const v of value) harvest(v, key);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) harvest(v, k);
}

/** The app as the story calls it: every request's body and every JSON answer is harvested. */
/** What the story passes to inject (the overloads of app.inject do not name it). */
interface Request {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  payload?: string | object | Buffer;
  remoteAddress?: string;
}

async function inject(opts: Request) {
  const o = opts;
  if (o.payload && typeof o.payload === 'object' && !Buffer.isBuffer(o.payload)) harvest(o.payload);
  const tracking = o.headers?.['x-tracking-secret'];
  if (tracking) secrets.add(tracking);
  const r = await t.app.inject(opts);
  if (String(r.headers['content-type'] ?? '').includes('json')) {
    try {
      harvest(r.json());
    } catch {
      // Not JSON after all.
    }
  }
  return r;
}

const auditLines = () =>
  lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => typeof l.audit === 'string') as {
    audit: string;
    actor: string;
    target: string;
    at: string;
    reqId: string | null;
    [k: string]: unknown;
  }[];

beforeAll(async () => {
  t = await buildTestApp({
    now: clock.now,
    log: { level: 'info', stream: { write: (line: string) => void lines.push(line) } },
  });
  const app = new Proxy(t.app, {
    get: (target, prop, receiver) => (prop === 'inject' ? inject : Reflect.get(target, prop, receiver)),
  });
  const loginAs = async (person: string) => {
    const s = await t.loginAs(person);
    phones.add(s.phone);
    secrets.add(s.accessToken);
    secrets.add(s.refreshToken);
    return s;
  };
  // The follow-up clock as the server runs it: with the app's logger (its steps are 'system').
  const followUp = () =>
    runFollowUp({
      db: t.db,
      communities: t.communities,
      calendars: t.calendars,
      now: clock.now,
      log: t.app.log,
    });
  await seedDemoQuarter({ app, loginAs }, clock, Q3_START, followUp);

  // After the quarter: archived, and downloaded by a link (a token in the query).
  clock.set(new Date('2026-10-09T02:00:00Z'));
  const secretary = await loginAs('tu-zhongmei');
  const archived = await inject({
    method: 'POST',
    url: '/api/communities/xiaduoyuan/archives',
    headers: secretary.auth,
    payload: { quarter: '2026Q3' },
  });
  expect(archived.statusCode).toBe(201);
  const link = await inject({
    method: 'POST',
    url: `/api/archives/${archived.json().id}/link`,
    headers: secretary.auth,
  });
  const download = await inject({
    url: (link.json() as { url: string }).url.replace('http://localhost:3000', ''),
  });
  expect(download.statusCode).toBe(200);

  // A resident scans a QR code: a photo (its upload token), a complaint with a phone, followed
  // with the tracking secret; the photo read back by its token.
  const { payload, headers } = multipartBody([
    { filename: 'IMG_0001.jpg', contentType: 'image/jpeg', data: await smallJpeg() },
  ]);
  const up = await inject({
    method: 'POST',
    url: '/api/photos',
    payload,
    headers,
    remoteAddress: '10.61.0.1',
  });
  expect(up.statusCode).toBe(201);
  const photo = (up.json() as { photos: { id: string; url: string; uploadToken: string }[] }).photos[0]!;
  expect((await inject({ url: `${photo.url}?uploadToken=${photo.uploadToken}` })).statusCode).toBe(200);
  const qr = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 12 });
  expect((await inject({ url: `/q/${qr}` })).statusCode).toBe(302);
  const complaint = await inject({
    method: 'POST',
    url: '/api/complaints',
    payload: {
      qr,
      category: 'sanitation',
      description: '单元门口垃圾堆了三天',
      phone: '13912345678',
      photos: [{ id: photo.id, uploadToken: photo.uploadToken }],
    },
    remoteAddress: '10.61.0.2',
  });
  expect(complaint.statusCode).toBe(201);
  const receipt = complaint.json() as { trackingCode: string; secret: string };
  const tracked = await inject({
    url: `/api/complaints/${receipt.trackingCode}`,
    headers: { 'x-tracking-secret': receipt.secret },
  });
  expect(tracked.statusCode).toBe(200);

  // A calendar feed and the printed rota, each by the feed token.
  const feed = (await inject({ url: '/api/me/duty-feed', headers: secretary.auth })).json() as {
    url: string;
    token: string;
  };
  expect((await inject({ url: feed.url.replace('http://localhost:3000', '') })).statusCode).toBe(200);
  const printed = await inject({
    url: `/api/communities/xiaduoyuan/duty/print?month=2026-10&feed=${feed.token}`,
  });
  expect(printed.statusCode).toBe(200);

  // A wrong password; a refresh token used, then presented again; a logout.
  const wrong = await inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { phone: secretary.phone, password: 'not-the-password' },
    remoteAddress: '10.61.0.3',
  });
  expect(wrong.statusCode).toBe(401);
  const inspector = await loginAs('yang-chenyi');
  const refreshed = await inject({
    method: 'POST',
    url: '/api/auth/refresh',
    payload: { refreshToken: inspector.refreshToken },
  });
  expect(refreshed.statusCode).toBe(200);
  const reused = await inject({
    method: 'POST',
    url: '/api/auth/refresh',
    payload: { refreshToken: inspector.refreshToken },
  });
  expect(reused.json().error.code).toBe('refresh_token_reused');
  const leader = await loginAs('wu-wenjie');
  expect((await inject({ method: 'POST', url: '/api/auth/logout', headers: leader.auth })).statusCode).toBe(
    204,
  );

  // A refusal; an administrator resets a password and changes the configuration.
  const inspector2 = await loginAs('yang-chenyi');
  const denied = await inject({
    method: 'POST',
    url: '/api/communities/xiaduoyuan/archives',
    headers: inspector2.auth,
    payload: { quarter: '2026Q2' },
  });
  expect(denied.statusCode).toBe(403);
  const admin = await loginAs('admin');
  const reset = await inject({
    method: 'POST',
    url: `/api/admin/accounts/${inspector2.accountId}/reset-password`,
    headers: admin.auth,
  });
  expect(reset.statusCode).toBe(200);
  const edited = await inject({
    method: 'POST',
    url: '/api/admin/communities/xiaduoyuan/config-versions',
    headers: admin.auth,
    payload: {
      baseVersion: 1,
      reason: '人员变动',
      changes: [{ op: 'addPerson', key: 'wang-fang', name: '王芳', phone: '13900001111' }],
    },
  });
  expect(edited.statusCode).toBe(201);
  // A load balancer's probe: answered, and not logged.
  expect((await inject({ url: '/health' })).statusCode).toBe(200);
  // The shared test password is a secret too.
  secrets.add(PASSWORD);
}, SEED_TIMEOUT + 120_000);

afterAll(async () => {
  await t?.close();
});

describe('the log of a full story', () => {
  it('was written: one access line a request, and audit lines, every line JSON', () => {
    expect(lines.length).toBeGreaterThan(200);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.filter((l) => l.msg === 'incoming request')).toEqual([]);
    const access = parsed.filter((l) => l.msg === 'request completed');
    expect(access.length).toBeGreaterThan(150);
    for (const l of access)
      expect(l).toMatchObject({
        reqId: expect.any(String),
        req: { method: expect.any(String), url: expect.any(String) },
        res: { statusCode: expect.any(Number) },
        responseTime: expect.any(Number),
      });
    // One line per request id; successful probes are not logged.
    expect(new Set(access.map((l) => l.reqId)).size).toBe(access.length);
    expect(access.filter((l) => (l.req as { url: string }).url === '/health')).toEqual([]);
  });

  it('holds no phone, tracking secret, token or one-time password that was handed out', () => {
    expect(phones.size).toBeGreaterThan(10);
    expect(phones).toContain('13912345678');
    expect(phones).toContain('13900001111');
    // Access and refresh tokens, the tracking secret, the upload token, the feed token, the
    // download token, the one-time password, evaluation codes if any.
    expect(secrets.size).toBeGreaterThan(20);
    const log = lines.join('');
    const leaked = [...phones, ...secrets].filter((s) => log.includes(s));
    expect(leaked).toEqual([]);
  });

  it('shows secret-bearing URLs redacted in the access log', () => {
    const urls = lines
      .map((l) => JSON.parse(l) as { req?: { url?: string } })
      .flatMap((l) => (l.req?.url ? [l.req.url] : []));
    expect(urls).toContain('/api/duty/feeds/[redacted]');
    expect(urls.some((u) => /^\/api\/photos\/[0-9a-f-]{36}\?uploadToken=\[redacted\]$/.test(u))).toBe(true);
    expect(urls.some((u) => /^\/api\/archives\/[0-9a-f-]{36}\/package\?token=\[redacted\]$/.test(u))).toBe(
      true,
    );
    expect(urls).toContain('/api/communities/xiaduoyuan/duty/print?month=2026-10&feed=[redacted]');
    expect(urls).toContain('/q/[redacted]');
  });

  it('has an audit line for every kind of event, each with request id, actor, target and UTC time', () => {
    const audit = auditLines();
    for (const a of audit) {
      expect(a.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(typeof a.actor).toBe('string');
      expect(typeof a.target).toBe('string');
      expect('reqId' in a).toBe(true);
    }
    const of = (action: string | RegExp) =>
      audit.filter((a) => (typeof action === 'string' ? a.audit === action : action.test(a.audit)));
    // Each kind is there; those done in a request carry its id.
    for (const kind of [
      'auth.login',
      'auth.login_failed',
      'auth.logout',
      'auth.refresh_token_reused',
      'access.denied',
      'account.password_reset',
      'config.changed',
      'issue.submit',
    ]) {
      expect({ kind, found: of(kind).length > 0 }).toEqual({ kind, found: true });
      expect(of(kind).every((a) => typeof a.reqId === 'string')).toBe(true);
    }
    expect(of('auth.login_failed')[0]!.target).toMatch(/^phone:[A-Za-z0-9_-]{16}$/);
    expect(of('access.denied')[0]).toMatchObject({
      target: 'route:POST /api/communities/:key/archives',
      code: 'archive_manager_only',
    });
    expect(of('config.changed')[0]).toMatchObject({ target: 'community:xiaduoyuan', version: 2 });
    // Issue steps by people (with their account and person) and by an anonymous resident; every
    // step names the timeline event it wrote and the states it went between.
    const steps = of(/^issue\./);
    expect(steps.some((a) => a.actorPerson === 'yang-chenyi' && /^[0-9a-f-]{36}$/.test(a.actor))).toBe(true);
    expect(steps.some((a) => a.to === 'resolved' && a.from !== 'resolved')).toBe(true);
    expect(steps.some((a) => a.audit === 'issue.submit' && a.actor === 'anonymous')).toBe(true);
    expect(steps.filter((a) => a.audit !== 'issue.submit').every((a) => typeof a.eventId === 'number')).toBe(
      true,
    );
  });
});
