import { type ChangePasswordInput, Conflict, Invalid, passwordProblems } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { accountsTable } from '../../db/schema';
import { actorOf, appendAccountEvent } from '../accounts/account-log';
import { endSessionsOf } from '../accounts/end-account-session';
import type { ServiceContext } from '../context';
import { hashPassword, verifyPassword } from './password';

/**
 * A signed-in person changes their own password: the old one is required, the new one must meet
 * the password rule, and every other session of the account ends (this one stays signed in).
 */
export async function changeOwnPassword(ctx: ServiceContext, input: ChangePasswordInput) {
  const p = ctx.principal!;
  const [account] = await ctx.db.select().from(accountsTable).where(eq(accountsTable.id, p.accountId));
  if (!account?.passwordHash) throw Conflict('no_password', '该账号用微信登录，没有密码');
  if (!(await verifyPassword(input.oldPassword, account.passwordHash)))
    throw Invalid('wrong_password', '原密码不正确', [{ path: 'body.oldPassword', message: '原密码不正确' }]);
  const problems = passwordProblems(input.newPassword, { phone: account.phone, previous: input.oldPassword });
  if (problems.length > 0)
    throw Invalid(
      'weak_password',
      `新密码不符合要求：${problems.map((x) => x.message).join('；')}`,
      problems.map((x) => ({ path: 'body.newPassword', message: x.message, rule: x.code })),
    );
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    await tx
      .update(accountsTable)
      .set({ passwordHash, mustChangePassword: false })
      .where(eq(accountsTable.id, p.accountId));
    const ended = await endSessionsOf(tx, p.accountId, now, p.sessionId);
    await appendAccountEvent(tx, actorOf(ctx), now, {
      accountId: p.accountId,
      action: 'password_changed',
      detail: { otherSessionsEnded: ended },
    });
  });
}
