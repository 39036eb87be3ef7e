// The API as production runs it, for the benches that measure it over HTTP: compiled
// (apps/api/build.mjs, plain `node`), on a fresh PostgreSQL database (BENCH_DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/postgres; dropped afterwards), with the local-disk storage
// driver in a temporary data directory. DEMO=1 on loopback seeds the demo accounts to log in with.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

export const ROOT = path.resolve(__dirname, '..');
const SERVER_DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEMO_PASSWORD = 'gongzhi2026';

export interface ApiBuild {
  /** Folder of server.js. */
  out: string;
  remove: () => void;
}

/** Compiles the API into a folder of this run's own (benches may run beside the tests' builds). */
export function buildApi(label: string): ApiBuild {
  const dir = `dist-bench-${label}-${process.pid}`;
  const out = path.join(ROOT, 'apps/api', dir);
  const built = spawnSync(process.execPath, ['apps/api/build.mjs'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, GONGZHI_BUILD_DIR: dir },
  });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}${built.stderr}`);
  return { out, remove: () => rmSync(out, { recursive: true, force: true }) };
}

export interface Api {
  base: string;
  pid: number;
  stop: () => Promise<void>;
}

/** `node server.js` of the build on a new database; `env` is added to the server's environment. */
export async function startApi(build: ApiBuild, env: Record<string, string> = {}): Promise<Api> {
  const admin = postgres(SERVER_DB, { max: 1, onnotice: () => {} });
  const dbName = `gongzhi_bench_${randomBytes(4).toString('hex')}`;
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(SERVER_DB);
  url.pathname = `/${dbName}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gz-bench-'));
  const server: ChildProcess = spawn(
    process.execPath,
    // BENCH_NODE_ARGS: extra node flags, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the API.
    [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), path.join(build.out, 'server.js')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DEMO: '1',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DATA_DIR: dataDir,
        DATABASE_URL: url.toString(),
        FOLLOW_UP_INTERVAL_MS: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const cleanUp = async () => {
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  };
  let out = '';
  const base = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/[^:\s]+:(\d+)/.exec(out);
      if (!m) return;
      // Found: stop collecting (the request log keeps flowing, to nowhere).
      server.stdout!.off('data', onData);
      server.stderr!.off('data', onData);
      server.stdout!.resume();
      server.stderr!.resume();
      resolve(`http://127.0.0.1:${m[1]}`);
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.once('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  }).catch(async (e) => {
    await cleanUp();
    throw e;
  });
  return {
    base,
    pid: server.pid!,
    stop: async () => {
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
      }
      await cleanUp();
    },
  };
}
