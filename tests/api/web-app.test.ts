import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { buildTestApp, TEST_QR_SECRET, type TestApp } from '../helpers/build-app';

// A stand-in build folder with the shape of apps/mini/dist/h5: the real build is served to a real
// browser in tests/e2e; here we check what the server does with each kind of path.
const webRoot = mkdtempSync(path.join(tmpdir(), 'gz-h5-'));
mkdirSync(path.join(webRoot, 'js'));
writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>共治</title><div id="app"></div>');
writeFileSync(path.join(webRoot, 'js/app.0123abcd.js'), 'console.log(1)');
// A script big enough to be worth compressing, as the build writes it, and its compressed copies
// as scripts/ensure-h5.mjs writes them after the build.
const BIG_SCRIPT = `${Array.from({ length: 400 }, (_, i) => `window.gz${i}=function(){return ${i}};`).join('\n')}\n`;
writeFileSync(path.join(webRoot, 'js/895.89abcdef.js'), BIG_SCRIPT);

let t: TestApp;
beforeAll(async () => {
  const pre = spawnSync(process.execPath, ['scripts/precompress-h5.mjs', webRoot], {
    cwd: path.resolve(__dirname, '../..'),
    encoding: 'utf8',
  });
  if (pre.status !== 0) throw new Error(`precompress failed: ${pre.stderr}`);
  t = await buildTestApp({ webRoot });
});
afterAll(async () => {
  await t.close();
  rmSync(webRoot, { recursive: true, force: true });
});

describe('the H5 client served from the API origin', () => {
  it('serves index.html at / and never lets a browser keep it stale', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('<div id="app">');
  });

  it('serves hashed assets as immutable', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/js/app.0123abcd.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('writes compressed copies of the hashed files worth compressing only', () => {
    expect(existsSync(path.join(webRoot, 'js/895.89abcdef.js.br'))).toBe(true);
    expect(existsSync(path.join(webRoot, 'js/895.89abcdef.js.gz'))).toBe(true);
    // 14 bytes: not worth it; index.html: not content-hashed, so never given a copy that could go stale.
    expect(existsSync(path.join(webRoot, 'js/app.0123abcd.js.br'))).toBe(false);
    expect(existsSync(path.join(webRoot, 'index.html.br'))).toBe(false);
  });

  const script = (acceptEncoding?: string) =>
    t.app.inject({
      method: 'GET',
      url: '/js/895.89abcdef.js',
      headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
    });

  it.each([
    ['gzip, deflate, br', 'br', brotliDecompressSync],
    ['br', 'br', brotliDecompressSync],
    ['gzip', 'gzip', gunzipSync],
    ['gzip;q=1, br;q=0.5', 'gzip', gunzipSync],
  ])('sends a script compressed to a client accepting %s (%s)', async (accept, encoding, decode) => {
    const res = await script(accept);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.rawPayload.length).toBeLessThan(BIG_SCRIPT.length / 3);
    expect(decode(res.rawPayload).toString()).toBe(BIG_SCRIPT);
  });

  it.each([[undefined], ['identity'], ['deflate']])(
    'sends the script uncompressed to a client accepting %s, still varying on Accept-Encoding',
    async (accept) => {
      const res = await script(accept);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.body).toBe(BIG_SCRIPT);
    },
  );

  it('sends index.html as it is, with its own policy, to a client accepting br', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('<div id="app">');
  });

  it('keeps API routes, the QR redirect and JSON 404s as they were', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    const code = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 12 });
    const qr = await t.app.inject({ method: 'GET', url: `/q/${code}` });
    expect(qr.statusCode).toBe(302);
    expect(qr.headers.location).toBe(`/#/pages/complain/index?qr=${encodeURIComponent(code)}`);
    const missing = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('route_not_found');
    const noFile = await t.app.inject({ method: 'GET', url: '/js/missing.js' });
    expect(noFile.statusCode).toBe(404);
    expect(noFile.json().error.code).toBe('route_not_found');
  });

  it('refuses paths that climb out of the build folder', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/../package.json' });
    expect(res.statusCode).toBe(404);
  });
});

describe('without a build', () => {
  it('starts and answers the API; / is a JSON 404', async () => {
    const bare = await buildTestApp({ webRoot: path.join(webRoot, 'does-not-exist') });
    try {
      expect((await bare.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      expect((await bare.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
