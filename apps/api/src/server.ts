import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { buildApp } from './app';
import { describeDatabaseUrl, openDatabase } from './db/client';
import { databaseRole, databaseRoleWarning } from './db/roles';
import {
  exposureProblem,
  readSettings,
  type Settings,
  serverTimeouts,
  TRUST_PROXY_EVERYONE_WARNING,
} from './env';
import { ROOT, WEB_ROOT } from './lib/paths';
import { createStorage } from './lib/storage';
import { demoLoginTable, seedDemoAccounts } from './services/accounts/seed-demo-accounts';
import { loadCalendars } from './services/communities/load-calendars';
import { readCommunityConfigFiles } from './services/communities/load-community-configs';
import { loadCommunityVersions } from './services/communities/load-community-versions';
import { startConfigRefresh } from './services/communities/refresh-community-configs';
import { startBackgroundWork } from './services/followup/background';
import { wechatAccessTokens, wechatSubscribeSender } from './services/notifications/wechat-subscribe';
import { configurePhotoWorkers, DEFAULT_PHOTO_WORKERS } from './services/photos/photo-workers';
import { sweepOrphanPhotos } from './services/photos/sweep-orphan-photos';

const ORPHAN_PHOTO_TTL_MS = 24 * 60 * 60 * 1000;
/** After SIGTERM, requests in flight get this long to finish before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 8_000;

/** The address QR codes and calendar links use when PUBLIC_URL is not set: where we listen. */
function listenUrl(settings: Settings, port: number): string {
  const h = settings.HOST;
  const wildcard = h === '0.0.0.0' || h === '::';
  const host = wildcard || h === '127.0.0.1' || h === '::1' ? 'localhost' : h.includes(':') ? `[${h}]` : h;
  return `http://${host}:${port}`;
}

const PGLITE_PRODUCTION_WARNING = `
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!! 警告：生产模式正在使用嵌入式数据库 PGlite（未设置 DATABASE_URL）。
!! PGlite 只适合单机、小规模部署：只能一个进程打开，写入不做 fsync，
!! 断电或宕机可能丢失最后写入的数据。正式服务请设置 DATABASE_URL 使用 PostgreSQL。
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
`;

