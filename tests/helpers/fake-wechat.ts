import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for WeChat's HTTP API, as a real HTTP server on 127.0.0.1: the product talks to it
 * exactly as it would to api.weixin.qq.com. code2session: codes map to openids; unknown codes get
 * WeChat's "invalid code" error. Subscription messages: /cgi-bin/token hands out an access token,
 * /cgi-bin/message/subscribe/send records what was sent, and can be told to fail. Content security
 * (v2): /wxa/msg_sec_check answers a suggest chosen per content or per next call (default 'pass');
 * /wxa/media_check_async answers a trace_id and, like WeChat, fetches the media_url (recorded in
 * `mediaFetches`); `pushMediaCheck` then delivers the verdict to the app as WeChat's signed push.
 * Phone numbers: /wxa/business/getuserphonenumber exchanges a getPhoneNumber code given with
 * `issuePhone` for its phone_info (once; an unknown code 40029, a used one 40163).
 */
export type Suggest = 'pass' | 'review' | 'risky';

export interface MediaFetch {
  url: string;
  status: number;
  contentType: string | null;
  bytes: Buffer;
}
export async function startFakeWechat(opts: { appid: string; secret: string }) {
  const codes = new Map<string, string>();
  const requests: URL[] = [];
  const sent: {
    touser: string;
    template_id: string;
    page: string;
    data: Record<string, { value: string }>;
  }[] = [];
  let mode: 'ok' | 'down' = 'ok';
  /** Queued outcomes for the next sends: an HTTP status, or a WeChat errcode. */
  const sendFailures: ({ status: number } | { errcode: number })[] = [];
  let tokens = 0;
  const textChecks: { content: string; version: number; scene: number; openid: string }[] = [];
  const textSuggests = new Map<string, Suggest>();
  const nextSuggests: Suggest[] = [];
  /** Queued outcomes for the next content-security calls (either API): an HTTP status or an errcode. */
  const checkFailures: ({ status: number } | { errcode: number })[] = [];
  const mediaChecks: {
    media_url: string;
    media_type: number;
    version: number;
    scene: number;
    openid: string;
    trace_id: string;
  }[] = [];
  const mediaFetches: MediaFetch[] = [];
  let traces = 0;
  const phoneCodes = new Map<string, { phone: string; countryCode: string; appid: string }>();
  const usedPhoneCodes = new Set<string>();
  /** Queued outcomes for the next phone-number calls: an HTTP status or an errcode. */
  const phoneFailures: ({ status: number } | { errcode: number })[] = [];
  const phoneRequests: { code: string; accessToken: string | null }[] = [];
  const fetchMedia = async (url: string) => {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
      mediaFetches.push({
        url,
        status: r.status,
        contentType: r.headers.get('content-type'),
        bytes: Buffer.from(await r.arrayBuffer()),
      });
    } catch {
      mediaFetches.push({ url, status: 0, contentType: null, bytes: Buffer.alloc(0) });
    }
  };
  const readJson = (req: import('node:http').IncomingMessage) =>
    new Promise<Record<string, unknown>>((resolve) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => resolve(JSON.parse(body || '{}')));
    });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    if (mode === 'down') {
      res.writeHead(502).end('bad gateway');
      return;
    }
    res.setHeader('content-type', 'application/json');
    const p = url.searchParams;
    if (url.pathname === '/cgi-bin/token') {
      if (p.get('appid') !== opts.appid || p.get('secret') !== opts.secret) {
        res.end(JSON.stringify({ errcode: 40125, errmsg: 'invalid appsecret' }));
        return;
      }
      res.end(JSON.stringify({ access_token: `TOKEN-${++tokens}`, expires_in: 7200 }));
      return;
    }
    if (url.pathname === '/cgi-bin/message/subscribe/send' && req.method === 'POST') {
      void readJson(req).then((body) => {
        if (!p.get('access_token')?.startsWith('TOKEN-')) {
          res.end(JSON.stringify({ errcode: 40001, errmsg: 'invalid credential' }));
          return;
        }
        const failure = sendFailures.shift();
        if (failure && 'status' in failure) {
          res.writeHead(failure.status).end('{}');
          return;
        }
        if (failure) {
          res.end(JSON.stringify({ errcode: failure.errcode, errmsg: 'refused' }));
          return;
        }
        sent.push(body as (typeof sent)[number]);
        res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
      });
      return;
    }
    if (
      (url.pathname === '/wxa/msg_sec_check' || url.pathname === '/wxa/media_check_async') &&
      req.method === 'POST'
    ) {
      void readJson(req).then((body) => {
        if (!p.get('access_token')?.startsWith('TOKEN-')) {
          res.end(JSON.stringify({ errcode: 40001, errmsg: 'invalid credential' }));
          return;
        }
        const failure = checkFailures.shift();
        if (failure && 'status' in failure) {
          res.writeHead(failure.status).end('{}');
          return;
        }
        if (failure) {
          res.end(JSON.stringify({ errcode: failure.errcode, errmsg: 'refused' }));
          return;
        }
        if (url.pathname === '/wxa/msg_sec_check') {
          const check = body as (typeof textChecks)[number];
          textChecks.push(check);
          const suggest = nextSuggests.shift() ?? textSuggests.get(check.content) ?? 'pass';
          const label = suggest === 'pass' ? 100 : 20001;
          res.end(
            JSON.stringify({
              errcode: 0,
              errmsg: 'ok',
              result: { suggest, label },
              detail: [{ strategy: 'content_model', errcode: 0, suggest, label, prob: 90 }],
              trace_id: `TEXT-${textChecks.length}`,
            }),
          );
          return;
        }
        const trace_id = `TRACE-${++traces}-${randomBytes(4).toString('hex')}`;
        mediaChecks.push({ ...(body as Omit<(typeof mediaChecks)[number], 'trace_id'>), trace_id });
        res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', trace_id }));
        // WeChat fetches the media afterwards, on its own.
        void fetchMedia(String(body.media_url));
      });
      return;
    }
    if (url.pathname === '/wxa/business/getuserphonenumber' && req.method === 'POST') {
      void readJson(req).then((body) => {
        const code = String(body.code ?? '');
        phoneRequests.push({ code, accessToken: p.get('access_token') });
        if (!p.get('access_token')?.startsWith('TOKEN-')) {
          res.end(JSON.stringify({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid' }));
          return;
        }
        const failure = phoneFailures.shift();
        if (failure && 'status' in failure) {
          res.writeHead(failure.status).end('{}');
          return;
        }
        if (failure) {
          res.end(JSON.stringify({ errcode: failure.errcode, errmsg: 'refused' }));
          return;
        }
        const given = phoneCodes.get(code);
        if (!given) {
          const errcode = usedPhoneCodes.has(code) ? 40163 : 40029;
          res.end(JSON.stringify({ errcode, errmsg: errcode === 40163 ? 'code been used' : 'invalid code' }));
          return;
        }
        phoneCodes.delete(code);
        usedPhoneCodes.add(code);
        const local = given.phone;
        res.end(
          JSON.stringify({
            errcode: 0,
            errmsg: 'ok',
            phone_info: {
              phoneNumber: given.countryCode === '86' ? local : `+${given.countryCode}${local}`,
              purePhoneNumber: local,
              countryCode: given.countryCode,
              watermark: { timestamp: Math.floor(Date.now() / 1000), appid: given.appid },
            },
          }),
        );
      });
      return;
    }
    if (url.pathname !== '/sns/jscode2session' || p.get('grant_type') !== 'authorization_code') {
      res.end(JSON.stringify({ errcode: 40013, errmsg: 'invalid request' }));
      return;
    }
    if (p.get('appid') !== opts.appid || p.get('secret') !== opts.secret) {
      res.end(JSON.stringify({ errcode: 40125, errmsg: 'invalid appsecret' }));
      return;
    }
    const openid = codes.get(p.get('js_code') ?? '');
    if (!openid) {
      res.end(JSON.stringify({ errcode: 40029, errmsg: 'invalid code' }));
      return;
    }
    codes.delete(p.get('js_code')!); // a code is good once
    res.end(JSON.stringify({ openid, session_key: 'SESSION-KEY-MUST-NOT-LEAK' }));
  });
  // Node closes an idle keep-alive connection after 5 s; a client reusing it at that moment gets
  // ECONNRESET (a test that spends ~5 s starting another app hit exactly that). WeChat's servers
  // keep connections far longer; so does the fake, and close() ends them.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    /** Subscription messages received, in order. */
    sent,
    /** Make the next sends fail, in order. */
    failNextSends: (...outcomes: ({ status: number } | { errcode: number })[]) => {
      sendFailures.push(...outcomes);
    },
    /** msgSecCheck requests received, in order. */
    textChecks,
    /** msgSecCheck answers this suggest for this exact content (unless a queued one comes first). */
    suggestFor: (content: string, suggest: Suggest) => textSuggests.set(content, suggest),
    /** The next msgSecCheck calls answer these, in order. */
    nextSuggests: (...suggests: Suggest[]) => {
      nextSuggests.push(...suggests);
    },
    /** Make the next content-security calls (text or media) fail, in order. */
    failNextChecks: (...outcomes: ({ status: number } | { errcode: number })[]) => {
      checkFailures.push(...outcomes);
    },
    /** mediaCheckAsync requests received, with the trace_id each was answered. */
    mediaChecks,
    /** WeChat's fetches of the submitted media_url, as they finish. */
    mediaFetches,
    /** Wait until `n` media fetches have finished. */
    waitForMediaFetches: async (n: number, timeoutMs = 5000) => {
      const until = Date.now() + timeoutMs;
      while (mediaFetches.length < n) {
        if (Date.now() > until) throw new Error(`only ${mediaFetches.length} of ${n} media fetches`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return mediaFetches;
    },
    /**
     * Make `code` (of a getPhoneNumber button) answer this phone once. `appid` is the watermark's
     * (default the app's own); `countryCode` default 86.
     */
    issuePhone: (code: string, phone: string, o: { countryCode?: string; appid?: string } = {}) =>
      phoneCodes.set(code, { phone, countryCode: o.countryCode ?? '86', appid: o.appid ?? opts.appid }),
    /** Phone-number requests received, in order (the code and the access token they came with). */
    phoneRequests,
    /** Make the next phone-number calls fail, in order. */
    failNextPhone: (...outcomes: ({ status: number } | { errcode: number })[]) => {
      phoneFailures.push(...outcomes);
    },
    /** Make `code` log in as `openid` once. */
    issue: (code: string, openid: string) => codes.set(code, openid),
    setDown: (down: boolean) => {
      mode = down ? 'down' : 'ok';
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** WeChat's message-push signature: sha1 of [Token, timestamp, nonce], sorted and joined. */
export const pushSignature = (token: string, timestamp: string, nonce: string) =>
  createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');

/**
 * Deliver a mediaCheckAsync verdict to the app the way WeChat's message push does: a real HTTP POST
 * of the JSON event to `url` (e.g. http://127.0.0.1:PORT/api/wechat/media-check), signed with
 * `token` in the query. `sign: 'none'` sends no signature, 'bad' a wrong one.
 */
export async function pushMediaCheck(
  url: string,
  verdict: { traceId: string; suggest: Suggest; openid?: string },
  opts: { token: string; sign?: 'ok' | 'none' | 'bad' },
) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(6).toString('hex');
  const target = new URL(url);
  if ((opts.sign ?? 'ok') !== 'none') {
    target.searchParams.set(
      'signature',
      opts.sign === 'bad'
        ? pushSignature(`${opts.token}-wrong`, timestamp, nonce)
        : pushSignature(opts.token, timestamp, nonce),
    );
    target.searchParams.set('timestamp', timestamp);
    target.searchParams.set('nonce', nonce);
  }
  if (verdict.openid) target.searchParams.set('openid', verdict.openid);
  const suggestLabel = verdict.suggest === 'pass' ? 100 : 20002;
  const res = await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ToUserName: 'gh_0000000000',
      FromUserName: verdict.openid ?? 'o-unknown',
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: 'wx-test-appid',
      trace_id: verdict.traceId,
      version: 2,
      detail: [
        { strategy: 'content_model', errcode: 0, suggest: verdict.suggest, label: suggestLabel, prob: 90 },
      ],
      errcode: 0,
      errmsg: 'ok',
      result: { suggest: verdict.suggest, label: suggestLabel },
    }),
  });
  return { status: res.status, body: await res.text() };
}
