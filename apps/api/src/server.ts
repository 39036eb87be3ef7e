import path from 'node:path';
import { buildApp } from './app';
import { openDatabase } from './db/client';
import { readSettings } from './env';
import { LocalStorage } from './lib/storage';
import { sweepOrphanPhotos } from './services/photos/sweep-orphan-photos';

const ORPHAN_PHOTO_TTL_MS = 24 * 60 * 60 * 1000;

import { DEMO_PASSWORD, seedDemoAccounts } from './services/accounts/seed-demo-accounts';
import { loadCalendars } from './services/communities/load-calendars';
import { loadCommunityConfigs } from './services/communities/load-community-configs';
import { syncCommunities } from './services/communities/sync-communities';
import { startBackgroundWork } from './services/followup/background';
import { wechatSubscribeSender } from './services/notifications/wechat-subscribe';

/** Repository root: relative paths in the environment are read from here, wherever pnpm runs us. */
const ROOT = path.resolve(__dirname, '../../..');

async function main() {
  const settings = readSettings();
  const communities = loadCommunityConfigs(path.resolve(ROOT, settings.CONFIG_DIR));
  const { calendars, warnings } = loadCalendars(
    path.resolve(ROOT, settings.CALENDAR_DIR),
    communities,
    new Date(),
  );
  for (const w of warnings) console.warn(`注意：${w}`);
  const database = await openDatabase({
    databaseUrl: settings.DATABASE_URL,
    pgliteDir: path.resolve(ROOT, settings.DATA_DIR, 'pglite'),
  });
  await syncCommunities(database.db, communities);

  const storage = new LocalStorage(path.resolve(ROOT, settings.DATA_DIR, 'uploads'));
  const trustProxy =
    settings.TRUST_PROXY === 'true' ? true : settings.TRUST_PROXY ? settings.TRUST_PROXY : false;
  const now = () => new Date();
  const webRoot = path.resolve(ROOT, 'apps/mini/dist/h5');
  const app = await buildApp({
    settings,
    database,
    storage,
    trustProxy,
    communities,
    calendars,
    now,
    webRoot,
  });

  if (!settings.production) {
    const logins = await seedDemoAccounts(database.db, communities);
    if (logins) {
      const lines = logins.map((l) => `  ${l.phone}  ${l.name.padEnd(6, '　')} ${l.what}`);
      console.log(`\n演示账号已创建（密码均为 ${DEMO_PASSWORD}）：\n${lines.join('\n')}\n`);
    }
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
      wechat: wechatSubscribeSender({
        appid: settings.WECHAT_APPID,
        secret: settings.WECHAT_SECRET,
        apiBase: settings.WECHAT_API_BASE,
        templateId: settings.WECHAT_SUBSCRIBE_TEMPLATE_ID,
      }),
      log: app.log,
    },
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    clearInterval(sweep);
    await stopBackground();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: settings.PORT, host: settings.HOST });
  // The port actually bound (PORT=0 picks a free one).
  const { port } = app.server.address() as import('node:net').AddressInfo;
  console.log(
    `\n共治 gongzhi 已启动：http://localhost:${port}  (数据库：${database.kind === 'pglite' ? `嵌入式 PGlite，${path.resolve(ROOT, settings.DATA_DIR)}` : 'PostgreSQL'})`,
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
