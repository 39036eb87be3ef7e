#!/usr/bin/env node
// Builds the H5 client (apps/mini → apps/mini/dist/h5) unless the build is newer than every file it
// is made from, so `pnpm start` and the tests always serve the current client without rebuilding
// each time. `--force` rebuilds anyway. Either way the hashed scripts and style sheets get their
// brotli and gzip copies (scripts/precompress-h5.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompress } from './precompress-h5.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILT = path.join(ROOT, 'apps/mini/dist/h5/index.html');
const SOURCES = [
  'apps/mini/src',
  'apps/mini/config',
  'apps/mini/babel.config.js',
  'apps/mini/package.json',
  'packages/domain/src',
  'pnpm-lock.yaml',
];

/** The newest modification time under a file or folder. */
function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((m, name) => Math.max(m, newest(path.join(p, name))), s.mtimeMs);
}

const force = process.argv.includes('--force');
const builtAt = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0;
const sourcesAt = Math.max(...SOURCES.map((s) => newest(path.join(ROOT, s))));
if (!force && builtAt > sourcesAt) {
  precompress(path.dirname(BUILT));
  console.log('H5 客户端已是最新构建（apps/mini/dist/h5）');
  process.exit(0);
}
console.log('正在构建 H5 客户端（apps/mini/dist/h5）…');
const r = spawnSync('pnpm', ['--filter', '@gongzhi/mini', 'build:h5'], { cwd: ROOT, stdio: 'inherit' });
if (r.status !== 0 || !existsSync(BUILT)) {
  console.error('H5 客户端构建失败');
  process.exit(r.status || 1);
}
precompress(path.dirname(BUILT));
