import { createHmac } from 'node:crypto';
import {
  decideLoginAttempt,
  isKnownLoginAddress,
  LOGIN_THROTTLE,
  RateLimited,
  waitInChinese,
} from '@gongzhi/domain';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { loginThrottlesTable } from '../../db/schema';
import { hitCounter, readCounter } from '../rate-limits/counters';

const HOUR_MS = 3600_000;
/** How often one process purges forgotten throttle rows. */
const PURGE_EVERY_MS = 10 * 60_000;
const lastPurge = new WeakMap<Db, number>();

/** Where a login attempt comes from and what it names, as the throttle keys them (HMACs). */
export interface LoginAttemptKeys {
  phone: string;
  pair: string;
  address: string;
}

/** The throttle's keys for a phone tried from an address, under the server's throttle key. */
export function loginAttemptKeys(key: Buffer, phone: string, address: string): LoginAttemptKeys {
  const mac = (value: string) => createHmac('sha256', key).update(value).digest('base64url');
  return {
    phone: `phone:${mac(`phone\0${phone}`)}`,
    pair: `pair:${mac(`pair\0${phone}\0${address}`)}`,
    address: `login-failures|${mac(`address\0${address}`)}`,
  };
}

/** The one refusal of a throttled login: the same for an unknown phone and a known one. */
const throttled = (retryAfterMs: number) =>
  RateLimited(
    'login_throttled',
    `登录失败次数过多，请 ${waitInChinese(retryAfterMs)}后再试；忘记密码请联系管理员重置`,
    retryAfterMs,
  );

/**
 * Before a password is checked: refuse a throttled attempt (429 login_throttled, Retry-After), or
 * count it as a failure in advance, in one transaction that locks the phone's row, so attempts on
 * any instance at once are counted one by one. A success later resets the count
 * (`recordLoginSuccess`); a failure only adds to the address's hourly count (`recordLoginFailure`).
 */
export async function claimLoginAttempt(db: Db, keys: LoginAttemptKeys, now: Date) {
  await purgeForgotten(db, now);
  const t = loginThrottlesTable;
  const decision = await db.transaction(async (tx) => {
    await tx.insert(t).values({ key: keys.phone, failures: 0, updatedAt: now }).onConflictDoNothing();
    const [phone] = await tx.select().from(t).where(eq(t.key, keys.phone)).for('update');
    const [pair] = await tx.select().from(t).where(eq(t.key, keys.pair)).for('update');
    const known = isKnownLoginAddress(pair ?? null, now);
    if (!known) {
      // One address trying many phones: its failures in the hour, across phones.
      const perAddress = await readCounter(tx, keys.address, now);
      if (perAddress.current >= LOGIN_THROTTLE.failuresPerAddressPerHour) {
        return { allowed: false as const, retryAfterMs: perAddress.ttl };
      }
    }
    const d = decideLoginAttempt(phone ?? null, known, now);
    if (!d.allowed) return d;
    await tx
      .update(t)
      .set({ ...d.next, updatedAt: now })
      .where(eq(t.key, keys.phone));
    if (pair) {
      await tx
        .update(t)
        .set({ failures: sql`${t.failures} + 1`, updatedAt: now })
        .where(eq(t.key, keys.pair));
    }
    return d;
  });
  if (!decision.allowed) throw throttled(decision.retryAfterMs);
}

/** The password was wrong (or the phone unknown): the address's hourly count goes up. */
export async function recordLoginFailure(db: Db, keys: LoginAttemptKeys, now: Date) {
  await hitCounter(db, keys.address, now, HOUR_MS);
}

/** The right password: the phone's failures and delay are gone, and this address is known. */
export async function recordLoginSuccess(db: Db, keys: LoginAttemptKeys, now: Date) {
  const t = loginThrottlesTable;
  await db.transaction(async (tx) => {
    await tx
      .update(t)
      .set({ failures: 0, blockedUntil: null, lastFailureAt: null, lastSuccessAt: now, updatedAt: now })
      .where(eq(t.key, keys.phone));
    await tx
      .insert(t)
      .values({ key: keys.pair, failures: 0, lastSuccessAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: t.key, set: { failures: 0, lastSuccessAt: now, updatedAt: now } });
  });
}

/**
 * Forgets rows that no longer change a decision: a phone's failures a day after the last one
 * (its delay long over, no success to remember), anything untouched longer than an address stays known.
 */
async function purgeForgotten(db: Db, now: Date) {
  const last = lastPurge.get(db) ?? Number.NEGATIVE_INFINITY;
  if (now.getTime() - last < PURGE_EVERY_MS) return;
  lastPurge.set(db, now.getTime());
  const t = loginThrottlesTable;
  const dayAgo = new Date(now.getTime() - LOGIN_THROTTLE.forgetAfterMs);
  const knownAgo = new Date(now.getTime() - LOGIN_THROTTLE.knownAddressMs);
  await db
    .delete(t)
    .where(
      or(
        lt(t.updatedAt, knownAgo),
        and(
          isNull(t.lastSuccessAt),
          lt(t.updatedAt, dayAgo),
          or(isNull(t.blockedUntil), lt(t.blockedUntil, now)),
        ),
      ),
    );
}
