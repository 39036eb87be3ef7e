import { CONFIG_SOURCES, type ConfigDiffEntry } from '@gongzhi/domain';
import { integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountsTable } from './accounts';

/**
 * Every version of every community's configuration, append-only (the database refuses UPDATE and
 * DELETE): the latest version of a community is its configuration; the earlier ones are the record
 * of who changed what, when and why. Keyed by community key, not id: version 1 is written before
 * the community's mirror row exists.
 */
export const configVersionsTable = pgTable(
  'community_config_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityKey: text('community_key').notNull(),
    version: integer('version').notNull(),
    /** The full validated config (defaults filled in), as the domain validator returned it. */
    config: jsonb('config').notNull(),
    configHash: text('config_hash').notNull(),
    source: text('source', { enum: CONFIG_SOURCES }).notNull(),
    /**
     * SHA-256 of the YAML file's text, for versions read from config/communities at start: a
     * file whose hash differs from the last such version has been edited and is imported again.
     */
    sourceHash: text('source_hash'),
    authorAccountId: uuid('author_account_id').references(() => accountsTable.id),
    authorName: text('author_name'),
    reason: text('reason').notNull(),
    diff: jsonb('diff').$type<ConfigDiffEntry[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Also the concurrency guard: two edits based on the same version cannot both become version N+1.
  (t) => [uniqueIndex('config_versions_community_version').on(t.communityKey, t.version)],
);
