import { Invalid } from '@gongzhi/domain';
import { and, inArray, isNull, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { photosTable } from '../../db/schema';
import { assertIssueQuarterOpen } from '../archive/quarter-lock';

const notYours = (path: string) =>
  Invalid('photo_not_found', '有照片不存在、已被使用或不是您上传的，请重新上传', [
    { path, message: '照片无效' },
  ]);

/**
 * Attach uploaded photos to an issue (and, for after-photos, to the event that shows them). Each
 * must exist, be unattached and belong to `owner` — the condition naming the caller's own uploads
 * (their account's, or the anonymous uploads whose tokens they hold). No condition means the caller
 * proved no ownership at all, so nothing is theirs: it is refused, never read as "any photo".
 * On a refusal nothing is attached and the caller's transaction rolls back with an error naming `path`.
 */
export async function attachPhotos(
  tx: Tx,
  a: {
    issueId: string;
    communityId: string;
    photoIds: readonly string[];
    owner: SQL | undefined;
    eventId?: number;
    path: string;
    /** The issue's submission instant, when the caller holds the row (its quarter lock). */
    createdAt?: Date;
  },
): Promise<(typeof photosTable.$inferSelect)[]> {
  const wanted = new Set(a.photoIds);
  if (wanted.size === 0) return [];
  if (!a.owner) throw notYours(a.path);
  await assertIssueQuarterOpen(
    tx,
    a.issueId,
    a.createdAt ? { communityId: a.communityId, createdAt: a.createdAt } : undefined,
  );
  const attached = await tx
    .update(photosTable)
    .set({ issueId: a.issueId, communityId: a.communityId, eventId: a.eventId ?? null })
    .where(and(inArray(photosTable.id, [...wanted]), isNull(photosTable.issueId), a.owner))
    .returning();
  if (attached.length !== wanted.size) throw notYours(a.path);
  return attached;
}
