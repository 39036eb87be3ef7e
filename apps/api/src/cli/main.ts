import path from 'node:path';
import { parseArgs } from 'node:util';
import { DomainError, decideRoute, resolveZone, Scope, Urgency } from '@gongzhi/domain';
import { ROOT } from '../lib/paths';
import { demoLogins, demoLoginTable } from '../services/accounts/seed-demo-accounts';
import {
  ConfigInvalidError,
  loadCommunityConfigFile,
  loadCommunityConfigs,
} from '../services/communities/load-community-configs';
import { ADMIN_USAGE, adminCommand } from './admin';
import { ARCHIVE_USAGE, archiveCommand } from './archive';
import { CONFIG_VERSIONS_USAGE, configExport, configImport } from './config-versions';
import { DEMO_DATA_USAGE, demoDataCommand } from './demo-data';
import { fail } from './fail';
import { OPEN311_KEY_USAGE, open311KeyCommand } from './open311-key';
import { POSTERS_USAGE, postersCommand } from './posters';

/** `pnpm gongzhi` runs from the repository root, but relative paths are read from the caller's cwd. */
const cwd = process.env.INIT_CWD ?? process.cwd();

const USAGE = `gongzhi — 共治管理工具

用法:
  pnpm gongzhi config check <file>
      校验一个社区配置文件；有问题时逐条列出（文件、路径、取值）并以非零状态退出。
${CONFIG_VERSIONS_USAGE}
  pnpm gongzhi route <community> (--building N | --zone KEY) --category C
                     [--urgency normal|urgent|emergency] [--scope neighbour|unit|building|estate|community]
                     [--shared-parts] [--maintenance-fund] [--multi-org] [--config-dir DIR]
      按当前配置试算分派结果（层级、负责人、派单、程序及理由），以 JSON 输出；不创建任何记录。
  pnpm gongzhi demo accounts [--config-dir DIR]
      列出演示模式（DEMO=1 / pnpm start:demo）创建的账号：手机号、姓名、身份，密码相同。
${DEMO_DATA_USAGE}
${POSTERS_USAGE}
${ARCHIVE_USAGE}
${ADMIN_USAGE}
${OPEN311_KEY_USAGE}
`;

function demoAccounts(args: string[]) {
  const { values } = parseArgs({ args, options: { 'config-dir': { type: 'string' } } });
  const dir = values['config-dir']
    ? path.resolve(cwd, values['config-dir'])
    : path.join(ROOT, process.env.CONFIG_DIR ?? 'config/communities');
  console.log(demoLoginTable(demoLogins(loadCommunityConfigs(dir))));
}

function configCheck(args: string[]) {
  const file = args[0];
  if (!file) fail(`缺少配置文件路径。\n\n${USAGE}`, 2);
  const full = path.resolve(cwd, file);
  try {
    const c = loadCommunityConfigFile(full);
    const cfg = c.config;
    console.log(
      `✓ ${file}：${c.name}（${c.key}）配置有效 — ${cfg.zones.length} 个区域，${cfg.lines.length} 个条线，` +
        `${cfg.categories.length} 个问题类别，${cfg.people.length} 名人员`,
    );
  } catch (err) {
    if (err instanceof ConfigInvalidError) fail(err.message);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') fail(`找不到文件：${full}`);
    throw err;
  }
}

function route(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      building: { type: 'string' },
      zone: { type: 'string' },
      category: { type: 'string' },
      urgency: { type: 'string', default: 'normal' },
      scope: { type: 'string', default: 'building' },
      'shared-parts': { type: 'boolean', default: false },
      'maintenance-fund': { type: 'boolean', default: false },
      'multi-org': { type: 'boolean', default: false },
      'config-dir': { type: 'string' },
    },
  });
  const key = positionals[0];
  if (!key) fail(`缺少小区 key。\n\n${USAGE}`, 2);
  if (!values.category) fail('缺少 --category', 2);
  const urgency = Urgency.safeParse(values.urgency);
  if (!urgency.success) fail(`--urgency 只能是 ${Urgency.options.join(' | ')}`, 2);
  const scope = Scope.safeParse(values.scope);
  if (!scope.success) fail(`--scope 只能是 ${Scope.options.join(' | ')}`, 2);
  const building = values.building === undefined ? undefined : Number(values.building);
  if (building !== undefined && !Number.isInteger(building)) fail('--building 须是整数楼号', 2);

  const dir = values['config-dir']
    ? path.resolve(cwd, values['config-dir'])
    : path.join(ROOT, 'config/communities');
  const communities = loadCommunityConfigs(dir);
  const community =
    communities.get(key) ?? fail(`小区 "${key}" 不存在；已有：${[...communities.keys()].join(', ')}`);
  const zone = resolveZone(community, { building, zone: values.zone });
  const decision = decideRoute(
    {
      zone: zone.key,
      category: values.category,
      urgency: urgency.data,
      scope: scope.data,
      touchesSharedParts: values['shared-parts'],
      usesMaintenanceFund: values['maintenance-fund'],
      multiOrg: values['multi-org'],
    },
    community,
  );
  const person = (k: string | null) => (k ? { key: k, name: community.people.get(k)?.name ?? k } : null);
  const output = {
    community: community.key,
    building: building ?? null,
    zone: { key: zone.key, name: zone.name, leader: person(zone.leader.person) },
    category: { key: values.category, name: community.categories.get(values.category)?.name },
    tier: decision.tier,
    line: decision.line,
    owner: person(decision.owner),
    tasks: decision.tasks.map((t) => ({ ...person(t.assignee), role: t.role })),
    procedures: decision.procedures,
    reasons: decision.reasons,
  };
  console.log(JSON.stringify(output, null, 2));
}

function handle(err: unknown): never {
  if (err instanceof DomainError)
    fail(`${err.message}${err.details ? `\n${JSON.stringify(err.details)}` : ''}`);
  if (err instanceof ConfigInvalidError) fail(err.message);
  if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
    fail(`${(err as Error).message}\n\n${USAGE}`, 2);
  throw err;
}

function main() {
  const [cmd, sub, ...rest] = process.argv.slice(2);
  try {
    if (cmd === 'config' && sub === 'check') return configCheck(rest);
    if (cmd === 'config' && sub === 'export') return void configExport(rest, ROOT).catch(handle);
    if (cmd === 'config' && sub === 'import') return void configImport(rest, ROOT).catch(handle);
    if (cmd === 'demo' && sub === 'accounts') return demoAccounts(rest);
    if (cmd === 'demo-data') return void demoDataCommand([sub ?? '', ...rest].filter(Boolean)).catch(handle);
    if (cmd === 'route') return route([sub ?? '', ...rest].filter(Boolean));
    if (cmd === 'archive') return archiveCommand([sub ?? '', ...rest].filter(Boolean));
    if (cmd === 'admin') return void adminCommand([sub ?? '', ...rest].filter(Boolean));
    if (cmd === 'open311-key') return void open311KeyCommand([sub ?? '', ...rest].filter(Boolean));
    if (cmd === 'posters') return void postersCommand([sub ?? '', ...rest].filter(Boolean));
    if (cmd === undefined || cmd === 'help' || cmd === '--help') return void console.log(USAGE);
    fail(`未知命令：${[cmd, sub].filter(Boolean).join(' ')}\n\n${USAGE}`, 2);
  } catch (err) {
    handle(err);
  }
}

main();
