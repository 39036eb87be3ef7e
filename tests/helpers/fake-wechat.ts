import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for WeChat's HTTP API, as a real HTTP server on 127.0.0.1: the product talks to it
 * exactly as it would to api.weixin.qq.com. code2session: codes map to openids; unknown codes get
 * WeChat's "invalid code" error. Subscription messages: /cgi-bin/token hands out an access token,
 * /cgi-bin/message/subscribe/send records what was sent, and can be told to fail.
 */
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
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
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
        sent.push(JSON.parse(body));
        res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
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
    /** Make `code` log in as `openid` once. */
    issue: (code: string, openid: string) => codes.set(code, openid),
    setDown: (down: boolean) => {
      mode = down ? 'down' : 'ok';
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
