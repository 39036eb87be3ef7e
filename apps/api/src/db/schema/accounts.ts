import { ACCOUNT_EVENT_ACTIONS, ACCOUNT_EVENT_SOURCES } from '@gongzhi/domain';
import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
  /**
   * The person's own phone as WeChat vouched for it (getPhoneNumber, exchanged on the server):
   * optional, shown whole only to its owner, masked (138****1234) to everyone else. Not the staff
   * login phone (`phone`): a staff member's WeChat may carry another number.
   */
  wechatPhone: text('wechat_phone'),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  /** Set when an administrator resets the password: the one-time password must be replaced at once. */
  mustChangePassword: boolean('must_change_password').notNull().default(false),
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

/**
 * The account log: who did what to which account, when, and in which request. Append-only (a
 * trigger refuses UPDATE and DELETE), so it stays the record of how access was granted and taken.
 */
export const accountEventsTable = pgTable(
  'account_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accountsTable.id),
    action: text('action', { enum: ACCOUNT_EVENT_ACTIONS }).notNull(),
    source: text('source', { enum: ACCOUNT_EVENT_SOURCES }).notNull(),
    /** Null on the command line, where nobody is signed in (`actorName` then says who ran it). */
    actorAccountId: uuid('actor_account_id').references(() => accountsTable.id),
    actorName: text('actor_name').notNull(),
    /** The API request id (also in the server log), null on the command line. */
    requestId: text('request_id'),
    /** What changed, e.g. the session ended or the openid bound; never a password or its hash. */
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('account_events_account').on(t.accountId, t.at), index('account_events_at').on(t.at, t.id)],
);
