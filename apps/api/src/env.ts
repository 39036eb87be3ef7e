import { z } from 'zod';

/** Every environment key the API reads. config/.env.example documents each one. */
const Env = z.object({
  NODE_ENV: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  /** DEMO=1: seed demo accounts with the published password (loopback only, never production). */
  DEMO: z
    .string()
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Default 127.0.0.1 outside production, 0.0.0.0 in production. */
  HOST: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined)),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL 须以 postgres:// 开头')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * PostgreSQL: run the migrations with this URL (the schema's owner role) instead of DATABASE_URL,
   * so the server itself can connect as a role that owns nothing (docs/operations.md "Database roles").
   */
  MIGRATION_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'MIGRATION_DATABASE_URL 须以 postgres:// 开头')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CONFIG_DIR: z.string().default('config/communities'),
  /** Holiday calendars (Chinese public holidays and make-up workdays) that communities refer to. */
  CALENDAR_DIR: z.string().default('config/calendars'),
  // A blank value counts as unset: an empty signing key must never be used.
  JWT_SECRET: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v : undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Signs building/facility QR codes (HMAC-SHA256). Required in production. */
  QR_SECRET: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v : undefined)),
  /**
   * Public base URL printed into QR codes and calendar links, e.g. https://gongzhi.example.cn.
   * Unset: the address the server actually listens on (server.ts fills it in after listen).
   */
  PUBLIC_URL: z
    .string()
    .url('PUBLIC_URL 须是完整网址')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * Whose X-Forwarded-For to believe: a hop count (`1` = the nearest proxy), or the proxies'
   * addresses/CIDRs (comma-separated). `true` (everyone) is refused in production. Default: none.
   */
  TRUST_PROXY: z.string().optional(),
  /** WeChat mini-program credentials and the code2session base URL (a fake on 127.0.0.1 in tests). */
  WECHAT_APPID: z.string().optional(),
  WECHAT_SECRET: z.string().optional(),
  WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
  /** Subscription-message template id (订阅消息); unset = notifications go to the in-app inbox only. */
  WECHAT_SUBSCRIBE_TEMPLATE_ID: z.string().optional(),
  /**
   * How our message fills the template's keywords, as JSON: {"thing1":"title","thing2":"body",
   * "time3":"at"} (title, body, or the time it happened). Default: {"thing1":"title","thing2":"body"}.
   */
  WECHAT_SUBSCRIBE_FIELDS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v?.trim()) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'WECHAT_SUBSCRIBE_FIELDS 须是 JSON，如 {"thing1":"title","thing2":"body"}',
        });
        return z.NEVER;
      }
      const fields = z
        .record(
          z.string().regex(/^(thing|time|date|phrase|character_string|number|letter|symbol|name|amount)\d+$/),
          z.enum(['title', 'body', 'at']),
        )
        .safeParse(parsed);
      if (!fields.success || Object.keys(fields.data).length === 0) {
        ctx.addIssue({
          code: 'custom',
          message: 'WECHAT_SUBSCRIBE_FIELDS 的键须是模板关键词（如 thing1、time3），值须是 title、body 或 at',
        });
        return z.NEVER;
      }
      return fields.data;
    }),
  /**
   * The Token of the mini-program's message push (消息推送) setting: WeChat signs every push with it
   * (content-security results of photos). Unset = pushes are refused (401) and photos stay unchecked.
   */
  WECHAT_PUSH_TOKEN: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined)),
  /** How often the follow-up clock (overdue reminders, letters, auto-close) runs; 0 turns it off. */
  FOLLOW_UP_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** How often the notification outbox is delivered; 0 turns it off. */
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(0).default(2_000),
  /**
   * How often each instance checks the database for a newer community configuration version (an
   * administrator's edit on any instance); 0 turns it off.
   */
  CONFIG_REFRESH_MS: z.coerce.number().int().min(0).default(2_000),
  /**
   * How many child processes encode uploaded photos, at a lower CPU priority than the API so other
   * requests are answered first (services/photos/photo-workers.ts). Unset: one per two cores (at
   * least one); 0 = in the API's own process.
   */
  PHOTO_WORKERS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(0).max(64).optional(),
  ),
  /** Largest JSON body in bytes; uploads have their own limits. */
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024),
  /** Longest time to receive a whole request (headers and body) from a client. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  /** Longest time to receive the request headers. */
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(0).default(20_000),
  /** An idle keep-alive connection is closed after this long (above the proxy's, e.g. nginx 60 s). */
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(0).default(72_000),
  /** A socket with no traffic at all is closed after this long. */
  CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(0).default(120_000),
  /** PostgreSQL: give up opening a connection after this long. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(3_000),
  /** PostgreSQL: the server cancels any statement that runs longer (statement_timeout). */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
  /**
   * PostgreSQL: reuse prepared statements per connection (parse and plan once). `false` only behind
   * a pooler in transaction mode that cannot keep them (PgBouncer before 1.21).
   */
  DATABASE_PREPARE: z
    .enum(['true', 'false'], 'DATABASE_PREPARE 须为 true 或 false')
    .default('true')
    .transform((v) => v === 'true'),
  /** At start, how long to wait (retrying with backoff) for a PostgreSQL that is not up yet. */
  DATABASE_WAIT_SECONDS: z.coerce.number().min(0).default(60),
  /** /ready answers 503 when the data directory's file system has less free space than this. */
  MIN_FREE_DISK_MB: z.coerce.number().min(0).default(50),
  // Shared photo storage: an S3-compatible object store (MinIO, Aliyun OSS, Tencent COS, AWS S3).
  // S3_BUCKET set = photos and archives go there; unset = DATA_DIR/uploads on this machine's disk.
  S3_BUCKET: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined)),
  S3_ENDPOINT: z
    .string()
    .url('S3_ENDPOINT 须是完整网址，如 https://oss-cn-hangzhou.aliyuncs.com')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** true for MinIO and most self-hosted stores; false (virtual-hosted) for OSS, COS and AWS. */
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'], 'S3_FORCE_PATH_STYLE 须为 true 或 false')
    .default('false')
    .transform((v) => v === 'true'),
  S3_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._/-]*$/, 'S3_PREFIX 只能含小写字母、数字和 . _ / -')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
