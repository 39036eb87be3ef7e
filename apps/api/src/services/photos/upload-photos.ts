import { randomUUID } from 'node:crypto';
import { Invalid, MAX_PHOTOS, type PhotoUploadResult } from '@gongzhi/domain';
import { photosTable } from '../../db/schema';
import { hashSecret, newSecret } from '../../lib/secrets';
import {
  lockPhotoContents,
  PHOTO_CONTENT_TYPES,
  type PhotoContext,
  photoKey,
  photoUrls,
  removeUnreferencedPhotoFiles,
} from './photo-files';
import { type ProcessedPhoto, processPhoto } from './process-photo';

/** One uploaded file, read lazily: each file is processed before the next one is read. */
export interface IncomingPhoto {
  /** Where the file sits in the request, for error details: `files[2]`. */
  path: string;
  read: () => Promise<Buffer>;
}

/**
 * Stores photos for a later issue (or event). Logged-in callers own theirs by account; anonymous
 * residents get one upload token per photo, shown only here. All or nothing: every file is checked
 * and processed before anything is stored, files are written before the rows, and if the rows
 * cannot be written the files go again.
 */
export async function uploadPhotos(
  ctx: PhotoContext,
  files: AsyncIterable<IncomingPhoto>,
): Promise<PhotoUploadResult> {
  const processed: ProcessedPhoto[] = [];
  for await (const file of files) {
    if (processed.length === MAX_PHOTOS) throw tooManyFiles(file.path);
    processed.push(await processPhoto(await file.read(), file.path));
  }
  if (processed.length === 0) {
    throw Invalid('no_files', '请至少选择一张照片', [{ path: 'files', message: '没有文件' }]);
  }

  const accountId = ctx.principal?.accountId ?? null;
  // Ids made here, so each token is paired with its row without relying on RETURNING's order.
  const ids = processed.map(() => randomUUID());
  const tokens = processed.map(() => (accountId ? null : newSecret()));
  const now = ctx.now();
  const hashes = processed.map((p) => p.sha256);
  try {
    const rows = await ctx.db.transaction(async (tx) => {
      await lockPhotoContents(tx, hashes);
      const unique = new Map(processed.map((p) => [p.sha256, p]));
      await Promise.all(
        [...unique.values()].flatMap((p) => [
          ctx.storage.put(photoKey(p.sha256, 'original'), p.original, PHOTO_CONTENT_TYPES.original),
          ctx.storage.put(photoKey(p.sha256, 'display'), p.display, PHOTO_CONTENT_TYPES.display),
          ctx.storage.put(photoKey(p.sha256, 'thumb'), p.thumb, PHOTO_CONTENT_TYPES.thumb),
        ]),
      );
      return tx
        .insert(photosTable)
        .values(
          processed.map((p, i) => ({
            id: ids[i],
            uploaderAccountId: accountId,
            uploadTokenHash: tokens[i] ? hashSecret(tokens[i]) : null,
            sha256: p.sha256,
            mime: PHOTO_CONTENT_TYPES.original,
            width: p.width,
            height: p.height,
            bytes: p.original.length,
            createdAt: now,
          })),
        )
        .returning();
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return {
      photos: ids.map((id, i) => {
        const row = byId.get(id)!;
        return {
          id,
          width: row.width,
          height: row.height,
          bytes: row.bytes,
          mime: row.mime,
          ...photoUrls(row.id),
          ...(tokens[i] ? { uploadToken: tokens[i] } : {}),
        };
      }),
    };
  } catch (err) {
    // Files of this request that no row (of an earlier upload of the same picture) refers to. The
    // caller must see the original error; a failed cleanup leaves only unreachable files behind.
    await removeUnreferencedPhotoFiles(ctx.db, ctx.storage, hashes).catch(() => {});
    throw err;
  }
}

export const tooManyFiles = (path: string) =>
  Invalid('too_many_files', `一次最多上传 ${MAX_PHOTOS} 张照片`, [{ path, message: '照片过多' }]);
