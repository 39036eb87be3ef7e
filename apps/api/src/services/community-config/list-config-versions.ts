import type { AdminCommunityList, ConfigVersionPage } from '@gongzhi/domain';
import { and, desc, eq, lt, max } from 'drizzle-orm';
import { accountsTable, configVersionsTable } from '../../db/schema';
import { getCommunity, type ServiceContext } from '../context';

/** A community's configuration versions, newest first, each with its diff; `before` pages back. */
export async function listConfigVersions(
  ctx: ServiceContext,
  key: string,
  page: { before?: number | undefined; limit: number },
): Promise<ConfigVersionPage> {
  getCommunity(ctx, key);
  const rows = await ctx.db
    .select({
      version: configVersionsTable.version,
      source: configVersionsTable.source,
      authorName: configVersionsTable.authorName,
      accountName: accountsTable.displayName,
      reason: configVersionsTable.reason,
      createdAt: configVersionsTable.createdAt,
      diff: configVersionsTable.diff,
    })
    .from(configVersionsTable)
    .leftJoin(accountsTable, eq(accountsTable.id, configVersionsTable.authorAccountId))
    .where(
      and(
        eq(configVersionsTable.communityKey, key),
        page.before === undefined ? undefined : lt(configVersionsTable.version, page.before),
      ),
    )
    .orderBy(desc(configVersionsTable.version))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit).map((r) => ({
    version: r.version,
    source: r.source,
    // The name written with the version: what the account was called when it acted.
    author: r.authorName ?? r.accountName ?? null,
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
    diff: r.diff,
  }));
  return { items, nextBefore: rows.length > page.limit ? items[items.length - 1]!.version : null };
}

/** Every community this instance serves, with its latest saved version. */
export async function listAdminCommunities(ctx: ServiceContext): Promise<AdminCommunityList> {
  const latest = await ctx.db
    .select({ key: configVersionsTable.communityKey, version: max(configVersionsTable.version) })
    .from(configVersionsTable)
    .groupBy(configVersionsTable.communityKey);
  const versions = new Map(latest.map((r) => [r.key, r.version ?? 0]));
  return [...ctx.communities.values()]
    .map((c) => ({ key: c.key, name: c.name, version: versions.get(c.key) ?? 0 }))
    .sort((a, b) => a.key.localeCompare(b.key));
}
