import {
  type AnswerSet,
  CAMPAIGN_STATUSES,
  HOME_STATUSES,
  type Questionnaire,
  RESPONSE_CHANNELS,
} from '@gongzhi/domain';
import { sql } from 'drizzle-orm';
import {
  check,
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
 * A resident account's claim to live in a household (building + room), verified by the zone's
 * staff. An account has at most one active (pending or verified) binding per community; several
 * accounts may bind to one room (a family), which still answers once per campaign.
 */
export const residentHomesTable = pgTable(
  'resident_homes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accountsTable.id),
    building: integer('building').notNull(),
    /** Normalised room ("302", "3-302"): see the domain's normalizeRoom. */
    room: text('room').notNull(),
    zone: text('zone').notNull(),
    status: text('status', { enum: HOME_STATUSES }).notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    note: text('note'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedByAccountId: uuid('decided_by_account_id').references(() => accountsTable.id),
    /** The verifier's name as it was then (config people can be renamed). */
    decidedBy: text('decided_by'),
  },
  (t) => [
    uniqueIndex('resident_homes_one_active')
      .on(t.accountId, t.communityId)
      .where(sql`${t.status} in ('pending', 'verified')`),
    // The verifiers' queue: a zone's requests by status, newest first (keyset on requested_at, id).
    index('resident_homes_zone_queue').on(t.communityId, t.zone, t.status, t.requestedAt, t.id),
  ],
);

/** One quarterly evaluation (评议) of a community, with its questionnaire frozen at creation. */
export const evaluationCampaignsTable = pgTable(
  'evaluation_campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communitiesTable.id),
    quarter: text('quarter').notNull(),
    title: text('title').notNull(),
    status: text('status', { enum: CAMPAIGN_STATUSES }).notNull(),
    questionnaire: jsonb('questionnaire').$type<Questionnaire>().notNull(),
    createdByAccountId: uuid('created_by_account_id')
      .notNull()
      .references(() => accountsTable.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** Last code batch number: batches are numbered per campaign for the audit trail. */
    codeBatches: integer('code_batches').notNull().default(0),
  },
  (t) => [uniqueIndex('evaluation_campaigns_quarter').on(t.communityId, t.quarter)],
);

/**
 * A one-time code printed for one household of one campaign. Only the SHA-256 of the code is kept;
 * the code is shown once, on the slips. A household has at most one live code per campaign
 * (a reissue replaces the hash of an unused one).
 */
export const evaluationCodesTable = pgTable(
  'evaluation_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => evaluationCampaignsTable.id),
    codeHash: text('code_hash').notNull(),
    building: integer('building').notNull(),
    room: text('room').notNull(),
    zone: text('zone').notNull(),
    batch: integer('batch').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('evaluation_codes_hash').on(t.codeHash),
    uniqueIndex('evaluation_codes_household').on(t.campaignId, t.building, t.room),
  ],
);

/**
 * One household's answers to one campaign. The unique index on (campaign, building, room) is the
 * "one response per household" rule, whichever credential answered. Append-only (trigger): the
 * record of who answered and what was counted cannot be edited afterwards. No API returns the
 * answers together with the household; results are aggregates only.
 */
export const evaluationResponsesTable = pgTable(
  'evaluation_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => evaluationCampaignsTable.id),
    building: integer('building').notNull(),
    room: text('room').notNull(),
    zone: text('zone').notNull(),
    channel: text('channel', { enum: RESPONSE_CHANNELS }).notNull(),
    /** The answering credential: the resident's verified binding, or the code. */
    homeId: uuid('home_id').references(() => residentHomesTable.id),
    codeId: uuid('code_id').references(() => evaluationCodesTable.id),
    answers: jsonb('answers').$type<AnswerSet>().notNull(),
    /** SHA-256 fingerprint of (id, canonical answers), shortened; given to the resident. */
    receipt: text('receipt').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('evaluation_responses_household').on(t.campaignId, t.building, t.room),
    index('evaluation_responses_campaign_created').on(t.campaignId, t.createdAt, t.id),
    check(
      'evaluation_responses_one_credential',
      sql`(${t.channel} = 'account' and ${t.homeId} is not null and ${t.codeId} is null) or (${t.channel} = 'code' and ${t.codeId} is not null and ${t.homeId} is null)`,
    ),
  ],
);
