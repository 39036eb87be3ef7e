import { randomUUID } from 'node:crypto';
import {
  ANONYMOUS_UPLOAD_PIXELS,
  DomainError,
  Invalid,
  MAX_PHOTOS,
  megapixels,
  type PhotoUploadResult,
  RateLimited,
} from '@gongzhi/domain';
import { photosTable } from '../../db/schema';
import { together } from '../../db/together';
import { hashSecret, newSecret } from '../../lib/secrets';
import { spendFromBudget } from '../rate-limits/counters';
import {
  lockPhotoContents,
  PHOTO_CONTENT_TYPES,
  type PhotoContext,
  photoKey,
  photoUrls,
  removeUnreferencedPhotoFiles,
} from './photo-files';
import { type ImageHeader, type ProcessedPhoto, processPhoto, readImageHeader } from './process-photo';

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
  client: { address: string },
): Promise<PhotoUploadResult> {
  const anonymous = !ctx.principal;
  // Every file's header first, decoding nothing: what the request declares is bounded before any
  // of it costs server time.
  const incoming: { path: string; data: Buffer; header: ImageHeader }[] = [];
  let pixels = 0;
  for await (const file of files) {
    if (incoming.length === MAX_PHOTOS) throw tooManyFiles(file.path);
    const data = await file.read();
    const header = await readImageHeader(data, file.path);
    pixels += header.pixels;
    if (anonymous && pixels > ANONYMOUS_UPLOAD_PIXELS.perRequest) throw tooManyPixelsInRequest(file.path);
    incoming.push({ path: file.path, data, header });
  }
  if (incoming.length === 0) {
    throw Invalid('no_files', '请至少选择一张照片', [{ path: 'files', message: '没有文件' }]);
  }
  if (anonymous) await spendPixelBudget(ctx, client.address, pixels);
  const processed: ProcessedPhoto[] = [];
  for (const file of incoming) processed.push(await processPhoto(file.data, file.path, file.header));

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
      // All three files of every picture settled before a failure is answered (together): a put
      // still writing when another fails (a full disk) would otherwise leave its temporary file, or
      // a whole file the cleanup below has already looked for, behind.
      await together(
        ...[...unique.values()].flatMap((p) => [
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

/** Pixels are counted in thousands in the shared store (its counters are 32-bit). */
const PIXELS_PER_UNIT = 1000;

/**
 * One address's anonymous pixels in the hour, in the shared store (all instances): spent only when
 * the whole request fits, so a refused request costs nothing.
 */
async function spendPixelBudget(ctx: PhotoContext, address: string, pixels: number) {
  const spent = await spendFromBudget(
    ctx.db,
    `photo-pixels|${address}`,
    ctx.now(),
    3600_000,
    Math.ceil(pixels / PIXELS_PER_UNIT),
    ANONYMOUS_UPLOAD_PIXELS.perAddressPerHour / PIXELS_PER_UNIT,
  );
  if (!spent.ok) {
    throw RateLimited(
      'upload_pixels_exhausted',
      `一小时内未登录上传的照片总像素已达上限（${megapixels(ANONYMOUS_UPLOAD_PIXELS.perAddressPerHour)}），请稍后再试或登录后上传`,
      spent.ttl,
      [{ path: 'files', message: '像素总量超限' }],
    );
  }
}

/** 413: the request's photos together declare more pixels than an anonymous request may. */
const tooManyPixelsInRequest = (path: string) =>
  new DomainError(
    'too_large',
    'upload_too_many_pixels',
    `一次未登录上传的照片总像素不能超过 ${megapixels(ANONYMOUS_UPLOAD_PIXELS.perRequest)}，请减少照片数量或缩小后再上传`,
    [{ path, message: '像素总量过多' }],
  );

export const tooManyFiles = (path: string) =>
  Invalid('too_many_files', `一次最多上传 ${MAX_PHOTOS} 张照片`, [{ path, message: '照片过多' }]);
