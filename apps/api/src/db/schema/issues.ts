import type { RouteDecision } from '@gongzhi/domain';
import { CHANNELS, ISSUE_STATUSES, SCOPES, TIERS, URGENCIES } from '@gongzhi/domain';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accountsTable } from './accounts';
import { communitiesTable } from './community';

export const issuesTable = pgTable(
  'issues',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    /** Short code people quote (and residents track with). */
    code: text('code').notNull().unique(),
    zone: text('zone').notNull(),
    building: integer('building'),
    spot: text('spot'),
    /** An optional pin (GCJ-02, as WeChat's getLocation gives it) dropped by staff at the scene. */
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    category: text('category').notNull(),
    description: text('description').notNull(),
    urgency: text('urgency', { enum: URGENCIES }).notNull(),
    scope: text('scope', { enum: SCOPES }).notNull(),
    usesMaintenanceFund: boolean('uses_maintenance_fund').notNull(),
    touchesSharedParts: boolean('touches_shared_parts').notNull(),
    multiOrg: boolean('multi_org').notNull(),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    status: text('status', { enum: ISSUE_STATUSES }).notNull(),
    tier: text('tier', { enum: TIERS }).notNull(),
    line: text('line'),
    /** Person key of the owner at this tier (from the routing decision). */
    owner: text('owner'),
    /** Person keys with an open task; permission checks read it. */
    assignees: text('assignees').array().notNull(),
    /** The routing decision with its reasons, exactly as decided, so it can be explained later. */
    route: jsonb('route').$type<RouteDecision>().notNull(),
    reporterAccountId: uuid('reporter_account_id').references(() => accountsTable.id),
    reporterName: text('reporter_name'),
    reporterPhone: text('reporter_phone'),
    /** Anonymous residents follow their complaint with `code` + a secret; only its hash is kept. */
    trackingSecretHash: text('tracking_secret_hash'),
    /** The QR code the complaint came through (building or facility), for per-code limits. */
    qrCode: text('qr_code'),
    /** From a banned reporter: kept, hidden from lists, never dispatched (as FixMyStreet does). */
    hidden: boolean('hidden').notNull().default(false),
    /** When the issue last became resolved: unverified, it closes automatically after N days. */
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    // KPI facts (docs/domain.md §11), kept on the row so the aggregate reads one table (see docs/api.md, KPIs).
    /** When the issue was first handled: first resolved or closed, or first given a joint-meeting resolution. */
    handledAt: timestamp('handled_at', { withTimezone: true }),
    /** How many times the issue was reopened ("not fixed"); effective handling needs 0. */
    reopenCount: integer('reopen_count').notNull().default(0),
    /** The SLA resolve deadline counted from submission (urgency and category): on time = handled_at ≤ this. */
    resolveDueAt: timestamp('resolve_due_at', { withTimezone: true }),
    // Case handling (issue 17; docs/domain.md §6), written by the issue write path only.
    /** Person key of whoever resolved it last (on-site verification is never theirs). */
    resolvedBy: text('resolved_by'),
    /** 挂账: the review date while parked; null otherwise. */
    parkedUntil: timestamp('parked_until', { withTimezone: true }),
    /** How many times it was parked (挂账), extended (延期, approved) and urged (督办). */
    parkCount: integer('park_count').notNull().default(0),
    extensionCount: integer('extension_count').notNull().default(0),
    urgeCount: integer('urge_count').notNull().default(0),
    /** The SLA contact deadline counted from submission (sla.contact): 响应 on time = first_contact_at ≤ this. */
    contactDueAt: timestamp('contact_due_at', { withTimezone: true }),
    /** When the reporter was first contacted (a recorded 已联系, or a staff reply the reporter reads). */
    firstContactAt: timestamp('first_contact_at', { withTimezone: true }),
    /** When the issue was first closed (按期结案 = closed_at ≤ resolve_due_at). */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('issues_resolved_at').on(t.resolvedAt).where(sql`status = 'resolved'`),
    // Zone lists are the hot path: filter by community + zone, newest first, keyset on (created_at, id).
    index('issues_zone_created').on(t.communityId, t.zone, t.createdAt.desc(), t.id.desc()),
    index('issues_community_created').on(t.communityId, t.createdAt.desc(), t.id.desc()),
    index('issues_community_status').on(t.communityId, t.status),
    // The follow-up clock's letter proposals start from the issues residents pressed
    // (services/followup/pressure.ts): the reopened ones of a community.
    index('issues_reopened').on(t.communityId).where(sql`reopen_count > 0`),
    // KPIs of a line over a period (zone and community periods use the keyset indexes above).
    index('issues_line_created').on(t.communityId, t.line, t.createdAt).where(sql`line is not null`),
    // The roll-up summary's clock finds the issues written since its last pass (issue 19).
    index('issues_updated_at').on(t.updatedAt),
    // A complaint's limits count the hour's complaints of its QR code (or chosen place) and of its
    // reporter's account (services/complaints/submit-complaint.ts); "my complaints" pages by account.
    // Without them each complaint read every issue of the database.
    index('issues_qr_created').on(t.qrCode, t.createdAt).where(sql`qr_code is not null`),
    index('issues_reporter_created')
      .on(t.reporterAccountId, t.createdAt.desc(), t.id.desc())
      .where(sql`reporter_account_id is not null`),
  ],
);

