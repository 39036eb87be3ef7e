#!/usr/bin/env node
// The H5 client's first-load JavaScript: the scripts index.html loads and the home page's own
// chunk (the first page of app.config.ts), gzipped (-9) as it travels. Fails above the budget: the
// figure measured when it was set (223 KB, docs/benchmarks.md "Client budget") plus 10 % headroom.
// A page used by few (a role's area) belongs in its subpackage's chunk, not in these files.
// `--json` prints the sizes (pnpm bench client).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'apps/mini/dist/h5');
export const BUDGET_GZIP = 245 * 1024;
const HOME = 'pages/home/index';

const fail = (message) => {
  console.error(message);
  process.exit(1);
};
if (!existsSync(path.join(DIST, 'index.html')))
  fail('没有找到 H5 构建（apps/mini/dist/h5）：请先运行 pnpm build:h5');

const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
const entry = [...html.matchAll(/<script[^>]*\bsrc="\/?([^"]+\.js)"/g)].map((m) => m[1]);
const styles = [...html.matchAll(/<link[^>]*\bhref="\/?([^"]+\.css)"/g)].map((m) => m[1]);
// Taro's router: {"path":"pages/home/index","load":function load(w,x){return[j.e(895).then(…)…]}}
// in the entry script; the numbers are webpack chunk ids, whose files are js/<id>.<hash>.js.
const route = new RegExp(`"path":"${HOME}","load":function[^{]*\\{return\\[([^\\]]*)\\]`);
const homeChunks = entry
  .map((f) => route.exec(readFileSync(path.join(DIST, f), 'utf8')))
  .find(Boolean)?.[1]
  .match(/\.e\((\d+)\)/g)
  ?.map((e) => e.slice(3, -1));
if (!entry.length || !homeChunks?.length) {
  fail(
    `无法在 H5 构建中找到首页（${HOME}）的脚本：Taro 的路由写法可能变了，请更新 scripts/check-h5-size.mjs`,
  );
}
const chunkFiles = (dir, ext) =>
  readdirSync(path.join(DIST, dir))
    .filter((f) => homeChunks.some((id) => f.startsWith(`${id}.`)) && f.endsWith(ext))
    .map((f) => `${dir}/${f}`);
const js = [...entry, ...chunkFiles('js', '.js')];
const css = [...styles, ...chunkFiles('css', '.css')];
const size = (files) => {
  const data = files.map((f) => readFileSync(path.join(DIST, f)));
  return {
    raw: data.reduce((s, d) => s + d.length, 0),
    gzip: data.reduce((s, d) => s + gzipSync(d, { level: 9 }).length, 0),
  };
};
const j = size(js);
const c = size(css);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
if (process.argv.includes('--json')) {
  console.log(
    JSON.stringify({
      js,
      css,
      jsRaw: j.raw,
      jsGzip: j.gzip,
      cssRaw: c.raw,
      cssGzip: c.gzip,
      budget: BUDGET_GZIP,
    }),
  );
} else {
  console.log(`H5 首屏脚本 ${js.length} 个：${kb(j.raw)}，gzip ${kb(j.gzip)}（预算 ${kb(BUDGET_GZIP)}）`);
  console.log(`H5 首屏样式 ${css.length} 个：${kb(c.raw)}，gzip ${kb(c.gzip)}`);
}
if (j.gzip > BUDGET_GZIP) {
  fail(
    `H5 首屏脚本 gzip 后 ${kb(j.gzip)}，超过预算 ${kb(BUDGET_GZIP)}（${js.join('、')}）：` +
      '把只有部分用户用到的页面和库放进分包或按需加载，或在 docs/benchmarks.md 说明理由后调整预算',
  );
}
