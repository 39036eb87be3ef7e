import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { qrTargetsOf } from '@gongzhi/domain';
import { inArray } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase } from '../../apps/api/src/db/client';
import { issuesTable } from '../../apps/api/src/db/schema';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { loadCommunityConfigs } from '../../apps/api/src/services/communities/load-community-configs';
import { CONFIG_DIR } from '../helpers/build-app';
import { serverDatabase } from '../helpers/test-db';

/**
 * The production runtime: `pnpm build` output run by plain `node` (as `pnpm start` does), in
 * production mode, under a load of concurrent anonymous complaints, is sent SIGTERM. Requests in
 * flight finish, later ones are refused (503 or connection refused), the database is closed
 * cleanly and the process exits 0 (not the forced exit 1 after the grace period). Every complaint
 * the server acknowledged (201) is in the database and served again after a restart on the same
 * data. PGlite on disk, or a fresh PostgreSQL database in CI's second pass.
 */
const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'apps/api/dist/server.js');
const QR_SECRET = 'shutdown-test-qr-secret-0123456789abcdef';

let dataDir: string;
let databaseUrl = '';
let dropDatabase = async () => {};
beforeAll(async () => {
  const built = spawnSync(process.execPath, ['apps/api/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}${built.stderr}`);
  dataDir = mkdtempSync(path.join(tmpdir(), 'gz-shutdown-'));
  const scratch = await serverDatabase('shutdown');
  if (scratch) {
    databaseUrl = scratch.url;
    dropDatabase = scratch.drop;
  }
}, 120_000);
afterAll(async () => {
  await dropDatabase();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  base: string;
  out: () => string;
  exited: Promise<number | null>;
}

function startCompiled(): Promise<Running> {
  const child = spawn(process.execPath, ['--enable-source-maps', SERVER], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      JWT_SECRET: 'shutdown-test-jwt-secret-0123456789abcdef',
      QR_SECRET,
      PORT: '0',
      HOST: '127.0.0.1',
      PUBLIC_URL: '',
      DEMO: '',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      TRUST_PROXY: '127.0.0.1',
      FOLLOW_UP_INTERVAL_MS: '0',
    },
  });
  let out = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/已启动：(http:\/\/localhost:\d+)/);
      if (m) resolve({ child, base: m[1]!.replace('localhost', '127.0.0.1'), out: () => out, exited });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

const buildings = qrTargetsOf(loadCommunityConfigs(CONFIG_DIR).get('xiaduoyuan')!).filter(
  (t) => t.kind === 'building',
);
let seq = 0;
/** Each complaint from its own client address and building, so no rate limit is what refuses it. */
const nextComplaint = () => {
  const n = ++seq;
  return {
    forwardedFor: `10.77.${n >> 8}.${n & 255}`,
    body: {
      qr: signQrTarget(QR_SECRET, buildings[n % buildings.length]!),
      category: 'sanitation',
      description: `停机测试投诉 ${n}`,
    },
  };
};

type Outcome =
  | { kind: 'acknowledged'; code: string; secret: string }
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'connection'; error: string }
  | { kind: 'unexpected'; status: number; body: string };

test('SIGTERM under write load: in-flight writes finish, exit 0, every acknowledged complaint survives a restart', async () => {
  const first = await startCompiled();
  const outcomes: Outcome[] = [];
  let signalled = false;
  let stop = false;

  const worker = async () => {
    while (!stop) {
      const { forwardedFor, body } = nextComplaint();
      try {
        const r = await fetch(`${first.base}/api/complaints`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
          body: JSON.stringify(body),
        });
        const text = await r.text();
        if (r.status === 201) {
          const receipt = JSON.parse(text) as { trackingCode: string; secret: string };
          outcomes.push({
            kind: 'acknowledged',
            code: receipt.trackingCode,
            secret: receipt.secret,
          });
        } else if (r.status === 503) {
          const { error } = JSON.parse(text) as { error: { code: string; message: string } };
          outcomes.push({ kind: 'refused', code: error.code, message: error.message });
        } else outcomes.push({ kind: 'unexpected', status: r.status, body: text });
      } catch (err) {
        // Connection refused or closed once the server stops listening: never acknowledged.
        outcomes.push({ kind: 'connection', error: String((err as Error).cause ?? err) });
        if (signalled) await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const workers = Array.from({ length: 8 }, worker);

  // Under load: wait for some acknowledged writes, then SIGTERM while requests are in flight.
  while (outcomes.filter((o) => o.kind === 'acknowledged').length < 16) {
    if (first.child.exitCode !== null) throw new Error(first.out());
    await new Promise((r) => setTimeout(r, 20));
  }
  signalled = true;
  first.child.kill('SIGTERM');
  const code = await first.exited;
  stop = true;
  await Promise.all(workers);

  expect(outcomes.filter((o) => o.kind === 'unexpected')).toEqual([]);
  // Exit 0 is the clean path; the forced exit after the grace period is 1.
  expect({ code, out: first.out() }).toEqual({ code: 0, out: expect.stringContaining('已停止') });
  const acknowledged = outcomes.filter((o) => o.kind === 'acknowledged');
  // The workers kept sending until the exit: the stopping server refused them (503 while closing,
  // then connection refused), it did not take them in.
  expect(outcomes.some((o) => o.kind === 'refused' || o.kind === 'connection')).toBe(true);
  // A request arriving on an open connection while the server stops: 503 in our shape, in Chinese.
  for (const o of outcomes.filter((o) => o.kind === 'refused')) {
    expect(o).toEqual({ kind: 'refused', code: 'shutting_down', message: '服务正在停止或重启，请稍后再试' });
  }

  // Every acknowledged write is in the database.
  const codes = acknowledged.map((o) => o.code);
  if (databaseUrl) {
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const rows = await sql`select code from issues where code in ${sql(codes)}`;
    await sql.end();
    expect(rows.map((r) => r.code).sort()).toEqual([...codes].sort());
  } else {
    // PGlite was closed cleanly: its lock is released, so this process can open the directory.
    expect(existsSync(path.join(dataDir, 'pglite/gongzhi.lock'))).toBe(false);
    const database = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
    try {
      const rows = await database.db
        .select({ code: issuesTable.code })
        .from(issuesTable)
        .where(inArray(issuesTable.code, codes));
      expect(rows.map((r) => r.code).sort()).toEqual([...codes].sort());
    } finally {
      await database.close();
    }
  }

  // Restarted on the same data, the server serves every acknowledged complaint to its resident.
  const second = await startCompiled();
  try {
    let n = 0;
    for (const o of acknowledged as Extract<Outcome, { kind: 'acknowledged' }>[]) {
      const r = await fetch(`${second.base}/api/complaints/${o.code}`, {
        headers: { 'x-tracking-secret': o.secret, 'x-forwarded-for': `10.78.0.${++n % 250}` },
      });
      expect({ code: o.code, status: r.status }).toEqual({ code: o.code, status: 200 });
    }
  } finally {
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }
}, 600_000);
