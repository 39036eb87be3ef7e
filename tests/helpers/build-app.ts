import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Community, validateCommunityConfig } from '@gongzhi/domain';
import { parse as parseYaml } from 'yaml';
import { buildApp } from '../../apps/api/src/app';
import { LocalStorage } from '../../apps/api/src/lib/storage';
import { createAccount } from '../../apps/api/src/services/accounts/create-account';
import { loadCalendars } from '../../apps/api/src/services/communities/load-calendars';
import { loadCommunityConfigs } from '../../apps/api/src/services/communities/load-community-configs';
import { syncCommunities } from '../../apps/api/src/services/communities/sync-communities';
import { runFollowUp } from '../../apps/api/src/services/followup/run-follow-up';
import { deliverOutbox } from '../../apps/api/src/services/notifications/deliver-outbox';
import { wechatSubscribeSender } from '../../apps/api/src/services/notifications/wechat-subscribe';
import { openTestDatabase } from './test-db';

export const CONFIG_DIR = path.resolve(__dirname, '../../config/communities');
export const CALENDAR_DIR = path.resolve(__dirname, '../../config/calendars');
export const PASSWORD = 'test-password-1';
export const TEST_QR_SECRET = 'test-qr-secret-that-is-long-enough-0000';

/** A controllable clock: tests move time explicitly instead of sleeping. */
export function testClock(start = new Date('2026-11-16T02:00:00Z')) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
    set: (d: Date) => {
      t = d.getTime();
    },
  };
}

/** The real app on a real, fresh database with the shipped 夏朵园 config. */
export async function buildTestApp(
  opts: {
    now?: () => Date;
    wechatApiBase?: string;
    trustProxy?: string | boolean;
    /** Turns the WeChat subscription-message channel on (sent to wechatApiBase). */
    wechatTemplateId?: string;
    /**
     * Change the shipped 夏朵园 config (the raw YAML object) before it is validated, e.g. to add
     * a duty section; the result must validate like any config.
     */
    editConfig?: (raw: Record<string, unknown>) => void;
    /** Serve this built H5 client from `/` (the E2E tests pass apps/mini/dist/h5). */
    webRoot?: string;
  } = {},
) {
  const communities = loadCommunityConfigs(CONFIG_DIR);
  if (opts.editConfig) {
    const raw = parseYaml(readFileSync(path.join(CONFIG_DIR, 'xiaduoyuan.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    opts.editConfig(raw);
    const result = validateCommunityConfig(raw);
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    communities.set('xiaduoyuan', result.community);
  }
  const now = opts.now ?? (() => new Date());
  const { calendars } = loadCalendars(CALENDAR_DIR, communities, now());
  const { database, drop } = await openTestDatabase();
  await syncCommunities(database.db, communities);
  const uploadsDir = mkdtempSync(path.join(tmpdir(), 'gz-uploads-'));
  const app = await buildApp({
    settings: {
      jwtSecret: 'test-secret-that-is-long-enough-000000',
      qrSecret: TEST_QR_SECRET,
      BODY_LIMIT: 256 * 1024,
      LOG_LEVEL: 'silent',
      production: false,
      PUBLIC_URL: 'http://localhost:3000',
      WECHAT_APPID: 'wx-test-appid',
      WECHAT_SECRET: 'wx-test-secret',
      WECHAT_API_BASE: opts.wechatApiBase ?? 'http://127.0.0.1:9',
    },
    database,
    storage: new LocalStorage(uploadsDir),
    trustProxy: opts.trustProxy,
    communities,
    calendars,
    now,
    webRoot: opts.webRoot,
  });
  await app.ready();
  const xdy = communities.get('xiaduoyuan') as Community;
  let phoneSeq = 0;

  /** Create an account bound to a config person (or an admin) and log it in. */
  async function loginAs(person: string | 'admin') {
    const phone = `137${String(++phoneSeq).padStart(8, '0')}`;
    const accountId = await createAccount(database.db, {
      kind: person === 'admin' ? 'admin' : 'staff',
      phone,
      password: PASSWORD,
      displayName: person === 'admin' ? '管理员' : (xdy.people.get(person)?.name ?? person),
      ...(person === 'admin' ? {} : { person: { community: 'xiaduoyuan', key: person } }),
    });
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone, password: PASSWORD },
      // Each test login from its own address: the per-address login limit is not what is tested here.
      remoteAddress: `10.250.${phoneSeq >> 8}.${phoneSeq & 255}`,
    });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
    const body = res.json() as { accessToken: string; refreshToken: string };
    return { accountId, phone, ...body, auth: { authorization: `Bearer ${body.accessToken}` } };
  }

  const wechat = wechatSubscribeSender({
    appid: 'wx-test-appid',
    secret: 'wx-test-secret',
    apiBase: opts.wechatApiBase ?? 'http://127.0.0.1:9',
    templateId: opts.wechatTemplateId,
  });
  const background = { db: database.db, communities, calendars, now };

  return {
    app,
    database,
    calendars,
    /** One pass of the follow-up clock, as the server's timer runs it. */
    runFollowUp: () => runFollowUp(background),
    /** One pass of the outbox worker, as the server's timer runs it. */
    deliverOutbox: () => deliverOutbox(database.db, now, wechat),
    db: database.db,
    uploadsDir,
    communities,
    xdy,
    loginAs,
    close: async () => {
      await app.close();
      await drop();
      rmSync(uploadsDir, { recursive: true, force: true });
    },
  };
}
export type TestApp = Awaited<ReturnType<typeof buildTestApp>>;
