import { type Actor, FINAL_STATUSES, type ListIssuesQuery, readsAllIssues } from '@gongzhi/domain';
import { and, arrayContains, eq, ilike, inArray, notInArray, or, type SQL } from 'drizzle-orm';
import { issuesTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { toSummary } from './to-view';

const pages = keyset(issuesTable.createdAt, issuesTable.id);

/**
 * The issues a caller may read, as SQL conditions (the issue list's scope; the ledger export uses
 * the same): a banned reporter's complaints only for administrators; without reading all, one's own
 * reports, one's zones, the lines one leads, and what one owns or is assigned.
 */
export function readableIssuesWhere(
  actor: Actor,
  accountId: string,
  /** The zone the caller filters on, if any: see below. */
  zone?: string,
): (SQL | undefined)[] {
  const out: (SQL | undefined)[] = [];
  // A banned reporter's complaints are kept for administrators only.
  if (!actor.admin) out.push(eq(issuesTable.hidden, false));
  if (!readsAllIssues(actor)) {
    const r = actor.roles;
    const zones = [...new Set(r?.zones.map((z) => z.zone) ?? [])];
    // Filtering on a zone the caller reads whole, every row of the zone is readable through the
    // zone branch: the OR adds no row, and leaving it out lets PostgreSQL walk the (community,
    // zone, created_at) index in order and stop after a page instead of sorting the whole zone.
    if (zone !== undefined && zones.includes(zone)) return out;
    out.push(
      or(
        eq(issuesTable.reporterAccountId, accountId),
        ...(zones.length ? [inArray(issuesTable.zone, zones)] : []),
        ...(r?.linesLed.length ? [inArray(issuesTable.line, r.linesLed)] : []),
        ...(r ? [eq(issuesTable.owner, r.person), arrayContains(issuesTable.assignees, [r.person])] : []),
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
  const conditions: (SQL | undefined)[] = [
    eq(issuesTable.communityId, await communityId(ctx.db, community.key)),
  ];

  conditions.push(...readableIssuesWhere(actor, principal.accountId, q.zone));
  if (q.zone) conditions.push(eq(issuesTable.zone, q.zone));
  if (q.tier) conditions.push(eq(issuesTable.tier, q.tier));
  if (q.status) conditions.push(eq(issuesTable.status, q.status));
  if (q.category) conditions.push(eq(issuesTable.category, q.category));
  if (q.building !== undefined) conditions.push(eq(issuesTable.building, q.building));
  if (q.open === 'true') conditions.push(notInArray(issuesTable.status, [...FINAL_STATUSES]));
  if (q.q) {
    const pattern = `%${escapeLike(q.q)}%`;
    conditions.push(
      or(
        ilike(issuesTable.description, pattern),
        ilike(issuesTable.spot, pattern),
        eq(issuesTable.code, q.q.toUpperCase()),
      ),
    );
  }
  conditions.push(pages.after(q.cursor));
  const rows = await ctx.db
    .select()
    .from(issuesTable)
    .where(and(...conditions))
    .orderBy(...pages.orderBy)
    .limit(q.limit + 1);
  const page = pages.page(rows, q.limit);
  return { items: page.items.map((row) => toSummary(community, row)), nextCursor: page.nextCursor };
}
