import path from 'node:path';
import { parseArgs } from 'node:util';
import { qrTargetsOf, zoneForBuilding } from '@gongzhi/domain';
import { DEV_QR_SECRET, readSettings } from '../env';
import { ROOT } from '../lib/paths';
import { ConfigInvalidError, loadCommunityConfigs } from '../services/communities/load-community-configs';
import { writePosters } from '../services/qr/write-posters';
import { writeZonePdfs } from '../services/qr/zone-pdf';
import { fail } from './fail';

const cwd = process.env.INIT_CWD ?? process.cwd();

export const POSTERS_USAGE = `  pnpm gongzhi posters <community> --out <dir> [--building N] [--pdf] [--config-dir DIR]
      为每栋楼、每个无楼号区域和每个设施生成一张可打印的二维码海报（PNG，A4 竖版，300 dpi），写入 <dir>。
      二维码指向 PUBLIC_URL/q/<code>，以 QR_SECRET 签名（非生产环境未设置时用开发密钥）。
      --building N 只生成该楼一张。
      --pdf 另为每个责任区域生成一个 PDF（print-<区域>.pdf，每页一张 A4 海报），交印刷店打印。`;

/** `pnpm gongzhi posters`: async, so it reports its own errors rather than main's try/catch. */
export async function postersCommand(args: string[]): Promise<void> {
  try {
    await posters(args);
  } catch (err) {
    if (err instanceof ConfigInvalidError) fail(err.message);
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      fail(`${(err as Error).message}\n\n用法:\n${POSTERS_USAGE}`, 2);
    throw err;
  }
}

async function posters(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      building: { type: 'string' },
      pdf: { type: 'boolean' },
      'config-dir': { type: 'string' },
    },
  });
  const key = positionals[0];
  if (!key) fail(`缺少小区 key。\n\n用法:\n${POSTERS_USAGE}`, 2);
  if (!values.out) fail(`缺少 --out <目录>。\n\n用法:\n${POSTERS_USAGE}`, 2);

  let settings: ReturnType<typeof readSettings>;
  try {
    settings = readSettings(process.env);
  } catch (err) {
    fail((err as Error).message);
  }
  if (settings.qrSecret === DEV_QR_SECRET) {
    process.stderr.write('注意：未设置 QR_SECRET，使用开发密钥签名；这些海报只能用于测试，不可张贴。\n');
  }
  if (!process.env.PUBLIC_URL) {
    process.stderr.write(`注意：未设置 PUBLIC_URL，二维码指向 ${settings.PUBLIC_URL}，手机无法访问。\n`);
  }

  const dir = values['config-dir']
    ? path.resolve(cwd, values['config-dir'])
    : path.join(ROOT, 'config/communities');
  const communities = loadCommunityConfigs(dir);
  const community =
    communities.get(key) ?? fail(`小区 "${key}" 不存在；已有：${[...communities.keys()].join(', ')}`);

  let targets = qrTargetsOf(community);
  if (values.building !== undefined) {
    const n = Number(values.building);
    if (!Number.isInteger(n) || n < 1) fail('--building 须是正整数楼号', 2);
    if (!zoneForBuilding(community, n)) fail(`${n} 号楼不属于任何责任区域，请核对楼号`);
    targets = [{ community: community.key, kind: 'building', building: n }];
  }

  const outDir = path.resolve(cwd, values.out);
  const started = performance.now();
  const files = await writePosters({
    community,
    qr: { secret: settings.qrSecret, publicUrl: settings.PUBLIC_URL },
    outDir,
    targets,
  });
  const pdfs = values.pdf ? await writeZonePdfs(community, files, outDir) : [];
  const count = (kind: string) => files.filter((f) => f.entry.kind === kind).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `✓ ${community.name}：已生成 ${files.length} 张海报（${count('building')} 栋楼，` +
      `${count('zone')} 个无楼号区域，${count('facility')} 个设施）→ ${outDir}，用时 ${seconds} 秒`,
  );
  for (const pdf of pdfs) {
    console.log(
      `  ${path.basename(pdf.file)}：${community.zones.get(pdf.zone)?.name ?? pdf.zone}，${pdf.pages} 页`,
    );
  }
}
