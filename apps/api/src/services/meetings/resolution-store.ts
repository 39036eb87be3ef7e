import {
  type Community,
  isResolutionOverdue,
  NotFound,
  ORG_NAMES,
  type ResolutionView,
  resolutionActions,
  type TrackedAction,
} from '@gongzhi/domain';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import {
  communitiesTable,
  issuesTable,
  jointAgendaItemsTable,
  jointMeetingsTable,
  type ResolutionRow,
  resolutionProgressTable,
  resolutionsTable,
} from '../../db/schema';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { callerOf, getCommunity, type ServiceContext } from '../context';
import { assertReadsJointRecords, viewerIn } from './access';

type ProgressRow = typeof resolutionProgressTable.$inferSelect;

/** "2026-11-16": the calendar day of an instant in the community's time zone (en-CA writes ISO dates). */
const dayOfIn = (d: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

/** The domain's TrackedAction from its rows. */
export function assembleTrackedAction(row: ResolutionRow, history: readonly ProgressRow[]): TrackedAction {
  return {
    meeting: row.meetingId,
    item: row.itemNo,
    chair: row.chair,
    issues: row.issueIds,
    text: row.text,
    responsibleOrg: row.responsibleOrg,
    responsiblePerson: row.responsiblePerson,
    dueDate: row.dueDate,
    disposition: row.disposition,
    milestones: row.milestones,
    progress: row.progress,
    done: row.done,
    history: history.map((h) => ({
      at: h.at.toISOString(),
      by: h.by,
      from: h.fromProgress,
      to: h.toProgress,
      note: h.note,
      milestone: h.milestone,
    })),
  };
}

/** A resolution the caller may read (the community's staff, administrators), else 404. */
export async function loadResolution(
  ctx: ServiceContext,
  db: Db | Tx,
  id: string,
  opts: { lock?: boolean } = {},
) {
  const principal = callerOf(ctx);
  const query = db
    .select({ row: resolutionsTable, communityKey: communitiesTable.key })
    .from(resolutionsTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, resolutionsTable.communityId))
    .where(eq(resolutionsTable.id, id));
  const [found] = await (opts.lock ? query.for('update', { of: resolutionsTable }) : query);
  if (!found) throw NotFound('resolution_not_found', '决议不存在或您无权查看');
  const community = getCommunity(ctx, found.communityKey);
  assertReadsJointRecords(principal, community, '决议');
  // A resolution belongs to the quarter it was made in; archived, it takes no more progress.
  if (opts.lock) await assertQuarterOpen(db, found.row.communityId, found.row.createdAt);
  const history = await db
    .select()
    .from(resolutionProgressTable)
    .where(eq(resolutionProgressTable.resolutionId, id))
    .orderBy(asc(resolutionProgressTable.id));
  return { row: found.row, community, action: assembleTrackedAction(found.row, history) };
}

/** Views of resolutions with their history, issues, meeting and re-deliberations, in a few queries. */
export async function resolutionViews(
  db: Db | Tx,
  community: Community,
  rows: ResolutionRow[],
  now: Date,
  viewer: string | null,
): Promise<ResolutionView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [history, meetings, items, reconsiderations, issues] = await Promise.all([
    db
      .select()
      .from(resolutionProgressTable)
      .where(inArray(resolutionProgressTable.resolutionId, ids))
      .orderBy(asc(resolutionProgressTable.id)),
    db
      .select({
        id: jointMeetingsTable.id,
        at: jointMeetingsTable.at,
        chair: jointMeetingsTable.chair,
        invitees: jointMeetingsTable.invitees,
      })
      .from(jointMeetingsTable)
      .where(inArray(jointMeetingsTable.id, [...new Set(rows.map((r) => r.meetingId))])),
    db
      .select({ id: jointAgendaItemsTable.id, title: jointAgendaItemsTable.title })
      .from(jointAgendaItemsTable)
      .where(
        inArray(
          jointAgendaItemsTable.id,
          rows.map((r) => r.itemId),
        ),
      ),
    db
      .select()
      .from(jointAgendaItemsTable)
      .where(inArray(jointAgendaItemsTable.reconsidersResolutionId, ids))
      .orderBy(asc(jointAgendaItemsTable.seq)),
    db
      .select({ id: issuesTable.id, code: issuesTable.code, status: issuesTable.status })
      .from(issuesTable)
      .where(inArray(issuesTable.id, [...new Set(rows.flatMap((r) => r.issueIds))])),
  ]);
  const today = dayOfIn(now, community.config.timezone);
  const name = (k: string) => community.people.get(k)?.name ?? k;
  return rows.map((row) => {
    const action = assembleTrackedAction(
      row,
      history.filter((h) => h.resolutionId === row.id),
    );
    const meeting = meetings.find((m) => m.id === row.meetingId)!;
    const asked = reconsiderations.filter((r) => r.reconsidersResolutionId === row.id && r.reconsiders);
    return {
      ...action,
      id: row.id,
      community: community.key,
      title: items.find((i) => i.id === row.itemId)?.title ?? '',
      meetingAt: meeting.at.toISOString(),
      responsibleOrgName: ORG_NAMES[row.responsibleOrg],
      responsiblePersonName: name(row.responsiblePerson),
      overdue: isResolutionOverdue(action, today),
      supersededBy: row.supersededById,
      issueRefs: row.issueIds.flatMap((id) => issues.filter((i) => i.id === id)),
      reconsiderations: asked.map((r) => ({
        item: r.id,
        meeting: r.meetingId,
        no: r.no,
        status: r.status,
        reason: r.reconsiders!.reason,
        requestedBy: r.reconsiders!.requestedBy,
        requestedAt: r.reconsiders!.requestedAt,
      })),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      allowedActions: resolutionActions(community, action, viewer, {
        superseded: row.supersededById !== null,
        meeting,
        // The same as pendingDraftsFor, which requestReconsideration checks.
        reconsiderationPending: asked.some((r) => r.status === 'pending'),
      }),
    };
  });
}

export async function getResolution(ctx: ServiceContext, id: string) {
  const { row, community } = await loadResolution(ctx, ctx.db, id);
  return (await resolutionViews(ctx.db, community, [row], ctx.now(), viewerIn(ctx, community)))[0]!;
}
