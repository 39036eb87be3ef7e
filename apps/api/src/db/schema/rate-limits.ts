import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Rate-limit counters (fixed windows), kept in the database so that every API instance counts
 * against the same allowance: a flood spread over several instances is limited as one. One row per
 * route and client key; a row whose window has ended is reset by the next hit and purged later.
 */
export const rateLimitCountersTable = pgTable(
  'rate_limit_counters',
  {
    /** "METHOD /route|client key", e.g. "POST /api/complaints|127.0.0.1". */
    key: text('key').primaryKey(),
    hits: integer('hits').notNull(),
    /** When the current window ends. */
    resetAt: timestamp('reset_at', { withTimezone: true }).notNull(),
  },
  // The purge deletes by the end of the window.
  (t) => [index('rate_limit_counters_reset_at').on(t.resetAt)],
);

/**
 * Login throttling state (packages/domain/src/abuse/login-throttle.ts), shared by every instance.
 * Two kinds of row, told apart by the key's prefix; keys are HMACs, so no phone or address is
 * stored in clear:
 * - `phone:<hmac>` — one per phone number tried, account or not: failures in a row, the delay.
 * - `pair:<hmac>` — one per (account, address) that has signed in: the last success from there
 *   and the failures from there since (a known address passes the delay others cause).
 */
export const loginThrottlesTable = pgTable(
  'login_throttles',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull().default(0),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }),
    blockedUntil: timestamp('blocked_until', { withTimezone: true }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    /** Last change: the purge forgets rows nobody has touched for a while. */
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_throttles_updated_at').on(t.updatedAt)],
);
