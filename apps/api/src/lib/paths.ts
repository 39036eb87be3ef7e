import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository root (the folder holding drizzle/, config/ and apps/), found by walking up from
 * this file, so the same code works run by tsx from apps/api/src/… and compiled into
 * apps/api/dist/. Relative paths in the environment are read from here.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'drizzle/meta/_journal.json'))) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(`找不到程序目录（含 drizzle/ 迁移的目录），从 ${from} 向上查找未果`);
    }
  }
}

export const ROOT = findRoot(__dirname);
export const MIGRATIONS_DIR = path.join(ROOT, 'drizzle');
export const WEB_ROOT = path.join(ROOT, 'apps/mini/dist/h5');
