import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CommunityConfig } from '@gongzhi/domain';
import { desc } from 'drizzle-orm';
import { parse, stringify } from 'yaml';
import { type Database, openDatabase } from '../../apps/api/src/db/client';
import { configVersionsTable } from '../../apps/api/src/db/schema';
import { readCommunityConfigFiles } from '../../apps/api/src/services/communities/load-community-configs';
import { loadCommunityVersions } from '../../apps/api/src/services/communities/load-community-versions';
import { CONFIG_DIR } from '../helpers/build-app';
import { openTestDatabase } from '../helpers/test-db';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'gz-config-cli-'));
let env: NodeJS.ProcessEnv;
let openDb: () => Promise<Database>;
let cleanup: () => Promise<void> = async () => {};

/** `pnpm gongzhi …` as an operator runs it, against this suite's database. */
const gongzhi = (...args: string[]) =>
  spawnSync('pnpm', ['-s', '--dir', ROOT, 'gongzhi', ...args], {
    cwd: work,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });

beforeAll(async () => {
  const test = await openTestDatabase();
  if (test.url) {
    // PostgreSQL: the CLI opens its own connection to this suite's database.
    env = { ...process.env, DATABASE_URL: test.url };
    openDb = async () => test.database;
    cleanup = test.drop;
  } else {
    // PGlite: a data directory the CLI opens after this process has closed it (one process at a time).
    await test.drop();
    const dataDir = path.join(work, 'data');
    env = { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir };
    openDb = () => openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
  }
  const db = await openDb();
  await loadCommunityVersions(db.db, readCommunityConfigFiles(CONFIG_DIR));
  if (!test.url) await db.close();
});
afterAll(async () => {
  await cleanup();
  rmSync(work, { recursive: true, force: true });
});

async function versions() {
  const db = await openDb();
  try {
    return await db.db
      .select({
        version: configVersionsTable.version,
        source: configVersionsTable.source,
        reason: configVersionsTable.reason,
        diff: configVersionsTable.diff,
      })
      .from(configVersionsTable)
      .orderBy(desc(configVersionsTable.version));
  } finally {
    if (!env.DATABASE_URL) await db.close();
  }
}

describe('pnpm gongzhi config export | import', () => {
  it('exports the latest version, and importing it unchanged makes no new version', async () => {
    const out = gongzhi('config', 'export', 'xiaduoyuan', 'xdy.yaml');
    expect(out.status).toBe(0);
    expect(out.stdout + out.stderr).toContain('✓ 已导出 xiaduoyuan 第 1 版到 xdy.yaml');
    const text = readFileSync(path.join(work, 'xdy.yaml'), 'utf8');
    expect(text).toMatch(/^# xiaduoyuan 的社区配置，第 1 版/);
    expect(text).toContain('name: 张丽芬');

    const again = gongzhi('config', 'import', 'xdy.yaml', '--reason', '原样导入');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('与 xiaduoyuan 当前的第 1 版相同，没有产生新版本');
    expect((await versions()).map((v) => v.version)).toEqual([1]);
  });

  it('imports an edited file as the next version with its reason and diff', async () => {
    const text = readFileSync(path.join(work, 'xdy.yaml'), 'utf8').replace('name: 张丽芬', 'name: 张丽芳');
    writeFileSync(path.join(work, 'edited.yaml'), text);
    const out = gongzhi('config', 'import', 'edited.yaml', '--reason', '更正姓名');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('✓ 已将 edited.yaml 导入为 xiaduoyuan 第 2 版（原因：更正姓名）');
    expect(out.stdout).toContain('· 人员改名：张丽芬 → 张丽芳');
    const [latest] = await versions();
    expect(latest).toMatchObject({ version: 2, source: 'import', reason: '更正姓名' });
    expect(latest!.diff.map((d) => d.text)).toEqual(['人员改名：张丽芬 → 张丽芳']);

    // The round trip: what is exported now is what was imported.
    expect(gongzhi('config', 'export', 'xiaduoyuan', 'v2.yaml').status).toBe(0);
    const v2 = readFileSync(path.join(work, 'v2.yaml'), 'utf8');
    expect(v2.split('\n').slice(2).join('\n')).toBe(text.split('\n').slice(2).join('\n'));
  });

  it('refuses what the validator refuses, naming file, path and values, and writes nothing', async () => {
    // Drops a person (history names them) and makes zone 1's leader a resident-committee member.
    const raw = parse(readFileSync(path.join(work, 'v2.yaml'), 'utf8')) as CommunityConfig;
    raw.people = raw.people.filter((p) => p.key !== 'tu-zhongmei');
    raw.zones[0]!.leader.org = 'rc';
    const text = stringify(raw);
    writeFileSync(path.join(work, 'bad.yaml'), text);
    const out = gongzhi('config', 'import', 'bad.yaml', '--reason', '错误的修改');
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(
      'bad.yaml: zones[0].leader.org: 区域 "zone-1" 的组长 "wu-wenjie" 必须是业委会成员（oc）',
    );
    expect(out.stderr).toContain('bad.yaml: secretary: 引用了未定义的人员 "tu-zhongmei"');

    const missingReason = gongzhi('config', 'import', 'v2.yaml');
    expect(missingReason.status).toBe(2);
    expect(missingReason.stderr).toContain('--reason');
    const unknown = gongzhi('config', 'export', 'nowhere');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('数据库中没有小区 "nowhere" 的配置');
    expect((await versions()).map((v) => v.version)).toEqual([2, 1]);
  });
});
