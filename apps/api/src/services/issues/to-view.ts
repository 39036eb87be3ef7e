import type { Actor, Community, IssueDetail, IssueEventView, IssueSummary } from '@gongzhi/domain';
import {
  allowedActions,
  canRate,
  dispatchCandidates,
  maskPhone,
  type RatingView,
  relationsTo,
  seesReporterPhone,
  zoneNameOf,
} from '@gongzhi/domain';
import type {
  issueEventsTable,
  issueRatingsTable,
  issuesTable,
  photosTable,
  reportBacksTable,
  TaskRow,
} from '../../db/schema';
import { photoUrls } from '../photos/photo-files';
import { toTaskView } from '../tasks/list-tasks';
import { mergedIntoOf } from './merged-into';

type IssueRow = typeof issuesTable.$inferSelect;

/** Actors that are not config people. */
export const ACTOR_NAMES: Record<string, string> = { system: '系统', resident: '居民', admin: '管理员' };
type EventRow = typeof issueEventsTable.$inferSelect;
type PhotoRow = typeof photosTable.$inferSelect;

const personRef = (community: Community, key: string) => ({
  key,
  name: community.people.get(key)?.name ?? key,
});

export const accessFacts = (row: IssueRow) => ({
  zone: row.zone,
  line: row.line,
  owner: row.owner,
  assignees: row.assignees,
  reporterAccountId: row.reporterAccountId,
});

export function toSummary(community: Community, row: IssueRow): IssueSummary {
  return {
    id: row.id,
    code: row.code,
    community: community.key,
    zone: row.zone,
    zoneName: zoneNameOf(community, row.zone),
    building: row.building,
    spot: row.spot,
    category: row.category,
    categoryName: community.categories.get(row.category)?.name ?? row.category,
    description: row.description,
    urgency: row.urgency,
    scope: row.scope,
    status: row.status,
    tier: row.tier,
    line: row.line,
    owner: row.owner ? personRef(community, row.owner) : null,
    assignees: row.assignees.map((a) => personRef(community, a)),
    channel: row.channel,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toEventView(community: Community, e: EventRow): IssueEventView {
  return {
    id: e.id,
    action: e.action,
    fromStatus: e.fromStatus as IssueEventView['fromStatus'],
    toStatus: e.toStatus as IssueEventView['toStatus'],
    actor: e.actor,
    actorName: ACTOR_NAMES[e.actor] ?? personRef(community, e.actor).name,
    note: e.note,
    data: e.data ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}

type ReportBackRow = typeof reportBacksTable.$inferSelect;
type RatingRow = typeof issueRatingsTable.$inferSelect;

export const toRatingView = (r: RatingRow): RatingView => ({
  score: r.score,
  fixed: r.fixed,
  comment: r.comment,
  at: r.createdAt.toISOString(),
});

export const toPhotoView = (p: PhotoRow, complaintCode?: string) => ({
  id: p.id,
  width: p.width,
  height: p.height,
  bytes: p.bytes,
  mime: p.mime,
  ...photoUrls(p.id, complaintCode),
});

export function toDetail(
  community: Community,
  row: IssueRow,
  work: {
    events: EventRow[];
    photos: PhotoRow[];
    tasks: TaskRow[];
    reportBacks: ReportBackRow[];
    rating: RatingRow | null;
  },
  actor: Actor,
  now: Date,
  /** Whether the procedure of shared parts / the fund lets a step fire (procedureRefusal); all when omitted. */
  procedureAllows: (action: string) => boolean = () => true,
): Omit<IssueDetail, 'interest'> {
  const { events, photos } = work;
  const relations = relationsTo(actor, accessFacts(row));
  const allowed = allowedActions(row.status, relations).filter(procedureAllows);
  const phone = row.reporterPhone;
  return {
    ...toSummary(community, row),
    usesMaintenanceFund: row.usesMaintenanceFund,
    touchesSharedParts: row.touchesSharedParts,
    multiOrg: row.multiOrg,
    reporter: {
      name: row.reporterName,
      phone: phone && !seesReporterPhone(actor, accessFacts(row)) ? maskPhone(phone) : phone,
    },
    route: row.route,
    events: events.map((e) => toEventView(community, e)),
    photos: photos.map((p) => toPhotoView(p)),
    tasks: work.tasks.map((t) => toTaskView(community, t, row, actor, now, procedureAllows)),
    reportBacks: work.reportBacks.map((b) => ({
      to: personRef(community, b.toPerson),
      dueAt: b.dueAt.toISOString(),
      doneAt: b.doneAt?.toISOString() ?? null,
      doneBy: b.doneBy ? personRef(community, b.doneBy) : null,
      note: b.note,
      lapsed: b.lapsedAt !== null,
    })),
    allowedActions: allowed,
    rating: work.rating && toRatingView(work.rating),
    canRate: canRate(row.status, relations, work.rating !== null),
    candidates: allowed.some((a) => a === 'redispatch' || a === 'reassign' || a === 'dispatch')
      ? dispatchCandidates(community, row)
      : [],
    mergedInto: mergedIntoOf(events),
  };
}