/**
 * The record (留痕): every transition, who, when, from → to, note. Append-only — a trigger in the
 * migration refuses UPDATE and DELETE, so not even a bug in our code can rewrite history.
 */
export const issueEventsTable = pgTable(
  'issue_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => issuesTable.id),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    actorAccountId: uuid('actor_account_id').references(() => accountsTable.id),
    /** Person key, or 'system' for routing and schedulers. */
    actor: text('actor').notNull(),
    note: text('note'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('issue_events_issue').on(t.issueId, t.id)],
);

export const photosTable = pgTable(
  'photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id').references(() => communitiesTable.id),
    issueId: uuid('issue_id').references(() => issuesTable.id),
    /** Which event (e.g. a resolve with after-photos) the photo belongs to, if not the intake. */
    eventId: integer('event_id'),
    uploaderAccountId: uuid('uploader_account_id').references(() => accountsTable.id),
    /** Anonymous uploads get a token to attach the photo later; only its hash is kept. */
    uploadTokenHash: text('upload_token_hash'),
    /** Content hash: also the storage file name, so names never come from the client. */
    sha256: text('sha256').notNull(),
    mime: text('mime').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    /**
     * WeChat's content-security check (mediaCheckAsync) of a resident's photo: the trace_id WeChat
     * answered with (its result is pushed later and found by it), and the verdict: 'pending' until
     * the push, then WeChat's suggest. 'risky' hides the photo everywhere. Null: never sent.
     */
    mediaCheckTraceId: text('media_check_trace_id').unique(),
    mediaCheck: text('media_check', { enum: ['pending', 'pass', 'review', 'risky'] }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('photos_issue').on(t.issueId)],
);

/**
 * Requests on an issue that wait for someone's decision (issue 17): an assignee's extension (延期,
 * decided by the owner), an owner's dispute of a return (退单争议, decided by the arbiter) and a
 * parking where the config asks for approval (挂账申请, decided by the zone leader or the joint meeting). At
 * most one pending of each kind per issue (partial unique index). Each step is also an event.
 */
export const issueRequestsTable = pgTable(
  'issue_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => issuesTable.id),
    kind: text('kind', { enum: ['extension', 'dispute', 'parking'] }).notNull(),
    status: text('status', { enum: ['pending', 'approved', 'refused'] }).notNull(),
    /** The task it concerns: the assignee's (extension) or the returned one (dispute); none for a parking. */
    taskId: uuid('task_id'),
    /** Person key of who asked. */
    requestedBy: text('requested_by').notNull(),
    reason: text('reason').notNull(),
    /** Extension: the deadline in force when asked, and the one asked for. Parking: the review date (new_due_at). */
    currentDueAt: timestamp('current_due_at', { withTimezone: true }),
    newDueAt: timestamp('new_due_at', { withTimezone: true }),
    decidedBy: text('decided_by'),
    decisionNote: text('decision_note'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('issue_requests_issue').on(t.issueId),
    uniqueIndex('issue_requests_one_pending').on(t.issueId, t.kind).where(sql`status = 'pending'`),
  ],
);

export type IssueRequestRow = typeof issueRequestsTable.$inferSelect;
