import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accountsTable } from './accounts';
import { communitiesTable } from './community';

/**
 * API keys of the systems that submit Open311 GeoReport requests (a district platform, a city
 * hotline's software). Only the key's SHA-256 is kept: the key is shown once, when issued. A key
 * serves one community (jurisdiction) or, without one, every community. Revoked keys stay, for the
 * record of which system filed what (the intake event names the key).
 */
export const open311KeysTable = pgTable('open311_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** The submitting system's name, as staff see it on the issue ("区城运中心平台"). */
  name: text('name').notNull(),
  /** The one community it may submit to; null = all. */
  communityId: uuid('community_id').references(() => communitiesTable.id),
  keyHash: text('key_hash').notNull().unique(),
  /** The key's first characters, to tell keys apart in a list (never enough to use it). */
  keyPrefix: text('key_prefix').notNull(),
  /** The admin account that issued it; null when issued from the command line. */
  createdBy: uuid('created_by').references(() => accountsTable.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
});
