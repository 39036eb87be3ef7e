import { userInfo } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DomainError, Phone, passwordProblems } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { type Database, DataDirLockedError, openDatabase } from '../db/client';
import { accountsTable } from '../db/schema';
import { readDatabaseSettings } from '../env';
import { type AccountActor, appendAccountEvent } from '../services/accounts/account-log';
import { createAccount } from '../services/accounts/create-account';
import { newOneTimePassword } from '../services/accounts/one-time-password';
import { setPassword } from '../services/accounts/reset-password';
import { fail } from './fail';

/** Repository root: DATA_DIR is read from here, as the server reads it. */
const ROOT = path.resolve(__dirname, '../../../..');

export const ADMIN_USAGE = `  pnpm gongzhi admin create --phone <手机号> [--name <姓名>] [--password-stdin]
      创建管理员账号（第一个管理员用它创建）。使用与服务器相同的数据库：DATABASE_URL，未设置时为 DATA_DIR
      下的嵌入式数据库（须先停止服务器）。默认生成并显示一次性密码，首次登录后必须修改；
      加 --password-stdin 则从标准输入读取密码（须符合密码规则）。
  pnpm gongzhi admin reset-password --phone <手机号> [--password-stdin] [--enable]
      为忘记密码或被锁在外面的账号重设密码（默认生成一次性密码），并结束它的全部登录；
      --enable 同时重新启用已停用的账号。每一步都记入账号日志。`;

/** A refusal found with the database open: thrown so the database is closed before the exit. */
class Refusal extends Error {}

const usage = (why: string): never => fail(`${why}\n\n用法:\n${ADMIN_USAGE}`, 2);

/** Whoever ran the command on the server, as the account log names them. */
const cliActor = (): AccountActor => {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // a container user without a passwd entry: the log still says it was the command line
  }
  return { source: 'cli', name: `命令行（${user}）` };
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** The password to set: from stdin (checked against the rule) or a fresh one-time password. */
async function choosePassword(fromStdin: boolean, phone: string) {
  if (!fromStdin) return { password: newOneTimePassword(), oneTime: true };
  const password = await readStdin();
  if (!password) fail('标准输入中没有密码（--password-stdin 读取第一行）');
  const problems = passwordProblems(password, { phone });
  if (problems.length > 0) fail(`密码不符合要求：\n${problems.map((p) => `  - ${p.message}`).join('\n')}`);
  return { password, oneTime: false };
}

export async function withDatabase<T>(run: (database: Database) => Promise<T>): Promise<T> {
  let settings: ReturnType<typeof readDatabaseSettings>;
  try {
    settings = readDatabaseSettings();
  } catch (err) {
    return fail((err as Error).message);
  }
  let database: Database;
  try {
    database = await openDatabase({
      databaseUrl: settings.DATABASE_URL,
      migrationUrl: settings.MIGRATION_DATABASE_URL,
      pgliteDir: path.resolve(ROOT, settings.DATA_DIR, 'pglite'),
    });
  } catch (err) {
    if (err instanceof DataDirLockedError) fail(err.message);
    const where = settings.DATABASE_URL
      ? `PostgreSQL ${new URL(settings.DATABASE_URL).host}`
      : path.resolve(ROOT, settings.DATA_DIR);
    return fail(`无法打开数据库（${where}）：${(err as Error).message}`);
  }
  try {
    return await run(database);
  } finally {
    await database.close();
  }
}

function printPassword(oneTime: boolean, password: string) {
  if (!oneTime) return console.log('  密码：已按标准输入设置。');
  console.log(`  一次性密码：${password}`);
  console.log('  此密码只显示这一次；登录后必须先修改密码，才能使用其他功能。');
}

async function create(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      phone: { type: 'string' },
      name: { type: 'string', default: '系统管理员' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  if (!values.phone) usage('缺少 --phone');
  const phone = values.phone!;
  if (!Phone.safeParse(phone).success) usage(`手机号 "${phone}" 无效：须为 1 开头的 11 位数字`);
  const name = values.name.trim();
  if (!name || name.length > 40) usage('--name 须为 1–40 个字符');
  const { password, oneTime } = await choosePassword(values['password-stdin'], phone);

  await withDatabase(async ({ db }) => {
    const actor = cliActor();
    const admins = await db.transaction(async (tx) => {
      const [existing] = await tx.select().from(accountsTable).where(eq(accountsTable.phone, phone));
      if (existing)
        throw new Refusal(
          `手机号 ${phone} 已有账号（${existing.displayName}）。要为它重设密码，请用：pnpm gongzhi admin reset-password --phone ${phone}`,
        );
      const id = await createAccount(tx, {
        kind: 'admin',
        phone,
        password,
        displayName: name,
        mustChangePassword: oneTime,
      });
      await appendAccountEvent(tx, actor, new Date(), {
        accountId: id,
        action: 'created',
        detail: { kind: 'admin', phone },
      });
      return tx.select({ id: accountsTable.id }).from(accountsTable).where(eq(accountsTable.kind, 'admin'));
    });
    console.log(`✓ 已创建管理员账号：${name}（${phone}），现有管理员 ${admins.length} 名。`);
    printPassword(oneTime, password);
  });
}

async function resetPassword(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      phone: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      enable: { type: 'boolean', default: false },
    },
  });
  if (!values.phone) usage('缺少 --phone');
  const phone = values.phone!;
  if (!Phone.safeParse(phone).success) usage(`手机号 "${phone}" 无效：须为 1 开头的 11 位数字`);
  const { password, oneTime } = await choosePassword(values['password-stdin'], phone);

  await withDatabase(async ({ db }) => {
    const actor = cliActor();
    const account = await db.transaction(async (tx) => {
      const [a] = await tx.select().from(accountsTable).where(eq(accountsTable.phone, phone)).for('update');
      if (!a)
        throw new Refusal(
          `没有手机号为 ${phone} 的账号。创建管理员请用：pnpm gongzhi admin create --phone ${phone}`,
        );
      const now = new Date();
      await setPassword(tx, actor, now, a!.id, password, oneTime);
      if (values.enable && a!.disabledAt) {
        await tx.update(accountsTable).set({ disabledAt: null }).where(eq(accountsTable.id, a!.id));
        await appendAccountEvent(tx, actor, now, { accountId: a!.id, action: 'enabled' });
      }
      return a!;
    });
    console.log(`✓ 已重设 ${account.displayName}（${phone}）的密码，并结束了它的全部登录。`);
    printPassword(oneTime, password);
    if (account.disabledAt && values.enable) console.log('  该账号已重新启用。');
    else if (account.disabledAt)
      console.log('  注意：该账号仍处于停用状态，无法登录；加 --enable 可同时重新启用。');
  });
}

/** `pnpm gongzhi admin create|reset-password`: 0 on success, 1 for a refusal, 2 for wrong usage. */
export async function adminCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  try {
    if (sub === 'create') return await create(rest);
    if (sub === 'reset-password') return await resetPassword(rest);
    usage(sub ? `未知的 admin 子命令：${sub}` : '缺少 admin 子命令');
  } catch (err) {
    if (err instanceof DomainError || err instanceof Refusal) fail(err.message);
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) usage((err as Error).message);
    throw err;
  }
}
