import {
  Conflict,
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
import { type IdempotencyRef, recordIdempotentCommit } from '../idempotency';
import { selectKeys, toKeyView } from './open311-key-view';

/**
 * Issue an API key to a submitting system (the admin API and `pnpm gongzhi open311-key create`):
 * only its hash is stored; the key is in this answer and nowhere else in clear. With an
 * Idempotency-Key (the admin API) the key is also sealed with the server key in the idempotency
 * record, so a retry after a lost answer gives the same caller the same key instead of issuing a
 * second one (docs/adr/0004-transactional-idempotency.md); the record is forgotten after a day.
 */
export async function createOpen311Key(
  db: Db,
  input: Open311KeyInput,
  by: { accountId: string | null; now: Date; idempotency?: IdempotencyRef | null },
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
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
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
    await recordIdempotentCommit(tx, by.idempotency, row!.id, { key });
    return row!.id;
  });
  return issuedKey(db, id, key);
}

/**
 * The answer again for a key whose answer was lost after its commit (an idempotent replay): the
 * key comes from the sealed idempotency record, which only the account that created it can reach.
 */
export async function replayIssuedOpen311Key(
  db: Db,
  id: string,
  extras: Record<string, string>,
): Promise<Open311KeyIssued> {
  if (!extras.key)
    throw Conflict('open311_key_not_replayable', '无法再次显示这个密钥；如已遗失，请吊销后重新生成');
  return issuedKey(db, id, extras.key);
}

async function issuedKey(db: Db, id: string, key: string): Promise<Open311KeyIssued> {
  const [view] = await selectKeys(db).where(eq(open311KeysTable.id, id));
  return { ...toKeyView(view!), key };
}
