import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import {
  currentLockOwner,
  DataDirLockedError,
  lockDataDir,
  openDatabase,
  processStartTime,
} from '../../apps/api/src/db/client';
import { accountsTable } from '../../apps/api/src/db/schema';
import { exposureProblem, readSettings } from '../../apps/api/src/env';

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
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      DEMO: '',
      PUBLIC_URL: '',
      NODE_ENV: '',
      ...env,
    },
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
  }, 180_000);

  test('production refuses to start without a real JWT secret', async () => {
    const r = await startServer({
      NODE_ENV: 'production',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gz-data-')),
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain('JWT_SECRET');
  }, 180_000);

  test('production with a secret starts, warns about PGlite and seeds no demo accounts; DEMO=1 seeds them', async () => {
    const prod = await startServer({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      QR_SECRET: 'q'.repeat(40),
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gz-data-')),
    });
    await stop(prod.child);
    expect(prod.out).toContain('已启动');
    expect(prod.out).not.toContain('演示');
    expect(prod.out).toContain('警告：生产模式正在使用嵌入式数据库 PGlite');
    expect(prod.out).toContain('DATABASE_URL');

    const demo = await startServer({ DEMO: '1', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gz-data-')) });
    await stop(demo.child);
    expect(demo.out).toContain('演示模式：已创建演示账号');
    expect(demo.out).toContain('gongzhi2026');
    expect(demo.out).toContain('13900000000');
    expect(demo.out).toContain('吴文杰');
    expect(demo.out).toContain('pnpm gongzhi demo accounts');
    expect(demo.out).not.toContain('PGlite（未设置 DATABASE_URL）');
  }, 600_000);

  test('without DEMO=1 no account is created, in any mode', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gz-data-'));
    const dev = await startServer({ DATA_DIR: dataDir });
    await stop(dev.child);
    expect(dev.out).toContain('已启动');
    expect(dev.out).not.toContain('演示');
    // PUBLIC_URL unset: QR codes and calendar links use the port actually bound (PORT=0 here).
    const port = dev.out.match(/已启动：http:\/\/localhost:(\d+)/)![1];
    expect(Number(port)).toBeGreaterThan(0);
    expect(dev.out).toContain(`PUBLIC_URL=http://localhost:${port}`);
    const database = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
    try {
      const [row] = (await database.db.select({ n: sql<number>`count(*)::int` }).from(accountsTable)) as [
        { n: number },
      ];
      expect(row.n).toBe(0);
    } finally {
      await database.close();
    }
  }, 600_000);

  test.each([
    [{ HOST: '0.0.0.0' }, 'HOST=0.0.0.0', '请把 HOST 改为 127.0.0.1'],
    [{ HOST: '192.168.1.20', DEMO: '1' }, '演示模式', 'HOST=192.168.1.20'],
    [
      { PUBLIC_URL: 'https://gongzhi.example.cn' },
      'PUBLIC_URL=https://gongzhi.example.cn',
      'NODE_ENV=production',
    ],
  ])(
    'outside production, %o refuses to start and names the setting',
    async (env, a, b) => {
      const r = await startServer({ ...env, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gz-data-')) });
      expect(r.code).toBe(1);
      expect(r.out).toContain('拒绝启动');
      expect(r.out).toContain(a);
      expect(r.out).toContain(b);
      expect(r.out).not.toContain('已启动');
    },
    180_000,
  );

  test('DEMO=1 is refused in production', () => {
    expect(() =>
      readSettings({
        NODE_ENV: 'production',
        DEMO: '1',
        JWT_SECRET: 'y'.repeat(32),
        QR_SECRET: 'z'.repeat(32),
      }),
    ).toThrow('演示模式');
  });

  test('WECHAT_SUBSCRIBE_FIELDS maps template keywords to title, body or at; anything else is refused', () => {
    expect(readSettings({}).WECHAT_SUBSCRIBE_FIELDS).toBeUndefined();
    expect(
      readSettings({ WECHAT_SUBSCRIBE_FIELDS: '{"thing1":"title","time2":"at"}' }).WECHAT_SUBSCRIBE_FIELDS,
    ).toEqual({
      thing1: 'title',
      time2: 'at',
    });
    expect(() => readSettings({ WECHAT_SUBSCRIBE_FIELDS: 'thing1=title' })).toThrow('须是 JSON');
    expect(() => readSettings({ WECHAT_SUBSCRIBE_FIELDS: '{"title":"thing1"}' })).toThrow('模板关键词');
    expect(() => readSettings({ WECHAT_SUBSCRIBE_FIELDS: '{"thing1":"phone"}' })).toThrow(
      'title、body 或 at',
    );
    expect(() => readSettings({ WECHAT_SUBSCRIBE_FIELDS: '{}' })).toThrow('模板关键词');
  });

  test('HOST defaults to loopback outside production and to all addresses in production', () => {
    expect(readSettings({}).HOST).toBe('127.0.0.1');
    const prod = { NODE_ENV: 'production', JWT_SECRET: 'y'.repeat(32), QR_SECRET: 'z'.repeat(32) } as const;
    expect(readSettings(prod).HOST).toBe('0.0.0.0');
    expect(exposureProblem(readSettings(prod))).toBeNull();
    expect(exposureProblem(readSettings({ HOST: '::1', PUBLIC_URL: 'http://127.0.0.1:8080' }))).toBeNull();
    expect(exposureProblem(readSettings({ HOST: 'localhost' }))).toBeNull();
    expect(exposureProblem(readSettings({ HOST: '::' }))).toContain('HOST=::');
  });

  test('the demo accounts are listed again by `gongzhi demo accounts`', () => {
    const r = cli('demo', 'accounts');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('gongzhi2026');
    expect(r.stdout).toContain('13900000000  系统管理员');
    expect(r.stdout).toContain('张丽芬');
    expect(r.stdout).toContain('贺贤洋'); // not among the few printed at start
  });

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
    const lockFile = path.join(dir, 'gongzhi.lock');
    const written = () => existsSync(lockFile) && readFileSync(lockFile, 'utf8').length > 0;
    for (let i = 0; i < 600 && !written(); i++) await new Promise((r) => setTimeout(r, 100));
    await expect(openDatabase({ pgliteDir: dir })).rejects.toThrow(DataDirLockedError);
    await expect(openDatabase({ pgliteDir: dir })).rejects.toThrow(`pid ${holder.pid}`);
    await stop(holder);

    // The holder is gone: its lock is stale and the directory opens.
    const db = await openDatabase({ pgliteDir: dir });
    expect(JSON.parse(readFileSync(path.join(dir, 'gongzhi.lock'), 'utf8'))).toEqual(currentLockOwner());
    await db.close();
  }, 60_000);

  test('a live second process holding a current lock is refused, in Chinese, naming its pid', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gz-lock-'));
    const lockFile = path.join(dir, 'gongzhi.lock');
    const clientModule = path.join(ROOT, 'apps/api/src/db/client.ts');
    // A real second process takes the lock with the same code and keeps it.
    const holder = spawn(
      TSX,
      [
        '-e',
        `require(${JSON.stringify(clientModule)}).lockDataDir(${JSON.stringify(dir)}); setInterval(() => {}, 1000)`,
      ],
      { cwd: ROOT },
    );
    const written = () => existsSync(lockFile) && readFileSync(lockFile, 'utf8').length > 0;
    for (let i = 0; i < 600 && !written(); i++) await new Promise((r) => setTimeout(r, 100));
    const owner = JSON.parse(readFileSync(lockFile, 'utf8'));
    expect(owner.startTime).toEqual(expect.any(String));
    expect(owner.bootId).toEqual(expect.any(String));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(`正被另一个进程（pid ${owner.pid}）使用`);
    await stop(holder);
    lockDataDir(dir)(); // gone: taken over, then released
  }, 120_000);

  test('a lock whose pid was reused (container restart, reboot) is recognised as stale', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gz-lock-'));
    const lockFile = path.join(dir, 'gongzhi.lock');
    const me = currentLockOwner();
    // In a fresh pid namespace the new server gets the pid the killed one had: our own pid.
    const cases = [
      { ...me, startTime: String(Number(me.startTime) - 1000) }, // our pid, an earlier process
      { ...me, bootId: 'ffffffff-0000-0000-0000-000000000000' }, // our pid, before a reboot
      String(process.pid), // the old format: a bare pid, ours
    ];
    // A live process other than us, whose pid was reused after the lock's writer died.
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    cases.push({
      pid: other.pid!,
      bootId: me.bootId,
      startTime: String(Number(processStartTime(other.pid!)) - 500),
    } as never);
    for (const lock of cases) {
      writeFileSync(lockFile, typeof lock === 'string' ? lock : JSON.stringify(lock));
      const release = lockDataDir(dir);
      expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toEqual(me);
      release();
      expect(existsSync(lockFile)).toBe(false);
    }
    // The same live process with its real start time still holds the directory.
    writeFileSync(
      lockFile,
      JSON.stringify({ pid: other.pid, bootId: me.bootId, startTime: processStartTime(other.pid!) }),
    );
    expect(() => lockDataDir(dir)).toThrow(`pid ${other.pid}`);
    await stop(other);
  }, 60_000);

  test('a second open in the same process is refused too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gz-lock-'));
    mkdirSync(dir, { recursive: true });
    const db = await openDatabase({ pgliteDir: dir });
    await expect(openDatabase({ pgliteDir: dir })).rejects.toThrow(DataDirLockedError);
    await db.close();
  }, 60_000);
});
