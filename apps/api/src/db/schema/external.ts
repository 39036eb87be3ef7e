import { EXTERNAL_SOURCES } from '@gongzhi/domain';
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountsTable } from './accounts';
import { communitiesTable } from './community';
import { issuesTable } from './issues';

/**
 * External orders (外部转办, docs/domain.md §4): the 12345 hotline's or the street office's number
 * and deadlines for an issue entered from them, and the reply sent back (once, when done).
 */
export const externalOrdersTable = pgTable(
  'external_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    issueId: uuid('issue_id')
      .notNull()
      .unique()
      .references(() => issuesTable.id),
    source: text('source', { enum: EXTERNAL_SOURCES }).notNull(),
    externalNo: text('external_no').notNull(),
    externalDueAt: timestamp('external_due_at', { withTimezone: true }).notNull(),
    replyDueAt: timestamp('reply_due_at', { withTimezone: true }).notNull(),
    replyText: text('reply_text'),
    repliedAt: timestamp('replied_at', { withTimezone: true }),
    repliedBy: uuid('replied_by').references(() => accountsTable.id),
    /** Person key (or 'admin') of who replied, as the record names them. */
    repliedByName: text('replied_by_name'),
    createdBy: uuid('created_by').references(() => accountsTable.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One order per outside number: the hotline's system keys on it.
    uniqueIndex('external_orders_source_no').on(t.communityId, t.source, t.externalNo),
    index('external_orders_community_created').on(t.communityId, t.createdAt),
  ],
);

/**
 * "这也是我的问题": residents who follow an open issue they did not file (duplicates at intake). Each
 * is told of its progress; how many there are is its interest (a count on the issue's page).
 */
export const issueFollowersTable = pgTable(
  'issue_followers',
  {
    issueId: uuid('issue_id')
      .notNull()
      .references(() => issuesTable.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accountsTable.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('issue_followers_issue_account').on(t.issueId, t.accountId),
    index('issue_followers_account').on(t.accountId),
  ],
);

/**
 * 每月一题: the topic the leadership or the secretary picked for a month from the most frequent
 * building × category clusters (docs/domain.md §9), with the joint-meeting agenda item it went to.
 */
export const monthlyTopicsTable = pgTable(
  'monthly_topics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    /** The month the topic is for, YYYY-MM. */
    month: text('month').notNull(),
    building: integer('building'),
    zone: text('zone').notNull(),
    category: text('category').notNull(),
    /** Complaints of the cluster in the month it was proposed from. */
    count: integer('count').notNull(),
    note: text('note'),
    pickedBy: uuid('picked_by').references(() => accountsTable.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('monthly_topics_month').on(t.communityId, t.month)],
);
