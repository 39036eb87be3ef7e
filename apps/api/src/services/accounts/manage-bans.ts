import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { BAN_KINDS, bansTable } from '../../db/schema';
import type { ServiceContext } from '../context';

export const BanInput = z.strictObject({
  kind: z.enum(BAN_KINDS),
  value: z.string().trim().min(1).max(128),
  reason: z.string().trim().min(2, '请填写原因').max(500),
});
export const BanView = z.object({
  id: z.string(),
  kind: z.enum(BAN_KINDS),
  value: z.string(),
  reason: z.string(),
  createdAt: z.string(),
});

const view = (b: typeof bansTable.$inferSelect) => ({
  id: b.id,
  kind: b.kind,
  value: b.value,
  reason: b.reason,
  createdAt: b.createdAt.toISOString(),
});

/** Add to the ban list (idempotent per kind + value). Future complaints from it are hidden. */
export async function addBan(ctx: ServiceContext, input: z.infer<typeof BanInput>) {
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
