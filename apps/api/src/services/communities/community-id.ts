import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { communitiesTable } from '../../db/schema';

const cache = new WeakMap<Db, Map<string, string>>();

/** A community's row id by key. Cached per database handle: a key's id never changes once synced. */
export async function communityId(db: Db, key: string): Promise<string> {
  let ids = cache.get(db);
  if (!ids) {
    ids = new Map();
    cache.set(db, ids);
  }
  let id = ids.get(key);
  if (!id) {
    const [row] = await db
      .select({ id: communitiesTable.id })
      .from(communitiesTable)
      .where(eq(communitiesTable.key, key));
    if (!row) throw new Error(`community ${key} is not synced to the database`);
    id = row.id;
    ids.set(key, id);
  }
  return id;
}
