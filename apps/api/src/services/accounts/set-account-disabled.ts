import { type AccountView, Conflict } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { accountsTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { accountView, loadManagedAccount, requireReach } from './account-access';
import { actorOf, appendAccountEvent } from './account-log';
import { endSessionsOf } from './end-account-session';

/**
 * Disable an account and end every session it has, or enable it again. Access tokens are checked
 * against their session and account on every request, so a disabled account is locked out at
 * once, not when its token expires. Doing what is already so changes nothing and logs nothing.
 */
export async function setAccountDisabled(
  ctx: ServiceContext,
  accountId: string,
  disabled: boolean,
): Promise<AccountView> {
  const reach = requireReach(ctx);
  return ctx.db.transaction(async (tx) => {
    const row = await loadManagedAccount(tx, reach, accountId);
    if (disabled && accountId === ctx.principal!.accountId)
      throw Conflict('cannot_disable_self', '不能停用自己正在使用的账号');
    if (!!row.account.disabledAt === disabled) return accountView(row);
    const now = ctx.now();
    const [updated] = await tx
      .update(accountsTable)
      .set({ disabledAt: disabled ? now : null })
      .where(eq(accountsTable.id, accountId))
      .returning();
    const ended = disabled ? await endSessionsOf(tx, accountId, now) : 0;
    await appendAccountEvent(tx, actorOf(ctx), now, {
      accountId,
      action: disabled ? 'disabled' : 'enabled',
      detail: disabled ? { sessionsEnded: ended } : {},
    });
    return accountView({ ...row, account: updated! });
  });
}
