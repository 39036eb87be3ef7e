#!/usr/bin/env node
// Writes brotli (.br) and gzip (.gz) copies beside the H5 build's hashed scripts and style sheets
// (js/app.1a2b3c4d.js → js/app.1a2b3c4d.js.br, .gz), which the API serves to browsers that accept
// them (@fastify/static `preCompressed`, apps/api/src/plugins/web-app.ts): compressed once at build
// time at the highest levels, never per request. Only content-hashed files: a copy can never be
// staler than its file, since a new content is a new name. `node scripts/precompress-h5.mjs [dir]`
// (default apps/mini/dist/h5); scripts/ensure-h5.mjs runs it after every build.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The same rule as the server's long cache (web-app.ts HASHED). */
const HASHED = /\.[0-9a-f]{8}\.(js|css)$/;
/** Below this a compressed answer saves less than its headers cost. */
const MIN_BYTES = 1024;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

export function precompress(dir) {
  let written = 0;
  for (const file of files(dir)) {
    if (!HASHED.test(file) || statSync(file).size < MIN_BYTES) continue;
    if (existsSync(`${file}.br`) && existsSync(`${file}.gz`)) continue;
    const data = readFileSync(file);
    const br = brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    });
    writeFileSync(`${file}.br`, br);
    writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
    written++;
  }
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = path.resolve(process.argv[2] ?? path.join(ROOT, 'apps/mini/dist/h5'));
  const n = precompress(dir);
  console.log(`H5 客户端：已为 ${n} 个文件写入 br/gzip 压缩副本（${path.relative(ROOT, dir) || dir}）`);
}
