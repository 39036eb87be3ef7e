import { NotFound } from '@gongzhi/domain';
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { sessionsTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { loadManagedAccount, requireReach } from './account-access';
import { actorOf, appendAccountEvent } from './account-log';

/** End every live session of an account (except `keep`); returns how many were ended. */
export async function endSessionsOf(tx: Db | Tx, accountId: string, now: Date, keep?: string) {
  const ended = await tx
    .update(sessionsTable)
    .set({ revokedAt: now })
    .where(
      and(
        eq(sessionsTable.accountId, accountId),
        isNull(sessionsTable.revokedAt),
        keep ? ne(sessionsTable.id, keep) : undefined,
      ),
    )
    .returning({ id: sessionsTable.id });
  return ended.length;
}

/**
 * An administrator ends one session of an account (a lost phone): its access token stops working at
 * the next request and its refresh token is refused. Ending an ended session is a no-op.
 */
export async function endAccountSession(ctx: ServiceContext, accountId: string, sessionId: string) {
  const reach = requireReach(ctx);
  await ctx.db.transaction(async (tx) => {
    await loadManagedAccount(tx, reach, accountId);
    const [session] = await tx
      .select()
      .from(sessionsTable)
      .where(and(eq(sessionsTable.id, sessionId), eq(sessionsTable.accountId, accountId)));
    if (!session) throw NotFound('session_not_found', '该账号没有这个登录');
    if (session.revokedAt) return;
    const now = ctx.now();
    await tx.update(sessionsTable).set({ revokedAt: now }).where(eq(sessionsTable.id, sessionId));
    await appendAccountEvent(tx, actorOf(ctx), now, {
      accountId,
      action: 'session_ended',
      detail: { sessionId },
    });
  });
}
