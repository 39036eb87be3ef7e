import { assertMayNotice, Conflict, type CreateNoticeBody, Invalid, type NoticeDraft } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { noticesTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { recordIdempotentCommit } from '../idempotency';
import { generateNotice } from './generators';
import { actorName } from './notice-store';

/**
 * Draft a notice: generated from a source (a zone's roster, a joint-meeting resolution, a fund use)
 * or written by hand. A correction names the published notice it will replace. Returns the id.
 */
export async function createNotice(ctx: ServiceContext, body: CreateNoticeBody): Promise<string> {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, body.community);
  const actor = actorIn(principal, community);
  const cid = await communityId(ctx.db, community.key);
  const now = ctx.now();
  const me = actorName(ctx, community);

  return ctx.db.transaction(async (tx) => {
    let draft: NoticeDraft;
    if (body.source) {
      draft = await generateNotice(ctx, tx, community, body.source);
    } else {
      if (body.zone !== undefined && !community.zones.has(body.zone)) {
        throw Invalid('unknown_zone', `区域 "${body.zone}" 不存在`, [
          { path: 'body.zone', message: `可选区域：${[...community.zones.keys()].join('、')}` },
        ]);
      }
      draft = {
        kind: body.kind!,
        title: body.title!,
        body: body.body!,
        zone: body.zone ?? null,
        periodStart: body.period ? new Date(body.period.start) : null,
        periodEnd: body.period ? new Date(body.period.end) : null,
        periodDays: body.periodDays ?? null,
      };
    }
    assertMayNotice(actor, 'draft', { zone: draft.zone, author: me.key, kind: draft.kind });

    if (body.supersedes) {
      const [old] = await tx.select().from(noticesTable).where(eq(noticesTable.id, body.supersedes));
      if (!old || old.communityId !== cid) {
        throw Invalid('superseded_notice_not_found', '要更正的公告不存在', [
          { path: 'body.supersedes', message: '该小区没有这份公告' },
        ]);
      }
      if (old.status !== 'published') throw Conflict('notice_not_published', '只有已发布的公告可以更正');
      if (old.kind !== draft.kind) {
        throw Invalid('correction_kind_mismatch', '更正公告应与原公告类别相同', [
          { path: 'body.kind', message: `原公告类别为 ${old.kind}` },
        ]);
      }
    }

    const [row] = await tx
      .insert(noticesTable)
      .values({
        communityId: cid,
        kind: draft.kind,
        status: 'draft',
        zone: draft.zone,
        title: draft.title,
        body: draft.body,
        source: body.source ?? null,
        periodStart: draft.periodStart ?? null,
        periodEnd: draft.periodEnd ?? null,
        periodDays: draft.periodStart ? null : (draft.periodDays ?? null),
        supersedesId: body.supersedes ?? null,
        author: me.key,
        authorName: me.name,
        authorAccountId: principal.accountId,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: noticesTable.id });
    await recordIdempotentCommit(tx, ctx.idempotency, row!.id);
    return row!.id;
  });
}
