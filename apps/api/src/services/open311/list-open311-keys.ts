import type { Open311KeyView } from '@gongzhi/domain';
import { desc } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { open311KeysTable } from '../../db/schema';
import { selectKeys, toKeyView } from './open311-key-view';

/** Every key, newest first (revoked ones too: what filed an issue stays known). */
export async function listOpen311Keys(db: Db): Promise<Open311KeyView[]> {
  const rows = await selectKeys(db).orderBy(desc(open311KeysTable.createdAt), desc(open311KeysTable.id));
  return rows.map(toKeyView);
}
