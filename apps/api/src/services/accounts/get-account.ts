import type { AccountDetail, AccountSessionView } from '@gongzhi/domain';
import { desc, eq, max } from 'drizzle-orm';
import { accountEventsTable, refreshTokensTable, sessionsTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { accountView, loadManagedAccount, requireReach } from './account-access';
import { queryAccountEvents } from './account-log';

/** One account with its recent sessions (live ones first) and its latest log events. */
export async function getAccount(ctx: ServiceContext, id: string): Promise<AccountDetail> {
  const reach = requireReach(ctx);
  const row = await loadManagedAccount(ctx.db, reach, id);
  return {
    account: accountView(row),
    sessions: await accountSessions(ctx, id),
    events: (await queryAccountEvents(ctx.db, eq(accountEventsTable.accountId, id), 20)).items,
  };
}

export async function accountSessions(ctx: ServiceContext, accountId: string): Promise<AccountSessionView[]> {
  const now = ctx.now();
  const rows = await ctx.db
    .select({
      id: sessionsTable.id,
      createdAt: sessionsTable.createdAt,
      expiresAt: sessionsTable.expiresAt,
      revokedAt: sessionsTable.revokedAt,
      lastActiveAt: max(refreshTokensTable.createdAt),
    })
    .from(sessionsTable)
    .leftJoin(refreshTokensTable, eq(refreshTokensTable.sessionId, sessionsTable.id))
    .where(eq(sessionsTable.accountId, accountId))
    .groupBy(sessionsTable.id)
    .orderBy(desc(sessionsTable.createdAt))
    .limit(30);
  const views = rows.map((s) => ({
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastActiveAt: (s.lastActiveAt ? new Date(s.lastActiveAt) : s.createdAt).toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    revokedAt: s.revokedAt?.toISOString() ?? null,
    live: !s.revokedAt && s.expiresAt > now,
  }));
  return [...views.filter((s) => s.live), ...views.filter((s) => !s.live)];
}
