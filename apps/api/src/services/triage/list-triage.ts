import {
  Forbidden,
  keepsTriageDesk,
  readsAllIssues,
  TRIAGE_REASON_NAMES,
  type TriagePage,
  type TriageQuery,
  type TriageReason,
  triageOwnerOf,
} from '@gongzhi/domain';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { issueEventsTable, issuesTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { toSummary } from '../issues/to-view';

/** The most a desk shows at once; the oldest first, so nothing waits forever behind newer ones. */
const LIMIT = 100;

/**
 * The triage desk (兜底): complaints routing could not place, waiting for its keeper to place them.
 * Its keeper (and an administrator) may place; everyone who reads all issues may look. Others 403.
 */
export async function listTriage(ctx: ServiceContext, q: TriageQuery): Promise<TriagePage> {
  const community = getCommunity(ctx, q.community);
  const actor = actorIn(callerOf(ctx), community);
  const canPlace = keepsTriageDesk(actor, community);
  if (!canPlace && !readsAllIssues(actor)) {
    throw Forbidden('not_triage_owner', '只有兜底分拨负责人可以查看兜底分拨队列');
  }
  const cid = await communityId(ctx.db, community.key);
  const rows = await ctx.db
    .select()
    .from(issuesTable)
    .where(
      and(
        eq(issuesTable.communityId, cid),
        eq(issuesTable.tier, 'triage'),
        eq(issuesTable.status, 'submitted'),
        eq(issuesTable.hidden, false),
      ),
    )
    .orderBy(asc(issuesTable.createdAt), asc(issuesTable.id))
    .limit(LIMIT);
  const ids = rows.map((r) => r.id);
  const intake = ids.length
    ? await ctx.db
        .select({ issueId: issueEventsTable.issueId, data: issueEventsTable.data })
        .from(issueEventsTable)
        .where(and(inArray(issueEventsTable.issueId, ids), eq(issueEventsTable.action, 'submit')))
    : [];
  const reasonsOf = (id: string) => {
    const data = intake.find((e) => e.issueId === id)?.data as { triage?: TriageReason[] } | null;
    return (data?.triage ?? []).map((r) => TRIAGE_REASON_NAMES[r] ?? r);
  };
  const owner = triageOwnerOf(community);
  return {
    owner: owner ? { key: owner, name: community.people.get(owner)?.name ?? owner } : null,
    canPlace,
    items: rows.map((row) => ({ issue: toSummary(community, row), reasons: reasonsOf(row.id) })),
  };
}
