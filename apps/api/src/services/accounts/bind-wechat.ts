import { type AccountView, Conflict } from '@gongzhi/domain';
import { and, count, eq, ne } from 'drizzle-orm';
import { isUniqueViolation } from '../../db/errors';
import { accountsTable, issuesTable, residentHomesTable } from '../../db/schema';
import { callerOf, type ServiceContext } from '../context';
import { accountView, loadManagedAccount, requireReach } from './account-access';
import { actorOf, appendAccountEvent } from './account-log';
import { endSessionsOf } from './end-account-session';

const taken = (owner: { kind: string; phone: string | null; displayName: string }, path = 'body.openid') =>
  Conflict(
    'wechat_openid_taken',
    `该微信已绑定另一个账号（${owner.kind === 'resident' ? '居民账号' : owner.displayName}${owner.phone ? `，${owner.phone}` : ''}），请先在那个账号上解除绑定`,
    [{ path, message: '该微信已绑定另一个账号' }],
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

/**
 * A staff member binds their own WeChat (proven by a wx.login code turned into its openid) after a
 * password login; from then on "微信登录" signs them in. The weapp signs every visitor of the
 * complaint page in as a resident, so the openid may already have made a resident account: a bare
 * one (no complaint filed, no home) gives the openid up; any other owner keeps it (409).
 */
export async function bindOwnWechat(ctx: ServiceContext, openid: string): Promise<{ wechatBound: true }> {
  const me = callerOf(ctx);
  if (me.kind === 'resident') {
    throw Conflict('wechat_self_bind_staff_only', '居民账号本身就是用微信登录的，无需绑定');
  }
  try {
    return await ctx.db.transaction(async (tx) => {
      const now = ctx.now();
      const [owner] = await tx
        .select()
        .from(accountsTable)
        .where(and(eq(accountsTable.wechatOpenid, openid), ne(accountsTable.id, me.accountId)))
        .for('update');
      if (owner) {
        const bare =
          owner.kind === 'resident' &&
          (
            await tx
              .select({ n: count() })
              .from(issuesTable)
              .where(eq(issuesTable.reporterAccountId, owner.id))
          )[0]!.n === 0 &&
          (
            await tx
              .select({ n: count() })
              .from(residentHomesTable)
              .where(eq(residentHomesTable.accountId, owner.id))
          )[0]!.n === 0;
        if (!bare) throw taken(owner, 'body.code');
        await tx.update(accountsTable).set({ wechatOpenid: null }).where(eq(accountsTable.id, owner.id));
        await endSessionsOf(tx, owner.id, now);
        await appendAccountEvent(tx, actorOf(ctx), now, {
          accountId: owner.id,
          action: 'wechat_unbound',
          detail: { openid, movedTo: me.accountId },
        });
      }
      const [row] = await tx
        .select({ openid: accountsTable.wechatOpenid })
        .from(accountsTable)
        .where(eq(accountsTable.id, me.accountId));
      if (row?.openid !== openid) {
        await tx
          .update(accountsTable)
          .set({ wechatOpenid: openid })
          .where(eq(accountsTable.id, me.accountId));
        await appendAccountEvent(tx, actorOf(ctx), now, {
          accountId: me.accountId,
          action: 'wechat_bound',
          detail: { openid, replaced: row?.openid ?? null, self: true },
        });
      }
      return { wechatBound: true as const };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw Conflict('wechat_openid_taken', '该微信已绑定另一个账号');
    throw err;
  }
}
