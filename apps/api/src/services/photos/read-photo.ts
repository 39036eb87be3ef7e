import { DomainError, NotFound } from '@gongzhi/domain';
import { and, eq } from 'drizzle-orm';
import { photosTable } from '../../db/schema';
import { secretMatches } from '../../lib/secrets';
import { findTracked } from '../complaints/track-complaint';
import { photoLinkValid, photoShown } from '../content-security/photo-checks';
import { getIssue } from '../issues/get-issue';
import { PHOTO_CONTENT_TYPES, type PhotoContext, type PhotoSize, photoKey } from './photo-files';

const notFound = () => NotFound('photo_not_found', '照片不存在或您无权查看');

/**
 * The bytes of one size of a photo. A photo on an issue is readable by whoever may read the issue;
 * one not yet attached only by its uploader (account, or the upload token of an anonymous upload).
 * Not there and not yours look the same (404). A photo hidden by content security is not there.
 */
export async function readPhoto(
  ctx: PhotoContext,
  input: {
    id: string;
    size: PhotoSize;
    uploadToken?: string | undefined;
    /** A content-security link token (photoCheckUrl), with the secret that signs them. */
    link?: { token: string; secret: string } | undefined;
  },
) {
  const [photo] = await ctx.db
    .select()
    .from(photosTable)
    .where(and(eq(photosTable.id, input.id), photoShown()));
  if (!photo) throw notFound();
  if (input.link) {
    // WeChat's fetcher: the signed link is the credential, for this photo's original only.
    if (
      input.size !== 'original' ||
      !photoLinkValid(input.link.secret, photo.id, input.link.token, ctx.now())
    ) {
      throw notFound();
    }
  } else if (photo.issueId) {
    try {
      await getIssue(ctx, photo.issueId);
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'not_found') throw notFound();
      throw err;
    }
  } else {
    const isUploader = ctx.principal !== null && photo.uploaderAccountId === ctx.principal.accountId;
    const hasToken =
      input.uploadToken !== undefined && secretMatches(input.uploadToken, photo.uploadTokenHash);
    if (!isUploader && !hasToken) throw notFound();
  }
  return photoBytes(ctx, photo.sha256, input.size);
}

/**
 * A photo of a complaint, for its reporter: the tracking code and secret open the photos of that
 * issue (the resident's own and the handler's after-photos), nothing else.
 */
export async function readComplaintPhoto(
  ctx: PhotoContext,
  input: { code: string; secret: string | undefined; id: string; size: PhotoSize },
) {
  const { issue } = await findTracked(ctx, input.code, input.secret);
  const [photo] = await ctx.db
    .select({ sha256: photosTable.sha256 })
    .from(photosTable)
    .where(and(eq(photosTable.id, input.id), eq(photosTable.issueId, issue.id), photoShown()));
  if (!photo) throw notFound();
  return photoBytes(ctx, photo.sha256, input.size);
}

async function photoBytes(ctx: PhotoContext, sha256: string, size: PhotoSize) {
  const data = await ctx.storage.get(photoKey(sha256, size));
  if (!data) throw NotFound('photo_file_missing', '照片文件不存在');
  return { data, contentType: PHOTO_CONTENT_TYPES[size] };
}
