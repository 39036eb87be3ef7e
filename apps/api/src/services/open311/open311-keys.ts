import {
  Invalid,
  NotFound,
  OPEN311_KEY_PREFIX,
  OPEN311_KEY_SHOWN,
  type Open311KeyInput,
  type Open311KeyIssued,
  type Open311KeyView,
} from '@gongzhi/domain';
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { communitiesTable, open311KeysTable } from '../../db/schema';
import { hashSecret, newSecret } from '../../lib/secrets';

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

const toView = (r: Row): Open311KeyView => ({
  id: r.id!,
  name: r.name!,
  community: r.community ?? null,
  keyPrefix: r.keyPrefix!,
  createdAt: r.createdAt!.toISOString(),
  revokedAt: r.revokedAt?.toISOString() ?? null,
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
});

const select = (db: Db) =>
  db
    .select(columns)
    .from(open311KeysTable)
    .leftJoin(communitiesTable, eq(communitiesTable.id, open311KeysTable.communityId));

/**
 * Issue an API key to a submitting system (the admin API and `pnpm gongzhi open311-key create`):
 * only its hash is stored; the key is in this answer and nowhere else.
 */
export async function createOpen311Key(
  db: Db,
  input: Open311KeyInput,
  by: { accountId: string | null; now: Date },
): Promise<Open311KeyIssued> {
  let cid: string | null = null;
  if (input.community) {
    const [c] = await db
      .select({ id: communitiesTable.id })
      .from(communitiesTable)
      .where(eq(communitiesTable.key, input.community));
    if (!c)
      throw Invalid('unknown_community', `小区 "${input.community}" 不存在`, [
        { path: 'body.community', message: '未知小区' },
      ]);
    cid = c.id;
  }
  const key = `${OPEN311_KEY_PREFIX}${newSecret(24)}`;
  const [row] = await db
    .insert(open311KeysTable)
    .values({
      name: input.name,
      communityId: cid,
      keyHash: hashSecret(key),
      keyPrefix: key.slice(0, OPEN311_KEY_SHOWN),
      createdBy: by.accountId,
      createdAt: by.now,
    })
    .returning({ id: open311KeysTable.id });
  const [view] = await select(db).where(eq(open311KeysTable.id, row!.id));
  return { ...toView(view!), key };
}

/** Every key, newest first (revoked ones too: what filed an issue stays known). */
export async function listOpen311Keys(db: Db): Promise<Open311KeyView[]> {
  const rows = await select(db).orderBy(desc(open311KeysTable.createdAt), desc(open311KeysTable.id));
  return rows.map(toView);
}

/** Revoke a key: from now on it is refused (403). Revoking twice keeps the first time. */
export async function revokeOpen311Key(db: Db, id: string, now: Date): Promise<Open311KeyView> {
  const [found] = await select(db).where(eq(open311KeysTable.id, id));
  if (!found) throw NotFound('open311_key_not_found', '没有这个 Open311 密钥');
  if (!found.revokedAt)
    await db.update(open311KeysTable).set({ revokedAt: now }).where(eq(open311KeysTable.id, id));
  const [row] = await select(db).where(eq(open311KeysTable.id, id));
  return toView(row!);
}

/** The key a request presents, if it is known and not revoked. */
export async function findOpen311Key(db: Db, key: string) {
  const [row] = await db
    .select({
      id: open311KeysTable.id,
      name: open311KeysTable.name,
      community: communitiesTable.key,
      revokedAt: open311KeysTable.revokedAt,
    })
    .from(open311KeysTable)
    .leftJoin(communitiesTable, eq(communitiesTable.id, open311KeysTable.communityId))
    .where(eq(open311KeysTable.keyHash, hashSecret(key)));
  if (!row || row.revokedAt) return null;
  return { id: row.id, name: row.name, community: row.community };
}

/** A key's last accepted use, for the operator watching the list. */
export async function touchOpen311Key(db: Db, id: string, now: Date) {
  await db.update(open311KeysTable).set({ lastUsedAt: now }).where(eq(open311KeysTable.id, id));
}
