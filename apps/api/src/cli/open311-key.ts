import { parseArgs } from 'node:util';
import { DomainError, Open311KeyInput } from '@gongzhi/domain';
import { createOpen311Key } from '../services/open311/create-open311-key';
import { listOpen311Keys } from '../services/open311/list-open311-keys';
import { revokeOpen311Key } from '../services/open311/revoke-open311-key';
import { withDatabase } from './admin';
import { fail } from './fail';

export const OPEN311_KEY_USAGE = `  pnpm gongzhi open311-key create --name <系统名称> [--community <小区 key>]
      为提交 Open311 请求的外部系统（如区级平台）签发 API 密钥；不加 --community 则可提交到所有小区。
      密钥只显示这一次，数据库只存其哈希。使用与服务器相同的数据库（DATABASE_URL 或 DATA_DIR）。
  pnpm gongzhi open311-key list
      列出全部密钥：编号、系统名称、小区、前几位字符、签发时间、吊销时间、最近使用时间。
  pnpm gongzhi open311-key revoke <编号>
      吊销密钥：此后用它提交的请求一律拒绝（403）。`;

const usage = (why: string): never => fail(`${why}\n\n用法:\n${OPEN311_KEY_USAGE}`, 2);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const row = (k: Awaited<ReturnType<typeof listOpen311Keys>>[number]) =>
  [
    k.id,
    k.name,
    k.community ?? '（全部小区）',
    `${k.keyPrefix}…`,
    `签发 ${k.createdAt}`,
    k.revokedAt ? `已吊销 ${k.revokedAt}` : '有效',
    k.lastUsedAt ? `最近使用 ${k.lastUsedAt}` : '未使用',
  ].join('  ');

async function create(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { name: { type: 'string' }, community: { type: 'string' } },
  });
  const input = Open311KeyInput.safeParse({ name: values.name ?? '', community: values.community });
  if (!input.success) usage(input.error.issues.map((i) => `--${i.path.join('.')}：${i.message}`).join('\n'));
  await withDatabase(async ({ db }) => {
    const issued = await createOpen311Key(db, input.data!, { accountId: null, now: new Date() });
    console.log(
      `✓ 已为 ${issued.name} 签发 Open311 密钥（${issued.community ?? '全部小区'}），编号 ${issued.id}`,
    );
    console.log(`  密钥：${issued.key}`);
    console.log('  此密钥只显示这一次，请立即交给对方系统的管理员；遗失后只能吊销并重新签发。');
  });
}

async function list() {
  await withDatabase(async ({ db }) => {
    const keys = await listOpen311Keys(db);
    if (keys.length === 0) return console.log('还没有 Open311 密钥。');
    for (const k of keys) console.log(row(k));
  });
}

async function revoke(args: string[]) {
  const id = args[0];
  if (!id || !UUID.test(id)) usage('缺少或无效的密钥编号（pnpm gongzhi open311-key list 可查）');
  await withDatabase(async ({ db }) => {
    const k = await revokeOpen311Key(db, id!, new Date());
    console.log(`✓ 已吊销：${row(k)}`);
  });
}

/** `pnpm gongzhi open311-key create|list|revoke`: 0 on success, 1 for a refusal, 2 for wrong usage. */
export async function open311KeyCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  try {
    if (sub === 'create') return await create(rest);
    if (sub === 'list') return await list();
    if (sub === 'revoke') return await revoke(rest);
    usage(sub ? `未知的 open311-key 子命令：${sub}` : '缺少 open311-key 子命令');
  } catch (err) {
    if (err instanceof DomainError) fail(err.message);
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) usage((err as Error).message);
    throw err;
  }
}
