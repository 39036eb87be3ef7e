import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { communitiesTable, open311KeysTable } from '../../db/schema';
import { hashSecret } from '../../lib/secrets';

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
