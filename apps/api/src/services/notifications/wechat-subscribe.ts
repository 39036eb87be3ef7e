import { formatInstant } from '@gongzhi/domain';
import { z } from 'zod';

export interface WechatSubscribeConfig {
  appid?: string | undefined;
  secret?: string | undefined;
  apiBase: string;
  /** The subscription-message template (订阅消息模板); unset = the WeChat channel is off. */
  templateId?: string | undefined;
  /** Mini-program page opened from the message. */
  page?: string;
  /** Which part of our message fills each keyword of the template (WECHAT_SUBSCRIBE_FIELDS). */
  fields?: Record<string, MessagePart> | undefined;
}

const TokenReply = z.object({
  access_token: z.string().optional(),
  expires_in: z.number().optional(),
  errcode: z.number().optional(),
  errmsg: z.string().optional(),
});
const SendReply = z.object({ errcode: z.number().optional(), errmsg: z.string().optional() });

/** Thrown for a delivery that will never succeed (the user refused the subscription, bad template). */
export class PermanentDeliveryError extends Error {
  constructor(
    message: string,
    /** WeChat's errcode, when WeChat said so (43101: no subscription left). */
    readonly errcode?: number,
  ) {
    super(message);
  }
}

/** What our message can put in a template keyword. */
export const MESSAGE_PARTS = ['title', 'body', 'at'] as const;
export type MessagePart = (typeof MESSAGE_PARTS)[number];
/** The default mapping: a template with two 事物 keywords (title, then what happened). */
export const DEFAULT_TEMPLATE_FIELDS: Record<string, MessagePart> = { thing1: 'title', thing2: 'body' };

/** WeChat's limits per keyword type (订阅消息参数值内容限制). */
function fieldValue(keyword: string, part: MessagePart, msg: { title: string; body: string; at: Date }) {
  if (part === 'at') return formatInstant(msg.at).replace(/^(\d{4})-(\d{2})-(\d{2})/, '$1年$2月$3日');
  const text = msg[part];
  if (keyword.startsWith('thing')) return text.slice(0, 20);
  if (keyword.startsWith('phrase')) return text.slice(0, 5);
  if (keyword.startsWith('character_string')) return text.slice(0, 32);
  return text.slice(0, 20);
}

/** The credentials an access token is obtained with. */
export interface WechatCredentials {
  appid?: string | undefined;
  secret?: string | undefined;
  apiBase: string;
}

/**
 * WeChat's access token (/cgi-bin/token), cached until shortly before it expires. One cache per
 * process serves every WeChat call that needs the token (subscription messages, content security):
 * each new token retires the previous one (WeChat keeps the old valid only a few minutes), and
 * calls that need a token at the same moment share one fetch.
 */
export function wechatAccessTokens(cfg: WechatCredentials) {
  let token: { value: string; until: number } | null = null;
  let pending: Promise<string> | null = null;
  async function fetchToken(now: number): Promise<string> {
    const url = new URL('/cgi-bin/token', cfg.apiBase);
    url.search = new URLSearchParams({
      grant_type: 'client_credential',
      appid: cfg.appid ?? '',
      secret: cfg.secret ?? '',
    }).toString();
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`获取 access_token 失败：HTTP ${res.status}`);
    const reply = TokenReply.parse(await res.json());
    if (!reply.access_token)
      throw new Error(`获取 access_token 失败：${reply.errcode} ${reply.errmsg ?? ''}`);
    token = { value: reply.access_token, until: now + Math.max(60, (reply.expires_in ?? 7200) - 300) * 1000 };
    return token.value;
  }
  return {
    configured: !!(cfg.appid && cfg.secret),
    apiBase: cfg.apiBase,
    /** The cached token, or a new one; calls that arrive while it is fetched share that fetch. */
    get(now: number): Promise<string> {
      if (token && token.until > now) return Promise.resolve(token.value);
      pending ??= fetchToken(now).finally(() => {
        pending = null;
      });
      return pending;
    },
    /** WeChat said the token expired or is invalid (40001, 42001): fetch a new one next time. */
    forget() {
      token = null;
    },
  };
}
export type WechatAccessTokens = ReturnType<typeof wechatAccessTokens>;

/**
 * WeChat subscription messages (subscribeMessage.send) over plain HTTP: an access token from
 * the shared cache (`wechatAccessTokens`), then POST /cgi-bin/message/subscribe/send.
 */
export function wechatSubscribeSender(
  cfg: WechatSubscribeConfig,
  tokens: WechatAccessTokens = wechatAccessTokens(cfg),
) {
  const fields = cfg.fields ?? DEFAULT_TEMPLATE_FIELDS;
  return {
    enabled: !!(cfg.templateId && cfg.appid && cfg.secret),
    templateId: cfg.templateId ?? '',
    /** The templates the mini-program asks the person to accept. */
    templateIds: cfg.templateId && cfg.appid && cfg.secret ? [cfg.templateId] : [],
    async send(openid: string, msg: { title: string; body: string; issueId: string | null; at: Date }) {
      const url = new URL('/cgi-bin/message/subscribe/send', cfg.apiBase);
      url.search = new URLSearchParams({ access_token: await tokens.get(Date.now()) }).toString();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          touser: openid,
          template_id: cfg.templateId,
          page: msg.issueId
            ? `${cfg.page ?? 'pages/inbox/index'}?issue=${msg.issueId}`
            : (cfg.page ?? 'pages/inbox/index'),
          data: Object.fromEntries(
            Object.entries(fields).map(([keyword, part]) => [
              keyword,
              { value: fieldValue(keyword, part, msg) },
            ]),
          ),
        }),
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new Error(`发送订阅消息失败：HTTP ${res.status}`);
      const reply = SendReply.parse(await res.json());
      if (reply.errcode === 40001 || reply.errcode === 42001) tokens.forget(); // token expired: retry later
      // 43101: the user did not subscribe (or used up the subscription): retrying cannot help.
      if (reply.errcode === 43101 || reply.errcode === 40003 || reply.errcode === 40037) {
        throw new PermanentDeliveryError(
          `订阅消息无法送达：${reply.errcode} ${reply.errmsg ?? ''}`,
          reply.errcode,
        );
      }
      if (reply.errcode) throw new Error(`发送订阅消息失败：${reply.errcode} ${reply.errmsg ?? ''}`);
    },
  };
}
export type WechatSender = ReturnType<typeof wechatSubscribeSender>;
