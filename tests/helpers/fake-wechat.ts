import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for WeChat's code2session, as a real HTTP server on 127.0.0.1: the product talks to it
 * over HTTP exactly as it would to api.weixin.qq.com. Codes map to openids; unknown codes get
 * WeChat's "invalid code" error.
 */
export async function startFakeWechat(opts: { appid: string; secret: string }) {
  const codes = new Map<string, string>();
  const requests: URL[] = [];
  let mode: 'ok' | 'down' = 'ok';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    if (mode === 'down') {
      res.writeHead(502).end('bad gateway');
      return;
    }
    res.setHeader('content-type', 'application/json');
    const p = url.searchParams;
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
    /** Make `code` log in as `openid` once. */
    issue: (code: string, openid: string) => codes.set(code, openid),
    setDown: (down: boolean) => {
      mode = down ? 'down' : 'ok';
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
