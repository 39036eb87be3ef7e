import { type Actor, FINAL_STATUSES, type ListIssuesQuery, readsAllIssues } from '@gongzhi/domain';
import { and, eq, ilike, inArray, notInArray, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { type Binder, binder, limitLiteral, literal, preparedOn } from '../../db/prepared';
import { issuesTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { summaryColumns, toSummary } from './to-view';

const pages = keyset(issuesTable.createdAt, issuesTable.id);

/** A condition whose values are bound when it is made and whose SQL is written when it is called. */
type Later = () => SQL | undefined;

/**
 * The issues a caller may read, as SQL conditions (the issue list's scope; the ledger export uses
 * the same): a banned reporter's complaints only for administrators; without reading all, one's own
 * reports, one's zones, the lines one leads, and what one owns or is assigned.
 */
export function readableIssuesWhere(actor: Actor, accountId: string): (SQL | undefined)[] {
  return readableIssuesLater(actor, accountId).map((c) => c());
}

/**
 * readableIssuesWhere for the list's prepared statement: the values are bound (and the shape
 * marked) now, in the order that names the statement; the SQL is written only when the statement
 * is built, once per shape (writing it on every request was most of listIssues' own CPU).
 */
function readableIssuesLater(
  actor: Actor,
  accountId: string,
  /** The zone the caller filters on, if any: see below. */
  zone?: string,
  /** The list's statement is prepared: its values become placeholders (db/prepared.ts). */
  statement?: Binder,
): Later[] {
  const bind = statement?.bind ?? literal;
  const out: Later[] = [];
  // A banned reporter's complaints are kept for administrators only.
  if (!actor.admin) {
    statement?.mark('hidden');
    out.push(() => eq(issuesTable.hidden, false));
  }
  if (!readsAllIssues(actor)) {
    const r = actor.roles;
    const zones = [...new Set(r?.zones.map((z) => z.zone) ?? [])];
    // Filtering on a zone the caller reads whole, every row of the zone is readable through the
    // zone branch: the OR adds no row, and leaving it out lets PostgreSQL walk the (community,
    // zone, created_at) index in order and stop after a page instead of sorting the whole zone.
    if (zone !== undefined && zones.includes(zone)) return out;
    // One placeholder per zone and line (a caller has a few): the statement's text names how many.
    const each = (name: string, values: readonly string[]) => values.map((v, i) => bind(`${name}${i}`, v));
    const account = bind('account', accountId);
    const zoneValues = zones.length ? each('zone', zones) : null;
    const lineValues = r?.linesLed.length ? each('line', r.linesLed) : null;
    const person = r ? bind('person', r.person) : null;
    const assignee = r ? bind('assignee', r.person) : null;
    out.push(() =>
      or(
        eq(issuesTable.reporterAccountId, account),
        ...(zoneValues ? [inArray(issuesTable.zone, zoneValues)] : []),
        ...(lineValues ? [inArray(issuesTable.line, lineValues)] : []),
        ...(person !== null && assignee !== null
          ? [eq(issuesTable.owner, person), sql`${issuesTable.assignees} @> array[${assignee}]::text[]`]
          : []),
      ),
    );
  }
  return out;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Issues a person may read, newest first, keyset-paginated on (created_at, id) so a page costs the
 * same however deep it is and rows never shift between pages.
 */
export async function listIssues(ctx: ServiceContext, q: ListIssuesQuery) {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, q.community);
  const actor = actorIn(principal, community);
  // The statement is prepared once per shape (which filters, how many zones…) and database:
  // the conditions below are written with placeholders, and only the values change per request.
  const s = binder();
  const { bind } = s;
  // Only the values and the shape are worked out per request: each condition below binds its
  // values now and writes its SQL only if the statement for this shape has yet to be built.
  const communityValue = bind('community', await communityId(ctx.db, community.key));
  const conditions: Later[] = [() => eq(issuesTable.communityId, communityValue)];
  conditions.push(...readableIssuesLater(actor, principal.accountId, q.zone, s));
  const equal = (column: PgColumn, name: string, value: unknown) => {
    const bound = bind(name, value);
    conditions.push(() => eq(column, bound));
  };
  if (q.zone) equal(issuesTable.zone, 'zone', q.zone);
  if (q.tier) equal(issuesTable.tier, 'tier', q.tier);
  if (q.status) equal(issuesTable.status, 'status', q.status);
  if (q.category) equal(issuesTable.category, 'category', q.category);
  if (q.building !== undefined) equal(issuesTable.building, 'building', q.building);
  if (q.open === 'true') {
    s.mark('open');
    conditions.push(() => notInArray(issuesTable.status, [...FINAL_STATUSES]));
  }
  if (q.q) {
    const pattern = bind('pattern', `%${escapeLike(q.q)}%`);
    const code = bind('code', q.q.toUpperCase());
    conditions.push(() =>
      or(
        ilike(issuesTable.description, pattern),
        ilike(issuesTable.spot, pattern),
        eq(issuesTable.code, code),
      ),
    );
  }
  const after = pages.afterLater(q.cursor, bind);
  if (after) conditions.push(after);
  // Without a filter, whatever the values (community, zone, the caller's access, the cursor) the
  // best plan walks an index in list order and stops after a page: the page size is written into
  // the statement's text, so PostgreSQL keeps one plan for it instead of planning every request
  // (with `LIMIT $n` its kept plan looked dear and was never used; docs/benchmarks.md, "Plans of
  // the prepared reads"). A filter's value can call for another plan (a rare status is read through
  // the (community, status) index in 0.06 ms, against 11 ms walking the zone): then the limit
  // stays a parameter and each execution is planned for its values.
  const filtered = Boolean(
    q.tier || q.status || q.category || q.building !== undefined || q.open === 'true' || q.q,
  );
  const fetch = q.limit + 1;
  if (filtered) bind('limit', fetch);
  else s.mark(`limit=${fetch}`);
  const name = `list_issues:${s.shape()}`;
  const rows = await preparedOn(ctx.db, name, () =>
    ctx.db
      .select(summaryColumns)
      .from(issuesTable)
      .where(and(...conditions.map((c) => c())))
      .orderBy(...pages.orderBy)
      .limit(filtered ? sql.placeholder('limit') : limitLiteral(fetch))
      .prepare(name),
  ).execute(s.values);
  const page = pages.page(rows, q.limit);
  return { items: page.items.map((row) => toSummary(community, row)), nextCursor: page.nextCursor };
}
