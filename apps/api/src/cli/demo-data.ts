import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { describeDatabaseUrl, openDatabase } from '../db/client';
import { ROOT } from '../lib/paths';
import { copiesOfCommunity } from '../services/demo-data/demo-communities';
import { demoKey, demoName, generateDemoData, realDataIn } from '../services/demo-data/generate-demo-data';
import { fail } from './fail';

export const DEMO_DATA_USAGE = `  pnpm gongzhi demo-data --communities N --years Y [--from F] [--issues-per-year K] [--batch B]
                         [--database-url URL] [--force]
      在 PostgreSQL（--database-url，缺省取 DATABASE_URL）中生成城市规模的演示数据：N 个小区（夏朵园配置的副本，
      demo-00000 起编号，--from 指定起始编号，两个进程可并行写入不相交的编号段），每个 Y 年的问题（缺省每年 5000 条）及其处理记录、任务、评价、区域会议和汇总表。
      不创建任何账号（生成的人员无法登录）。数据库中已有真实数据（非生成的小区或任何账号）时拒绝运行，
      除非加 --force。按批（缺省 10 个小区一批）提交，已存在的小区跳过：中断后再次运行即从断点继续。`;

const int = (v: string | undefined, name: string, min: number) => {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < min) fail(`${name} 须是不小于 ${min} 的整数`, 2);
  return n;
};

/** `pnpm gongzhi demo-data …`: exit 0 when written, 1 when refused, 2 for wrong usage. */
export async function demoDataCommand(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      communities: { type: 'string' },
      from: { type: 'string' },
      years: { type: 'string' },
      'issues-per-year': { type: 'string' },
      batch: { type: 'string' },
      'database-url': { type: 'string' },
      'config-dir': { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const communities = int(values.communities, '--communities', 1);
  const from = values.from ? int(values.from, '--from', 0) : undefined;
  const years = Number(values.years);
  if (!(years > 0 && years <= 20)) fail('--years 须在 0 与 20 之间（可为小数）', 2);
  const issuesPerYear = values['issues-per-year']
    ? int(values['issues-per-year'], '--issues-per-year', 1)
    : undefined;
  const batch = values.batch ? int(values.batch, '--batch', 1) : undefined;
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  if (!url?.startsWith('postgres')) fail('需要 PostgreSQL：--database-url postgres://… 或 DATABASE_URL', 2);
  const configDir = values['config-dir'] ?? path.join(ROOT, 'config/communities');
  const [base] = copiesOfCommunity(configDir, { count: 1, keyOf: demoKey, nameOf: demoName }).values();

  // Migrations first (the same code path the server starts with), then the raw connection.
  const database = await openDatabase({ databaseUrl: url, pgliteDir: 'memory', statementTimeoutMs: 0 });
  await database.close();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const real = await realDataIn(sql);
    if (real && !values.force)
      fail(
        `数据库 ${describeDatabaseUrl(url)} 中已有真实数据（${real}），拒绝写入演示数据；确需写入请加 --force。`,
      );
    console.log(
      `生成演示数据到 ${describeDatabaseUrl(url)}：${communities} 个小区 × ${years} 年，每小区每年 ${issuesPerYear ?? 5000} 条问题`,
    );
    const done = await generateDemoData(
      sql,
      base!,
      { communities, from, years, issuesPerYear, batch },
      (p) => {
        const rate = p.issues / Math.max(p.seconds, 0.001);
        const eta =
          p.done < p.total && rate > 0
            ? ((p.total - p.done) * (p.issues / Math.max(p.done - p.skipped, 1))) / rate
            : 0;
        console.log(
          `  ${p.done}/${p.total} 个小区（跳过已有 ${p.skipped}），${p.issues.toLocaleString('en')} 条问题，` +
            `${p.seconds.toFixed(0)} 秒，${Math.round(rate).toLocaleString('en')} 条/秒，预计还需 ${Math.round(eta)} 秒`,
        );
      },
    );
    const [size] = await sql<
      { size: string }[]
    >`select pg_size_pretty(pg_database_size(current_database())) as size`;
    console.log(
      `完成：新写入 ${done.issues.toLocaleString('en')} 条问题，用时 ${done.seconds.toFixed(0)} 秒；数据库大小 ${size!.size}`,
    );
  } finally {
    await sql.end();
  }
}
