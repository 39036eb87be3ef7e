import { MAX_SUBSCRIPTION_QUOTA, type SubscriptionGrant, type SubscriptionQuota } from '@gongzhi/domain';
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { wechatSubscriptionsTable } from '../../db/schema';
import { callerOf, type ServiceContext } from '../context';

const ws = wechatSubscriptionsTable;

/** The person's remaining quota for each template the app asks for. */
async function quotaOf(db: Db | Tx, accountId: string, templateIds: string[]): Promise<SubscriptionQuota> {
  const rows = templateIds.length
    ? await db
        .select({ templateId: ws.templateId, remaining: ws.remaining })
        .from(ws)
        .where(and(eq(ws.accountId, accountId), inArray(ws.templateId, templateIds)))
    : [];
  const have = new Map(rows.map((r) => [r.templateId, r.remaining]));
  return { templateIds, remaining: Object.fromEntries(templateIds.map((id) => [id, have.get(id) ?? 0])) };
}

export const getSubscriptionQuota = (ctx: ServiceContext, templateIds: string[]) =>
  quotaOf(ctx.db, callerOf(ctx).accountId, templateIds);

/**
 * The mini-program reports what the person accepted in requestSubscribeMessage: each accepted
 * template the app uses adds one message (up to MAX_SUBSCRIPTION_QUOTA); anything else is ignored.
 */
export async function grantSubscriptions(
  ctx: ServiceContext,
  templateIds: string[],
  input: SubscriptionGrant,
): Promise<SubscriptionQuota> {
  const { accountId } = callerOf(ctx);
  const accepted = [...new Set(input.accepted)].filter((id) => templateIds.includes(id));
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    for (const templateId of accepted) {
      await tx
        .insert(ws)
        .values({ accountId, templateId, remaining: 1, updatedAt: now })
        .onConflictDoUpdate({
          target: [ws.accountId, ws.templateId],
          set: { remaining: sql`least(${ws.remaining} + 1, ${MAX_SUBSCRIPTION_QUOTA})`, updatedAt: now },
        });
    }
    return quotaOf(tx, accountId, templateIds);
  });
}

/** Use one message of the quota, if there is one (in the delivery's transaction). */
export async function takeSubscription(tx: Tx, accountId: string, templateId: string, now: Date) {
  const taken = await tx
    .update(ws)
    .set({ remaining: sql`${ws.remaining} - 1`, updatedAt: now })
    .where(and(eq(ws.accountId, accountId), eq(ws.templateId, templateId), gt(ws.remaining, 0)))
    .returning({ remaining: ws.remaining });
  return taken.length > 0;
}

/** WeChat says the person has no subscription left (43101): our count follows WeChat's. */
export async function clearSubscription(tx: Tx, accountId: string, templateId: string, now: Date) {
  await tx
    .update(ws)
    .set({ remaining: 0, updatedAt: now })
    .where(and(eq(ws.accountId, accountId), eq(ws.templateId, templateId)));
}
