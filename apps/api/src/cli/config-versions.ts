import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DomainError, formatConfigProblems } from '@gongzhi/domain';
import { stringify } from 'yaml';
import { openDatabase } from '../db/client';
import { readSettings } from '../env';
import { loadCalendars } from '../services/communities/load-calendars';
import { ConfigInvalidError, loadCommunityConfigText } from '../services/communities/load-community-configs';
import { latestVersionRow, saveConfigVersion } from '../services/communities/save-config-version';
import { fail } from './fail';

const cwd = process.env.INIT_CWD ?? process.cwd();

export const CONFIG_VERSIONS_USAGE = `  pnpm gongzhi config export <community> [file]
      把数据库中该小区配置的最新版本导出为 YAML（写入文件，或不给文件时输出到屏幕）。
  pnpm gongzhi config import <file> --reason "原因"
      用与启动时相同的规则校验 YAML 配置文件，通过后保存为该小区配置的新版本（记录原因和改动），
      各实例数秒内生效；有问题时逐条列出（文件、路径、取值）并以非零状态退出，不做任何修改。
      使用与服务相同的数据库（DATABASE_URL，或 DATA_DIR 下的嵌入式 PGlite：须先停止服务）。`;

/** The database the API uses, from the same environment keys, paths read from the repository root. */
async function open(root: string) {
  const settings = readSettings(process.env);
  const database = await openDatabase({
    databaseUrl: settings.DATABASE_URL,
    migrationUrl: settings.MIGRATION_DATABASE_URL,
    pgliteDir: path.resolve(root, settings.DATA_DIR, 'pglite'),
  });
  return { settings, database };
}

/** `pnpm gongzhi config export <community> [file]`: the latest version as YAML. */
export async function configExport(args: string[], root: string) {
  const [key, file] = args;
  if (!key) fail(`缺少小区 key。\n\n用法:\n${CONFIG_VERSIONS_USAGE}`, 2);
  const { database } = await open(root);
  try {
    const latest = await latestVersionRow(database.db, key);
    if (!latest) fail(`数据库中没有小区 "${key}" 的配置`);
    const header =
      `# ${key} 的社区配置，第 ${latest.version} 版（${latest.createdAt.toISOString()}），` +
      `由 pnpm gongzhi config export 导出。\n# 修改后用 pnpm gongzhi config import <文件> --reason "原因" 导入为新版本。\n`;
    const text = header + stringify(latest.config, { lineWidth: 0 });
    if (file) {
      writeFileSync(path.resolve(cwd, file), text);
      console.log(`✓ 已导出 ${key} 第 ${latest.version} 版到 ${file}`);
    } else process.stdout.write(text);
  } finally {
    await database.close();
  }
}

/** `pnpm gongzhi config import <file> --reason …`: validated like the YAML at start, saved as the next version. */
export async function configImport(args: string[], root: string) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { reason: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file) fail(`缺少配置文件路径。\n\n用法:\n${CONFIG_VERSIONS_USAGE}`, 2);
  const reason = values.reason?.trim() ?? '';
  if (reason.length < 2) fail('请用 --reason "原因" 写明导入的原因（至少 2 个字）', 2);
  const full = path.resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') fail(`找不到文件：${full}`);
    throw err;
  }
  const community = loadCommunityConfigText(full, text);
  const { settings, database } = await open(root);
  try {
    const { calendars } = loadCalendars(
      path.resolve(root, settings.CALENDAR_DIR),
      new Map([[community.key, community]]),
      new Date(),
    );
    const outcome = await saveConfigVersion(database.db, {
      key: community.key,
      make: () => ({ raw: community.config }),
      source: 'import',
      author: { accountId: null, name: 'pnpm gongzhi config import' },
      reason,
      calendars,
    });
    if (!outcome.saved) {
      console.log(`✓ ${file} 与 ${community.key} 当前的第 ${outcome.version} 版相同，没有产生新版本`);
      return;
    }
    console.log(`✓ 已将 ${file} 导入为 ${community.key} 第 ${outcome.version} 版（原因：${reason}）：`);
    for (const d of outcome.diff) console.log(`  · ${d.text}`);
  } catch (err) {
    if (err instanceof DomainError && err.details) {
      throw new ConfigInvalidError(
        `${err.message}\n${formatConfigProblems(
          full,
          err.details.map((d) => ({ path: d.path ?? '', message: d.message })),
        )}`,
      );
    }
    throw err;
  } finally {
    await database.close();
  }
}
