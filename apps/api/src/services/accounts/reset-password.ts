import { Conflict, type OneTimePasswordView } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { accountsTable } from '../../db/schema';
import { hashPassword } from '../auth/password';
import type { ServiceContext } from '../context';
import { accountView, loadManagedAccount, requireReach } from './account-access';
import { type AccountActor, actorOf, appendAccountEvent } from './account-log';
import { endSessionsOf } from './end-account-session';
import { newOneTimePassword } from './one-time-password';

/**
 * Set a new password on an account and end all its sessions. `mustChange` makes it a one-time
 * password; the log records that it was reset, never the password.
 */
export async function setPassword(
  tx: Db | Tx,
  actor: AccountActor,
  now: Date,
  accountId: string,
  password: string,
  mustChange: boolean,
) {
  await tx
    .update(accountsTable)
    .set({ passwordHash: await hashPassword(password), mustChangePassword: mustChange })
    .where(eq(accountsTable.id, accountId));
  const ended = await endSessionsOf(tx, accountId, now);
  await appendAccountEvent(tx, actor, now, {
    accountId,
    action: 'password_reset',
    detail: { oneTime: mustChange, sessionsEnded: ended },
  });
}

/** An administrator resets a password: a one-time password, shown once, changed at the next login. */
export async function resetPassword(ctx: ServiceContext, accountId: string): Promise<OneTimePasswordView> {
  const reach = requireReach(ctx);
  const oneTimePassword = newOneTimePassword();
  return ctx.db.transaction(async (tx) => {
    const row = await loadManagedAccount(tx, reach, accountId);
    if (row.account.kind === 'resident')
      throw Conflict('resident_has_no_password', '居民账号用微信登录，没有密码');
    await setPassword(tx, actorOf(ctx), ctx.now(), accountId, oneTimePassword, true);
    return {
      account: accountView({ ...row, account: { ...row.account, mustChangePassword: true } }),
      oneTimePassword,
    };
  });
}
