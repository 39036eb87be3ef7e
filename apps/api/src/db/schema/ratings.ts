import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accountsTable } from './accounts';
import { communitiesTable } from './community';
import { issuesTable } from './issues';

/**
 * The reporter's rating of a resolved issue (DOMAIN §6, §11): a score 1–5, an optional comment,
 * and whether it was fixed. "Not fixed" reopens the issue with the reason. An issue has one
 * reporter, so one rating per issue is one rating per issue per reporter (unique index).
 */
export const issueRatingsTable = pgTable(
  'issue_ratings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => issuesTable.id),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    score: smallint('score').notNull(),
    fixed: boolean('fixed').notNull(),
    comment: text('comment'),
    /** The reporter's account, or null for an anonymous resident who rated with the tracking secret. */
    raterAccountId: uuid('rater_account_id').references(() => accountsTable.id),
    /** 'online': the reporter answered; 'phone': staff recorded the answers of a phone callback (回访). */
    channel: text('channel', { enum: ['online', 'phone'] })
      .notNull()
      .default('online'),
    /** For a phone callback: the staff account that recorded it, and its person key. */
    recordedByAccountId: uuid('recorded_by_account_id').references(() => accountsTable.id),
    recordedBy: text('recorded_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('issue_ratings_issue').on(t.issueId),
    index('issue_ratings_community_created').on(t.communityId, t.createdAt),
    // The low ratings of a community (services/followup/pressure.ts).
    index('issue_ratings_community_score').on(t.communityId, t.score),
    check('issue_ratings_score_range', sql`${t.score} between 1 and 5`),
  ],
);
