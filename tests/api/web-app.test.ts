import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { buildTestApp, TEST_QR_SECRET, type TestApp } from '../helpers/build-app';

// A stand-in build folder with the shape of apps/mini/dist/h5: the real build is served to a real
// browser in tests/e2e; here we check what the server does with each kind of path.
const webRoot = mkdtempSync(path.join(tmpdir(), 'gz-h5-'));
mkdirSync(path.join(webRoot, 'js'));
writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>共治</title><div id="app"></div>');
writeFileSync(path.join(webRoot, 'js/app.0123abcd.js'), 'console.log(1)');

let t: TestApp;
beforeAll(async () => {
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
