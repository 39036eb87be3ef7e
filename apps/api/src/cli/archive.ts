import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readSettings } from '../env';
import { archiveSigningKey, type SignatureCheck } from '../services/archive/signing';
import { verifyPackage } from '../services/archive/verify-package';
import { fail } from './fail';

const cwd = process.env.INIT_CWD ?? process.cwd();

export const ARCHIVE_USAGE = `  pnpm gongzhi archive verify <package.zip> [--public-key <公钥>] [--sha256 <归档时记录的 SHA-256>]
      核对 manifest.json 的签名（本系统的归档公钥：默认由与服务器相同的 JWT_SECRET 得出，或用 --public-key
      指定，见 GET /api/archives/signing-key），再按清单逐个核对文件（大小与 SHA-256）；给出 --sha256 时
      还核对整个包与归档时记录的一致（季度归档页面所示）。完好时以 0 退出；有问题时逐一列出并以非零状态退出。`;

const SIGNATURE_PROBLEMS: Record<Exclude<SignatureCheck, 'valid'>, string> = {
  missing: '包内没有签名（signature.json），无法证明它出自本系统',
  malformed: '签名文件 signature.json 已损坏',
  untrusted_key: '签名所用的密钥不是本系统的归档密钥',
  invalid: 'manifest.json 与签名不符：清单在归档后被改动过',
};

const short = (sha: string) => `${sha.slice(0, 12)}…`;

/** `pnpm gongzhi archive verify <package>`: exit 0 when intact, 1 naming every changed file, 2 for wrong usage. */
export function archiveCommand(args: string[]) {
  const [sub, file, ...rest] = args;
  if (sub !== 'verify' || !file) fail(`用法:\n${ARCHIVE_USAGE}`, 2);
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const [name, value] = [rest[i]!, rest[i + 1]];
    if (!['--public-key', '--sha256'].includes(name) || !value) fail(`用法:\n${ARCHIVE_USAGE}`, 2);
    options.set(name, value!);
  }
  const publicKey = options.get('--public-key') ?? archiveSigningKey(readSettings().jwtSecret).publicKey;
  const full = path.resolve(cwd, file);
  let zip: Buffer;
  try {
    zip = readFileSync(full);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') fail(`找不到文件：${full}`);
    throw err;
  }
  const check = verifyPackage(zip, { publicKey, recordedSha256: options.get('--sha256') });
  if (!check.readable) fail(`✗ ${file}：${check.reason}`);
  const m = check.manifest;
  const head = `${m.community.name}（${m.community.key}）${m.quarter}，归档于 ${m.createdAt}，归档人 ${m.createdBy}`;
  if (check.ok) {
    const recorded = check.recordedHashMatches ? '，整包与归档时记录的 SHA-256 一致' : '';
    console.log(
      `✓ ${file}：归档包完好 — ${head}；签名有效，${check.intact} 个文件与 manifest.json 一致${recorded}。`,
    );
    return;
  }
  const lines = [
    ...(check.signature === 'valid' ? [] : [`  签名：${SIGNATURE_PROBLEMS[check.signature]}`]),
    ...(check.recordedHashMatches === false
      ? [`  整个归档包的 SHA-256 与归档时记录的不同（实际 ${short(check.sha256)}）`]
      : []),
    ...check.changed.map(
      (c) =>
        `  已改动：${c.path}（清单 ${c.expected.bytes} 字节 ${short(c.expected.sha256)}，实际 ${c.actual.bytes} 字节 ${short(c.actual.sha256)}）`,
    ),
    ...check.unreadable.map((p) => `  已损坏（无法读取）：${p}`),
    ...check.missing.map((p) => `  缺失：${p}`),
    ...check.unexpected.map((p) => `  多出（清单中没有）：${p}`),
  ];
  fail(
    `✗ ${file}：归档包未通过核对（${head}）— ${lines.length} 处问题，${check.intact} 个文件与清单一致：\n${lines.join('\n')}`,
  );
}
