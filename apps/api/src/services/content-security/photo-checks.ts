import { createHash, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull, ne, or } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { communitiesTable, issuesTable, photosTable } from '../../db/schema';
import { linkToken, linkTokenValid } from '../../lib/signed-link';
import type { ServiceContext } from '../context';
import { notify } from '../notifications/notify';
import { issueFacts } from '../tasks/open-tasks';
import { type ContentSecurity, type Suggest, submitImageCheck } from './wechat-security';

/** WeChat fetches the photo soon after the submission; its async check may take a while. */
export const PHOTO_CHECK_LINK_TTL_MS = 60 * 60 * 1000;
const PHOTO_CHECK_LINK_LABEL = 'gongzhi/photo-check-link/v1';

/** The JPEG original of a photo, readable without login for an hour through `?linkToken=` (kept out of the log by its name). */
export function photoCheckUrl(cs: Pick<ContentSecurity, 'publicUrl' | 'linkSecret'>, id: string, now: Date) {
  const token = linkToken(cs.linkSecret, PHOTO_CHECK_LINK_LABEL, id, now.getTime() + PHOTO_CHECK_LINK_TTL_MS);
  return `${cs.publicUrl.replace(/\/$/, '')}/api/photos/${id}?linkToken=${token}`;
}

export const photoLinkValid = (secret: string, id: string, token: string, now: Date) =>
  linkTokenValid(secret, PHOTO_CHECK_LINK_LABEL, id, token, now.getTime());

/**
 * After a complaint with photos commits: each photo of a resident who signed in with WeChat goes to
 * mediaCheckAsync, and its trace_id is kept on the photo ('pending') until WeChat pushes the verdict.
 * A photo that cannot be submitted stays as it is (shown, unchecked); the complaint is never undone.
 */
export async function submitPhotoChecks(
  ctx: Pick<ServiceContext, 'db' | 'now'>,
  cs: ContentSecurity | undefined,
  input: { openid: string; photoIds: string[] },
) {
  if (!cs?.tokens.configured || input.photoIds.length === 0) return;
  const now = ctx.now();
  await Promise.all(
    input.photoIds.map(async (id) => {
      const traceId = await submitImageCheck(cs, {
        openid: input.openid,
        mediaUrl: photoCheckUrl(cs, id, now),
      });
      if (!traceId) return;
      await ctx.db
        .update(photosTable)
        .set({ mediaCheckTraceId: traceId, mediaCheck: 'pending' })
        .where(and(eq(photosTable.id, id), isNull(photosTable.mediaCheckTraceId)));
    }),
  );
}

/** Not hidden by content security (no verdict, pending, pass or review). */
export const photoShown = () => or(isNull(photosTable.mediaCheck), ne(photosTable.mediaCheck, 'risky'));

/**
 * WeChat's message-push signature: sha1 of [Token, timestamp, nonce] sorted and joined. Without a
 * configured token nothing is genuine.
 */
export function pushSignatureValid(
  token: string | undefined,
  q: { signature?: string | undefined; timestamp?: string | undefined; nonce?: string | undefined },
) {
  if (!token || !q.signature || !q.timestamp || !q.nonce) return false;
  const want = createHash('sha1').update([token, q.timestamp, q.nonce].sort().join('')).digest();
  const given = Buffer.from(q.signature, 'hex');
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * A verified mediaCheckAsync verdict. The photo with that trace_id takes WeChat's suggest; 'risky'
 * hides it (issue and complaint views, its URLs) and tells its owner in the inbox, once. An unknown
 * trace_id (a photo since removed, another deployment's) changes nothing: WeChat is answered
 * success either way, or it pushes again.
 */
export async function applyMediaCheckVerdict(
  ctx: Pick<ServiceContext, 'db' | 'now' | 'communities'>,
  verdict: { traceId: string; suggest: Suggest },
): Promise<'applied' | 'unknown'> {
  const db: Db = ctx.db;
  const now = ctx.now();
  return db.transaction(async (tx) => {
    const [photo] = await tx
      .select()
      .from(photosTable)
      .where(eq(photosTable.mediaCheckTraceId, verdict.traceId))
      .for('update');
    if (!photo) return 'unknown';
    await tx.update(photosTable).set({ mediaCheck: verdict.suggest }).where(eq(photosTable.id, photo.id));
    if (verdict.suggest !== 'risky' || photo.mediaCheck === 'risky' || !photo.issueId || !photo.communityId) {
      return 'applied';
    }
    const [found] = await tx
      .select({ issue: issuesTable, communityKey: communitiesTable.key })
      .from(issuesTable)
      .innerJoin(communitiesTable, eq(communitiesTable.id, issuesTable.communityId))
      .where(eq(issuesTable.id, photo.issueId));
    const owner = photo.uploaderAccountId ?? found?.issue.reporterAccountId ?? null;
    if (found && owner) {
      const { issue } = found;
      const community = ctx.communities.get(found.communityKey);
      await notify(
        tx,
        now,
        `photo-risky:${photo.id}`,
        { communityId: photo.communityId, accountIds: [owner] },
        {
          kind: 'photo_hidden',
          issue: community ? issueFacts(community, issue) : { code: issue.code, where: issue.zone },
        },
        { issueId: issue.id },
      );
    }
    return 'applied';
  });
}
