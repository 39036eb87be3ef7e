import type { ArchiveCounts } from '@gongzhi/domain';
import { integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountsTable } from './accounts';
import { communitiesTable } from './community';

/**
 * One archived quarter per community (docs/domain.md §13). The row is the lock: a record whose instant
 * lies in [starts_at, ends_at) of an archive of its community is read-only. The package itself is in
 * storage under `storage_key`, with its SHA-256 recorded here so the stored file can be checked too.
 */
export const quarterArchivesTable = pgTable(
  'quarter_archives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    /** `2026Q3` */
    quarter: text('quarter').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    storageKey: text('storage_key').notNull(),
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    bytes: integer('bytes').notNull(),
    fileCount: integer('file_count').notNull(),
    counts: jsonb('counts').$type<ArchiveCounts>().notNull(),
    /** Person key, or 'admin'. */
    createdBy: text('created_by').notNull(),
    createdByAccountId: uuid('created_by_account_id').references(() => accountsTable.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  // Once per quarter; also the lock lookup (community, then the few archived ranges).
  (t) => [uniqueIndex('quarter_archives_community_quarter').on(t.communityId, t.quarter)],
);

export type QuarterArchiveRow = typeof quarterArchivesTable.$inferSelect;
