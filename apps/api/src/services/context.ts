import type { Actor, Community, HolidayCalendar } from '@gongzhi/domain';
import { NotFound, rolesOf, Unauthorized } from '@gongzhi/domain';
import type { Db } from '../db/client';
import type { AuditLogger } from '../lib/audit';
import type { IdempotencyRef } from './idempotency';

/** Who made the request, as established by the auth plugin. */
export interface Principal {
  accountId: string;
  sessionId: string;
  kind: 'staff' | 'resident' | 'admin';
  displayName: string;
  /** The config person this account is, and that person's community (staff only). */
  personKey: string | null;
  communityKey: string | null;
  /** The password is a one-time password that must be changed before anything else. */
  mustChangePassword?: boolean;
}

/** What every service verb gets: the database, the validated configs, the clock and the caller. */
export interface ServiceContext {
  db: Db;
  communities: Map<string, Community>;
  /** Holiday calendars by key (config/calendars); each community names the one it follows. */
  calendars: Map<string, HolidayCalendar>;
  now: () => Date;
  principal: Principal | null;
  /** Set when the request carries an Idempotency-Key: record the created resource with it. */
  idempotency?: IdempotencyRef | null;
  /** The request's id (as in the log and every error body), recorded in the account log. */
  requestId?: string;
  /** The request's logger (background work: the app's), for the audit log (lib/audit.ts). */
  log?: AuditLogger;
}

/** The one answer to "who is calling": the signed-in principal, or 401 token_missing. */
export function callerOf(ctx: Pick<ServiceContext, 'principal'>): Principal {
  if (!ctx.principal) throw Unauthorized('token_missing', '请先登录');
  return ctx.principal;
}

export function getCommunity(ctx: Pick<ServiceContext, 'communities'>, key: string): Community {
  const c = ctx.communities.get(key);
  if (!c) throw NotFound('community_not_found', `小区 "${key}" 不存在`);
  return c;
}

/** The caller as the domain's permission rules see them, within one community. */
export function actorIn(principal: Principal, community: Community): Actor {
  const samePerson = principal.personKey !== null && principal.communityKey === community.key;
  return {
    accountId: principal.accountId,
    admin: principal.kind === 'admin',
    roles: samePerson ? rolesOf(community, principal.personKey!) : null,
  };
}

/** How the timeline names the caller: their config person, else 'admin' or 'resident'. */
export const actorKeyOf = (principal: Principal) =>
  principal.personKey ?? (principal.kind === 'admin' ? 'admin' : 'resident');

/** The holiday calendar a community follows (validated at start, so it exists). */
export function calendarOf(ctx: Pick<ServiceContext, 'calendars'>, community: Community): HolidayCalendar {
  const cal = ctx.calendars.get(community.config.calendar);
  if (!cal) throw new Error(`calendar "${community.config.calendar}" of ${community.key} is not loaded`);
  return cal;
}
