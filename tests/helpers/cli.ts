import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../apps/api/src/db/client';
import { serverDatabase } from './test-db';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/**
 * The database `pnpm gongzhi …` would use, fresh for a CLI test: DATABASE_URL (a new PostgreSQL
 * database) when set, else a new DATA_DIR for embedded PGlite. `env` runs the CLI on it, `open`
 * opens it from the test (PGlite: after the CLI exited), `drop` removes it.
 */
export async function cliDatabase(label: string) {
  const scratch = await serverDatabase(label);
  if (scratch)
    return {
      env: { ...process.env, DATABASE_URL: scratch.url },
      open: () => openDatabase({ databaseUrl: scratch.url, pgliteDir: 'memory' }),
      drop: scratch.drop,
    };
  const dir = mkdtempSync(path.join(tmpdir(), `gz-${label}-`));
  return {
    env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '' },
    open: () => openDatabase({ pgliteDir: path.join(dir, 'pglite') }),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The real `pnpm gongzhi <args>` as a child process, with `stdin` fed to it. */
export function runGongzhi(env: NodeJS.ProcessEnv, args: string[], stdin?: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(TSX, ['apps/api/src/cli/main.ts', ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}
