import { ApiErrorBody, Tokens } from '@gongzhi/domain';
import Taro from '@tarojs/taro';
import type { z } from 'zod';

/** A failed call, in words a person can read. `offline` means the request never reached the API. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly offline = false,
    /** Every problem the API listed (a refused configuration change lists them all). */
    readonly details: { path?: string; message: string }[] = [],
  ) {
    super(message);
  }
}

const SESSION_KEY = 'gz.session';

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms after which the access token is refreshed before use. */
  expiresAt: number;
}

export function readSession(): Session | null {
  const s = Taro.getStorageSync(SESSION_KEY) as Session | '';
  return s && typeof s === 'object' && s.accessToken ? s : null;
}

export function saveTokens(t: Tokens) {
  const session: Session = {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    // A minute early, so a slow request never carries a token that expires on the way.
    expiresAt: Date.now() + (t.expiresIn - 60) * 1000,
  };
  Taro.setStorageSync(SESSION_KEY, session);
}

export function clearSession() {
  Taro.removeStorageSync(SESSION_KEY);
}

export const url = (path: string) => `${API_BASE}${path}`;

/** The API's error body, or a generic message for anything else (a proxy's HTML page). */
export function errorFrom(status: number, data: unknown): ApiError {
  const body = ApiErrorBody.safeParse(typeof data === 'string' ? safeJson(data) : data);
  if (body.success) {
    const { code, message, details } = body.data.error;
    const first = details?.[0]?.message;
    return new ApiError(
      first && code === 'validation_failed' ? first : message,
      status,
      code,
      false,
      details ?? [],
    );
  }
  return new ApiError(
    status >= 500 ? '服务器暂时不可用，请稍后再试' : `请求失败（${status}）`,
    status,
    'http',
  );
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

const offline = () => new ApiError('网络不可用，请检查网络后重试', 0, 'offline', true);

let refreshing: Promise<Session | null> | null = null;

/** One refresh at a time: a rotated refresh token presented twice would end the session. */
function refreshSession(): Promise<Session | null> {
  refreshing ??= (async () => {
    const s = readSession();
    if (!s) return null;
    try {
      const res = await Taro.request({
        url: url('/api/auth/refresh'),
        method: 'POST',
        data: { refreshToken: s.refreshToken },
        header: { 'content-type': 'application/json' },
      });
      if (res.statusCode !== 200) {
        if (res.statusCode === 401) clearSession();
        return null;
      }
      saveTokens(Tokens.parse(res.data));
      return readSession();
    } catch {
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** A valid access token, refreshed if it is about to expire; null when not logged in. */
export async function accessToken(): Promise<string | null> {
  const s = readSession();
  if (!s) return null;
  if (Date.now() < s.expiresAt) return s.accessToken;
  return (await refreshSession())?.accessToken ?? null;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  data?: unknown;
  headers?: Record<string, string>;
  /** Send the session's bearer token (default: when there is a session). */
  auth?: boolean;
  /**
   * The user action's Idempotency-Key (from `useAction`): the same key on every retry of the action,
   * so the API creates the resource once even when an answer was lost.
   */
  idempotencyKey?: string;
}

/** `?a=1&b=x` from the parameters that have a value (undefined, null and '' are left out). */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The last answer was "log in first", and there is no session to renew: an error page offers 登录. */
let loginWanted = false;
export const loginNeeded = () => loginWanted && readSession() === null;

/**
 * Calls the API and parses the answer with the domain schema the API serialises with, so a change
 * on one side that the other does not know fails loudly here instead of rendering nonsense.
 */
export async function api<S extends z.ZodType>(
  schema: S,
  path: string,
  opts: RequestOptions = {},
): Promise<z.infer<S>> {
  const send = async (token: string | null) => {
    const header: Record<string, string> = { ...opts.headers };
    if (opts.idempotencyKey) header['idempotency-key'] = opts.idempotencyKey;
    if (opts.data !== undefined) header['content-type'] = 'application/json';
    if (token) header.authorization = `Bearer ${token}`;
    try {
      return await Taro.request({
        url: url(path),
        method: opts.method ?? 'GET',
        data: opts.data as Record<string, unknown> | undefined,
        header,
        dataType: 'json',
      });
    } catch {
      throw offline();
    }
  };
  const wantsAuth = opts.auth ?? readSession() !== null;
  let res = await send(wantsAuth ? await accessToken() : null);
  if (res.statusCode === 401 && wantsAuth) {
    const renewed = await refreshSession();
    if (renewed) res = await send(renewed.accessToken);
  }
  loginWanted = res.statusCode === 401 && readSession() === null;
  if (res.statusCode < 200 || res.statusCode >= 300) throw errorFrom(res.statusCode, res.data);
  const parsed = schema.safeParse(res.statusCode === 204 ? null : res.data);
  if (!parsed.success) {
    console.error('unexpected response', path, parsed.error);
    throw new ApiError('服务器返回的数据格式与本应用版本不符，请更新后重试', res.statusCode, 'bad_response');
  }
  return parsed.data;
}
