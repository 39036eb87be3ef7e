import { type AccountView, Conflict } from '@gongzhi/domain';
import { and, eq, ne } from 'drizzle-orm';
import { isUniqueViolation } from '../../db/errors';
import { accountsTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { accountView, loadManagedAccount, requireReach } from './account-access';
import { actorOf, appendAccountEvent } from './account-log';
import { endSessionsOf } from './end-account-session';

const taken = (owner: { kind: string; phone: string | null; displayName: string }) =>
  Conflict(
    'wechat_openid_taken',
    `该微信已绑定另一个账号（${owner.kind === 'resident' ? '居民账号' : owner.displayName}${owner.phone ? `，${owner.phone}` : ''}），请先在那个账号上解除绑定`,
    [{ path: 'body.openid', message: '该微信已绑定另一个账号' }],
  );

/** Bind a WeChat identity (openid) to an account: that WeChat user then signs in as it. */
export async function bindWechat(
  ctx: ServiceContext,
  accountId: string,
  openid: string,
): Promise<AccountView> {
  const reach = requireReach(ctx);
  try {
    return await ctx.db.transaction(async (tx) => {
      const row = await loadManagedAccount(tx, reach, accountId);
      if (row.account.wechatOpenid === openid) return accountView(row);
      const [owner] = await tx
        .select()
        .from(accountsTable)
        .where(and(eq(accountsTable.wechatOpenid, openid), ne(accountsTable.id, accountId)));
      if (owner) throw taken(owner);
      const [updated] = await tx
        .update(accountsTable)
        .set({ wechatOpenid: openid })
        .where(eq(accountsTable.id, accountId))
        .returning();
      await appendAccountEvent(tx, actorOf(ctx), ctx.now(), {
        accountId,
        action: 'wechat_bound',
        detail: { openid, replaced: row.account.wechatOpenid },
      });
      return accountView({ ...row, account: updated! });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw Conflict('wechat_openid_taken', '该微信已绑定另一个账号');
    throw err;
  }
}

/**
 * Unbind the WeChat identity of an account (a changed or lost WeChat). Its sessions end too: one of
 * them may be the WeChat login being taken away.
 */
export async function unbindWechat(ctx: ServiceContext, accountId: string): Promise<AccountView> {
  const reach = requireReach(ctx);
  return ctx.db.transaction(async (tx) => {
    const row = await loadManagedAccount(tx, reach, accountId);
    if (!row.account.wechatOpenid) return accountView(row);
    const now = ctx.now();
    const [updated] = await tx
      .update(accountsTable)
      .set({ wechatOpenid: null })
      .where(eq(accountsTable.id, accountId))
      .returning();
    const ended = accountId === ctx.principal!.accountId ? 0 : await endSessionsOf(tx, accountId, now);
    await appendAccountEvent(tx, actorOf(ctx), now, {
      accountId,
      action: 'wechat_unbound',
      detail: { openid: row.account.wechatOpenid, sessionsEnded: ended },
    });
    return accountView({ ...row, account: updated! });
  });
}
