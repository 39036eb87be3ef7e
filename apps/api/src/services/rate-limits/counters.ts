import { eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { preparedOn } from '../../db/prepared';
import { rateLimitCountersTable } from '../../db/schema';
import { rowsOf } from '../rollup/refresh-issue-counts';

/** How often one instance deletes counters whose window has ended. */
export const PURGE_EVERY_MS = 60_000;

/**
 * One hit on a counter, atomically: a single INSERT … ON CONFLICT DO UPDATE … RETURNING, so hits
 * from any number of connections and instances at once each get their own count (the row lock
 * orders them). A window that has ended starts again at 1. All SET expressions read the row as it
 * was, so the two CASEs agree.
 */
export async function hitCounter(db: Db, key: string, now: Date, windowMs: number) {
  // Built once per database (db/prepared.ts): made on every rate-limited request.
  const [row] = await preparedOn(db, 'counter_hit', () => counterHit(db).prepare('counter_hit')).execute(
    counterHitValues(key, now, windowMs),
  );
  if (!row) throw new Error('rate limit counter upsert returned no row');
  return hitState(row, now);
}

/**
 * hitCounter's statement, not yet run, over the placeholders `key`, `resetAt` and `at`
 * (counterHitValues): a caller may also run it as a CTE of a statement of its own (a complaint
 * counts its hit and reads the hour's complaints in one round trip). It answers `hits` and
 * `reset_at`.
 */
export function counterHit(db: Db) {
  const t = rateLimitCountersTable;
  const at = sql.placeholder('at');
  return db
    .insert(t)
    .values({ key: sql.placeholder('key'), hits: 1, resetAt: sql.placeholder('resetAt') })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        hits: sql`case when ${t.resetAt} <= ${at}::timestamptz then 1 else ${t.hits} + 1 end`,
        resetAt: sql`case when ${t.resetAt} <= ${at}::timestamptz then excluded.reset_at else ${t.resetAt} end`,
      },
    })
    .returning({ hits: t.hits, resetAt: t.resetAt });
}

/** The values of counterHit's placeholders: one hit on `key` at `now`, in a window of `windowMs`. */
export const counterHitValues = (key: string, now: Date, windowMs: number) => ({
  key,
  resetAt: new Date(now.getTime() + windowMs),
  at: now.toISOString(),
});

/** A counter's row after a hit, as the limits read it. */
export const hitState = (row: { hits: number; resetAt: Date | string }, now: Date) => ({
  current: Number(row.hits),
  ttl: Math.max(0, new Date(row.resetAt).getTime() - now.getTime()),
});

/** A counter's state without counting a hit: zero when there is none or its window has ended. */
export async function readCounter(db: Db, key: string, now: Date) {
  const [row] = await db.select().from(rateLimitCountersTable).where(eq(rateLimitCountersTable.key, key));
  return !row || row.resetAt <= now
    ? { current: 0, ttl: 0 }
    : { current: row.hits, ttl: row.resetAt.getTime() - now.getTime() };
}

/**
 * Spends `amount` from a budget of `max` per window, atomically, only if it fits: a refused request
 * spends nothing (so one that was too big does not eat the allowance of the next, smaller one).
 * Returns whether it fitted and when the window ends.
 */
export async function spendFromBudget(
  db: Db,
  key: string,
  now: Date,
  windowMs: number,
  amount: number,
  max: number,
) {
  const t = rateLimitCountersTable;
  const at = now.toISOString();
  if (amount > max) return { ok: false, ttl: windowMs };
  const [row] = await db
    .insert(t)
    .values({ key, hits: amount, resetAt: new Date(now.getTime() + windowMs) })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        hits: sql`case when ${t.resetAt} <= ${at}::timestamptz then ${amount}::int else ${t.hits} + ${amount}::int end`,
        resetAt: sql`case when ${t.resetAt} <= ${at}::timestamptz then excluded.reset_at else ${t.resetAt} end`,
      },
      setWhere: sql`${t.resetAt} <= ${at}::timestamptz or ${t.hits} + ${amount}::int <= ${max}::int`,
    })
    .returning({ resetAt: t.resetAt });
  if (row) return { ok: true, ttl: Math.max(0, row.resetAt.getTime() - now.getTime()) };
  const state = await readCounter(db, key, now);
  return { ok: false, ttl: state.ttl || windowMs };
}

/**
 * Deletes the counters whose window has ended (they would restart at 1 anyway) and answers how
 * many: counted in the database, not by sending every deleted key back (a busy minute leaves
 * thousands, one for each address that complained).
 */
export async function purgeExpiredCounters(db: Db, now: Date) {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`with gone as (
      delete from ${rateLimitCountersTable} where ${lte(rateLimitCountersTable.resetAt, now)} returning 1
    ) select count(*)::int as n from gone`),
  );
  return Number(row?.n ?? 0);
}
