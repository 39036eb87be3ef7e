#!/usr/bin/env node
// Sizes of the WeChat build (apps/mini/dist/weapp): the main package and each subpackage. Fails
// when the main package exceeds 1 MB (WeChat refuses 2 MB; we keep half of it as headroom), or a
// subpackage WeChat's 2 MB.
// `--json` prints the sizes for docs/mini-program.md.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'apps/mini/dist/weapp');
const LIMIT = 1024 * 1024;
const SUBPACKAGE_LIMIT = 2 * 1024 * 1024;

if (!existsSync(path.join(DIST, 'app.json'))) {
  console.error('没有找到微信小程序构建（apps/mini/dist/weapp）：请先运行 pnpm build:weapp');
  process.exit(1);
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const app = JSON.parse(readFileSync(path.join(DIST, 'app.json'), 'utf8'));
const roots = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/$/, ''));
const sizes = Object.fromEntries([['main', 0], ...roots.map((r) => [r, 0])]);
for (const f of files(DIST)) {
  const rel = path.relative(DIST, f).split(path.sep).join('/');
  if (rel.endsWith('.map')) continue;
  const pkg = roots.find((r) => rel.startsWith(`${r}/`)) ?? 'main';
  sizes[pkg] += statSync(f).size;
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(sizes));
} else {
  for (const [pkg, n] of Object.entries(sizes)) console.log(`weapp ${pkg.padEnd(10)} ${kb(n)}`);
}
if (sizes.main > LIMIT) {
  console.error(`主包 ${kb(sizes.main)} 超过上限 ${kb(LIMIT)}：把只在某个角色页面用到的代码移到分包`);
  process.exit(1);
}
const big = roots.filter((r) => sizes[r] > SUBPACKAGE_LIMIT);
if (big.length) {
  console.error(`分包超过微信的 2 MB 上限：${big.map((r) => `${r} ${kb(sizes[r])}`).join('，')}`);
  process.exit(1);
}
