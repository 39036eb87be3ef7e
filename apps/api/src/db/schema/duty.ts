import { ORGS, type RotaShift, SHIFT_SOURCES, SWAP_STATUSES } from '@gongzhi/domain';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
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
import { communitiesTable, peopleTable } from './community';
import { issuesTable } from './issues';

/**
 * The published duty rota (全岗通值班): one row per person per place (date, shift, organisation).
 * `source` says how the row came to be: generated rows in the future may be replaced by a new
 * generation; overrides and accepted swaps are human decisions and are kept.
 */
export const dutyShiftsTable = pgTable(
  'duty_shifts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    /** The community's calendar day the shift belongs to (a night shift runs into the next). */
    date: date('date', { mode: 'string' }).notNull(),
    /** Key of the shift definition in the community's duty config. */
    shift: text('shift').notNull(),
    org: text('org', { enum: ORGS }).notNull(),
    /** Person key. */
    person: text('person').notNull(),
    source: text('source', { enum: SHIFT_SOURCES }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // One person holds a place once; also the rota-by-date read (community + date range).
    uniqueIndex('duty_shifts_place_person').on(t.communityId, t.date, t.shift, t.org, t.person),
    // My shifts, and "is this person double-booked" around a date.
    index('duty_shifts_person').on(t.communityId, t.person, t.date),
  ],
);

/**
 * A swap request: `requester` asks `counterpart` to take `shift` (and, for an exchange, gives
 * `inReturn` back). Only `accepted` changes the rota. The shifts are copied as they stood when
 * asked, so the request still reads correctly after the rows change or are regenerated away.
 */
export const dutySwapsTable = pgTable(
  'duty_swaps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    shiftId: uuid('shift_id').references(() => dutyShiftsTable.id, { onDelete: 'set null' }),
    inReturnShiftId: uuid('in_return_shift_id').references(() => dutyShiftsTable.id, {
      onDelete: 'set null',
    }),
    shiftSnapshot: jsonb('shift_snapshot').$type<RotaShift>().notNull(),
    inReturnSnapshot: jsonb('in_return_snapshot').$type<RotaShift>(),
    requester: text('requester').notNull(),
    counterpart: text('counterpart').notNull(),
    status: text('status', { enum: SWAP_STATUSES }).notNull(),
    reason: text('reason').notNull(),
    /** The answer's note, or why the request became void. */
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [
    index('duty_swaps_requester').on(t.communityId, t.requester, t.createdAt.desc()),
    index('duty_swaps_counterpart').on(t.communityId, t.counterpart, t.createdAt.desc()),
    // At most one open request per shift: a second one would race the first to the same place.
    uniqueIndex('duty_swaps_open_shift').on(t.shiftId).where(sql`status = 'requested'`),
  ],
);

export const SHIFT_CHANGE_KINDS = ['swap', 'override', 'generate', 'publish'] as const;

/**
 * A month of the rota generated as a draft on the rota page (`publishedAt` null) and, once the
 * secretary publishes it, when and by whom. A month without a row and with shifts is live (it was
 * generated in one step). Drafts are hidden from residents, feeds, print and people's own lists.
 */
export const dutyMonthsTable = pgTable(
  'duty_months',
  {
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    /** "YYYY-MM" in the community's calendar. */
    month: text('month').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedByAccountId: uuid('published_by_account_id').references(() => accountsTable.id),
    /** Person key, or 'admin'. */
    publishedBy: text('published_by'),
  },
  (t) => [uniqueIndex('duty_months_community_month').on(t.communityId, t.month)],
);
export type DutyMonthRow = typeof dutyMonthsTable.$inferSelect;

/**
 * Every change to the published rota, who made it and why, with the shift before and after
 * (留痕). Append-only: a trigger refuses UPDATE and DELETE. No foreign key to the shift on
 * purpose: the record outlives a regenerated row.
 */
export const dutyShiftChangesTable = pgTable(
  'duty_shift_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    kind: text('kind', { enum: SHIFT_CHANGE_KINDS }).notNull(),
    shiftId: uuid('shift_id'),
    swapId: uuid('swap_id'),
    actorAccountId: uuid('actor_account_id').references(() => accountsTable.id),
    /** Person key, or 'admin'. */
    actor: text('actor').notNull(),
    reason: text('reason').notNull(),
    before: jsonb('before').$type<RotaShift>(),
    after: jsonb('after').$type<RotaShift>(),
    /** For a generation: the range and the counts. */
    data: jsonb('data').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('duty_shift_changes_community').on(t.communityId, t.createdAt)],
);

/** 接待记录: each question the person on duty answered. */
export const dutyLogEntriesTable = pgTable(
  'duty_log_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    /** The shift the entry was recorded on (null once that row is gone). */
    shiftId: uuid('shift_id').references(() => dutyShiftsTable.id, { onDelete: 'set null' }),
    /** The person on duty who answered, and for which organisation. */
    person: text('person').notNull(),
    org: text('org', { enum: ORGS }),
    recorderAccountId: uuid('recorder_account_id')
      .notNull()
      .references(() => accountsTable.id),
    askedBy: text('asked_by').notNull(),
    topic: text('topic').notNull(),
    answer: text('answer').notNull(),
    /** The issue this entry became, if any (one at most). */
    issueId: uuid('issue_id')
      .unique()
      .references(() => issuesTable.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('duty_log_community_created').on(t.communityId, t.createdAt.desc(), t.id.desc())],
);

/**
 * What a person chose about their own duty: whether residents see a phone while they are on duty
 * (the config's `showContact` is the default until they choose), and the generation of their
 * calendar-feed token (bumped to revoke a leaked feed URL).
 */
export const dutyPreferencesTable = pgTable('duty_preferences', {
  personId: uuid('person_id')
    .primaryKey()
    .references(() => peopleTable.id),
  showContact: boolean('show_contact'),
  phone: text('phone'),
  feedGeneration: integer('feed_generation').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export type DutyShiftRow = typeof dutyShiftsTable.$inferSelect;
export type DutySwapRow = typeof dutySwapsTable.$inferSelect;
export type DutyLogRow = typeof dutyLogEntriesTable.$inferSelect;
