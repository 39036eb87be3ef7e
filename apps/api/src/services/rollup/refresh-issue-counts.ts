import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';

/** Issues written this long before a pass's start are recounted again by the next: no commit is missed. */
const SAFETY_MARGIN_MS = 5 * 60_000;
/** Two processes never recount the same months at once (transaction-level advisory lock). */
const LOCK_KEY = 727_019;

/** The counted columns, from `issues i` left-joined to `issue_ratings r`, grouped by the summary's key. */
const COUNTS = `count(*)::int, count(i.handled_at)::int,
  count(*) filter (where i.handled_at <= i.resolve_due_at)::int,
  count(*) filter (where i.reopen_count > 0)::int, count(i.closed_at)::int,
  count(r.issue_id)::int, count(*) filter (where r.score >= 4)::int`;
const COLUMNS = `(community_id, month, category, tier, status, issues, handled, on_time, reworked, closed, rated, satisfied)`;
const MONTH = `(date_trunc('month', i.created_at at time zone (c.config->>'timezone')))::date`;

/**
 * SQL that recounts every month of the communities `communityIds` (a subquery) from scratch: the
 * demo-data generator runs it per batch, and a full rebuild is this over all communities.
 */
export const refreshIssueCountsSql = (communityIds: string): [string, string] => [
  `delete from issue_counts where community_id in ${communityIds}`,
  `insert into issue_counts ${COLUMNS}
  select i.community_id, ${MONTH}, i.category, i.tier, i.status, ${COUNTS}
  from issues i join communities c on c.id = i.community_id
  left join issue_ratings r on r.issue_id = i.id
  where i.community_id in ${communityIds} and not i.hidden
  group by 1, 2, 3, 4, 5`,
];

export interface RefreshResult {
  /** (community, month) pairs recounted; null when another process holds the lock. */
  months: number | null;
  refreshedAt: Date;
}

/**
 * One pass of the job clock over the summary: finds the (community, local month) pairs with an
 * issue written since the last pass (issues_updated_at index), and recounts exactly those from
 * `issues`; the first pass on a database without a watermark rebuilds everything. Idempotent.
 */
export async function refreshIssueCounts(db: Db, now: Date): Promise<RefreshResult> {
  return db.transaction(async (tx) => {
    const locked = rowsOf<{ ok: boolean }>(
      await tx.execute(sql`select pg_try_advisory_xact_lock(${LOCK_KEY}) as ok`),
    );
    if (!locked[0]?.ok) return { months: null, refreshedAt: now };
    const state = rowsOf<{ watermark: string | Date }>(
      await tx.execute(sql`select watermark from issue_counts_state where id = 1`),
    )[0];
    let months: number;
    if (!state) {
      for (const statement of refreshIssueCountsSql('(select id from communities)'))
        await tx.execute(sql.raw(statement));
      months = -1;
    } else {
      const since = new Date(new Date(state.watermark).getTime() - SAFETY_MARGIN_MS);
      const dirty = rowsOf<{ community_id: string; month: string }>(
        await tx.execute(sql`
          select distinct i.community_id, ${sql.raw(MONTH)}::text as month
          from issues i join communities c on c.id = i.community_id
          where i.updated_at > ${since.toISOString()}::timestamptz`),
      );
      months = dirty.length;
      if (months > 0) {
        const ids = `{${dirty.map((d) => d.community_id).join(',')}}`;
        const ms = `{${dirty.map((d) => d.month).join(',')}}`;
        await tx.execute(sql`
          delete from issue_counts ic using unnest(${ids}::uuid[], ${ms}::date[]) d(cid, m)
          where ic.community_id = d.cid and ic.month = d.m`);
        await tx.execute(sql`
          insert into issue_counts ${sql.raw(COLUMNS)}
          select i.community_id, d.m, i.category, i.tier, i.status, ${sql.raw(COUNTS)}
          from unnest(${ids}::uuid[], ${ms}::date[]) d(cid, m)
          join communities c on c.id = d.cid
          join issues i on i.community_id = d.cid
            and i.created_at >= (d.m::timestamp at time zone (c.config->>'timezone'))
            and i.created_at < ((d.m + interval '1 month')::timestamp at time zone (c.config->>'timezone'))
          left join issue_ratings r on r.issue_id = i.id
          where not i.hidden
          group by 1, 2, 3, 4, 5`);
      }
    }
    const at = now.toISOString();
    await tx.execute(sql`
      insert into issue_counts_state (id, watermark, refreshed_at) values (1, ${at}::timestamptz, ${at}::timestamptz)
      on conflict (id) do update set watermark = excluded.watermark, refreshed_at = excluded.refreshed_at`);
    return { months, refreshedAt: now };
  });
}

/** postgres.js answers an array, PGlite an object with `rows`. */
export function rowsOf<T>(r: unknown): T[] {
  return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
}
