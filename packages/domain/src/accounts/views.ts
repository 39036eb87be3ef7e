import { z } from 'zod';
import { Phone } from '../issues/schema';
import { IdParams } from '../text';

/**
 * Account administration (账号与人员): request and response shapes shared by the API and the
 * mini-program, which parses every answer with the schema the API serialises with.
 */
export const ACCOUNT_KINDS = ['staff', 'resident', 'admin'] as const;
export const AccountKind = z.enum(ACCOUNT_KINDS);
export type AccountKind = z.infer<typeof AccountKind>;

export const ACCOUNT_KIND_NAMES: Record<AccountKind, string> = {
  staff: '工作人员',
  resident: '居民',
  admin: '管理员',
};

/** What the account log records. Append-only: the database refuses to change a row. */
export const ACCOUNT_EVENT_ACTIONS = [
  'created',
  'disabled',
  'enabled',
  'password_reset',
  'password_changed',
  'session_ended',
  'wechat_bound',
  'wechat_unbound',
] as const;
export const AccountEventAction = z.enum(ACCOUNT_EVENT_ACTIONS);
export type AccountEventAction = z.infer<typeof AccountEventAction>;

export const ACCOUNT_EVENT_NAMES: Record<AccountEventAction, string> = {
  created: '创建账号',
  disabled: '停用账号',
  enabled: '重新启用',
  password_reset: '重置密码',
  password_changed: '修改密码',
  session_ended: '结束登录',
  wechat_bound: '绑定微信',
  wechat_unbound: '解除微信绑定',
};

/** Where an account event came from: the app (an API request) or the command line on the server. */
export const ACCOUNT_EVENT_SOURCES = ['app', 'cli'] as const;

export const AccountView = z.object({
  id: z.string(),
  kind: AccountKind,
  phone: z.string().nullable(),
  displayName: z.string(),
  person: z.object({ community: z.string(), key: z.string(), name: z.string() }).nullable(),
  wechatOpenid: z.string().nullable(),
  /** The phone the person gave through WeChat (getPhoneNumber), masked: 138****1234. */
  wechatPhone: z.string().nullable(),
  disabledAt: z.string().nullable(),
  /** Set by a reset: the one-time password must be replaced at the next login. */
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
});
export type AccountView = z.infer<typeof AccountView>;

export const AccountList = z.object({ items: z.array(AccountView), nextCursor: z.string().nullable() });
export type AccountList = z.infer<typeof AccountList>;

export const AccountSessionView = z.object({
  id: z.string(),
  createdAt: z.string(),
  /** When its latest token was issued (login or refresh): the last time the device was seen. */
  lastActiveAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  live: z.boolean(),
});
export type AccountSessionView = z.infer<typeof AccountSessionView>;

export const AccountEventView = z.object({
  id: z.string(),
  at: z.string(),
  action: AccountEventAction,
  source: z.enum(ACCOUNT_EVENT_SOURCES),
  /** Who did it: an account, or on the command line nobody signed in (accountId null). */
  actor: z.object({ accountId: z.string().nullable(), name: z.string() }),
  account: z.object({ id: z.string(), name: z.string(), phone: z.string().nullable() }),
  detail: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
});
export type AccountEventView = z.infer<typeof AccountEventView>;

export const AccountEventList = z.object({
  items: z.array(AccountEventView),
  nextCursor: z.string().nullable(),
});
export type AccountEventList = z.infer<typeof AccountEventList>;

export const AccountDetail = z.object({
  account: AccountView,
  sessions: z.array(AccountSessionView),
  events: z.array(AccountEventView),
});
export type AccountDetail = z.infer<typeof AccountDetail>;

/** A new or reset password, shown once to the administrator who hands it over. */
export const OneTimePasswordView = z.object({ account: AccountView, oneTimePassword: z.string() });
export type OneTimePasswordView = z.infer<typeof OneTimePasswordView>;

/** The people of a community config and the account each has (for 新建账号). */
export const AccountPeople = z.object({
  community: z.object({ key: z.string(), name: z.string() }),
  /** Every community the caller may make accounts in (to switch between). */
  communities: z.array(z.object({ key: z.string(), name: z.string() })),
  people: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      phone: z.string().nullable(),
      accounts: z.array(z.object({ id: z.string(), phone: z.string().nullable(), disabled: z.boolean() })),
    }),
  ),
});
export type AccountPeople = z.infer<typeof AccountPeople>;

const KeyText = z.string().trim().min(1, '不能为空').max(32, '最多 32 个字符');
const Uuid = z.string().uuid('编号无效');

export const AccountIdParams = IdParams('账号');
export const AccountSessionParams = z.strictObject({ id: Uuid, sessionId: Uuid });

export const AccountListQuery = z.strictObject({
  /** Phone, name, person key or openid; part of it is enough. */
  q: z.string().trim().max(40, '搜索词最多 40 个字符').optional(),
  kind: AccountKind.optional(),
  status: z.enum(['active', 'disabled']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type AccountListQuery = z.infer<typeof AccountListQuery>;

export const AccountEventQuery = z.strictObject({
  account: Uuid.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export type AccountEventQuery = z.infer<typeof AccountEventQuery>;

/** Without a community: the caller's own, else the first one. */
export const AccountPeopleQuery = z.strictObject({ community: KeyText.optional() });

export const CreateStaffAccountInput = z.strictObject({
  community: KeyText,
  /** A person key of that community's config. */
  person: KeyText,
  phone: Phone,
  /** Defaults to the person's name in the config. */
  displayName: z.string().trim().min(1, '不能为空').max(40, '最多 40 个字符').optional(),
});
export type CreateStaffAccountInput = z.infer<typeof CreateStaffAccountInput>;

export const ChangePasswordInput = z.strictObject({
  oldPassword: z.string().min(1, '请输入原密码').max(200, '密码过长'),
  newPassword: z.string().min(1, '请输入新密码').max(200, '密码过长'),
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

export const BindWechatInput = z.strictObject({
  /** The person's openid in this mini-program (28 characters for WeChat; dev openids are longer). */
  openid: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{6,64}$/, 'openid 应为 6–64 位字母、数字、下划线或连字符'),
});
export type BindWechatInput = z.infer<typeof BindWechatInput>;
