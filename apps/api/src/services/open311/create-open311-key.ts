import {
  Invalid,
  OPEN311_KEY_PREFIX,
  OPEN311_KEY_SHOWN,
  type Open311KeyInput,
  type Open311KeyIssued,
} from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { communitiesTable, open311KeysTable } from '../../db/schema';
import { hashSecret, newSecret } from '../../lib/secrets';
import { selectKeys, toKeyView } from './open311-key-view';

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
  const [view] = await selectKeys(db).where(eq(open311KeysTable.id, row!.id));
  return { ...toKeyView(view!), key };
}
