import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accountsTable } from './accounts';
import { communitiesTable } from './community';

/**
 * The district roll-up's summary (issue 19): issues counted per community × local month of
 * submission × category × tier × current status, with the KPI facts summed. Maintained by the
 * job clock (services/rollup/refresh-issue-counts.ts): every (community, month) with an issue
 * written since the last pass is recounted from `issues`, so a roll-up over hundreds of communities
 * reads thousands of rows instead of millions. Derived data: it can be rebuilt at any time.
 */
export const issueCountsTable = pgTable(
  'issue_counts',
  {
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    /** First day of the community-local month the issues were submitted in. */
    month: date('month').notNull(),
    category: text('category').notNull(),
    tier: text('tier').notNull(),
    status: text('status').notNull(),
    issues: integer('issues').notNull(),
    /** Handled (first resolved or closed), of which by the resolve deadline. */
    handled: integer('handled').notNull(),
    onTime: integer('on_time').notNull(),
    /** Reopened at least once. */
    reworked: integer('reworked').notNull(),
    closed: integer('closed').notNull(),
    rated: integer('rated').notNull(),
    /** Rated 4 or 5. */
    satisfied: integer('satisfied').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.month, t.category, t.tier, t.status] }),
    index('issue_counts_month').on(t.month, t.communityId),
  ],
);

/** One row (id 1): how far the summary has been brought up to date. */
export const issueCountsStateTable = pgTable('issue_counts_state', {
  id: integer('id').primaryKey(),
  /** Issues written after this instant (less a safety margin) are recounted on the next pass. */
  watermark: timestamp('watermark', { withTimezone: true }).notNull(),
  /** When the last pass finished: the freshness every roll-up answer shows. */
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
});

export const EXPORT_JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;

/**
 * A large export run in the background (issue 19): the request is stored, the job clock's export
 * worker writes the file to storage in pages, counting progress, and the requester downloads it
 * when done. Only the requester sees a job.
 */
export const exportJobsTable = pgTable(
  'export_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['ledger'] }).notNull(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accountsTable.id),
    /** The export's query as the synchronous route takes it (validated before the job is stored). */
    params: jsonb('params').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: EXPORT_JOB_STATUSES }).notNull(),
    /** Rows written so far, and how many there are (known once the job starts). */
    done: integer('done').notNull().default(0),
    total: integer('total'),
    storageKey: text('storage_key'),
    fileName: text('file_name'),
    contentType: text('content_type'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('export_jobs_queued').on(t.createdAt).where(sql`status = 'queued'`),
    index('export_jobs_account').on(t.accountId, t.createdAt.desc()),
  ],
);
