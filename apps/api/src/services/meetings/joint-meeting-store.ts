import {
  type AgendaItemDraft,
  type AgendaPlacementView,
  agendaItemActions,
  type Community,
  chairDesignated,
  checkQuorum,
  type JointAgendaItem,
  type JointMeeting,
  type JointMeetingView,
  jointMeetingActions,
  NotFound,
} from '@gongzhi/domain';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import {
  communitiesTable,
  type JointAgendaItemRow,
  type JointMeetingRow,
  jointAgendaItemsTable,
  jointMeetingsTable,
  type ResolutionRow,
  resolutionsTable,
} from '../../db/schema';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { callerOf, getCommunity, type ServiceContext } from '../context';
import { assertReadsJointRecords, viewerIn } from './access';

export interface LoadedJointMeeting {
  row: JointMeetingRow;
  community: Community;
  items: JointAgendaItemRow[];
  /** The resolution each resolved item became, by item id. */
  resolutions: ReadonlyMap<string, ResolutionRow>;
  meeting: JointMeeting;
}

/** An agenda row as the domain's draft (what a waiting item, or a carried-over one, is). */
export const draftOf = (row: JointAgendaItemRow): AgendaItemDraft => ({
  title: row.title,
  source: row.source,
  issues: row.issueIds,
  zoneResolution: row.zoneResolution ?? null,
  reconsiders: row.reconsiders ?? null,
  briefing: row.briefing ?? null,
});

function itemOf(row: JointAgendaItemRow, resolution: ResolutionRow | undefined): JointAgendaItem {
  return {
    ...draftOf(row),
    no: row.no!,
    status: row.status,
    consultation:
      row.consultationJoint === null
        ? null
        : { individual: row.consultationIndividual, joint: row.consultationJoint },
    vote:
      row.voteFor === null
        ? null
        : {
            for: row.voteFor,
            against: row.voteAgainst!,
            abstain: row.voteAbstain!,
            present: row.votePresent!,
            passed: row.votePassed!,
            text: row.voteText!,
          },
    resolution: resolution
      ? {
          text: resolution.text,
          responsibleOrg: resolution.responsibleOrg,
          responsiblePerson: resolution.responsiblePerson,
          dueDate: resolution.dueDate,
          disposition: resolution.disposition,
          milestones: resolution.milestones,
        }
      : null,
    deferReason: row.deferReason,
  };
}

/** The domain's JointMeeting from its rows. */
export function assembleJointMeeting(
  row: JointMeetingRow,
  items: readonly JointAgendaItemRow[],
  resolutions: ReadonlyMap<string, ResolutionRow>,
): JointMeeting {
  return {
    id: row.id,
    kind: row.kind,
    at: row.at.toISOString(),
    place: row.place,
    scheduledBy: row.scheduledBy,
    chair: row.chair,
    chairDesignatedBy: row.chairDesignatedBy,
    invitees: row.invitees,
    status: row.status,
    present: row.present,
    guests: row.guests,
    agenda: items.map((i) => itemOf(i, resolutions.get(i.id))),
    minutes: {
      status: row.minutesStatus,
      text: row.minutesText,
      approvedBy: row.minutesApprovedBy,
      approvedAt: row.minutesApprovedAt?.toISOString() ?? null,
    },
  };
}

async function partsOf(db: Db | Tx, meetingIds: string[]) {
  if (meetingIds.length === 0) return { items: [], resolutions: new Map<string, ResolutionRow>() };
  const items = await db
    .select()
    .from(jointAgendaItemsTable)
    .where(inArray(jointAgendaItemsTable.meetingId, meetingIds))
    .orderBy(asc(jointAgendaItemsTable.no));
  const res = await db.select().from(resolutionsTable).where(inArray(resolutionsTable.meetingId, meetingIds));
  return { items, resolutions: new Map(res.map((r) => [r.itemId, r])) };
}

/** A joint meeting the caller may read (the community's staff, administrators), else 404. */
export async function loadJointMeeting(
  ctx: ServiceContext,
  db: Db | Tx,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<LoadedJointMeeting> {
  const principal = callerOf(ctx);
  const query = db
    .select({ row: jointMeetingsTable, communityKey: communitiesTable.key })
    .from(jointMeetingsTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, jointMeetingsTable.communityId))
    .where(eq(jointMeetingsTable.id, id));
  const [found] = await (opts.lock ? query.for('update', { of: jointMeetingsTable }) : query);
  if (!found) throw NotFound('joint_meeting_not_found', '联席会议不存在或您无权查看');
  const community = getCommunity(ctx, found.communityKey);
  assertReadsJointRecords(principal, community, '联席会议');
  // Loading to change it: a meeting held in an archived quarter is read-only.
  if (opts.lock) await assertQuarterOpen(db, found.row.communityId, found.row.at);
  return withParts(db, found.row, community);
}

