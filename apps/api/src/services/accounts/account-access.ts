import {
  type AccountReach,
  type AccountView,
  accountReach,
  Forbidden,
  maskPhone,
  NotFound,
  reachCovers,
  rolesOf,
} from '@gongzhi/domain';
import { type AnyColumn, and, eq, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { accountsTable, communitiesTable, peopleTable } from '../../db/schema';
import type { Principal, ServiceContext } from '../context';

/** How far the caller's account administration reaches (domain rule), from their principal. */
export function reachOfPrincipal(
  communities: ServiceContext['communities'],
  p: Principal | null,
): AccountReach {
  if (!p) return null;
  const community = p.communityKey ? communities.get(p.communityKey) : undefined;
  const roles = community && p.personKey ? rolesOf(community, p.personKey) : null;
  return accountReach({
    admin: p.kind === 'admin',
    community: community?.key ?? null,
    leadership: roles?.leadership ?? false,
    leadershipManages: community?.config.accounts.leadershipManages ?? false,
  });
}

export function requireReach(ctx: ServiceContext): NonNullable<AccountReach> {
  const reach = reachOfPrincipal(ctx.communities, ctx.principal);
  if (!reach) throw Forbidden('accounts_admin_only', '仅管理员可管理账号');
  return reach;
}

/**
 * The SQL form of a reach over an accounts table's kind (or an alias's) joined to people and communities:
 * nothing for administrators, the community's staff accounts for its leadership.
 */
export function reachCondition(reach: NonNullable<AccountReach>, kind: AnyColumn): SQL | undefined {
  if (reach.scope === 'all') return undefined;
  return and(eq(kind, 'staff'), eq(communitiesTable.key, reach.community));
}

export const accountColumns = {
  account: accountsTable,
  personKey: peopleTable.key,
  personName: peopleTable.name,
  communityKey: communitiesTable.key,
};

export type AccountRow = {
  account: typeof accountsTable.$inferSelect;
  personKey: string | null;
  personName: string | null;
  communityKey: string | null;
};

export const selectAccounts = (db: Db | Tx) =>
  db
    .select(accountColumns)
    .from(accountsTable)
    .leftJoin(peopleTable, eq(peopleTable.id, accountsTable.personId))
    .leftJoin(communitiesTable, eq(communitiesTable.id, peopleTable.communityId));

export function accountView(r: AccountRow): AccountView {
  const a = r.account;
  return {
    id: a.id,
    kind: a.kind,
    phone: a.phone,
    displayName: a.displayName,
    person:
      r.personKey && r.communityKey
        ? { community: r.communityKey, key: r.personKey, name: r.personName ?? r.personKey }
        : null,
    wechatOpenid: a.wechatOpenid,
    // Only its owner sees it whole (GET /api/me/phone).
    wechatPhone: a.wechatPhone ? maskPhone(a.wechatPhone) : null,
    disabledAt: a.disabledAt?.toISOString() ?? null,
    mustChangePassword: a.mustChangePassword,
    createdAt: a.createdAt.toISOString(),
  };
}

/**
 * The account an administrative action is about, locked for the rest of the transaction: 404 when
 * there is none, 403 when it lies outside the caller's reach (another community, an administrator).
 */
export async function loadManagedAccount(
  tx: Db | Tx,
  reach: NonNullable<AccountReach>,
  id: string,
): Promise<AccountRow> {
  const [row] = await selectAccounts(tx).where(eq(accountsTable.id, id)).for('update', { of: accountsTable });
  if (!row) throw NotFound('account_not_found', '账号不存在');
  if (!reachCovers(reach, { kind: row.account.kind, community: row.communityKey }))
    throw Forbidden('account_out_of_reach', '您只能管理本小区工作人员的账号');
  return row;
}
