import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { type Community, DomainError, type HolidayCalendar } from '@gongzhi/domain';
import Fastify, { type FastifyRequest } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from './db/client';
import { checkingInterval, type Settings, type TrustProxy } from './env';
import { AccessLog } from './lib/access-log';
import { addressKey } from './lib/client-address';
import { serializeRequest } from './lib/log-url';
import { serializeError } from './lib/safe-error';
import type { Storage } from './lib/storage';
import { authPlugin } from './plugins/auth';
import { errorHandlerPlugin } from './plugins/error-handler';
import { idempotencyPlugin } from './plugins/idempotency';
import { guardedValidatorCompiler } from './plugins/input-guard';
import { swaggerOptions } from './plugins/openapi';
import { databaseRateLimitStore } from './plugins/rate-limit-store';
import { securityHeadersPlugin } from './plugins/security-headers';
import { webAppPlugin } from './plugins/web-app';
import { accountRoutes } from './routes/accounts';
import { adminRoutes } from './routes/admin';
import { archiveRoutes } from './routes/archives';
import { authRoutes } from './routes/auth';
import { caseHandlingRoutes } from './routes/case-handling';
import { communityRoutes } from './routes/communities';
import { communityConfigRoutes } from './routes/community-config';
import { complaintRoutes } from './routes/complaints';
import { creditRoutes } from './routes/credit';
import { deskRoutes } from './routes/desk';
import { dutyRoutes } from './routes/duty';
import { evaluationRoutes } from './routes/evaluation';
import { externalRoutes } from './routes/external';
import { healthRoutes } from './routes/health';
import { issueRoutes } from './routes/issues';
import { kpiRoutes } from './routes/kpis';
import { ledgerRoutes } from './routes/ledger';
import { meetingRoutes } from './routes/meetings';
import { noticeRoutes } from './routes/notices';
import { notificationRoutes } from './routes/notifications';
import { open311Routes } from './routes/open311';
import { oversightRoutes } from './routes/oversight';
import { photoRoutes } from './routes/photos';
import { qrRoutes } from './routes/qr';
import { reportRoutes } from './routes/reports';
import { rollupRoutes } from './routes/rollup';
import { taskRoutes } from './routes/tasks';
import { topicRoutes } from './routes/topics';
import { triageRoutes } from './routes/triage';
import { wechatPushRoutes } from './routes/wechat-push';
import type { ContentSecurity } from './services/content-security/wechat-security';
import type { ServiceContext } from './services/context';
import type { DiskWatch } from './services/health/readiness';
import { type WechatAccessTokens, wechatAccessTokens } from './services/notifications/wechat-subscribe';

/** Everything the app depends on. Tests pass real ones; only what lies outside our walls is faked. */
export interface AppDeps {
  settings: Pick<
    Settings,
    | 'jwtSecret'
    | 'qrSecret'
    | 'BODY_LIMIT'
    | 'LOG_LEVEL'
    | 'production'
    | 'PUBLIC_URL'
    | 'WECHAT_APPID'
    | 'WECHAT_SECRET'
    | 'WECHAT_API_BASE'
    | 'WECHAT_PUSH_TOKEN'
    | 'WECHAT_SUBSCRIBE_TEMPLATE_ID'
  >;
  /**
   * WeChat's access-token cache, shared with the subscription-message sender (one per process:
   * a new token invalidates the previous one). Default: one made from the settings.
   */
  wechatTokens?: WechatAccessTokens;
  database: Database;
  storage: Storage;
  /** X-Forwarded-For is believed only from these (Fastify trustProxy: hops or addresses); default none. */
  trustProxy?: TrustProxy;
  communities: Map<string, Community>;
  calendars: Map<string, HolidayCalendar>;
  now: () => Date;
  /** The built H5 client (apps/mini/dist/h5), served from `/` when present. */
  webRoot?: string;
  /** /ready answers 503 disk_full when a file system holding these has less than minFreeMb left. */
  disk?: DiskWatch;
  /** Where the log goes instead of stdout (tests read it). */
  logStream?: { write(line: string): void };
  /** HTTP server bounds (milliseconds, 0 = none); see config/.env.example. */
  timeouts?: { request: number; headers: number; keepAlive: number; connection: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    /** The service context for one request: database, configs, clock, caller. */
    ctx: (request: FastifyRequest) => ServiceContext;
    /** WeChat content security for one request (its token cache, where WeChat fetches photos). */
    contentSecurity: (request: FastifyRequest) => ContentSecurity;
    /** WeChat's access token, one cache per process (wechatAccessTokens). */
    wechatTokens: WechatAccessTokens;
  }
}

