import type { Open311KeyView } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { communitiesTable, open311KeysTable } from '../../db/schema';

/** A key as lists show it (the admin API and the CLI): its community by key, never the key. */
const columns = {
  id: open311KeysTable.id,
  name: open311KeysTable.name,
  community: communitiesTable.key,
  keyPrefix: open311KeysTable.keyPrefix,
  createdAt: open311KeysTable.createdAt,
  revokedAt: open311KeysTable.revokedAt,
  lastUsedAt: open311KeysTable.lastUsedAt,
};
type Row = { [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] | null };

export const toKeyView = (r: Row): Open311KeyView => ({
  id: r.id!,
  name: r.name!,
  community: r.community ?? null,
  keyPrefix: r.keyPrefix!,
  createdAt: r.createdAt!.toISOString(),
  revokedAt: r.revokedAt?.toISOString() ?? null,
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
});

export const selectKeys = (db: Db) =>
  db
    .select(columns)
    .from(open311KeysTable)
    .leftJoin(communitiesTable, eq(communitiesTable.id, open311KeysTable.communityId));
