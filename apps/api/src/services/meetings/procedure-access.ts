import { type Actor, assertMayNotice, type Community, orgMembersOf, relationsTo } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { communitiesTable, issuesTable } from '../../db/schema';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { loadReadableIssue } from '../issues/load-readable-issue';
import { accessFacts } from '../issues/to-view';
import { type FundViewer, needsProcedureOf } from './fund-use-state';

type IssueRow = typeof issuesTable.$inferSelect;

/** The viewer of an issue loaded with loadReadableIssue / loadProcedureIssue. */
export function fundViewerOf(
  found: { actor: Actor },
  issue: Pick<IssueRow, 'zone' | 'line' | 'owner' | 'assignees' | 'reporterAccountId'>,
  community: Community,
): FundViewer {
  const relations = relationsTo(found.actor, accessFacts(issue as IssueRow));
  let draftsNotice = true;
  try {
    assertMayNotice(found.actor, 'draft', { zone: issue.zone, author: null });
  } catch {
    draftsNotice = false;
  }
  void community;
  return {
    person: found.actor.roles?.person ?? null,
    recordsProcedure: relations.some((r) => r === 'owner' || r === 'joint_meeting' || r === 'admin'),
    draftsNotice,
  };
}

/**
 * The fund and shared-parts procedure is the owners' committee's business: besides those who read
 * the issue (DOMAIN §12), every 业委会 member reads an issue that needs it — the committee receives
 * the report and records the assembly whatever the zone. Otherwise as loadReadableIssue (404).
 */
export async function loadProcedureIssue(
  ctx: ServiceContext,
  db: Db | Tx,
  id: string,
  opts: { lock?: boolean } = {},
) {
  try {
    return await loadReadableIssue(ctx, db, id, opts);
  } catch (err) {
    if ((err as { code?: string })?.code !== 'issue_not_found') throw err;
    const principal = callerOf(ctx);
    const query = db
      .select({ issue: issuesTable, communityKey: communitiesTable.key })
      .from(issuesTable)
      .innerJoin(communitiesTable, eq(communitiesTable.id, issuesTable.communityId))
      .where(eq(issuesTable.id, id));
    const [found] = await (opts.lock ? query.for('update', { of: issuesTable }) : query);
    if (!found || found.issue.hidden || !needsProcedureOf(found.issue)) throw err;
    const community = getCommunity(ctx, found.communityKey);
    const actor = actorIn(principal, community);
    const person = actor.roles?.person ?? null;
    if (person === null || !orgMembersOf(community, 'oc').includes(person)) throw err;
    return { issue: found.issue, community, actor, principal };
  }
}