export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    logger: {
      level: deps.settings.LOG_LEVEL,
      // Tokens and passwords never reach the log.
      redact: [
        'req.headers.authorization',
        'req.body.password',
        'req.body.oldPassword',
        'req.body.newPassword',
        'req.body.refreshToken',
      ],
      // Errors without the values of a failed statement (residents' phones and names); request
      // URLs without the tokens some carry (lib/log-url.ts).
      serializers: { err: (err: Error) => serializeError(err), req: serializeRequest },
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    // One access line a request, when it is answered (lib/access-log.ts).
    logController: new AccessLog(),
    bodyLimit: deps.settings.BODY_LIMIT,
    // A hop count as Fastify applies it (its types take no number): the nearest n proxies.
    trustProxy:
      typeof deps.trustProxy === 'number'
        ? (
            (hops) => (_address: string, hop: number) =>
              hop < hops
          )(deps.trustProxy)
        : (deps.trustProxy ?? false),
    genReqId: () => crypto.randomUUID(),
    ...(deps.timeouts
      ? {
          requestTimeout: deps.timeouts.request,
          keepAliveTimeout: deps.timeouts.keepAlive,
          connectionTimeout: deps.timeouts.connection,
          http: {
            headersTimeout: deps.timeouts.headers,
            connectionsCheckingInterval: checkingInterval(deps.timeouts),
          },
        }
      : {}),
    // While closing (SIGTERM) new requests get our own 503 (below); requests in flight finish.
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();

  // Every string of every request is checked for control characters and length before its schema.
  app.setValidatorCompiler(guardedValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);
  app.decorate('ctx', (request: FastifyRequest) => ({
    db: deps.database.db,
    communities: deps.communities,
    calendars: deps.calendars,
    now: deps.now,
    principal: request.principal,
    idempotency: request.idempotency,
    requestId: request.id,
    log: request.log,
  }));

  const wechatTokens =
    deps.wechatTokens ??
    wechatAccessTokens({
      appid: deps.settings.WECHAT_APPID,
      secret: deps.settings.WECHAT_SECRET,
      apiBase: deps.settings.WECHAT_API_BASE,
    });
  app.decorate('wechatTokens', wechatTokens);
  app.decorate('contentSecurity', (request: FastifyRequest) => ({
    tokens: wechatTokens,
    // Read at call time: the server fills PUBLIC_URL in after it listens when it is not set.
    publicUrl: deps.settings.PUBLIC_URL,
    linkSecret: deps.settings.jwtSecret,
    log: request.log,
  }));

  await app.register(errorHandlerPlugin);

  // After SIGTERM (app.close()): requests already running finish; a request that still arrives on
  // an open connection is answered 503 at once and its connection closed, so the client retries
  // elsewhere or later. (Fastify's own 503 is English and not our error shape.)
  let shuttingDown = false;
  app.addHook('preClose', async () => {
    shuttingDown = true;
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!shuttingDown) return done();
    reply.header('connection', 'close');
    done(new DomainError('unavailable', 'shutting_down', '服务正在停止或重启，请稍后再试'));
  });
  await app.register(securityHeadersPlugin, { publicUrl: deps.settings.PUBLIC_URL });
  // Counters in the database, so several instances share one allowance per client.
  // Clients by address key: IPv6 by its /64, which one subscriber usually holds whole.
  await app.register(rateLimit, {
    global: false,
    store: databaseRateLimitStore(deps.database.db, deps.now),
    keyGenerator: (request) => addressKey(request.ip),
  });
  // The document's error answers, security and file types are completed from each route's
  // options (plugins/openapi.ts); the contract test holds real answers to it.
  await app.register(swagger, swaggerOptions(app, deps.settings.PUBLIC_URL));
  await app.register(authPlugin, { secret: deps.settings.jwtSecret, database: deps.database, now: deps.now });
  await app.register(idempotencyPlugin, {
    db: deps.database.db,
    now: deps.now,
    secret: deps.settings.jwtSecret,
  });

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(communityRoutes);
  await app.register(issueRoutes);
  await app.register(deskRoutes);
  await app.register(triageRoutes);
  await app.register(externalRoutes);
  await app.register(topicRoutes);
  await app.register(photoRoutes);
  await app.register(qrRoutes);
  await app.register(complaintRoutes);
  await app.register(adminRoutes);
  await app.register(rollupRoutes);
  await app.register(accountRoutes);
  await app.register(communityConfigRoutes);
  await app.register(taskRoutes);
  await app.register(caseHandlingRoutes);
  await app.register(notificationRoutes);
  await app.register(reportRoutes);
  await app.register(dutyRoutes);
  await app.register(meetingRoutes);
  await app.register(noticeRoutes);
  await app.register(oversightRoutes);
  await app.register(ledgerRoutes);
  await app.register(archiveRoutes);
  await app.register(evaluationRoutes);
  await app.register(kpiRoutes);
  // Open311 GeoReport v2 under its own prefix: its own error format and not-found answer.
  await app.register(open311Routes, { prefix: '/open311' });
  await app.register(creditRoutes);
  await app.register(wechatPushRoutes);

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(webAppPlugin, { root: deps.webRoot });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
