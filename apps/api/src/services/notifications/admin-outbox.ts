import { Conflict, type ListOutboxQuery, NotFound } from '@gongzhi/domain';
import { and, desc, eq, gt, ne, type SQL } from 'drizzle-orm';
import { outboxTable } from '../../db/schema';
import type { ServiceContext } from '../context';

type OutboxRow = typeof outboxTable.$inferSelect;

const toView = (r: OutboxRow) => ({
  id: r.id,
  channel: r.channel,
  kind: r.kind,
  recipient: r.accountId,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
  lastError: r.lastError,
  createdAt: r.createdAt.toISOString(),
  deliveredAt: r.deliveredAt?.toISOString() ?? null,
});

/** Deliveries an administrator should see: failing (pending with errors), dead, or any status. */
export async function listOutbox(ctx: ServiceContext, q: ListOutboxQuery) {
  const where: SQL | undefined =
    q.status === 'failing'
      ? and(eq(outboxTable.status, 'pending'), gt(outboxTable.attempts, 0))
      : eq(outboxTable.status, q.status);
  const rows = await ctx.db
    .select()
    .from(outboxTable)
    .where(where)
    .orderBy(desc(outboxTable.id))
    .limit(q.limit);
  return { items: rows.map(toView) };
}

/** Send a dead or failing delivery again now. */
export async function retryOutbox(ctx: ServiceContext, id: number) {
  const [row] = await ctx.db.select().from(outboxTable).where(eq(outboxTable.id, id));
  if (!row) throw NotFound('outbox_not_found', '投递记录不存在');
  if (row.status === 'delivered') throw Conflict('outbox_delivered', '该消息已送达，无需重发');
  const [updated] = await ctx.db
    .update(outboxTable)
    .set({ status: 'pending', nextAttemptAt: ctx.now() })
    .where(and(eq(outboxTable.id, id), ne(outboxTable.status, 'delivered')))
    .returning();
  return toView(updated ?? row);
}
