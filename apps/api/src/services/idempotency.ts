import { Conflict } from '@gongzhi/domain';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { placeholdersOf, preparedIn } from '../db/prepared';
import { idempotencyKeysTable } from '../db/schema';

/**
 * Which request a service is committing (docs/adr/0004-transactional-idempotency.md). `owner` is
 * the claim of this one request: only the request that holds the claim may commit the key, so a
 * request that stalled and lost its claim to a retry rolls back instead of creating a second
 * resource. `seal` encrypts what must be given back on a replay but not kept readable at rest.
 */
export interface IdempotencyRef {
  scope: string;
  key: string;
  owner: string;
  seal: (plaintext: string) => string;
}

/** A key whose request has held it this long without committing has died: a retry may take it over. */
export const ABANDONED_AFTER_MS = 60_000;
/** Keys are kept this long after their first use, then forgotten and purged (a retry after that is new). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Call inside the service's transaction, right after the resource is written: the key and the
 * resource commit together, so a crash after the commit still replays instead of duplicating.
 * `replayExtras` are what a replay needs and the resource does not keep (a complaint's tracking
 * secret, stored on the issue only as a hash): sealed with the server key. Refused (409, the
 * transaction rolls back) when this request no longer holds the key: a retry took it over.
 */
export async function recordIdempotentCommit(
  tx: Tx,
  ref: IdempotencyRef | null | undefined,
  resourceId: string,
  replayExtras?: Record<string, string>,
) {
  if (!ref) return;
  const set = placeholdersOf({
    state: 'committed',
    response: { resourceId },
    sealed: replayExtras ? ref.seal(JSON.stringify(replayExtras)) : null,
  });
  // Built once per shape (db/prepared.ts), run in the service's transaction.
  const taken = await preparedIn(tx, `idempotent_commit:${set.shape}`, () =>
    tx
      .update(idempotencyKeysTable)
      .set(set.row)
      .where(
        and(
          eq(idempotencyKeysTable.scope, sql.placeholder('scope')),
          eq(idempotencyKeysTable.key, sql.placeholder('key')),
          eq(idempotencyKeysTable.owner, sql.placeholder('owner')),
          eq(idempotencyKeysTable.state, 'running'),
        ),
      )
      .returning({ key: idempotencyKeysTable.key })
      .prepare('idempotent_commit'),
  ).execute({ ...set.values, scope: ref.scope, key: ref.key, owner: ref.owner });
  if (taken.length !== 1) {
    throw Conflict(
      'idempotency_key_taken_over',
      '这次提交等待过久，已由重试接手，本次未保存；请以重试的结果为准',
    );
  }
}

/** Forget keys past their time (run by the follow-up clock). */
export async function purgeExpiredIdempotencyKeys(db: Db, now: Date): Promise<number> {
  const gone = await db
    .delete(idempotencyKeysTable)
    .where(lt(idempotencyKeysTable.expiresAt, now))
    .returning({ key: idempotencyKeysTable.key });
  return gone.length;
}