export type Env = z.infer<typeof Env>;

/** Used only outside production, so a newcomer's first `pnpm start` works. Never in production. */
export const DEV_JWT_SECRET = 'gongzhi-development-only-secret-do-not-use-in-production';
export const DEV_QR_SECRET = 'gongzhi-development-only-qr-secret';

/** What Fastify's trustProxy gets: nobody, a hop count, an address/CIDR list, or everyone. */
export type TrustProxy = false | number | string | true;

/**
 * TRUST_PROXY as Fastify takes it. `true` trusts every client's X-Forwarded-For: any client then
 * chooses its own address, and every per-address limit (login, complaints, uploads) is void.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = value?.trim().toLowerCase() ?? '';
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops < 1 || hops > 10) throw new Error('TRUST_PROXY 的代理层数须在 1 到 10 之间');
    return hops;
  }
  return value!.trim();
}

export const TRUST_PROXY_EVERYONE_REFUSED =
  'TRUST_PROXY=true 会信任所有客户端自报的 X-Forwarded-For，任何人都能伪造自己的地址来绕过登录、投诉和上传的限流，' +
  '生产模式拒绝启动。请改为反向代理的地址或网段（如 TRUST_PROXY=127.0.0.1 或 10.0.0.0/8），或代理层数（如 TRUST_PROXY=1）';

/** Printed at start when TRUST_PROXY=true outside production. */
export const TRUST_PROXY_EVERYONE_WARNING = `
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!! 警告：TRUST_PROXY=true 信任所有客户端自报的 X-Forwarded-For 地址，
!! 任何人都能冒充任意地址，按地址的限流（登录、投诉、上传）全部失效。生产模式不允许这样设置。
!! 请改为反向代理的地址或网段（TRUST_PROXY=127.0.0.1），或代理层数（TRUST_PROXY=1）。
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
`;

export interface Settings extends Omit<Env, 'HOST' | 'PUBLIC_URL'> {
  HOST: string;
  /** Set PUBLIC_URL, or (until the server listens) http://localhost:PORT. */
  PUBLIC_URL: string;
  /** PUBLIC_URL was given; otherwise the server sets it to the address it listens on. */
  publicUrlGiven: boolean;
  jwtSecret: string;
  qrSecret: string;
  production: boolean;
  demo: boolean;
  /** TRUST_PROXY, parsed (never `true` in production). */
  trustProxy: TrustProxy;
}

