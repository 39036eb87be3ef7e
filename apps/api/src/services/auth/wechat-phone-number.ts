import { DomainError, Phone, Unprocessable } from '@gongzhi/domain';
import { z } from 'zod';
import type { WechatAccessTokens } from '../notifications/wechat-subscribe';

const PhoneReply = z.object({
  errcode: z.number().optional(),
  errmsg: z.string().optional(),
  phone_info: z
    .object({
      phoneNumber: z.string().optional(),
      purePhoneNumber: z.string(),
      countryCode: z.string(),
      watermark: z.object({ appid: z.string(), timestamp: z.number().optional() }),
    })
    .optional(),
});

const unavailable = () =>
  new DomainError('unavailable', 'wechat_unavailable', '微信手机号服务暂时不可用，请稍后再试或手动填写');

/** WeChat's answers meaning "this code is no good": invalid, already used, missing. */
const BAD_CODE = new Set([40029, 40163, 41008, 40013]);
/** The access token expired or was replaced: fetch a new one and try once more. */
const STALE_TOKEN = new Set([40001, 42001]);

/**
 * The getPhoneNumber button's code → the phone number WeChat vouches for
 * (/wxa/business/getuserphonenumber). The answer must carry our own AppID in its watermark. Only
 * mainland numbers fit the product's phone rule (11 digits from 1). Errors: a bad or expired code
 * 422 phone_code_invalid; WeChat down, not configured or answering nonsense 503 — never a 500.
 */
export async function wechatPhoneNumber(
  tokens: WechatAccessTokens,
  appid: string | undefined,
  code: string,
): Promise<string> {
  if (!tokens.configured || !appid) {
    throw new DomainError(
      'unavailable',
      'wechat_not_configured',
      '未配置微信小程序（WECHAT_APPID / WECHAT_SECRET），请手动填写手机号',
    );
  }
  let reply: z.infer<typeof PhoneReply> | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const url = new URL('/wxa/business/getuserphonenumber', tokens.apiBase);
      url.search = new URLSearchParams({ access_token: await tokens.get(Date.now()) }).toString();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw unavailable();
      reply = PhoneReply.parse(await res.json());
    } catch {
      throw unavailable();
    }
    if (!reply.errcode || !STALE_TOKEN.has(reply.errcode)) break;
    tokens.forget();
  }
  if (reply?.errcode && BAD_CODE.has(reply.errcode)) {
    throw Unprocessable('phone_code_invalid', '手机号授权已失效，请重新点击获取手机号', [
      { path: 'body.code', message: '手机号授权已失效，请重新点击获取手机号' },
    ]);
  }
  const info = reply?.phone_info;
  if (reply?.errcode || !info) throw unavailable();
  // A number meant for another mini-program (or a forged answer) is not this user's consent to us.
  if (info.watermark.appid !== appid) throw unavailable();
  if (info.countryCode !== '86' || !Phone.safeParse(info.purePhoneNumber).success) {
    throw Unprocessable('phone_not_supported', '暂只支持中国大陆手机号，请手动填写', [
      { path: 'body.code', message: '暂只支持中国大陆手机号' },
    ]);
  }
  return info.purePhoneNumber;
}
