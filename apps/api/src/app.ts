import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { Community, HolidayCalendar } from '@gongzhi/domain';
import Fastify, { type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Database } from './db/client';
import type { Settings } from './env';
import type { Storage } from './lib/storage';
import { authPlugin } from './plugins/auth';
import { errorHandlerPlugin } from './plugins/error-handler';
import { idempotencyPlugin } from './plugins/idempotency';
import { webAppPlugin } from './plugins/web-app';
import { adminRoutes } from './routes/admin';
import { archiveRoutes } from './routes/archives';
import { authRoutes } from './routes/auth';
import { communityRoutes } from './routes/communities';
import { complaintRoutes } from './routes/complaints';
import { creditRoutes } from './routes/credit';
import { dutyRoutes } from './routes/duty';
import { evaluationRoutes } from './routes/evaluation';
import { healthRoutes } from './routes/health';
import { issueRoutes } from './routes/issues';
import { kpiRoutes } from './routes/kpis';
import { meetingRoutes } from './routes/meetings';
import { noticeRoutes } from './routes/notices';
import { notificationRoutes } from './routes/notifications';
import { photoRoutes } from './routes/photos';
import { qrRoutes } from './routes/qr';
import { taskRoutes } from './routes/tasks';
import type { ServiceContext } from './services/context';

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
  >;
  database: Database;
  storage: Storage;
  /** X-Forwarded-For is believed only from these (Fastify trustProxy); default none. */
  trustProxy?: string | boolean;
  communities: Map<string, Community>;
  calendars: Map<string, HolidayCalendar>;
  now: () => Date;
  /** The built H5 client (apps/mini/dist/h5), served from `/` when present. */
  webRoot?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    /** The service context for one request: database, configs, clock, caller. */
    ctx: (request: FastifyRequest) => ServiceContext;
  }
}

export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    logger: {
      level: deps.settings.LOG_LEVEL,
      // Tokens and passwords never reach the log.
      redact: ['req.headers.authorization', 'req.body.password', 'req.body.refreshToken'],
    },
    bodyLimit: deps.settings.BODY_LIMIT,
    trustProxy: deps.trustProxy ?? false,
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);
  app.decorate('ctx', (request: FastifyRequest) => ({
    db: deps.database.db,
    communities: deps.communities,
    calendars: deps.calendars,
    now: deps.now,
    principal: request.principal,
    idempotency: request.idempotency,
  }));

  await app.register(errorHandlerPlugin);
  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'gongzhi 共治 API',
        version: '0.1.0',
        description: '社区分级共治：问题上报、分级派单、会议决策、值班与评议',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(authPlugin, { secret: deps.settings.jwtSecret, db: deps.database.db, now: deps.now });
  await app.register(idempotencyPlugin, { db: deps.database.db, now: deps.now });

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(communityRoutes);
  await app.register(issueRoutes);
  await app.register(photoRoutes);
  await app.register(qrRoutes);
  await app.register(complaintRoutes);
  await app.register(adminRoutes);
  await app.register(taskRoutes);
  await app.register(notificationRoutes);
  await app.register(dutyRoutes);
  await app.register(meetingRoutes);
  await app.register(noticeRoutes);
  await app.register(archiveRoutes);
  await app.register(evaluationRoutes);
  await app.register(kpiRoutes);
  await app.register(creditRoutes);

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(webAppPlugin, { root: deps.webRoot });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
