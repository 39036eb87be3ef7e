import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Community, validateCommunityConfig } from '@gongzhi/domain';
import { parse as parseYaml } from 'yaml';
import { type AppDeps, buildApp } from '../../apps/api/src/app';
import { type Database, openDatabase } from '../../apps/api/src/db/client';
import type { TrustProxy } from '../../apps/api/src/env';
import { LocalStorage, type Storage } from '../../apps/api/src/lib/storage';
import { createAccount } from '../../apps/api/src/services/accounts/create-account';
import { loadCalendars } from '../../apps/api/src/services/communities/load-calendars';
import { readCommunityConfigFiles } from '../../apps/api/src/services/communities/load-community-configs';
import { loadCommunityVersions } from '../../apps/api/src/services/communities/load-community-versions';
import { refreshCommunityConfigs } from '../../apps/api/src/services/communities/refresh-community-configs';
import { runFollowUp } from '../../apps/api/src/services/followup/run-follow-up';
import { deliverOutbox } from '../../apps/api/src/services/notifications/deliver-outbox';
import {
  wechatAccessTokens,
  wechatSubscribeSender,
} from '../../apps/api/src/services/notifications/wechat-subscribe';
import { openTestDatabase } from './test-db';

export const CONFIG_DIR = path.resolve(__dirname, '../../config/communities');
export const CALENDAR_DIR = path.resolve(__dirname, '../../config/calendars');
export const PASSWORD = 'test-password-1';
export const TEST_QR_SECRET = 'test-qr-secret-that-is-long-enough-0000';
export const TEST_WECHAT_PUSH_TOKEN = 'test-wechat-push-token';

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
    trustProxy?: TrustProxy;
    /** The message-push Token WeChat signs content-security verdicts with (default TEST_WECHAT_PUSH_TOKEN). */
    wechatPushToken?: string;
    /** Turns the WeChat subscription-message channel on (sent to wechatApiBase). */
    wechatTemplateId?: string;
    /** The template's keyword mapping (WECHAT_SUBSCRIBE_FIELDS). */
    wechatTemplateFields?: Record<string, 'title' | 'body' | 'at'>;
    /**
     * Change the shipped 夏朵园 config (the raw YAML object) before it is validated, e.g. to add
     * a duty section; the result must validate like any config.
     */
    editConfig?: (raw: Record<string, unknown>) => void;
    /** Serve this built H5 client from `/` (the E2E tests pass apps/mini/dist/h5). */
    webRoot?: string;
    /**
     * PostgreSQL only: a second instance on the database of another test app (its `databaseUrl`),
     * with its own connection pool, as a second API process would have. Closing it leaves the
     * database to its owner.
     */
    databaseUrl?: string;
    /** How a fresh database is opened (PostgreSQL: through a proxy, with timeouts). */
    database?: Parameters<typeof openTestDatabase>[0];
    /**
     * Serve this already open database (e.g. one restored from a backup) instead of a fresh one;
     * the caller closes it. Its communities are loaded as the server does at every start.
     */
    existingDatabase?: Database;
    /** /ready's free-space check. */
    disk?: { paths: string[]; minFreeMb: number };
    /** Photo files go here instead of a fresh temporary directory. */
    uploadsDir?: string;
    /** Where photos go; default the local directory (uploadsDir). Tests of shared storage pass S3. */
    storage?: Storage;
    /** HTTP server bounds, as the server takes them from its settings (env.ts serverTimeouts). */
    timeouts?: AppDeps['timeouts'];
    /** The address residents reach (default http://localhost:3000); https turns HSTS on. */
    publicUrl?: string;
    /** Log at this level into this stream (default: no log). */
    log?: { level: 'info' | 'debug' | 'warn'; stream: { write(line: string): void } };
  } = {},
) {
  const files = readCommunityConfigFiles(CONFIG_DIR);
  if (opts.editConfig) {
    const raw = parseYaml(readFileSync(path.join(CONFIG_DIR, 'xiaduoyuan.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    opts.editConfig(raw);
    const result = validateCommunityConfig(raw);
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    // As if the YAML file had been edited: the start rule creates version 1 from it.
    const at = files.findIndex((f) => f.community.key === 'xiaduoyuan');
    files[at] = { ...files[at]!, text: JSON.stringify(raw), community: result.community };
  }
  const now = opts.now ?? (() => new Date());
  const dbHandle: { database: Database; drop: () => Promise<void>; url?: string | undefined } =
    opts.existingDatabase
      ? { database: opts.existingDatabase, drop: async () => {}, url: undefined }
      : opts.databaseUrl
        ? await (async () => {
            const shared = await openDatabase({ databaseUrl: opts.databaseUrl, pgliteDir: 'memory' });
            return { database: shared, drop: () => shared.close(), url: opts.databaseUrl };
          })()
        : await openTestDatabase(opts.database);
  const { database, drop, url: databaseUrl } = dbHandle;
  const { communities } = await loadCommunityVersions(database.db, files);
  const { calendars } = loadCalendars(CALENDAR_DIR, communities, now());
  const uploadsDir = opts.uploadsDir ?? mkdtempSync(path.join(tmpdir(), 'gz-uploads-'));
  const storage = opts.storage ?? new LocalStorage(uploadsDir);
  const settings = {
    jwtSecret: 'test-secret-that-is-long-enough-000000',
    qrSecret: TEST_QR_SECRET,
    BODY_LIMIT: 256 * 1024,
    LOG_LEVEL: opts.log?.level ?? ('silent' as const),
    production: false,
    PUBLIC_URL: opts.publicUrl ?? 'http://localhost:3000',
    WECHAT_APPID: 'wx-test-appid',
    WECHAT_SECRET: 'wx-test-secret',
    WECHAT_API_BASE: opts.wechatApiBase ?? 'http://127.0.0.1:9',
    WECHAT_PUSH_TOKEN: opts.wechatPushToken ?? TEST_WECHAT_PUSH_TOKEN,
    WECHAT_SUBSCRIBE_TEMPLATE_ID: opts.wechatTemplateId,
  };
  // One access-token cache for the app and the outbox worker, as the server has.
  const wechatTokens = wechatAccessTokens({
    appid: settings.WECHAT_APPID,
    secret: settings.WECHAT_SECRET,
    apiBase: settings.WECHAT_API_BASE,
  });
  const app = await buildApp({
    settings,
    wechatTokens,
    database,
    storage,
    trustProxy: opts.trustProxy,
    communities,
    calendars,
    now,
    webRoot: opts.webRoot,
    disk: opts.disk,
    timeouts: opts.timeouts,
    logStream: opts.log?.stream,
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
      displayName:
        person === 'admin' ? '管理员' : (communities.get('xiaduoyuan')!.people.get(person)?.name ?? person),
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

  const wechat = wechatSubscribeSender(
    {
      appid: 'wx-test-appid',
      secret: 'wx-test-secret',
      apiBase: opts.wechatApiBase ?? 'http://127.0.0.1:9',
      templateId: opts.wechatTemplateId,
      fields: opts.wechatTemplateFields,
    },
    wechatTokens,
  );
  const background = { db: database.db, communities, calendars, now };

  /**
   * A second API instance beside this one, as a second process would be: its own app (its own
   * rate-limit store, background passes) and, on PostgreSQL, its own connection pool to the same
   * database; the same secrets, configs, clock and photo storage. On in-memory PGlite (one
   * process, one database) it shares the connection.
   */
  async function peer(peerOpts: { storage?: Storage } = {}) {
    const peerDatabase = databaseUrl ? await openDatabase({ databaseUrl, pgliteDir: 'memory' }) : database;
    const peerApp = await buildApp({
      settings,
      database: peerDatabase,
      storage: peerOpts.storage ?? storage,
      trustProxy: opts.trustProxy,
      communities,
      calendars,
      now,
    });
    await peerApp.ready();
    const peerBackground = { db: peerDatabase.db, communities, calendars, now };
    return {
      app: peerApp,
      db: peerDatabase.db,
      runFollowUp: () => runFollowUp(peerBackground),
      deliverOutbox: () => deliverOutbox(peerDatabase.db, now, wechat),
      close: async () => {
        await peerApp.close();
        if (peerDatabase !== database) await peerDatabase.close();
      },
    };
  }

  return {
    app,
    peer,
    /** PostgreSQL: this test database's URL (pg_dump, a second instance's `databaseUrl`); PGlite: undefined. */
    databaseUrl,
    storage,
    database,
    calendars,
    /** One pass of the follow-up clock, as the server's timer runs it. */
    runFollowUp: () => runFollowUp(background),
    /** One poll for newer configuration versions, as the server's CONFIG_REFRESH_MS timer runs it. */
    refreshConfig: () => refreshCommunityConfigs(database.db, communities),
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
      if (!opts.uploadsDir) rmSync(uploadsDir, { recursive: true, force: true });
    },
  };
}
export type TestApp = Awaited<ReturnType<typeof buildTestApp>>;
