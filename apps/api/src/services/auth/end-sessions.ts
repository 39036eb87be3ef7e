import { and, eq, isNull } from 'drizzle-orm';
import { sessionsTable } from '../../db/schema';
import type { ServiceContext } from '../context';

export async function logout(ctx: ServiceContext, sessionId: string) {
  await ctx.db
    .update(sessionsTable)
    .set({ revokedAt: ctx.now() })
    .where(and(eq(sessionsTable.id, sessionId), isNull(sessionsTable.revokedAt)));
}
