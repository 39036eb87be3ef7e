import { NotFound } from '@gongzhi/domain';
import { and, eq, isNull } from 'drizzle-orm';
import { accountsTable, sessionsTable } from '../../db/schema';
import type { ServiceContext } from '../context';

export async function logout(ctx: ServiceContext, sessionId: string) {
  await ctx.db
    .update(sessionsTable)
    .set({ revokedAt: ctx.now() })
    .where(and(eq(sessionsTable.id, sessionId), isNull(sessionsTable.revokedAt)));
}

/**
 * Disable an account and end every session it has. Access tokens are checked against their
 * session on every request, so the account is locked out at once, not when its token expires.
 */
export async function setAccountDisabled(ctx: ServiceContext, accountId: string, disabled: boolean) {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(accountsTable)
      .set({ disabledAt: disabled ? ctx.now() : null })
      .where(eq(accountsTable.id, accountId))
      .returning({ id: accountsTable.id });
    if (!row) throw NotFound('account_not_found', '账号不存在');
    if (disabled) {
      await tx
        .update(sessionsTable)
        .set({ revokedAt: ctx.now() })
        .where(and(eq(sessionsTable.accountId, accountId), isNull(sessionsTable.revokedAt)));
    }
  });
}
