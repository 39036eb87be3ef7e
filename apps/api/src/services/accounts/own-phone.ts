import type { MyPhone } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { accountsTable } from '../../db/schema';
import { callerOf, type ServiceContext } from '../context';

/** The caller's own WeChat phone, whole: only its owner reads it so (everyone else: maskPhone). */
export async function readOwnPhone(ctx: ServiceContext): Promise<MyPhone> {
  const me = callerOf(ctx);
  const [row] = await ctx.db
    .select({ phone: accountsTable.wechatPhone })
    .from(accountsTable)
    .where(eq(accountsTable.id, me.accountId));
  return { phone: row?.phone ?? null };
}

/** Keep the phone WeChat vouched for on the caller's account (replacing any earlier one); null forgets it. */
export async function setOwnPhone(ctx: ServiceContext, phone: string | null): Promise<MyPhone> {
  const me = callerOf(ctx);
  await ctx.db.update(accountsTable).set({ wechatPhone: phone }).where(eq(accountsTable.id, me.accountId));
  return { phone };
}
