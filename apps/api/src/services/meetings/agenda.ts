import {
  AGENDA_SOURCE_NAMES,
  type AgendaItemDraft,
  addJointAgendaItem,
  type Community,
  Conflict,
  type JointMeeting,
  NotFound,
} from '@gongzhi/domain';
import { and, arrayOverlaps, asc, eq, gte, inArray, isNull, ne } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import {
  issuesTable,
  type JointAgendaItemRow,
  jointAgendaItemsTable,
  jointMeetingsTable,
} from '../../db/schema';
import type { ServiceContext } from '../context';
import { notify } from '../notifications/notify';
import { localTime } from '../tasks/open-tasks';
import { draftOf, withParts } from './joint-meeting-store';

export interface EnqueueOptions {
  community: Community;
  communityId: string;
  draft: AgendaItemDraft;
  /** A meeting chosen by the secretary (its minutes must be open); else the next one, else the waiting list. */
  meetingId?: string | undefined;
  /** Never this meeting (a deferred item is carried over to a later one). */
  excludeMeetingId?: string | undefined;
  zoneMeetingId?: string | null;
  reconsidersResolutionId?: string | null;
  carriedFromId?: string | null;
  /** The event that caused it, for the secretary's notice. */
  sourceKey: string;
}

/**
 * An item for the joint meeting goes on the agenda of the next meeting (the earliest scheduled one
 * at or after now whose minutes are open, as the domain's nextJointMeeting defines it) or, when none
 * is planned, waits for the next one to be scheduled. An issue is never waiting twice (409). The
 * secretary is told. Returns the item's row.
 */
export async function enqueueAgendaItem(ctx: ServiceContext, tx: Tx, o: EnqueueOptions) {
  const now = ctx.now();
  if (o.draft.issues.length > 0) {
    const [clash] = await tx
      .select({
        id: jointAgendaItemsTable.id,
        issueIds: jointAgendaItemsTable.issueIds,
        no: jointAgendaItemsTable.no,
      })
      .from(jointAgendaItemsTable)
      .where(
        and(
          eq(jointAgendaItemsTable.communityId, o.communityId),
          eq(jointAgendaItemsTable.status, 'pending'),
          arrayOverlaps(jointAgendaItemsTable.issueIds, o.draft.issues),
        ),
      )
      .limit(1);
    if (clash) {
      const issueId = clash.issueIds.find((x) => o.draft.issues.includes(x))!;
      const [issue] = await tx
        .select({ code: issuesTable.code })
        .from(issuesTable)
        .where(eq(issuesTable.id, issueId));
      throw Conflict('issue_already_on_agenda', `问题 ${issue?.code ?? issueId} 已在待审议的联席会议议题中`, [
        { path: 'issues', message: '已在议程中', item: clash.id },
      ]);
    }
  }
  const [row] = await tx
    .insert(jointAgendaItemsTable)
    .values({
      communityId: o.communityId,
      title: o.draft.title,
      briefing: o.draft.briefing ?? null,
      source: o.draft.source,
      status: 'pending',
      issueIds: o.draft.issues,
      zoneMeetingId: o.zoneMeetingId ?? null,
      zoneResolution: o.draft.zoneResolution,
      reconsidersResolutionId: o.reconsidersResolutionId ?? null,
      reconsiders: o.draft.reconsiders,
      carriedFromId: o.carriedFromId ?? null,
      createdAt: now,
    })
    .returning();

  const target = o.meetingId
    ? await chosenMeeting(tx, o.communityId, o.meetingId)
    : await nextMeeting(tx, o.communityId, now, o.excludeMeetingId);
  let placed: JointAgendaItemRow = row!;
  let meeting: JointMeeting | null = null;
  if (target) {
    const loaded = await withParts(tx, target, o.community);
    meeting = addJointAgendaItem(loaded.meeting, o.draft);
    placed = await place(tx, row!.id, target.id, meeting.agenda.at(-1)!.no);
  }
  const secretary = o.community.config.secretary;
  await notify(
    tx,
    now,
    `${o.sourceKey}:agenda:${placed.id}`,
    { communityId: o.communityId, persons: [secretary], exceptAccountId: ctx.principal?.accountId },
    {
      kind: 'joint_agenda_added',
      title: o.draft.title,
      sourceName: AGENDA_SOURCE_NAMES[o.draft.source],
      meetingAt: meeting ? localTime(new Date(meeting.at), o.community.config.timezone) : null,
    },
  );
  return placed;
}

async function place(tx: Tx, itemId: string, meetingId: string, no: number) {
  const [row] = await tx
    .update(jointAgendaItemsTable)
    .set({ meetingId, no })
    .where(eq(jointAgendaItemsTable.id, itemId))
    .returning();
  return row!;
}

async function chosenMeeting(tx: Tx, communityId: string, meetingId: string) {
  const [row] = await tx
    .select()
    .from(jointMeetingsTable)
    .where(and(eq(jointMeetingsTable.id, meetingId), eq(jointMeetingsTable.communityId, communityId)))
    .for('update');
  if (!row) throw NotFound('joint_meeting_not_found', '联席会议不存在或您无权查看');
  return row;
}

async function nextMeeting(tx: Tx, communityId: string, now: Date, exclude?: string) {
  const [row] = await tx
    .select()
    .from(jointMeetingsTable)
    .where(
      and(
        eq(jointMeetingsTable.communityId, communityId),
        eq(jointMeetingsTable.status, 'scheduled'),
        eq(jointMeetingsTable.minutesStatus, 'draft'),
        gte(jointMeetingsTable.at, now),
        exclude ? ne(jointMeetingsTable.id, exclude) : undefined,
      ),
    )
    .orderBy(asc(jointMeetingsTable.at))
    .limit(1)
    .for('update');
  return row ?? null;
}

/** The items waiting for the next meeting, oldest first. */
export async function waitingItems(tx: Db | Tx, communityId: string) {
  return tx
    .select()
    .from(jointAgendaItemsTable)
    .where(and(eq(jointAgendaItemsTable.communityId, communityId), isNull(jointAgendaItemsTable.meetingId)))
    .orderBy(asc(jointAgendaItemsTable.seq));
}

/** A newly scheduled meeting takes up every waiting item, in the order they came. */
export async function placeWaitingItems(tx: Tx, meeting: JointMeeting, communityId: string) {
  const waiting = await waitingItems(tx, communityId);
  let next = meeting;
  for (const row of waiting) {
    next = addJointAgendaItem(next, draftOf(row));
    await place(tx, row.id, meeting.id, next.agenda.at(-1)!.no);
  }
  return next;
}

/** Drafts of the items still to be decided, from any meeting or the waiting list (re-deliberation checks them). */
export async function pendingDraftsFor(tx: Tx, reconsidersResolutionIds: string[]) {
  if (reconsidersResolutionIds.length === 0) return [];
  const rows = await tx
    .select()
    .from(jointAgendaItemsTable)
    .where(
      and(
        inArray(jointAgendaItemsTable.reconsidersResolutionId, reconsidersResolutionIds),
        eq(jointAgendaItemsTable.status, 'pending'),
      ),
    );
  return rows.map(draftOf);
}
