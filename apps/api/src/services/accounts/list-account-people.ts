import { type AccountPeople, Invalid } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { accountsTable, communitiesTable, peopleTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { requireReach } from './account-access';

/** The people of a community's config and the accounts each has: who still needs one. */
export async function listAccountPeople(
  ctx: ServiceContext,
  requested: string | undefined,
): Promise<AccountPeople> {
  const reach = requireReach(ctx);
  const choosable = [...ctx.communities.values()]
    .filter((c) => reach.scope === 'all' || c.key === reach.community)
    .map((c) => ({ key: c.key, name: c.name }));
  const communityKey = requested ?? ctx.principal?.communityKey ?? choosable[0]?.key ?? '';
  const community = ctx.communities.get(communityKey);
  if (!community || !choosable.some((c) => c.key === communityKey))
    throw Invalid('unknown_community', `小区 "${communityKey}" 不存在或不由您管理`, [
      { path: 'querystring.community', message: '没有这个小区' },
    ]);
  const rows = await ctx.db
    .select({
      personKey: peopleTable.key,
      id: accountsTable.id,
      phone: accountsTable.phone,
      disabledAt: accountsTable.disabledAt,
    })
    .from(accountsTable)
    .innerJoin(peopleTable, eq(peopleTable.id, accountsTable.personId))
    .innerJoin(communitiesTable, eq(communitiesTable.id, peopleTable.communityId))
    .where(eq(communitiesTable.key, communityKey));
  return {
    community: { key: community.key, name: community.name },
    communities: choosable,
    people: community.config.people.map((p) => ({
      key: p.key,
      name: p.name,
      phone: p.phone ?? null,
      accounts: rows
        .filter((r) => r.personKey === p.key)
        .map((r) => ({ id: r.id, phone: r.phone, disabled: r.disabledAt !== null })),
    })),
  };
}
