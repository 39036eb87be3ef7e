import { readFileSync } from 'node:fs';
import path from 'node:path';
import { verifyPackage } from '../services/archive/verify-package';
import { fail } from './fail';

const cwd = process.env.INIT_CWD ?? process.cwd();

export const ARCHIVE_USAGE = `  pnpm gongzhi archive verify <package.zip>
      按包内 manifest.json 逐个核对季度归档包中的文件（大小与 SHA-256）。完好时输出摘要并以 0 退出；
      有文件被改动、缺失、多出或损坏时逐一列出文件名并以非零状态退出。`;

const short = (sha: string) => `${sha.slice(0, 12)}…`;

/** `pnpm gongzhi archive verify <package>`: exit 0 when intact, 1 naming every changed file, 2 for wrong usage. */
export function archiveCommand(args: string[]) {
  const [sub, file] = args;
  if (sub !== 'verify' || !file) fail(`用法:\n${ARCHIVE_USAGE}`, 2);
  const full = path.resolve(cwd, file);
  let zip: Buffer;
  try {
    zip = readFileSync(full);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') fail(`找不到文件：${full}`);
    throw err;
  }
  const check = verifyPackage(zip);
  if (!check.readable) fail(`✗ ${file}：${check.reason}`);
  const m = check.manifest;
  const head = `${m.community.name}（${m.community.key}）${m.quarter}，归档于 ${m.createdAt}，归档人 ${m.createdBy}`;
  if (check.ok) {
    console.log(`✓ ${file}：归档包完好 — ${head}；${check.intact} 个文件与 manifest.json 一致。`);
    return;
  }
  const lines = [
    ...check.changed.map(
      (c) =>
        `  已改动：${c.path}（清单 ${c.expected.bytes} 字节 ${short(c.expected.sha256)}，实际 ${c.actual.bytes} 字节 ${short(c.actual.sha256)}）`,
    ),
    ...check.unreadable.map((p) => `  已损坏（无法读取）：${p}`),
    ...check.missing.map((p) => `  缺失：${p}`),
    ...check.unexpected.map((p) => `  多出（清单中没有）：${p}`),
  ];
  const bad = check.changed.length + check.unreadable.length + check.missing.length + check.unexpected.length;
  fail(
    `✗ ${file}：归档包与 manifest.json 不符（${head}）— ${bad} 处问题，${check.intact} 个文件完好：\n${lines.join('\n')}`,
  );
}
