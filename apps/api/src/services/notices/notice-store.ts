import {
  type Community,
  inNoticePeriod,
  keepsHonorRoll,
  NOTICE_KIND_NAMES,
  NOTICE_STATUS_NAMES,
  NotFound,
  type NoticeActor,
  type NoticeSummary,
  type NoticeView,
  noticeActions,
  PUBLIC_NOTICE_STATUSES,
  periodText,
  readsNoticeDrafts,
} from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { communitiesTable, type NoticeRow, noticesTable } from '../../db/schema';
import { actorIn, getCommunity, type ServiceContext } from '../context';

const notFound = () => NotFound('notice_not_found', '公告不存在或尚未发布');

/** The caller as the notice rules see them in this community; null for a visitor without a token. */
export function noticeActorOf(ctx: ServiceContext, community: Community): NoticeActor | null {
  return ctx.principal ? actorIn(ctx.principal, community) : null;
}

/** May this caller see this notice? Published (and corrected) ones: anyone. Others: who drafts. */
const readable = (actor: NoticeActor | null, row: NoticeRow) =>
  PUBLIC_NOTICE_STATUSES.includes(row.status) ||
  (actor !== null && (readsNoticeDrafts(actor) || (row.kind === 'honor_roll' && keepsHonorRoll(actor))));

/**
 * A notice the caller may read, else 404 — a draft one may not see is indistinguishable from one
 * that does not exist. `lock` takes the row for update inside a transaction.
 */
export async function loadNotice(
  ctx: ServiceContext,
  db: Db | Tx,
  id: string,
  opts: { lock?: boolean } = {},
) {
  const query = db
    .select({ row: noticesTable, communityKey: communitiesTable.key })
    .from(noticesTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, noticesTable.communityId))
    .where(eq(noticesTable.id, id));
  const [found] = await (opts.lock ? query.for('update', { of: noticesTable }) : query);
  if (!found) throw notFound();
  const community = getCommunity(ctx, found.communityKey);
  const actor = noticeActorOf(ctx, community);
  if (!readable(actor, found.row)) throw notFound();
  return { row: found.row, community, actor };
}

/** The permission and lifecycle checks of one action, as one yes/no for the client's buttons. */

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toNoticeSummary(community: Community, row: NoticeRow, now: Date): NoticeSummary {
  return {
    id: row.id,
    community: community.key,
    kind: row.kind,
    kindName: NOTICE_KIND_NAMES[row.kind],
    status: row.status,
    statusName: NOTICE_STATUS_NAMES[row.status],
    number: row.number,
    title: row.title,
    zone: row.zone,
    zoneName: row.zone ? (community.zones.get(row.zone)?.name ?? row.zone) : null,
    createdAt: row.createdAt.toISOString(),
    publishedAt: iso(row.publishedAt),
    periodStart: iso(row.periodStart),
    periodEnd: iso(row.periodEnd),
    periodDays: row.periodDays,
    periodText: periodText(
      { start: row.periodStart, end: row.periodEnd, days: row.periodDays },
      community.config.timezone,
    ),
    inNoticePeriod: inNoticePeriod(row, now),
    supersedes: row.supersedesId,
    supersededBy: row.supersededById,
  };
}

export function toNoticeView(
  community: Community,
  row: NoticeRow,
  actor: NoticeActor | null,
  now: Date,
): NoticeView {
  return {
    ...toNoticeSummary(community, row, now),
    body: row.body,
    communityName: community.name,
    source: row.source ?? null,
    drafted: { by: row.authorName, at: row.createdAt.toISOString() },
    approved:
      row.approvedAt && row.approvedByName
        ? { by: row.approvedByName, at: row.approvedAt.toISOString() }
        : null,
    published:
      row.publishedAt && row.publishedByName
        ? { by: row.publishedByName, at: row.publishedAt.toISOString() }
        : null,
    withdrawn:
      row.withdrawnAt && row.withdrawnByName
        ? { by: row.withdrawnByName, at: row.withdrawnAt.toISOString(), reason: row.withdrawReason ?? '' }
        : null,
    printPath: `/api/notices/${row.id}/print`,
    allowedActions: noticeActions(actor, row),
  };
}

export async function getNotice(ctx: ServiceContext, id: string) {
  const { row, community, actor } = await loadNotice(ctx, ctx.db, id);
  return toNoticeView(community, row, actor, ctx.now());
}

/** The caller's name as recorded on a step: their config person's name, else the account's. */
export function actorName(ctx: ServiceContext, community: Community) {
  const p = ctx.principal!;
  const person =
    p.personKey && p.communityKey === community.key ? community.people.get(p.personKey) : undefined;
  return { key: person?.key ?? null, name: person?.name ?? p.displayName };
}
