import { HONOR_LISTS, NOTICE_KINDS, NOTICE_STATUSES, type NoticeSource } from '@gongzhi/domain';
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  date,
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

/**
 * Public notices (公告公示, docs/domain.md §10). One row per notice with every step's who and when as
 * columns: draft → approved → published, and kept — a withdrawn notice keeps its text and the
 * reason, a corrected one points to its correction. Published text is never updated (the service
 * refuses it; a correction is a new row).
 */
export const noticesTable = pgTable(
  'notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    kind: text('kind', { enum: NOTICE_KINDS }).notNull(),
    status: text('status', { enum: NOTICE_STATUSES }).notNull(),
    /** The zone it concerns; null for the whole community. */
    zone: text('zone'),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** What it was generated from, if anything. */
    source: jsonb('source').$type<NoticeSource>(),
    /** The notice period (公示期), for fund notices: fixed, or `period_days` from publication. */
    periodStart: timestamp('period_start', { withTimezone: true }),
    periodEnd: timestamp('period_end', { withTimezone: true }),
    periodDays: integer('period_days'),
    supersedesId: uuid('supersedes_id').references((): AnyPgColumn => noticesTable.id),
    supersededById: uuid('superseded_by_id').references((): AnyPgColumn => noticesTable.id),
    /** Numbered on publication, per community and year: 夏朵园居民区公告〔2026〕3号. */
    year: integer('year'),
    seq: integer('seq'),
    number: text('number'),
    /** Person key of the author (null: an administrator), and the account. */
    author: text('author'),
    authorName: text('author_name').notNull(),
    authorAccountId: uuid('author_account_id').references(() => accountsTable.id),
    approvedBy: text('approved_by'),
    approvedByName: text('approved_by_name'),
    approvedByAccountId: uuid('approved_by_account_id').references(() => accountsTable.id),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    publishedByName: text('published_by_name'),
    publishedByAccountId: uuid('published_by_account_id').references(() => accountsTable.id),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    withdrawnByName: text('withdrawn_by_name'),
    withdrawnByAccountId: uuid('withdrawn_by_account_id').references(() => accountsTable.id),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawReason: text('withdraw_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // The residents' list: published only, newest publication first, keyset on (published_at, id).
    index('notices_public')
      .on(t.communityId, t.publishedAt.desc(), t.id.desc())
      .where(sql`status = 'published'`),
    // The staff list, drafts too, newest first.
    index('notices_community_created').on(t.communityId, t.createdAt.desc(), t.id.desc()),
    uniqueIndex('notices_number').on(t.communityId, t.year, t.seq),
  ],
);

export type NoticeRow = typeof noticesTable.$inferSelect;

/**
 * Red and black list entries (红黑榜, seed 002), kept by the Party branch and the 业委会. Append-only
 * (a trigger refuses UPDATE and DELETE): a mistake is answered by a new entry. Residents read them
 * only through a published 红黑榜 notice, whose source names the entries.
 */
export const honorEntriesTable = pgTable(
  'honor_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    list: text('list', { enum: HONOR_LISTS }).notNull(),
    subject: text('subject').notNull(),
    reason: text('reason').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    recordedBy: text('recorded_by'),
    recordedByName: text('recorded_by_name').notNull(),
    /** 党组织 or 业委会: who the keeper acted for. */
    recordedFor: text('recorded_for').notNull(),
    recordedByAccountId: uuid('recorded_by_account_id').references(() => accountsTable.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('honor_entries_community').on(t.communityId, t.createdAt.desc(), t.id.desc())],
);

export type HonorEntryRow = typeof honorEntriesTable.$inferSelect;
