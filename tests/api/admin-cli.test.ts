import { eq } from 'drizzle-orm';
import { accountEventsTable, accountsTable } from '../../apps/api/src/db/schema';
import { verifyPassword } from '../../apps/api/src/services/auth/password';
import { cliDatabase, runGongzhi } from '../helpers/cli';

jest.setTimeout(600_000);

/** The real `pnpm gongzhi admin …` as a child process on the database the server would use. */
let scratch: Awaited<ReturnType<typeof cliDatabase>>;
beforeAll(async () => {
  scratch = await cliDatabase('cli');
});
afterAll(() => scratch.drop());
const gongzhi = (args: string[], stdin?: string) => runGongzhi(scratch.env, args, stdin);
const openSame = () => scratch.open();

/** Read the account and its log after the CLI exited (PGlite: the data directory is free again). */
async function inspect(phone: string) {
  const database = await openSame();
  try {
    const [account] = await database.db.select().from(accountsTable).where(eq(accountsTable.phone, phone));
    const events = account
      ? await database.db
          .select()
          .from(accountEventsTable)
          .where(eq(accountEventsTable.accountId, account.id))
          .orderBy(accountEventsTable.at)
      : [];
    return { account, events };
  } finally {
    await database.close();
  }
}

const PHONE = '13800000001';

describe('pnpm gongzhi admin', () => {
  test('create: the first administrator with a one-time password, logged as done on the command line', async () => {
    const r = await gongzhi(['admin', 'create', '--phone', PHONE, '--name', '王管理']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已创建管理员账号：王管理（13800000001）');
    const oneTime = /一次性密码：(\S+)/.exec(r.stdout)?.[1];
    expect(oneTime).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);

    const { account, events } = await inspect(PHONE);
    expect(account).toMatchObject({ kind: 'admin', displayName: '王管理', mustChangePassword: true });
    expect(await verifyPassword(oneTime!, account!.passwordHash!)).toBe(true);
    expect(events.map((e) => [e.action, e.source, e.actorAccountId, e.requestId])).toEqual([
      ['created', 'cli', null, null],
    ]);
    expect(events[0]!.actorName).toMatch(/^命令行（.+）$/);
  });

  test('create again with the same phone: exit 1, the reason in Chinese, nothing changed', async () => {
    const before = await inspect(PHONE);
    const r = await gongzhi(['admin', 'create', '--phone', PHONE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('手机号 13800000001 已有账号（王管理）');
    expect(r.stderr).toContain('admin reset-password');
    const after = await inspect(PHONE);
    expect(after.account!.passwordHash).toBe(before.account!.passwordHash);
    expect(after.events).toHaveLength(1);
  });

  test('reset-password reads the password from stdin when asked, and refuses a weak one', async () => {
    const weak = await gongzhi(
      ['admin', 'reset-password', '--phone', PHONE, '--password-stdin'],
      '12345678\n',
    );
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('密码不符合要求');
    expect(weak.stderr).toContain('密码须包含字母、数字、符号中的至少两种');

    const r = await gongzhi(
      ['admin', 'reset-password', '--phone', PHONE, '--password-stdin'],
      'Wang-Admin-2026\n',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已重设 王管理（13800000001）的密码');
    expect(r.stdout).not.toContain('Wang-Admin-2026');
    const { account, events } = await inspect(PHONE);
    expect(await verifyPassword('Wang-Admin-2026', account!.passwordHash!)).toBe(true);
    expect(account!.mustChangePassword).toBe(false);
    expect(events.map((e) => [e.action, e.source, e.detail])).toEqual([
      ['created', 'cli', { kind: 'admin', phone: PHONE }],
      ['password_reset', 'cli', { oneTime: false, sessionsEnded: 0 }],
    ]);
  });

  test('wrong usage exits non-zero with the reason: bad phone, unknown phone, unknown subcommand', async () => {
    const bad = await gongzhi(['admin', 'create', '--phone', '12345']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('手机号 "12345" 无效');
    const missing = await gongzhi(['admin', 'create']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('缺少 --phone');
    const unknownOption = await gongzhi(['admin', 'create', '--phone', PHONE, '--admin-level', '9']);
    expect(unknownOption.code).toBe(2);
    const unknownSub = await gongzhi(['admin', 'promote']);
    expect(unknownSub.code).toBe(2);
    expect(unknownSub.stderr).toContain('未知的 admin 子命令：promote');
    const nobody = await gongzhi(['admin', 'reset-password', '--phone', '13999999999']);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('没有手机号为 13999999999 的账号');
  });
});
