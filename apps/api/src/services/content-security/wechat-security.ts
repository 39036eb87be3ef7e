import { z } from 'zod';
import type { WechatAccessTokens } from '../notifications/wechat-subscribe';

/**
 * WeChat's content security API (内容安全), v2: msgSecCheck for text (synchronous) and
 * mediaCheckAsync for photos (WeChat fetches the photo and pushes its verdict to us later).
 * Both take the access token from the process's one token cache.
 */
export type Suggest = 'pass' | 'review' | 'risky';

/** What content checks need from the app: WeChat's token cache and where our photos are reached. */
export interface ContentSecurity {
  tokens: WechatAccessTokens;
  /** The address WeChat fetches photo links from (PUBLIC_URL). */
  publicUrl: string;
  /** Signs those links (the JWT secret; each link kind has its own label). */
  linkSecret: string;
  log?: { warn(obj: object, msg: string): void } | undefined;
}

/** scene 1 = 资料 (profiles, posts a user writes); version 2 answers with a suggest. */
const SCENE = 1;
const TIMEOUT_MS = 5000;

const MsgSecCheckReply = z.object({
  errcode: z.number().optional(),
  errmsg: z.string().optional(),
  result: z.object({ suggest: z.enum(['pass', 'review', 'risky']), label: z.number().optional() }).optional(),
});
const MediaCheckAsyncReply = z.object({
  errcode: z.number().optional(),
  errmsg: z.string().optional(),
  trace_id: z.string().optional(),
});

async function call<T>(cs: ContentSecurity, path: string, body: object, reply: z.ZodType<T>) {
  const url = new URL(path, cs.tokens.apiBase);
  url.search = new URLSearchParams({ access_token: await cs.tokens.get(Date.now()) }).toString();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  const parsed = reply.parse(await res.json()) as T & { errcode?: number; errmsg?: string };
  // The token expired or was replaced: the next call fetches a new one.
  if (parsed.errcode === 40001 || parsed.errcode === 42001) cs.tokens.forget();
  if (parsed.errcode) throw new Error(`${path}: errcode ${parsed.errcode} ${parsed.errmsg ?? ''}`);
  return parsed;
}

/**
 * msgSecCheck v2 of one text written by the WeChat user `openid`. null: not checked (WeChat not
 * configured, unreachable, or it answered an error) — the caller accepts the text (fail open).
 */
export async function checkText(
  cs: ContentSecurity | undefined,
  input: { openid: string; content: string },
): Promise<Suggest | null> {
  if (!cs?.tokens.configured) return null;
  try {
    const reply = await call(
      cs,
      '/wxa/msg_sec_check',
      { content: input.content, version: 2, scene: SCENE, openid: input.openid },
      MsgSecCheckReply,
    );
    if (!reply.result) throw new Error('/wxa/msg_sec_check: no result');
    return reply.result.suggest;
  } catch (err) {
    cs.log?.warn({ err }, 'msgSecCheck failed: the text is accepted unchecked');
    return null;
  }
}

/**
 * mediaCheckAsync v2 of one image WeChat fetches from `mediaUrl`. The trace_id names the verdict
 * WeChat pushes later; null: not submitted (not configured, unreachable, an error), logged.
 */
export async function submitImageCheck(
  cs: ContentSecurity | undefined,
  input: { openid: string; mediaUrl: string },
): Promise<string | null> {
  if (!cs?.tokens.configured) return null;
  try {
    const reply = await call(
      cs,
      '/wxa/media_check_async',
      { media_url: input.mediaUrl, media_type: 2, version: 2, scene: SCENE, openid: input.openid },
      MediaCheckAsyncReply,
    );
    if (!reply.trace_id) throw new Error('/wxa/media_check_async: no trace_id');
    return reply.trace_id;
  } catch (err) {
    cs.log?.warn({ err }, 'mediaCheckAsync failed: the photo stays unchecked');
    return null;
  }
}
