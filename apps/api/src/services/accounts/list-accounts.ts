import type { AccountList, AccountListQuery } from '@gongzhi/domain';
import { and, eq, ilike, isNotNull, isNull, ne, or, type SQL } from 'drizzle-orm';
import { accountsTable, peopleTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import type { ServiceContext } from '../context';
import { accountView, reachCondition, requireReach, selectAccounts } from './account-access';

const pages = keyset(accountsTable.createdAt, accountsTable.id);

/** `%` and `_` in a search word are the characters themselves, not wildcards. */
const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Accounts newest first, a page at a time. Residents (one per WeChat user, many) are listed only
 * when asked for by kind or found by a search.
 */
export async function listAccounts(ctx: ServiceContext, q: AccountListQuery): Promise<AccountList> {
  const reach = requireReach(ctx);
  const conditions: (SQL | undefined)[] = [reachCondition(reach, accountsTable.kind), pages.after(q.cursor)];
  if (q.kind) conditions.push(eq(accountsTable.kind, q.kind));
  else if (!q.q) conditions.push(ne(accountsTable.kind, 'resident'));
  if (q.status === 'active') conditions.push(isNull(accountsTable.disabledAt));
  if (q.status === 'disabled') conditions.push(isNotNull(accountsTable.disabledAt));
  if (q.q) {
    const pattern = like(q.q);
    conditions.push(
      or(
        ilike(accountsTable.phone, pattern),
        ilike(accountsTable.displayName, pattern),
        ilike(peopleTable.name, pattern),
        ilike(peopleTable.key, pattern),
        ilike(accountsTable.wechatOpenid, pattern),
      ),
    );
  }
  const rows = await selectAccounts(ctx.db)
    .where(and(...conditions))
    .orderBy(...pages.orderBy)
    .limit(q.limit + 1);
  const page = pages.page(
    rows.map((r) => ({ ...r, createdAt: r.account.createdAt, id: r.account.id })),
    q.limit,
  );
  return { items: page.items.map(accountView), nextCursor: page.nextCursor };
}
