import { OVERSIGHT_SUBJECTS, ROUND_KINDS, ROUND_OUTCOMES } from '@gongzhi/domain';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accountsTable } from './accounts';
import { communitiesTable } from './community';

/**
 * The supervisory committee's comments on the record (监督意见, seed 004): on an issue's handling,
 * its fund use, a letter or a credit file. A record: never updated or deleted (migration guard).
 */
export const oversightCommentsTable = pgTable(
  'oversight_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    subject: text('subject', { enum: OVERSIGHT_SUBJECTS }).notNull(),
    /** An issue's or a letter's id, or an organisation key for its credit file. */
    ref: text('ref').notNull(),
    text: text('text').notNull(),
    person: text('person').notNull(),
    /** The name (and role) as shown, kept as it was when the comment was made. */
    byName: text('by_name').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accountsTable.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('oversight_comments_subject').on(t.communityId, t.subject, t.ref, t.createdAt)],
);

/**
 * Patrol rounds and home visits (两巡两访, seed 002), found nothing or issues filed. A record: never
 * updated or deleted (migration guard).
 */
export const patrolRoundsTable = pgTable(
  'patrol_rounds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    kind: text('kind', { enum: ROUND_KINDS }).notNull(),
    person: text('person').notNull(),
    personName: text('person_name').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accountsTable.id),
    zone: text('zone').notNull(),
    building: integer('building'),
    place: text('place'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    outcome: text('outcome', { enum: ROUND_OUTCOMES }).notNull(),
    issueIds: uuid('issue_ids').array().notNull(),
    note: text('note'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('patrol_rounds_at').on(t.communityId, t.at),
    index('patrol_rounds_person').on(t.communityId, t.person, t.at),
  ],
);