async function main() {
  const settings = readSettings();
  const refusal = exposureProblem(settings);
  if (refusal) throw new Error(refusal);

  const files = readCommunityConfigFiles(path.resolve(ROOT, settings.CONFIG_DIR));
  const dataDir = path.resolve(ROOT, settings.DATA_DIR);
  if (settings.production && !settings.DATABASE_URL) console.warn(PGLITE_PRODUCTION_WARNING);
  const database = await openDatabase({
    databaseUrl: settings.DATABASE_URL,
    migrationUrl: settings.MIGRATION_DATABASE_URL,
    pgliteDir: path.join(dataDir, 'pglite'),
    connectTimeoutMs: settings.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: settings.DATABASE_STATEMENT_TIMEOUT_MS,
    prepare: settings.DATABASE_PREPARE,
    waitSeconds: settings.DATABASE_WAIT_SECONDS,
  });
  // In production the server should not be able to rewrite the records' rules (triggers, tables).
  if (settings.production) {
    const warning = databaseRoleWarning(await databaseRole(database));
    if (warning) console.warn(warning);
  }
  // The database holds each community's configuration versions; YAML creates and re-imports them
  // (docs/configuration.md).
  const { communities, imported } = await loadCommunityVersions(database.db, files);
  for (const i of imported)
    console.log(`社区配置 ${i.key}：已由 ${path.basename(i.file)} 导入为第 ${i.version} 版`);
  const { calendars, warnings } = loadCalendars(
    path.resolve(ROOT, settings.CALENDAR_DIR),
    communities,
    new Date(),
  );
  for (const w of warnings) console.warn(`注意：${w}`);

  const uploadsDir = path.join(dataDir, 'uploads');
  const storage = await createStorage(settings, uploadsDir);
  // readSettings refuses TRUST_PROXY=true in production; elsewhere it is allowed, loudly.
  const { trustProxy } = settings;
  if (trustProxy === true) console.warn(TRUST_PROXY_EVERYONE_WARNING);
  const now = () => new Date();
  // One access-token cache for every WeChat call of this process (a new token voids the old one).
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
    trustProxy,
    communities,
    calendars,
    now,
    webRoot: WEB_ROOT,
    disk: { paths: [dataDir], minFreeMb: settings.MIN_FREE_DISK_MB },
    timeouts: serverTimeouts(settings),
  });
  // PHOTO_WORKERS (default one per two cores); a child's death or a stuck job reaches the log.
  configurePhotoWorkers(settings.PHOTO_WORKERS ?? DEFAULT_PHOTO_WORKERS, (fields, message) =>
    app.log.warn(fields, message),
  );

  // Known passwords only when asked for (DEMO=1, `pnpm start:demo`), and only on loopback.
  if (settings.demo) {
    const logins = await seedDemoAccounts(database.db, communities);
    if (logins) {
      const note = `  （共 ${logins.length} 个演示账号，\`pnpm gongzhi demo accounts\` 列出全部）`;
      console.log(
        `\n演示模式：已创建演示账号\n${demoLoginTable(
          logins.filter((l) => l.key),
          note,
        )}\n`,
      );
    } else
      console.log('\n演示模式：数据库中已有账号，未再创建。`pnpm gongzhi demo accounts` 列出演示账号。\n');
  }

  // Photos uploaded for a complaint that was never submitted are removed after a day.
  const sweep = setInterval(
    () => {
      const ctx = { db: database.db, communities, calendars, now, principal: null, storage };
      sweepOrphanPhotos(ctx, new Date(Date.now() - ORPHAN_PHOTO_TTL_MS)).catch((err) =>
        app.log.error({ err }, 'orphan photo sweep failed'),
      );
    },
    60 * 60 * 1000,
  );
  sweep.unref();

  const stopBackground = startBackgroundWork(
    { db: database.db, communities, calendars, now },
    {
      followUpMs: settings.FOLLOW_UP_INTERVAL_MS,
      outboxMs: settings.OUTBOX_INTERVAL_MS,
      storage,
      wechat: wechatSubscribeSender(
        {
          appid: settings.WECHAT_APPID,
          secret: settings.WECHAT_SECRET,
          apiBase: settings.WECHAT_API_BASE,
          templateId: settings.WECHAT_SUBSCRIBE_TEMPLATE_ID,
          fields: settings.WECHAT_SUBSCRIBE_FIELDS,
        },
        wechatTokens,
      ),
      log: app.log,
    },
  );

  const stopConfigRefresh = startConfigRefresh({
    db: database.db,
    communities,
    intervalMs: settings.CONFIG_REFRESH_MS,
    log: app.log,
  });

  // SIGTERM/SIGINT: stop accepting (new requests get 503, idle connections close), let requests in
  // flight finish, stop the background work, close the database (PGlite writes its files and
  // releases the lock), exit 0. Whatever is still running after the grace period is cut: exit 1.
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`收到 ${signal}，正在停止：处理完进行中的请求后退出`);
    const force = setTimeout(() => {
      console.error(`停止超时（${SHUTDOWN_GRACE_MS / 1000} 秒），强制退出`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    try {
      clearInterval(sweep);
      stopConfigRefresh();
      await app.close();
      await stopBackground();
      await database.close();
      console.log('已停止');
      process.exit(0);
    } catch (err) {
      console.error('停止时出错：', err);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: settings.PORT, host: settings.HOST });
  // The port actually bound (PORT=0 picks a free one); PUBLIC_URL follows it unless set.
  const { port } = app.server.address() as AddressInfo;
  if (!settings.publicUrlGiven) settings.PUBLIC_URL = listenUrl(settings, port);
  if (settings.production && !settings.publicUrlGiven) {
    console.warn(
      `注意：未设置 PUBLIC_URL，二维码和日历链接指向 ${settings.PUBLIC_URL}；对外服务请设置 PUBLIC_URL。`,
    );
  }
  const where =
    database.kind === 'pglite'
      ? `嵌入式 PGlite，${dataDir}`
      : `PostgreSQL ${describeDatabaseUrl(settings.DATABASE_URL ?? '')}`;
  console.log(
    `\n共治 gongzhi 已启动：${listenUrl(settings, port)}  (数据库：${where}；对外地址 PUBLIC_URL=${settings.PUBLIC_URL}${settings.demo ? '；演示模式' : ''})`,
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
