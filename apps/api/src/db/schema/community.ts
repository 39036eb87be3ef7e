import { ORGS } from '@gongzhi/domain';
import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Communities, zones, people and memberships mirror config/communities/*.yaml: the YAML is the
 * source of truth, synced on every start. The database copy exists for joins, reporting and
 * foreign keys; permission checks read the validated config in memory.
 */
export const communitiesTable = pgTable('communities', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  config: jsonb('config').notNull(),
  configHash: text('config_hash').notNull(),
  syncedAt: timestamp('synced_at', { withTimezone: true }).notNull().defaultNow(),
});

export const zonesTable = pgTable(
  'zones',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    key: text('key').notNull(),
    name: text('name').notNull(),
    buildings: jsonb('buildings').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    note: text('note'),
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('zones_community_key').on(t.communityId, t.key)],
);

export const peopleTable = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    key: text('key').notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    showContact: boolean('show_contact').notNull().default(false),
    /** False once the person is no longer in the config; kept so old records still name them. */
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('people_community_key').on(t.communityId, t.key)],
);

export const membershipsTable = pgTable(
  'memberships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    zoneId: uuid('zone_id')
      .notNull()
      .references(() => zonesTable.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => peopleTable.id),
    org: text('org', { enum: ORGS }).notNull(),
    leader: boolean('leader').notNull().default(false),
  },
  (t) => [
    uniqueIndex('memberships_zone_person_org').on(t.zoneId, t.personId, t.org),
    index('memberships_person').on(t.personId),
  ],
);
