import {
  LAPSE_KINDS,
  LETTER_KINDS,
  LETTER_PROPOSAL_STATUSES,
  ORGS,
  TASK_ROLES,
  TASK_STATUSES,
} from '@gongzhi/domain';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
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

/** One person's share of the work on an issue, with its deadlines and its follow-up clock. */
export const tasksTable = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Creation order, also among tasks opened in the same instant (a reassignment). */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => issuesTable.id),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    /** Person key of the assignee. */
    assignee: text('assignee').notNull(),
    role: text('role', { enum: TASK_ROLES }).notNull(),
    /** The organisation answerable for this task (letters go to it). */
    org: text('org', { enum: ORGS }).notNull(),
    status: text('status', { enum: TASK_STATUSES }).notNull(),
    /** The dispatcher's note, or the return reason / resolve note, latest last. */
    note: text('note'),
    acceptDueAt: timestamp('accept_due_at', { withTimezone: true }).notNull(),
    resolveDueAt: timestamp('resolve_due_at', { withTimezone: true }).notNull(),
    /** Follow-up clock: when the scheduler next looks at this task, and how far it has gone (0 → reminder → letter). */
    nextEscalationAt: timestamp('next_escalation_at', { withTimezone: true }),
    overdueStage: integer('overdue_stage').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    index('tasks_issue').on(t.issueId),
    index('tasks_assignee').on(t.communityId, t.assignee, t.createdAt.desc(), t.id.desc()),
    index('tasks_escalation').on(t.nextEscalationAt).where(sql`next_escalation_at is not null`),
  ],
);

/** An emergency's mandatory report-backs to the zone leader and the line leader (seed 000 应急处置). */
export const reportBacksTable = pgTable(
  'report_backs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => issuesTable.id),
    toPerson: text('to_person').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
    doneBy: text('done_by'),
    note: text('note'),
    lapsedAt: timestamp('lapsed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('report_backs_issue_to').on(t.issueId, t.toPerson),
    index('report_backs_due').on(t.dueAt).where(sql`done_at is null and lapsed_at is null`),
  ],
);

/** A recorded lapse against an organisation (the credit file, 诚信档案, counts these). */
export const lapsesTable = pgTable(
  'lapses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    org: text('org', { enum: ORGS }).notNull(),
    kind: text('kind', { enum: LAPSE_KINDS }).notNull(),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => issuesTable.id),
    taskId: uuid('task_id').references(() => tasksTable.id),
    person: text('person'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('lapses_org').on(t.communityId, t.org, t.createdAt)],
);

/** 提示函 / 警示函: numbered per community, kind and year; acknowledged by the organisation. */
export const lettersTable = pgTable(
  'letters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    kind: text('kind', { enum: LETTER_KINDS }).notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    number: text('number').notNull(),
    org: text('org', { enum: ORGS }).notNull(),
    text: text('text').notNull(),
    issueIds: uuid('issue_ids').array().notNull(),
    /** Person key of the leadership member who issued it by hand; null when the follow-up clock did. */
    issuedBy: text('issued_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedByAccountId: uuid('acknowledged_by_account_id').references(() => accountsTable.id),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgeNote: text('acknowledge_note'),
  },
  (t) => [
    uniqueIndex('letters_number').on(t.communityId, t.kind, t.year, t.seq),
    index('letters_org').on(t.communityId, t.org, t.createdAt.desc()),
  ],
);

/**
 * A letter the follow-up clock proposes when residents press hard (seed 001 §七.3, 群众反映比较强烈):
 * the leadership confirms it (the letter is issued) or dismisses it. `key` makes each proposal once.
 */
export const letterProposalsTable = pgTable(
  'letter_proposals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    key: text('key').notNull(),
    kind: text('kind', { enum: LETTER_KINDS }).notNull(),
    org: text('org', { enum: ORGS }).notNull(),
    reason: text('reason').notNull(),
    issueIds: uuid('issue_ids').array().notNull(),
    status: text('status', { enum: LETTER_PROPOSAL_STATUSES }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: text('decided_by'),
    decisionNote: text('decision_note'),
    letterId: uuid('letter_id').references(() => lettersTable.id),
  },
  (t) => [
    uniqueIndex('letter_proposals_key').on(t.communityId, t.key),
    index('letter_proposals_community').on(t.communityId, t.createdAt.desc()),
  ],
);

/**
 * Transactional outbox: a notification is written in the same transaction as the event that causes
 * it, and a worker delivers it at least once. `dedupeKey` (event + recipient + channel) makes a
 * second enqueue of the same thing a no-op.
 */
export const outboxTable = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    channel: text('channel', { enum: ['inbox', 'wechat'] }).notNull(),
    kind: text('kind').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accountsTable.id),
    payload: jsonb('payload')
      .$type<{ title: string; body: string; issueId: string | null; letterId: string | null }>()
      .notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'dead', 'skipped'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [index('outbox_due').on(t.nextAttemptAt).where(sql`status = 'pending'`)],
);

/** The in-app inbox. `sourceKey` is the outbox dedupe key: a redelivery inserts nothing. */
export const notificationsTable = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accountsTable.id),
    sourceKey: text('source_key').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    issueId: uuid('issue_id'),
    letterId: uuid('letter_id'),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('notifications_source').on(t.accountId, t.sourceKey),
    index('notifications_account').on(t.accountId, t.createdAt.desc(), t.id.desc()),
    index('notifications_unread').on(t.accountId).where(sql`read_at is null`),
  ],
);

export type TaskRow = typeof tasksTable.$inferSelect;

/** Each person's remaining one-time WeChat subscription quota, per template. */
export const wechatSubscriptionsTable = pgTable(
  'wechat_subscriptions',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accountsTable.id),
    templateId: text('template_id').notNull(),
    remaining: integer('remaining').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.templateId] }),
    check('wechat_subscriptions_remaining', sql`remaining >= 0`),
  ],
);
