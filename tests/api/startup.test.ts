import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataDirLockedError, openDatabase } from '../../apps/api/src/db/client';
import { readSettings } from '../../apps/api/src/env';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const SHIPPED = path.join(ROOT, 'config/communities/xiaduoyuan.yaml');
/** The shipped config with zone 4 given 43-85, as the source document prints it. */
const asPrinted = () =>
  readFileSync(SHIPPED, 'utf8').replace('buildings: []\n    note:', 'buildings: ["43-85"]\n    note:');

const cli = (...args: string[]) =>
  spawnSync(TSX, ['apps/api/src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: ROOT },
  });

describe('gongzhi CLI', () => {
  test('config check accepts the shipped config', () => {
    const r = cli('config', 'check', 'config/communities/xiaduoyuan.yaml');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('配置有效');
  });

  test('config check refuses zone 4 = 43-85, naming both zones and the buildings', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gz-cfg-'));
    const file = path.join(dir, 'xiaduoyuan.yaml');
    writeFileSync(file, asPrinted());
    const r = cli('config', 'check', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('zone-2');
    expect(r.stderr).toContain('zone-4');
    expect(r.stderr).toContain('43-85');
    expect(r.stderr).toContain('zones[3].buildings[0]');
  });

  test('route prints the emergency decision: line leader, zone-1 leader, property acts first', () => {
    const r = cli(
      'route',
      'xiaduoyuan',
      '--building',
      '12',
      '--category',
      'elevator',
      '--urgency',
      'emergency',
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.tier).toBe('line');
    expect(out.owner).toEqual({ key: 'zhou-jianping', name: '周建平' });
    expect(out.zone.leader).toEqual({ key: 'wu-wenjie', name: '吴文杰' });
    const text = out.reasons.map((x: { text: string }) => x.text).join('');
    expect(text).toContain('物业公司先行处置');
    expect(text).toContain('周建平');
    expect(text).toContain('吴文杰');
    expect(out.procedures).toContainEqual({
      kind: 'dual_report_back',
      to: ['wu-wenjie', 'zhou-jianping'],
      withinMinutes: 30,
    });
  });

  test('route refuses a building in no zone and an unknown category', () => {
    const r1 = cli('route', 'xiaduoyuan', '--building', '999', '--category', 'elevator');
    expect(r1.status).toBe(1);
    expect(r1.stderr).toContain('999 号楼不属于任何责任区域');
    const r2 = cli('route', 'xiaduoyuan', '--building', '3', '--category', 'lift');
    expect(r2.status).toBe(1);
    expect(r2.stderr).toContain('sanitation');
  });
});

/** Start the real server process; resolves with its output once it listens or exits. */
function startServer(env: Record<string, string>) {
  const child = spawn(TSX, ['apps/api/src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
  });
  let out = '';
  const done = new Promise<{ code: number | null; out: string; child: ChildProcess }>((resolve) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('已启动')) resolve({ code: null, out, child });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => resolve({ code, out, child }));
  });
  return done;
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('server start', () => {
  test('an invalid config stops the start with the errors', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gz-cfg-'));
    writeFileSync(path.join(dir, 'xiaduoyuan.yaml'), asPrinted());
    const r = await startServer({ CONFIG_DIR: dir, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gz-data-')) });
    expect(r.code).toBe(1);
    expect(r.out).toContain('zone-4');
    expect(r.out).not.toContain('已启动');
  });

  test('production refuses to start without a real JWT secret', async () => {
    const r = await startServer({
      NODE_ENV: 'production',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gz-data-')),
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain('JWT_SECRET');
  });

  test('production with a secret starts and seeds no demo accounts; demo mode seeds them', async () => {
    const prod = await startServer({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      QR_SECRET: 'q'.repeat(40),
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gz-data-')),
    });
    await stop(prod.child);
    expect(prod.out).toContain('已启动');
    expect(prod.out).not.toContain('演示账号');

    const demo = await startServer({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gz-data-')) });
    await stop(demo.child);
    expect(demo.out).toContain('演示账号已创建');
    expect(demo.out).toContain('吴文杰');
  }, 60_000);

  test('readSettings refuses production without real JWT and QR secrets', () => {
    expect(() => readSettings({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow('JWT_SECRET');
    expect(() => readSettings({ NODE_ENV: 'production', JWT_SECRET: 'y'.repeat(32) })).toThrow('QR_SECRET');
    expect(
      readSettings({ NODE_ENV: 'production', JWT_SECRET: 'y'.repeat(32), QR_SECRET: 'z'.repeat(32) })
        .production,
    ).toBe(true);
  });
});

describe('embedded database directory', () => {
  test('a directory open in another process is refused with a clear message; a stale lock is taken over', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gz-lock-'));
    // Another process holds the directory (as a running API would).
    const holder = spawn(process.execPath, [
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'gongzhi.lock'))}, String(process.pid)); setInterval(() => {}, 1000)`,
    ]);
    await new Promise((r) => setTimeout(r, 300));
    await expect(openDatabase({ pgliteDir: dir })).rejects.toThrow(DataDirLockedError);
    await expect(openDatabase({ pgliteDir: dir })).rejects.toThrow(`pid ${holder.pid}`);
    await stop(holder);

    // The holder is gone: its lock is stale and the directory opens.
    const db = await openDatabase({ pgliteDir: dir });
    expect(readFileSync(path.join(dir, 'gongzhi.lock'), 'utf8')).toBe(String(process.pid));
    await db.close();
  }, 60_000);

  test('a second open in the same process is refused too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gz-lock-'));
    mkdirSync(dir, { recursive: true });
    const db = await openDatabase({ pgliteDir: dir });
    await expect(openDatabase({ pgliteDir: dir })).rejects.toThrow(DataDirLockedError);
    await db.close();
  }, 60_000);
});
