import { canReadIssue, NotFound } from '@gongzhi/domain';
import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { preparedIn } from '../../db/prepared';
import { communitiesTable, issuesTable } from '../../db/schema';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { accessFacts } from './to-view';

const notFound = () => NotFound('issue_not_found', '问题不存在或您无权查看');

/**
 * The one read-permission gate for a single issue: it exists, the caller may read it (DOMAIN §12),
 * and it is not a banned reporter's hidden complaint (administrators only). Otherwise 404, so an
 * issue one may not see is indistinguishable from one that does not exist. `lock` takes the row
 * for update inside a transaction.
 */
export async function loadReadableIssue(
  ctx: ServiceContext,
  db: Db | Tx,
  id: string,
  opts: { lock?: boolean } = {},
) {
  const lock = opts.lock === true;
  // Built once per database and lock (db/prepared.ts), run on the caller's connection.
  const [found] = await preparedIn(db, lock ? 'issue_for_update' : 'issue_with_key', () => {
    const query = db
      .select({ issue: issuesTable, communityKey: communitiesTable.key })
      .from(issuesTable)
      .innerJoin(communitiesTable, eq(communitiesTable.id, issuesTable.communityId))
      .where(eq(issuesTable.id, sql.placeholder('id')));
    return (lock ? query.for('update', { of: issuesTable }) : query).prepare('issue_with_key');
  }).execute({ id });
  return readableOrNotFound(ctx, found);
}

/** The gate itself, on an issue row already loaded with its community's key (or not found). */
export function readableOrNotFound(
  ctx: ServiceContext,
  found: { issue: typeof issuesTable.$inferSelect; communityKey: string } | undefined,
) {
  const principal = callerOf(ctx);
  if (!found) throw notFound();
  const community = getCommunity(ctx, found.communityKey);
  const actor = actorIn(principal, community);
  if (!canReadIssue(actor, accessFacts(found.issue))) throw notFound();
  if (found.issue.hidden && !actor.admin) throw notFound();
  return { issue: found.issue, community, actor, principal };
}
