import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import '@gongzhi/domain';
import { DEMO_PASSWORD } from '../../apps/api/src/services/accounts/seed-demo-accounts';
import { type S3Server, startS3Server } from '../helpers/s3-server';
import { serverDatabase } from '../helpers/test-db';

/**
 * The production path as docs/operations.md writes it, run as an operator would: the compiled
 * build, the first administrator made by the CLI on the production database, then `node
 * dist/server.js` in production mode with DATABASE_URL (PostgreSQL in CI's second pass; a PGlite
 * directory in the first) and an S3-compatible object store. The administrator signs in, creates a
 * staff account, uploads a photo that lands in the bucket; no account with the demo password exists.
 */
const ROOT = path.resolve(__dirname, '../..');
const BUILD_DIR = `dist-production-path-${process.pid}`;
const OUT = path.join(ROOT, 'apps/api', BUILD_DIR);
const ADMIN_PHONE = '13800009999';
const ADMIN_PASSWORD = 'Gz-Operator-Pass-2026!';

let s3: S3Server;
let dataDir: string;
let databaseUrl = '';
let dropDatabase = async () => {};
let server: ChildProcess | undefined;

beforeAll(async () => {
  const built = spawnSync(process.execPath, ['apps/api/build.mjs'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, GONGZHI_BUILD_DIR: BUILD_DIR },
  });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}${built.stderr}`);
  s3 = await startS3Server({ bucket: 'gongzhi-production' });
  dataDir = mkdtempSync(path.join(tmpdir(), 'gz-production-'));
  const scratch = await serverDatabase('production');
  if (scratch) {
    databaseUrl = scratch.url;
    dropDatabase = scratch.drop;
  }
}, 180_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  if (server && server.exitCode === null) await new Promise((r) => server!.once('exit', r));
  await s3?.close();
  await dropDatabase();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(OUT, { recursive: true, force: true });
});

const productionEnv = () => ({
  ...process.env,
  NODE_ENV: 'production',
  JWT_SECRET: 'production-path-jwt-secret-0123456789abcdef',
  QR_SECRET: 'production-path-qr-secret-0123456789abcdef',
  DEMO: '',
  PORT: '0',
  HOST: '127.0.0.1',
  PUBLIC_URL: 'https://gongzhi.example.cn',
  LOG_LEVEL: 'warn',
  DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl,
  S3_BUCKET: s3.bucket,
  S3_ENDPOINT: s3.endpoint,
  S3_REGION: 'us-east-1',
  S3_ACCESS_KEY_ID: 'S3RVER',
  S3_SECRET_ACCESS_KEY: 'S3RVER',
  S3_FORCE_PATH_STYLE: 'true',
  FOLLOW_UP_INTERVAL_MS: '0',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

function startServer(): Promise<string> {
  server = spawn(process.execPath, [path.join(OUT, 'server.js')], { cwd: ROOT, env: productionEnv() });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/[^:\s]+:(\d+)/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    };
    server!.stdout!.on('data', onData);
    server!.stderr!.on('data', onData);
    server!.once('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
}

const json = async (base: string, url: string, init: RequestInit & { token?: string } = {}) => {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (typeof init.body === 'string') headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${url}`, { ...init, headers });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { error?: { code: string } },
  };
};

test('build → first administrator by the CLI → production start on the database and the object store', async () => {
  const created = spawnSync(
    process.execPath,
    [
      path.join(OUT, 'cli.js'),
      'admin',
      'create',
      '--phone',
      ADMIN_PHONE,
      '--name',
      '运维管理员',
      '--password-stdin',
    ],
    { cwd: ROOT, env: productionEnv(), input: `${ADMIN_PASSWORD}\n`, encoding: 'utf8' },
  );
  expect(created.status).toBe(0);

  const base = await startServer();
  expect((await fetch(`${base}/ready`)).status).toBe(200);

  const login = await json(base, '/api/auth/login', {
    method: 'POST',
    body: JSON.stringify({ phone: ADMIN_PHONE, password: ADMIN_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const token = login.body.accessToken as string;

  // Nothing with the demo password: the secretary's demo phone does not exist here.
  const demo = await json(base, '/api/auth/login', {
    method: 'POST',
    body: JSON.stringify({ phone: '13900000036', password: DEMO_PASSWORD }),
  });
  expect(demo.status).toBe(401);

  // zod's own messages (a field without a message of its schema's) are Chinese in the compiled
  // server too: the bundler once dropped the domain's locale import (packages/domain/src/locale.ts)
  // as a side-effect-free barrel's, and the built server answered "Invalid input: expected string".
  const missing = await json(base, '/api/auth/login', { method: 'POST', body: JSON.stringify({}) });
  expect(missing.status).toBe(400);
  const details = (missing.body.error as unknown as { details: { path: string; message: string }[] }).details;
  const expected = z.string().safeParse(undefined).error!.issues[0]!.message;
  expect(expected).toMatch(/[\u4e00-\u9fff]/);
  expect(details).toContainEqual({ path: 'body.phone', message: expected });
  expect(JSON.stringify(missing.body)).not.toMatch(/Invalid input|expected string/);

  // The administrator gives the zone-1 property specialist an account.
  const staff = await json(base, '/api/admin/accounts', {
    method: 'POST',
    token,
    body: JSON.stringify({ community: 'xiaduoyuan', person: 'zhang-lifen', phone: '13800001111' }),
  });
  expect(staff.status).toBe(201);

  // A photo goes to the object store, not to the local disk.
  const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#8a6' } })
    .jpeg()
    .toBuffer();
  const form = new FormData();
  form.append('files', new Blob([jpeg], { type: 'image/jpeg' }), 'a.jpg');
  const upload = await fetch(`${base}/api/photos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  expect(upload.status).toBe(201);
  const stored = readdirSync(path.join(s3.directory, s3.bucket), { recursive: true });
  expect(stored.length).toBeGreaterThan(0);
  const local = path.join(dataDir, 'uploads');
  expect(() => readdirSync(local)).toThrow();
}, 300_000);
