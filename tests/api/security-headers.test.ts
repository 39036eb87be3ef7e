import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { redactUrl } from '../../apps/api/src/lib/log-url';
import { buildTestApp, type TestApp } from '../helpers/build-app';

// The headers of every answer (docs/security.md, "Headers"): a Content-Security-Policy on every
// HTML page (the H5 client's allows its own inline script by hash), no-store on what is personal,
// the client's files keeping their caching, HSTS only over https. Chromium checks the pages work
// under their policies in tests/e2e/content-security.test.ts.

const INLINE = '!function(){document.documentElement.style.fontSize="20px"}();';
const webRoot = mkdtempSync(path.join(tmpdir(), 'gz-h5-'));
mkdirSync(path.join(webRoot, 'js'));
writeFileSync(
  path.join(webRoot, 'index.html'),
  `<!doctype html><title>共治</title><script>${INLINE}</script><script defer src="/js/app.0123abcd.js"></script><div id="app"></div>`,
);
writeFileSync(path.join(webRoot, 'js/app.0123abcd.js'), 'console.log(1)');

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ webRoot });
});
afterAll(async () => {
  await t.close();
  rmSync(webRoot, { recursive: true, force: true });
});

/** What the test uses of a bare Fastify (the API's own copy, not a dependency of the tests). */
interface BareFastify {
  register(plugin: unknown, opts: object): PromiseLike<unknown>;
  get(path: string, handler: () => Promise<object>): void;
  inject(opts: { url: string }): Promise<{ headers: Record<string, unknown> }>;
  close(): Promise<unknown>;
}

const directives = (csp: string | string[] | number | undefined) =>
  Object.fromEntries(
    String(csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );

describe('headers', () => {
  it('the H5 page: its own policy, its inline script by hash, never unsafe-inline scripts', async () => {
    const res = await t.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    const csp = directives(res.headers['content-security-policy']);
    const hash = `'sha256-${createHash('sha256').update(INLINE).digest('base64')}'`;
    expect(csp['script-src']).toEqual(["'self'", hash]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(res.headers['cache-control']).toBe('no-cache');
    const asset = await t.app.inject({ url: '/js/app.0123abcd.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('pages the API renders: nothing loads, no script but the print button', async () => {
    const refusal = await t.app.inject({ url: '/q/not-a-code' });
    expect(refusal.headers['content-type']).toMatch(/^text\/html/);
    const csp = directives(refusal.headers['content-security-policy']);
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(csp['script-src']).toEqual([expect.stringMatching(/^'sha256-/)]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
  });

  it("documents carry helmet's full set; API answers the lean one, with a policy that allows nothing", async () => {
    // helmet's own answer, as @fastify/helmet sent it on every answer before.
    const apiRequire = createRequire(require.resolve('../../apps/api/package.json'));
    const bare = (apiRequire('fastify') as () => BareFastify)();
    await bare.register(apiRequire('@fastify/helmet'), {
      contentSecurityPolicy: false,
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: false,
    });
    bare.get('/', async () => ({}));
    const helmetSet = (await bare.inject({ url: '/' })).headers;
    await bare.close();
    for (const name of ['content-type', 'content-length', 'date', 'connection']) delete helmetSet[name];
    expect(Object.keys(helmetSet).length).toBeGreaterThan(8);

    const documents = [
      await t.app.inject({ url: '/' }),
      await t.app.inject({ url: '/js/app.0123abcd.js' }),
      await t.app.inject({ url: '/q/not-a-code' }),
    ];
    for (const res of documents) expect(res.headers).toMatchObject(helmetSet);

    const me = await t.loginAs('wu-wenjie');
    for (const res of [
      await t.app.inject({ url: '/health' }),
      await t.app.inject({ url: '/api/nope' }),
      await t.app.inject({ url: '/api/me', headers: me.auth }),
      await t.app.inject({ url: '/api/communities/xiaduoyuan/duty/now' }),
    ]) {
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cross-origin-resource-policy': 'same-origin',
      });
      for (const name of ['x-xss-protection', 'x-dns-prefetch-control', 'origin-agent-cluster'])
        expect(res.headers[name]).toBeUndefined();
    }
  });

  it('personal answers and errors are no-store; the other security headers everywhere; no HSTS over http', async () => {
    const me = await t.loginAs('wu-wenjie');
    for (const res of [
      await t.app.inject({ url: '/api/me', headers: me.auth }),
      await t.app.inject({ url: '/api/issues?community=xiaduoyuan', headers: me.auth }),
      await t.app.inject({ url: '/api/me' }),
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/refresh',
        payload: { refreshToken: me.refreshToken },
      }),
    ]) {
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('HSTS when PUBLIC_URL is https', async () => {
    const secure = await buildTestApp({ publicUrl: 'https://gongzhi.example.cn' });
    try {
      const res = await secure.app.inject({ url: '/health' });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
      const page = await secure.app.inject({ url: '/q/not-a-code' });
      expect(page.headers['strict-transport-security']).toBe('max-age=31536000');
    } finally {
      await secure.close();
    }
  });
});

describe('URLs in the access log', () => {
  it('every secret-named path or query parameter of /openapi.json is redacted', async () => {
    const spec = (await t.app.inject({ url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    const SAMPLE = 'SeCrEtVaLuE0123456789';
    let checked = 0;
    for (const [openapiPath, operations] of Object.entries(spec.paths)) {
      for (const op of Object.values(operations)) {
        const params = op.parameters ?? [];
        const secret = params.filter(
          (p) => (p.in === 'path' || p.in === 'query') && /token|secret|feed|code/i.test(p.name),
        );
        if (!secret.length) continue;
        const pattern = openapiPath.replace(/\{(\w+)\}/g, ':$1');
        const isSecret = (name: string) => secret.some((p) => p.name === name);
        const values = Object.fromEntries(
          params.filter((p) => p.in === 'path').map((p) => [p.name, isSecret(p.name) ? SAMPLE : 'plain']),
        );
        const query = params
          .filter((p) => p.in === 'query')
          .map((p) => `${p.name}=${isSecret(p.name) ? SAMPLE : 'plain'}`)
          .join('&');
        const url = `${openapiPath.replace(/\{(\w+)\}/g, (_m, n: string) => values[n]!)}${query ? `?${query}` : ''}`;
        const logged = redactUrl({ url, routeOptions: { url: pattern }, params: values });
        expect({ url, logged }).toEqual({ url, logged: expect.not.stringContaining(SAMPLE) });
        checked++;
      }
    }
    // The feed, the archive package, photos (upload token), the rota print, QR codes, complaints.
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('keeps what is not secret; a URL that matched no route keeps only its start', () => {
    expect(
      redactUrl({
        url: '/api/communities/xiaduoyuan/duty/print?month=2026-10&feed=abc',
        routeOptions: { url: '/api/communities/:key/duty/print' },
        params: { key: 'xiaduoyuan' },
      }),
    ).toBe('/api/communities/xiaduoyuan/duty/print?month=2026-10&feed=[redacted]');
    expect(redactUrl({ url: '/api/duty/feedz/abcdef?x=1' })).toBe('/api/duty/[redacted]?x=1');
    expect(redactUrl({ url: '/health' })).toBe('/health');
  });
});
