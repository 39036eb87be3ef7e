import type { Actor, Community, IssueDetail, IssueEventView, IssueSummary } from '@gongzhi/domain';
import {
  allowedCaseSteps,
  type CaseHandlingView,
  callbackSteps,
  canRate,
  caseAllowedActions,
  caseFactsOf,
  dispatchCandidates,
  maskPhone,
  mayRecordCallback,
  mayRecordContact,
  needsInspection,
  type RatingView,
  relationsTo,
  seesReporterPhone,
  zoneNameOf,
} from '@gongzhi/domain';
import {
  type IssueRequestRow,
  type issueEventsTable,
  type issueRatingsTable,
  issuesTable,
  type photosTable,
  type reportBacksTable,
  type TaskRow,
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

/** The columns toSummary reads (and the keyset's): a list selects only these. */
export const summaryColumns = {
  id: issuesTable.id,
  code: issuesTable.code,
  zone: issuesTable.zone,
  building: issuesTable.building,
  spot: issuesTable.spot,
  category: issuesTable.category,
  description: issuesTable.description,
  urgency: issuesTable.urgency,
  scope: issuesTable.scope,
  status: issuesTable.status,
  tier: issuesTable.tier,
  line: issuesTable.line,
  owner: issuesTable.owner,
  assignees: issuesTable.assignees,
  channel: issuesTable.channel,
  createdAt: issuesTable.createdAt,
  updatedAt: issuesTable.updatedAt,
};
type SummaryRow = Pick<IssueRow, keyof typeof summaryColumns>;

export function toSummary(community: Community, row: SummaryRow): IssueSummary {
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
  channel: r.channel,
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
    /** Pending extension and dispute requests. */
    requests: IssueRequestRow[];
  },
  actor: Actor,
  now: Date,
  /** Whether the procedure of shared parts / the fund lets a step fire (procedureRefusal); all when omitted. */
  procedureAllows: (action: string) => boolean = () => true,
): Omit<IssueDetail, 'interest'> {
  const { events, photos } = work;
  const relations = relationsTo(actor, accessFacts(row));
  const cfg = community.config.caseHandling;
  const person = actor.roles?.person ?? null;
  const allowed = caseAllowedActions(
    row.status,
    relations,
    { category: row.category, resolvedBy: row.resolvedBy, person },
    cfg,
  ).filter(procedureAllows);
  const extension = work.requests.find((r) => r.kind === 'extension') ?? null;
  const dispute = work.requests.find((r) => r.kind === 'dispute') ?? null;
  const parking = work.requests.find((r) => r.kind === 'parking') ?? null;
  const caseFacts = caseFactsOf(
    row,
    work.tasks,
    { extension: extension !== null, dispute: dispute !== null, parking: parking !== null },
    person,
    now,
    cfg.parking,
  );
  const phone = row.reporterPhone;
  const facts = accessFacts(row);
  const rated = work.rating !== null;
  const steps = callbackSteps(row.status, rated);
  const contact = {
    dueAt: row.contactDueAt?.toISOString() ?? null,
    firstAt: row.firstContactAt?.toISOString() ?? null,
    canRecord: steps.includes('contact_reporter') && mayRecordContact(actor, facts),
    canCallback: steps.includes('phone_callback') && mayRecordCallback(actor, facts),
  };
  // Whoever may record a call must be able to make it: the phone unmasked for them too.
  const seesPhone = seesReporterPhone(actor, facts) || contact.canRecord || contact.canCallback;
  return {
    ...toSummary(community, row),
    usesMaintenanceFund: row.usesMaintenanceFund,
    touchesSharedParts: row.touchesSharedParts,
    multiOrg: row.multiOrg,
    reporter: {
      name: row.reporterName,
      phone: phone && !seesPhone ? maskPhone(phone) : phone,
    },
    location:
      row.latitude !== null && row.longitude !== null ? { lat: row.latitude, lng: row.longitude } : null,
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
    candidates: allowed.some(
      (a) => a === 'redispatch' || a === 'reassign' || a === 'dispatch' || a === 'unpark',
    )
      ? dispatchCandidates(community, row)
      : [],
    mergedInto: mergedIntoOf(events),
    reporterContact: contact,
    caseActions: allowedCaseSteps(relations, caseFacts),
    caseHandling: caseHandlingView(community, row, work.tasks, { extension, dispute, parking }, cfg),
  };
}

function caseHandlingView(
  community: Community,
  row: IssueRow,
  tasks: readonly TaskRow[],
  pending: {
    extension: IssueRequestRow | null;
    dispute: IssueRequestRow | null;
    parking: IssueRequestRow | null;
  },
  cfg: Community['config']['caseHandling'],
): CaseHandlingView {
  const { extension, dispute, parking } = pending;
  const disputedTask = dispute && tasks.find((t) => t.id === dispute.taskId);
  return {
    needsInspection: needsInspection(cfg, row.category),
    resolvedBy: row.resolvedBy ? personRef(community, row.resolvedBy) : null,
    parkedUntil: row.parkedUntil?.toISOString() ?? null,
    parkCount: row.parkCount,
    extensionCount: row.extensionCount,
    urgeCount: row.urgeCount,
    reworkCount: row.reopenCount,
    pendingExtension: extension && {
      by: personRef(community, extension.requestedBy),
      reason: extension.reason,
      currentDueAt: extension.currentDueAt!.toISOString(),
      newDueAt: extension.newDueAt!.toISOString(),
      at: extension.createdAt.toISOString(),
    },
    pendingDispute: dispute && {
      by: personRef(community, dispute.requestedBy),
      assignee: personRef(community, disputedTask?.assignee ?? dispute.requestedBy),
      reason: dispute.reason,
      at: dispute.createdAt.toISOString(),
    },
    pendingParking: parking && {
      by: personRef(community, parking.requestedBy),
      reason: parking.reason,
      reviewAt: parking.newDueAt!.toISOString(),
      at: parking.createdAt.toISOString(),
    },
  };
}
