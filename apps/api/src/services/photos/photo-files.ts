import { inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { photosTable } from '../../db/schema';
import type { Storage } from '../../lib/storage';
import type { ServiceContext } from '../context';

/** Photo verbs also touch the file store, which the general service context does not carry. */
export type PhotoContext = ServiceContext & { storage: Storage };

export const PHOTO_SIZES = ['original', 'display', 'thumb'] as const;
export type PhotoSize = (typeof PHOTO_SIZES)[number];

export const PHOTO_CONTENT_TYPES: Record<PhotoSize, string> = {
  original: 'image/jpeg',
  display: 'image/webp',
  thumb: 'image/webp',
};

/**
 * Keys come from the content hash of the stored (processed) original, never from the client's
 * file name. The same picture uploaded twice is one set of files shared by two rows, which is why
 * files are only deleted when no row refers to their hash any more.
 */
export const photoKey = (sha256: string, size: PhotoSize) =>
  size === 'original' ? `photos/${sha256}.jpg` : `photos/${sha256}-${size}.webp`;

export const photoKeys = (sha256: string) => PHOTO_SIZES.map((size) => photoKey(sha256, size));

/** Where a photo is read: by staff and uploaders, or (with `complaintCode`) by the reporter's secret. */
export const photoUrls = (id: string, complaintCode?: string) => {
  const base = complaintCode
    ? `/api/complaints/${encodeURIComponent(complaintCode)}/photos/${id}`
    : `/api/photos/${id}`;
  return { url: base, displayUrl: `${base}/display`, thumbUrl: `${base}/thumb` };
};

/** Two-key advisory locks: a key space apart from the single-bigint ones (e.g. the migration lock). */
const PHOTO_LOCK_CLASS = 727_002;

/**
 * Serialises everything that writes or deletes the files of these hashes (an upload storing them, a
 * sweep or a failed upload removing them), so a sweep never deletes files that an upload of the same
 * picture has just written. Sorted, so two callers never wait on each other in a circle.
 */
export async function lockPhotoContents(tx: Tx, hashes: Iterable<string>) {
  for (const sha of [...new Set(hashes)].sort()) {
    await tx.execute(
      sql`select pg_advisory_xact_lock(${PHOTO_LOCK_CLASS}, ${Number.parseInt(sha.slice(0, 8), 16) | 0})`,
    );
  }
}

/**
 * Deletes the files of those hashes no photo row refers to any more. Under the content locks, so
 * the check and the deletion are one step as far as uploads and sweeps are concerned.
 */
export async function removeUnreferencedPhotoFiles(db: Db, storage: Storage, hashes: Iterable<string>) {
  const candidates = [...new Set(hashes)];
  if (candidates.length === 0) return;
  await db.transaction(async (tx) => {
    await lockPhotoContents(tx, candidates);
    const referenced = await tx
      .selectDistinct({ sha256: photosTable.sha256 })
      .from(photosTable)
      .where(inArray(photosTable.sha256, candidates));
    const keep = new Set(referenced.map((r) => r.sha256));
    const keys = candidates.filter((sha) => !keep.has(sha)).flatMap(photoKeys);
    await Promise.all(keys.map((key) => storage.delete(key)));
  });
}
