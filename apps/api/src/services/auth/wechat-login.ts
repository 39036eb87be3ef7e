import { randomBytes } from 'node:crypto';
import { DomainError, Unauthorized } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { accountsTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { startSession } from './start-session';

export const WechatLoginInput = z.strictObject({
  /** The code from wx.login(), valid once for five minutes. */
  code: z.string().min(1, '缺少登录 code').max(128),
});

export interface WechatConfig {
  appid?: string | undefined;
  secret?: string | undefined;
  apiBase: string;
}

const Code2SessionReply = z.object({
  openid: z.string().optional(),
  errcode: z.number().optional(),
  errmsg: z.string().optional(),
});

const unavailable = () =>
  new DomainError('unavailable', 'wechat_unavailable', '微信登录服务暂时不可用，请稍后再试');

/** wx.login code → code2session → sign in as that WeChat user (see wechatOpenid, residentSession). */
export async function wechatLogin(ctx: ServiceContext, wechat: WechatConfig, code: string) {
  return residentSession(ctx, await wechatOpenid(wechat, code));
}

/**
 * wx.login code → code2session → the WeChat user's openid. session_key is in WeChat's reply but
 * is neither kept, returned nor logged: we need only the openid.
 */
export async function wechatOpenid(wechat: WechatConfig, code: string): Promise<string> {
  if (!wechat.appid || !wechat.secret) {
    throw new DomainError(
      'unavailable',
      'wechat_not_configured',
      '未配置微信小程序登录（WECHAT_APPID / WECHAT_SECRET）',
    );
  }
  const url = new URL('/sns/jscode2session', wechat.apiBase);
  url.search = new URLSearchParams({
    appid: wechat.appid,
    secret: wechat.secret,
    js_code: code,
    grant_type: 'authorization_code',
  }).toString();
  let reply: z.infer<typeof Code2SessionReply>;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw unavailable();
    reply = Code2SessionReply.parse(await res.json());
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw unavailable();
  }
  if (reply.errcode || !reply.openid) {
    // 40029 invalid code, 40163 code used, 45011 too frequent: the user can simply try again.
    throw Unauthorized('wechat_login_failed', '微信登录失败，请重新进入小程序后再试');
  }
  return reply.openid;
}

/** Find or create the resident account of an openid and start a session. */
export async function residentSession(ctx: ServiceContext, openid: string) {
  return ctx.db.transaction(async (tx) => {
    await tx
      .insert(accountsTable)
      .values({ kind: 'resident', wechatOpenid: openid, displayName: '居民' })
      .onConflictDoNothing({ target: accountsTable.wechatOpenid });
    const [account] = await tx.select().from(accountsTable).where(eq(accountsTable.wechatOpenid, openid));
    if (account!.disabledAt) throw Unauthorized('account_disabled', '该账号已停用，请联系居委会');
    const { sessionId, refreshToken } = await startSession(tx, account!.id, ctx.now());
    return { accountId: account!.id, sessionId, refreshToken };
  });
}

/** Demo mode only: the H5 build has no wx.login, so it gets a resident of its own. */
export const devOpenid = () => `dev-${randomBytes(12).toString('base64url')}`;
