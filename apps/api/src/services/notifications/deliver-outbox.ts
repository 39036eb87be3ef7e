import { MAX_DELIVERY_ATTEMPTS, retryDelayMs } from '@gongzhi/domain';
import { and, asc, eq, lte } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { accountsTable, notificationsTable, outboxTable } from '../../db/schema';
import { clearSubscription, takeSubscription } from './subscriptions';
import { PermanentDeliveryError, type WechatSender } from './wechat-subscribe';

/**
 * Deliver due outbox rows, one row per transaction. A row is claimed with FOR UPDATE SKIP LOCKED,
 * so several API instances share the work without delivering one row twice at once. The inbox
 * insert and the "delivered" mark commit together, and the inbox is unique on (account, source):
 * delivery is at least once, the inbox sees it exactly once. A failed WeChat send is retried with
 * exponential backoff and, after MAX_DELIVERY_ATTEMPTS, left dead for an administrator to see.
 * A WeChat message goes only where the person's one-time subscription quota covers it; otherwise it
 * is `skipped` (the inbox has it either way).
 */
export async function deliverOutbox(db: Db, now: () => Date, wechat: WechatSender | null, limit = 50) {
  let delivered = 0;
  for (let i = 0; i < limit; i++) {
    const done = await db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(outboxTable)
        .where(and(eq(outboxTable.status, 'pending'), lte(outboxTable.nextAttemptAt, now())))
        .orderBy(asc(outboxTable.nextAttemptAt), asc(outboxTable.id))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!row) return null;
      const at = now();
      try {
        if (row.channel === 'inbox') {
          await tx
            .insert(notificationsTable)
            .values({
              accountId: row.accountId,
              sourceKey: row.dedupeKey,
              kind: row.kind,
              title: row.payload.title,
              body: row.payload.body,
              issueId: row.payload.issueId,
              letterId: row.payload.letterId,
              createdAt: row.createdAt,
            })
            .onConflictDoNothing();
        } else {
          if (!wechat?.enabled)
            throw new PermanentDeliveryError('未配置微信订阅消息（WECHAT_SUBSCRIBE_TEMPLATE_ID）');
          const [account] = await tx
            .select({ openid: accountsTable.wechatOpenid })
            .from(accountsTable)
            .where(eq(accountsTable.id, row.accountId));
          if (!account?.openid) throw new PermanentDeliveryError('该账号未绑定微信');
          const openid = account.openid;
          // One message of the person's one-time subscriptions; a failed send gives it back (savepoint).
          const sent = await tx.transaction(async (sp) => {
            if (!(await takeSubscription(sp, row.accountId, wechat.templateId, at))) return false;
            await wechat.send(openid, { ...row.payload, at: row.createdAt });
            return true;
          });
          if (!sent) {
            await tx
              .update(outboxTable)
              .set({
                status: 'skipped',
                attempts: row.attempts + 1,
                nextAttemptAt: null,
                lastError: '未订阅（订阅消息额度为 0）：仅发站内消息',
              })
              .where(eq(outboxTable.id, row.id));
            return 'skipped';
          }
        }
        await tx
          .update(outboxTable)
          .set({ status: 'delivered', deliveredAt: at, attempts: row.attempts + 1, nextAttemptAt: null })
          .where(eq(outboxTable.id, row.id));
        return 'delivered';
      } catch (err) {
        if (err instanceof PermanentDeliveryError && err.errcode === 43101 && wechat?.enabled) {
          await clearSubscription(tx, row.accountId, wechat.templateId, at);
        }
        const attempts = row.attempts + 1;
        const dead = err instanceof PermanentDeliveryError || attempts >= MAX_DELIVERY_ATTEMPTS;
        await tx
          .update(outboxTable)
          .set({
            attempts,
            status: dead ? 'dead' : 'pending',
            nextAttemptAt: dead ? null : new Date(at.getTime() + retryDelayMs(attempts)),
            lastError: (err instanceof Error ? err.message : String(err)).slice(0, 500),
          })
          .where(eq(outboxTable.id, row.id));
        return 'failed';
      }
    });
    if (done === null) break;
    if (done === 'delivered') delivered++;
  }
  return delivered;
}
