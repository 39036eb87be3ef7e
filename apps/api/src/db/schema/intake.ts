import { BAN_KINDS } from '@gongzhi/domain';
import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accountsTable } from './accounts';
import { communitiesTable } from './community';

/**
 * Idempotency-Key records (IETF draft semantics): the first request with a key stores its
 * fingerprint and, when done, its response; a retry with the same key and body gets that response
 * back, a different body gets 422, one arriving while the first still runs gets 409.
 */
export const idempotencyKeysTable = pgTable(
  'idempotency_keys',
  {
    /** Who may reuse the key: an account id, or the anonymous client's address. */
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    /** method + route + SHA-256 of the body. */
    fingerprint: text('fingerprint').notNull(),
    /** running → committed (the resource exists, written in its own transaction) → done (response stored). */
    state: text('state', { enum: ['running', 'committed', 'done'] }).notNull(),
    /** The claim of the request that may commit: a retry that takes the key over replaces it. */
    owner: text('owner').notNull().default(''),
    statusCode: integer('status_code'),
    /** `{ resourceId }` once committed; never a secret (those are in `sealed`). */
    response: jsonb('response'),
    /** AES-GCM under a key derived from JWT_SECRET: the whole answer once done, else what a replay needs. */
    sealed: text('sealed'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Forgotten after this (IDEMPOTENCY_TTL_MS), purged by the follow-up clock. */
    expiresAt: timestamp('expires_at', { withTimezone: true })
      .notNull()
      .default(sql`now() + interval '1 day'`),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idempotency_keys_expires').on(t.expiresAt)],
);

/** Reporters whose complaints are kept but hidden and never dispatched. */
export const bansTable = pgTable(
  'bans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id').references(() => communitiesTable.id),
    kind: text('kind', { enum: BAN_KINDS }).notNull(),
    value: text('value').notNull(),
    reason: text('reason').notNull(),
    createdBy: uuid('created_by').references(() => accountsTable.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('bans_kind_value').on(t.kind, t.value)],
);
