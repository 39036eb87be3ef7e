import {
  AGENDA_ITEM_STATUSES,
  AGENDA_SOURCES,
  ART278_MATTERS,
  type Art278Result,
  JOINT_MEETING_KINDS,
  JOINT_MEETING_STATUSES,
  type JointMember,
  MINUTES_STATUSES,
  type Milestone,
  ORGS,
  type OwnerVote,
  RESOLUTION_DISPOSITIONS,
  type ReconsiderationRef,
  ZONE_MEETING_STATUSES,
  type ZoneResolutionRef,
} from '@gongzhi/domain';
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accountsTable } from './accounts';
import { communitiesTable } from './community';
import { issuesTable } from './issues';
import { noticesTable } from './notices';

/**
 * Meetings and decisions (docs/domain.md §7). The domain's meeting objects (ZoneMeeting, JointMeeting,
 * TrackedAction) are assembled from these rows and saved back column by column, so every status,
 * date and issue link can be queried; only values the domain validates and never filters on
 * (invitee lists, milestones, an owners' vote sheet, art. 278's arithmetic) are jsonb.
 */

/** 区域会议: convened by the zone leader; closed once the minutes are recorded. */
export const zoneMeetingsTable = pgTable(
  'zone_meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    zone: text('zone').notNull(),
    status: text('status', { enum: ZONE_MEETING_STATUSES }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    place: text('place').notNull(),
    /** Person key of the zone leader who convened it. */
    convenedBy: text('convened_by').notNull(),
    /** The zone's people but the convener: they were sent the notice. */
    invitees: text('invitees').array().notNull(),
    attendees: text('attendees').array().notNull(),
    residentViews: text('resident_views'),
    minutes: text('minutes'),
    minutesRecordedAt: timestamp('minutes_recorded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // Lists per zone, newest first, keyset on (created_at, id).
    index('zone_meetings_zone_created').on(t.communityId, t.zone, t.createdAt.desc(), t.id.desc()),
    index('zone_meetings_community_created').on(t.communityId, t.createdAt.desc(), t.id.desc()),
  ],
);

/** One agenda issue of a zone meeting and, once the minutes are recorded, what was decided for it. */
export const zoneMeetingIssuesTable = pgTable(
  'zone_meeting_issues',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => zoneMeetingsTable.id),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => issuesTable.id),
    /** Agenda order, from 0. */
    position: integer('position').notNull(),
    title: text('title'),
    outcome: text('outcome', { enum: ['resolve_in_zone', 'escalate'] }),
    /** The plan (resolve in zone) or the resolution to escalate. */
    text: text('text'),
    /** The plan the zone proposes to the joint meeting with an escalation. */
    proposal: text('proposal'),
    /** Who the plan was dispatched to, if the meeting dispatched it. */
    assignee: text('assignee'),
  },
  (t) => [
    primaryKey({ columns: [t.meetingId, t.issueId] }),
    // Escalation looks up the latest zone meeting that decided on an issue.
    index('zone_meeting_issues_issue').on(t.issueId),
  ],
);