export function readSettings(source: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    throw new Error(
      `环境变量无效：\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  if (production && (!env.JWT_SECRET || env.JWT_SECRET.length < 32 || env.JWT_SECRET === DEV_JWT_SECRET)) {
    throw new Error('生产模式（NODE_ENV=production）必须设置 JWT_SECRET：至少 32 个字符的随机字符串');
  }
  if (production && (!env.QR_SECRET || env.QR_SECRET.length < 32 || env.QR_SECRET === DEV_QR_SECRET)) {
    throw new Error('生产模式（NODE_ENV=production）必须设置 QR_SECRET：至少 32 个字符的随机字符串');
  }
  if (production && env.DEMO) {
    throw new Error(
      '演示模式（DEMO=1）会创建公开密码的账号，不能用于生产模式：请去掉 DEMO 或 NODE_ENV=production',
    );
  }
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  if (production && trustProxy === true) throw new Error(TRUST_PROXY_EVERYONE_REFUSED);
  if (
    env.HEADERS_TIMEOUT_MS > 0 &&
    env.REQUEST_TIMEOUT_MS > 0 &&
    env.HEADERS_TIMEOUT_MS > env.REQUEST_TIMEOUT_MS
  ) {
    throw new Error('HEADERS_TIMEOUT_MS 不能大于 REQUEST_TIMEOUT_MS');
  }
  return {
    ...env,
    HOST: env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    publicUrlGiven: env.PUBLIC_URL !== undefined,
    production,
    demo: env.DEMO,
    trustProxy,
    jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET,
    qrSecret: env.QR_SECRET ?? DEV_QR_SECRET,
  };
}

/**
 * How often Node looks for requests over their header or request timeout. Its default (30 s) would
 * let a slow client hold a connection up to 30 s past the bound; a tenth of the shorter bound keeps
 * the overrun small at a negligible cost.
 */
export function checkingInterval(t: { request: number; headers: number }): number {
  const bounds = [t.request, t.headers].filter((ms) => ms > 0);
  if (bounds.length === 0) return 30_000;
  return Math.min(30_000, Math.max(50, Math.floor(Math.min(...bounds) / 10)));
}

/** The HTTP server's bounds from the settings (app.ts `timeouts`; docs/runtime.md, "Timeouts"). */
export const serverTimeouts = (
  s: Pick<
    Settings,
    'REQUEST_TIMEOUT_MS' | 'HEADERS_TIMEOUT_MS' | 'KEEP_ALIVE_TIMEOUT_MS' | 'CONNECTION_TIMEOUT_MS'
  >,
) => ({
  request: s.REQUEST_TIMEOUT_MS,
  headers: s.HEADERS_TIMEOUT_MS,
  keepAlive: s.KEEP_ALIVE_TIMEOUT_MS,
  connection: s.CONNECTION_TIMEOUT_MS,
});

/**
 * Only where the database is (DATABASE_URL, else DATA_DIR): what the command-line tools need to
 * open the same database as the server, without the server's secrets.
 */
export function readDatabaseSettings(source: NodeJS.ProcessEnv = process.env) {
  const parsed = Env.pick({ DATABASE_URL: true, MIGRATION_DATABASE_URL: true, DATA_DIR: true }).safeParse(
    source,
  );
  if (!parsed.success) {
    throw new Error(
      `环境变量无效：\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine reaches. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(h) ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(h)
  );
}

/**
 * Outside production the development secrets (and, with DEMO=1, accounts with a published
 * password) are in use, so the server must be reachable from this machine only. Returns the
 * reason to refuse the start, naming the setting to change, or null.
 */
export function exposureProblem(settings: Settings): string | null {
  if (settings.production) return null;
  const why = settings.demo ? '演示模式（DEMO=1，账号密码公开）' : '非生产模式（使用公开的开发密钥）';
  const fix =
    '要对外提供服务，请设置 NODE_ENV=production 并配置 JWT_SECRET、QR_SECRET（见 config/.env.example）';
  if (!isLoopbackHost(settings.HOST)) {
    return `拒绝启动：${why}只能监听本机回环地址，而 HOST=${settings.HOST}。请把 HOST 改为 127.0.0.1，或${fix}。`;
  }
  if (settings.publicUrlGiven && !isLoopbackHost(new URL(settings.PUBLIC_URL).hostname)) {
    return `拒绝启动：${why}的 PUBLIC_URL 只能指向本机，而 PUBLIC_URL=${settings.PUBLIC_URL}。请去掉 PUBLIC_URL 或改为 http://localhost:端口，或${fix}。`;
  }
  return null;
}
