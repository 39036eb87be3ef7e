import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { peopleTable } from './community';

export const ACCOUNT_KINDS = ['staff', 'resident', 'admin'] as const;

/**
 * A login. Staff accounts are bound to a person of a community config; residents log in with
 * WeChat (openid); administrators may have no person. Passwords are stored as scrypt hashes only.
 */
export const accountsTable = pgTable('accounts', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind', { enum: ACCOUNT_KINDS }).notNull(),
  phone: text('phone').unique(),
  passwordHash: text('password_hash'),
  personId: uuid('person_id').references(() => peopleTable.id),
  displayName: text('display_name').notNull(),
  wechatOpenid: text('wechat_openid').unique(),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One refresh-token family per login. Each refresh rotates the token: the old hash is kept with
 * `replacedAt`, so presenting it again (a stolen token) revokes the whole session.
 */
export const sessionsTable = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accountsTable.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('sessions_account').on(t.accountId)],
);

export const refreshTokensTable = pgTable(
  'refresh_tokens',
  {
    /** SHA-256 of the token: the token itself is never stored. */
    tokenHash: text('token_hash').primaryKey(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessionsTable.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    replacedAt: timestamp('replaced_at', { withTimezone: true }),
  },
  (t) => [index('refresh_tokens_session').on(t.sessionId)],
);