export async function withParts(
  db: Db | Tx,
  row: JointMeetingRow,
  community: Community,
): Promise<LoadedJointMeeting> {
  const { items, resolutions } = await partsOf(db, [row.id]);
  return { row, community, items, resolutions, meeting: assembleJointMeeting(row, items, resolutions) };
}

/**
 * Save what a domain step changed: the meeting's own columns, and each agenda item that differs
 * from before. Items are placed by agenda.ts and resolutions written by their verb, not here.
 */
export async function saveJointMeeting(tx: Tx, loaded: LoadedJointMeeting, next: JointMeeting, now: Date) {
  await tx
    .update(jointMeetingsTable)
    .set({
      status: next.status,
      chair: next.chair,
      chairDesignatedBy: next.chairDesignatedBy,
      present: next.present,
      guests: next.guests,
      minutesStatus: next.minutes.status,
      minutesText: next.minutes.text,
      minutesApprovedBy: next.minutes.approvedBy,
      minutesApprovedAt: next.minutes.approvedAt ? new Date(next.minutes.approvedAt) : null,
      updatedAt: now,
    })
    .where(eq(jointMeetingsTable.id, loaded.row.id));
  for (const item of next.agenda) {
    const before = loaded.meeting.agenda.find((i) => i.no === item.no);
    if (before && JSON.stringify(before) === JSON.stringify(item)) continue;
    const row = loaded.items.find((r) => r.no === item.no);
    if (!row) throw new Error(`agenda item ${item.no} of ${loaded.row.id} has no row`);
    await tx
      .update(jointAgendaItemsTable)
      .set({
        status: item.status,
        consultationIndividual: item.consultation?.individual ?? null,
        consultationJoint: item.consultation?.joint ?? null,
        voteFor: item.vote?.for ?? null,
        voteAgainst: item.vote?.against ?? null,
        voteAbstain: item.vote?.abstain ?? null,
        votePresent: item.vote?.present ?? null,
        votePassed: item.vote?.passed ?? null,
        voteText: item.vote?.text ?? null,
        deferReason: item.deferReason,
      })
      .where(eq(jointAgendaItemsTable.id, row.id));
  }
}

const personName = (community: Community, key: string) => community.people.get(key)?.name ?? key;

/** A joint meeting as `viewer` (the caller's person key in the community, or null) sees it. */
export function toJointMeetingView(
  loaded: LoadedJointMeeting,
  viewer: string | null,
  now: Date,
): JointMeetingView {
  const { row, community, items, resolutions, meeting } = loaded;
  return {
    ...meeting,
    community: community.key,
    chairName: personName(community, meeting.chair),
    chairPending: !chairDesignated(community, meeting),
    names: Object.fromEntries(
      [meeting.chair, ...meeting.invitees.map((m) => m.person)].map((k) => [k, personName(community, k)]),
    ),
    agenda: meeting.agenda.map((item) => {
      const r = items.find((x) => x.no === item.no)!;
      return {
        ...item,
        id: r.id,
        resolutionId: resolutions.get(r.id)?.id ?? null,
        allowedActions: agendaItemActions(community, meeting, item, viewer),
      };
    }),
    quorum: checkQuorum(meeting, community.config.meetings),
    createdAt: row.createdAt.toISOString(),
    allowedActions: jointMeetingActions(community, meeting, viewer, now),
  };
}

export async function getJointMeeting(ctx: ServiceContext, id: string) {
  const loaded = await loadJointMeeting(ctx, ctx.db, id);
  return toJointMeetingView(loaded, viewerIn(ctx, loaded.community), ctx.now());
}

/** Several meetings' views with two queries for their parts. */
export async function jointMeetingViews(
  db: Db,
  community: Community,
  rows: JointMeetingRow[],
  viewer: string | null,
  now: Date,
) {
  const { items, resolutions } = await partsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => {
    const own = items.filter((i) => i.meetingId === row.id);
    return toJointMeetingView(
      {
        row,
        community,
        items: own,
        resolutions,
        meeting: assembleJointMeeting(row, own, resolutions),
      },
      viewer,
      now,
    );
  });
}

export const toPlacementView = (community: Community, row: JointAgendaItemRow): AgendaPlacementView => ({
  ...draftOf(row),
  id: row.id,
  community: community.key,
  meeting: row.meetingId,
  no: row.no,
  status: row.status,
  createdAt: row.createdAt.toISOString(),
});
