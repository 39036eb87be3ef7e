import { type ListNotificationsQuery, NotFound } from '@gongzhi/domain';
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { notificationsTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { callerOf, type ServiceContext } from '../context';

const pages = keyset(notificationsTable.createdAt, notificationsTable.id);

const accountOf = (ctx: ServiceContext) => callerOf(ctx).accountId;

const unreadCount = async (db: Db, accountId: string) =>
  (
    await db
      .select({ n: count() })
      .from(notificationsTable)
      .where(and(eq(notificationsTable.accountId, accountId), isNull(notificationsTable.readAt)))
  )[0]!.n;

/** The caller's in-app inbox, newest first, with the unread count for the tab badge. */
export async function listNotifications(ctx: ServiceContext, q: ListNotificationsQuery) {
  const accountId = accountOf(ctx);
  const rows = await ctx.db
    .select()
    .from(notificationsTable)
    .where(
      and(
        eq(notificationsTable.accountId, accountId),
        q.unread ? isNull(notificationsTable.readAt) : undefined,
        pages.after(q.cursor),
      ),
    )
    .orderBy(...pages.orderBy)
    .limit(q.limit + 1);
  const page = pages.page(rows, q.limit);
  return {
    items: page.items.map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      body: n.body,
      issueId: n.issueId,
      letterId: n.letterId,
      readAt: n.readAt?.toISOString() ?? null,
      createdAt: n.createdAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
    unread: await unreadCount(ctx.db, accountId),
  };
}

export const getUnreadCount = async (ctx: ServiceContext) => ({
  unread: await unreadCount(ctx.db, accountOf(ctx)),
});

/** Mark one notification read (only one's own: anyone else's is "not found"). */
export async function markRead(ctx: ServiceContext, id: string) {
  const accountId = accountOf(ctx);
  const [row] = await ctx.db
    .select({ readAt: notificationsTable.readAt })
    .from(notificationsTable)
    .where(and(eq(notificationsTable.id, id), eq(notificationsTable.accountId, accountId)));
  if (!row) throw NotFound('notification_not_found', '消息不存在');
  if (!row.readAt) {
    await ctx.db.update(notificationsTable).set({ readAt: ctx.now() }).where(eq(notificationsTable.id, id));
  }
  return { unread: await unreadCount(ctx.db, accountId) };
}

export async function markAllRead(ctx: ServiceContext) {
  const accountId = accountOf(ctx);
  await ctx.db
    .update(notificationsTable)
    .set({ readAt: ctx.now() })
    .where(and(eq(notificationsTable.accountId, accountId), isNull(notificationsTable.readAt)));
  return { unread: 0 };
}
