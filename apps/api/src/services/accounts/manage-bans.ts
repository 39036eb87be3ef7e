import type { BanInput, BanView } from '@gongzhi/domain';
import { and, desc, eq } from 'drizzle-orm';
import { bansTable } from '../../db/schema';
import type { ServiceContext } from '../context';

const view = (b: typeof bansTable.$inferSelect): BanView => ({
  id: b.id,
  kind: b.kind,
  value: b.value,
  reason: b.reason,
  createdAt: b.createdAt.toISOString(),
});

/** Add to the ban list (idempotent per kind + value). Future complaints from it are hidden. */
export async function addBan(ctx: ServiceContext, input: BanInput) {
  await ctx.db
    .insert(bansTable)
    .values({ ...input, createdBy: ctx.principal!.accountId, createdAt: ctx.now() })
    .onConflictDoNothing();
  const [row] = await ctx.db
    .select()
    .from(bansTable)
    .where(and(eq(bansTable.kind, input.kind), eq(bansTable.value, input.value)));
  return view(row!);
}

export async function listBans(ctx: ServiceContext) {
  return (await ctx.db.select().from(bansTable).orderBy(desc(bansTable.createdAt)).limit(500)).map(view);
}

export async function removeBan(ctx: ServiceContext, id: string) {
  await ctx.db.delete(bansTable).where(eq(bansTable.id, id));
}