/** 社区联席会议. Minutes draft → locked (approved by the chair); nothing of a locked meeting changes. */
export const jointMeetingsTable = pgTable(
  'joint_meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    kind: text('kind', { enum: JOINT_MEETING_KINDS }).notNull(),
    status: text('status', { enum: JOINT_MEETING_STATUSES }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    place: text('place').notNull(),
    scheduledBy: text('scheduled_by').notNull(),
    chair: text('chair').notNull(),
    chairDesignatedBy: text('chair_designated_by'),
    invitees: jsonb('invitees').$type<JointMember[]>().notNull(),
    present: text('present').array().notNull(),
    guests: text('guests').array().notNull(),
    minutesStatus: text('minutes_status', { enum: MINUTES_STATUSES }).notNull(),
    minutesText: text('minutes_text'),
    minutesApprovedBy: text('minutes_approved_by'),
    minutesApprovedAt: timestamp('minutes_approved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // "The next meeting": the earliest scheduled one with open minutes, at or after now.
    index('joint_meetings_next')
      .on(t.communityId, t.at)
      .where(sql`status = 'scheduled' and minutes_status = 'draft'`),
    index('joint_meetings_community_at').on(t.communityId, t.at.desc(), t.id.desc()),
  ],
);

/**
 * An item for the joint meeting. Without a meeting it is waiting for the next one to be scheduled
 * (an escalation, a re-deliberation or a deferred item when none is planned); once placed it has
 * the meeting and its stable number there.
 */
export const jointAgendaItemsTable = pgTable(
  'joint_agenda_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Creation order, also among items created in the same instant: the waiting list is taken up in it. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    meetingId: uuid('meeting_id').references(() => jointMeetingsTable.id),
    no: integer('no'),
    title: text('title').notNull(),
    /** A briefing the product filled in (the property manager's 述职 figures). */
    briefing: text('briefing'),
    source: text('source', { enum: AGENDA_SOURCES }).notNull(),
    status: text('status', { enum: AGENDA_ITEM_STATUSES }).notNull(),
    issueIds: uuid('issue_ids').array().notNull(),
    zoneMeetingId: uuid('zone_meeting_id').references(() => zoneMeetingsTable.id),
    zoneResolution: jsonb('zone_resolution').$type<ZoneResolutionRef>(),
    /** A re-deliberation (复议): the resolution it reconsiders, which stays on record. */
    reconsidersResolutionId: uuid('reconsiders_resolution_id').references(
      (): AnyPgColumn => resolutionsTable.id,
    ),
    reconsiders: jsonb('reconsiders').$type<ReconsiderationRef>(),
    /** A deferred item carried over to a later meeting. */
    carriedFromId: uuid('carried_from_id').references((): AnyPgColumn => jointAgendaItemsTable.id),
    consultationIndividual: text('consultation_individual'),
    consultationJoint: text('consultation_joint'),
    voteFor: integer('vote_for'),
    voteAgainst: integer('vote_against'),
    voteAbstain: integer('vote_abstain'),
    votePresent: integer('vote_present'),
    votePassed: boolean('vote_passed'),
    voteText: text('vote_text'),
    deferReason: text('defer_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('joint_agenda_items_meeting_no').on(t.meetingId, t.no),
    index('joint_agenda_items_waiting').on(t.communityId, t.createdAt).where(sql`meeting_id is null`),
    // "Which items concern this issue": the issue page and the duplicate check.
    index('joint_agenda_items_issues').using('gin', t.issueIds),
  ],
);

/**
 * Every vote recorded on an agenda item, oldest first: the item's vote columns hold the latest, and a
 * correction (allowed until the item has its resolution) is a new row, never an overwrite of the
 * record. Append-only; the database also refuses an item whose vote is not its latest row here.
 */
export const jointVotesTable = pgTable(
  'joint_votes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => jointAgendaItemsTable.id),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => jointMeetingsTable.id),
    voteFor: integer('vote_for').notNull(),
    voteAgainst: integer('vote_against').notNull(),
    voteAbstain: integer('vote_abstain').notNull(),
    votePresent: integer('vote_present').notNull(),
    votePassed: boolean('vote_passed').notNull(),
    voteText: text('vote_text').notNull(),
    /** Person key of the chair who recorded it, and the account. */
    recordedBy: text('recorded_by').notNull(),
    recordedByAccountId: uuid('recorded_by_account_id').references(() => accountsTable.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('joint_votes_item').on(t.itemId, t.id)],
);

/** A joint-meeting resolution as a tracked action (督办): progress 0–100 %, milestones, until done. */
export const resolutionsTable = pgTable(
  'resolutions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => jointMeetingsTable.id),
    itemId: uuid('item_id')
      .notNull()
      .unique()
      .references(() => jointAgendaItemsTable.id),
    itemNo: integer('item_no').notNull(),
    chair: text('chair').notNull(),
    issueIds: uuid('issue_ids').array().notNull(),
    text: text('text').notNull(),
    responsibleOrg: text('responsible_org', { enum: ORGS }).notNull(),
    responsiblePerson: text('responsible_person').notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    disposition: text('disposition', { enum: RESOLUTION_DISPOSITIONS }).notNull(),
    milestones: jsonb('milestones').$type<Milestone[]>().notNull(),
    progress: integer('progress').notNull().default(0),
    done: boolean('done').notNull().default(false),
    /** Set when a re-deliberation of it was resolved: the newer resolution; this one stays on record. */
    supersededById: uuid('superseded_by_id').references((): AnyPgColumn => resolutionsTable.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('resolutions_open_due').on(t.communityId, t.dueDate).where(sql`done = false`),
    index('resolutions_community_created').on(t.communityId, t.createdAt.desc(), t.id.desc()),
    index('resolutions_issues').using('gin', t.issueIds),
  ],
);

/** Every progress update of a resolution, oldest first (what the reporters were told). */
export const resolutionProgressTable = pgTable(
  'resolution_progress',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    resolutionId: uuid('resolution_id')
      .notNull()
      .references(() => resolutionsTable.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    by: text('by').notNull(),
    byAccountId: uuid('by_account_id').references(() => accountsTable.id),
    fromProgress: integer('from_progress').notNull(),
    toProgress: integer('to_progress').notNull(),
    note: text('note'),
    milestone: text('milestone'),
  },
  (t) => [index('resolution_progress_resolution').on(t.resolutionId, t.id)],
);

/** 业主大会 decisions on an issue (shared parts, maintenance fund), decided by Civil Code art. 278. */
export const ownersAssembliesTable = pgTable(
  'owners_assemblies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Recording order, also among votes recorded in the same instant: the latest decides. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => issuesTable.id),
    matter: text('matter', { enum: ART278_MATTERS }).notNull(),
    passed: boolean('passed').notNull(),
    /** Each owner's vote as recorded (when counted per owner), or null when totals were entered. */
    votes: jsonb('votes').$type<OwnerVote[]>(),
    /** decideArt278's result: the tally, each check with its arithmetic, the summary. */
    result: jsonb('result').$type<Art278Result>().notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedByAccountId: uuid('recorded_by_account_id').references(() => accountsTable.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** The day the assembly was held (local date); each attempt is its own assembly. Null on rows recorded before it was asked. */
    heldOn: date('held_on', { mode: 'string' }),
  },
  (t) => [index('owners_assemblies_issue').on(t.issueId, t.seq)],
);

/** The maintenance-fund procedure of an issue: public notice, then the report to the owners' committee. */
export const fundUsesTable = pgTable('fund_uses', {
  issueId: uuid('issue_id')
    .primaryKey()
    .references(() => issuesTable.id),
  communityId: uuid('community_id')
    .notNull()
    .references(() => communitiesTable.id),
  noticeStartedAt: timestamp('notice_started_at', { withTimezone: true }),
  noticeText: text('notice_text'),
  noticeRecordedBy: text('notice_recorded_by'),
  reportedToOcAt: timestamp('reported_to_oc_at', { withTimezone: true }),
  ocReportNote: text('oc_report_note'),
  reportedBy: text('reported_by'),
  /** The published fund notice (notices, kind fund_notice) whose period is the 公示. */
  noticeId: uuid('notice_id').references(() => noticesTable.id),
  /** The owners'-committee member who received the report, and when. */
  ocAcknowledgedAt: timestamp('oc_acknowledged_at', { withTimezone: true }),
  ocAcknowledgedBy: text('oc_acknowledged_by'),
  ocAcknowledgedByAccountId: uuid('oc_acknowledged_by_account_id').references(() => accountsTable.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export type ZoneMeetingRow = typeof zoneMeetingsTable.$inferSelect;
export type JointMeetingRow = typeof jointMeetingsTable.$inferSelect;
export type JointAgendaItemRow = typeof jointAgendaItemsTable.$inferSelect;
export type ResolutionRow = typeof resolutionsTable.$inferSelect;
