import { NotFound, type Open311KeyView } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { open311KeysTable } from '../../db/schema';
import { selectKeys, toKeyView } from './open311-key-view';

/** Revoke a key: from now on it is refused (403). Revoking twice keeps the first time. */
export async function revokeOpen311Key(db: Db, id: string, now: Date): Promise<Open311KeyView> {
  const [found] = await selectKeys(db).where(eq(open311KeysTable.id, id));
  if (!found) throw NotFound('open311_key_not_found', '没有这个 Open311 密钥');
  if (!found.revokedAt)
    await db.update(open311KeysTable).set({ revokedAt: now }).where(eq(open311KeysTable.id, id));
  const [row] = await selectKeys(db).where(eq(open311KeysTable.id, id));
  return toKeyView(row!);
}
