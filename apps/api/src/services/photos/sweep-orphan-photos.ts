import { and, inArray, isNull, lt } from 'drizzle-orm';
import { photosTable } from '../../db/schema';
import { lockPhotoContents, type PhotoContext, removeUnreferencedPhotoFiles } from './photo-files';

const BATCH = 500;

/**
 * Deletes photos never attached to an issue that were uploaded before `olderThan` (abandoned
 * forms): rows first, then the files no other row shares. Meant for a scheduler; returns how many
 * rows went.
 */
export async function sweepOrphanPhotos(ctx: PhotoContext, olderThan: Date): Promise<{ deleted: number }> {
  const orphan = and(isNull(photosTable.issueId), lt(photosTable.createdAt, olderThan));
  let total = 0;
  for (;;) {
    const batch = await ctx.db
      .select({ id: photosTable.id, sha256: photosTable.sha256 })
      .from(photosTable)
      .where(orphan)
      .limit(BATCH);
    if (batch.length === 0) break;
    const deleted = await ctx.db.transaction(async (tx) => {
      await lockPhotoContents(
        tx,
        batch.map((p) => p.sha256),
      );
      // Filtered again: an issue may have taken one of them meanwhile, and then it stays.
      return tx
        .delete(photosTable)
        .where(
          and(
            orphan,
            inArray(
              photosTable.id,
              batch.map((p) => p.id),
            ),
          ),
        )
        .returning({ sha256: photosTable.sha256 });
    });
    // After the commit, so a failed commit never leaves rows whose files are gone.
    await removeUnreferencedPhotoFiles(
      ctx.db,
      ctx.storage,
      deleted.map((d) => d.sha256),
    );
    total += deleted.length;
    if (batch.length < BATCH) break;
  }
  return { deleted: total };
}
