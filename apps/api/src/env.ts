import { z } from 'zod';

/** Every environment key the API reads. config/.env.example documents each one. */
const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL 须以 postgres:// 开头')
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
  /** Public base URL printed into QR codes, e.g. https://gongzhi.example.cn */
  PUBLIC_URL: z.string().url('PUBLIC_URL 须是完整网址').default('http://localhost:3000'),
  /** Trust X-Forwarded-For from this proxy (address/CIDR list, or "true" for any). Default: trust none. */
  TRUST_PROXY: z.string().optional(),
  /** WeChat mini-program credentials and the code2session base URL (a fake on 127.0.0.1 in tests). */
  WECHAT_APPID: z.string().optional(),
  WECHAT_SECRET: z.string().optional(),
  WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
  /** Subscription-message template id (订阅消息); unset = notifications go to the in-app inbox only. */
  WECHAT_SUBSCRIBE_TEMPLATE_ID: z.string().optional(),
  /** How often the follow-up clock (overdue reminders, letters, auto-close) runs; 0 turns it off. */
  FOLLOW_UP_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** How often the notification outbox is delivered; 0 turns it off. */
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(0).default(2_000),
  /** Largest JSON body in bytes; uploads have their own limits. */
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024),
});
export type Env = z.infer<typeof Env>;

/** Used only outside production, so a newcomer's first `pnpm start` works. Never in production. */
export const DEV_JWT_SECRET = 'gongzhi-development-only-secret-do-not-use-in-production';
export const DEV_QR_SECRET = 'gongzhi-development-only-qr-secret';

export interface Settings extends Env {
  jwtSecret: string;
  qrSecret: string;
  production: boolean;
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
  return {
    ...env,
    production,
    jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET,
    qrSecret: env.QR_SECRET ?? DEV_QR_SECRET,
  };
}
