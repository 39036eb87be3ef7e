import {
  applyTransition,
  canReadIssue,
  type IssueAction,
  type IssueRelation,
  NotFound,
  relationsTo,
  type TransitionContext,
  Unauthorized,
} from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { communitiesTable, issueEventsTable, issuesTable } from '../../db/schema';
import { actorIn, getCommunity, type ServiceContext } from '../context';
import { accessFacts } from './to-view';

type IssueRow = typeof issuesTable.$inferSelect;

export interface TransitionRequest extends TransitionContext {
  action: IssueAction;
  /** Extra facts for the event record. */
  data?: Record<string, unknown>;
  /** Runs in the same transaction after the state change, e.g. to ban a reporter. */
  after?: (tx: Tx, issue: IssueRow, relations: IssueRelation[]) => Promise<void>;
}

/**
 * Fire one lifecycle transition. The row is locked, the domain table decides (state, permission,
 * requirements), the new state and its event commit together. An issue the caller may not read
 * answers 404, like a missing one.
 */
export async function transitionIssue(ctx: ServiceContext, id: string, req: TransitionRequest) {
  const principal = ctx.principal;
  if (!principal) throw Unauthorized('token_missing', '请先登录');
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ issue: issuesTable, communityKey: communitiesTable.key })
      .from(issuesTable)
      .innerJoin(communitiesTable, eq(communitiesTable.id, issuesTable.communityId))
      .where(eq(issuesTable.id, id))
      .for('update', { of: issuesTable });
    if (!found) throw NotFound('issue_not_found', '问题不存在或您无权查看');
    const community = getCommunity(ctx, found.communityKey);
    const actor = actorIn(principal, community);
    const relations = relationsTo(actor, accessFacts(found.issue));
    if (!canReadIssue(actor, accessFacts(found.issue)))
      throw NotFound('issue_not_found', '问题不存在或您无权查看');
    const to = applyTransition(found.issue.status, req.action, relations, { ...req, tier: found.issue.tier });
    await tx.update(issuesTable).set({ status: to, updatedAt: now }).where(eq(issuesTable.id, id));
    await tx.insert(issueEventsTable).values({
      issueId: id,
      action: req.action,
      fromStatus: found.issue.status,
      toStatus: to,
      actorAccountId: principal.accountId,
      actor: principal.personKey ?? (principal.kind === 'admin' ? 'admin' : 'resident'),
      note: req.note ?? req.reason ?? null,
      data: req.data ?? null,
      createdAt: now,
    });
    await req.after?.(tx, { ...found.issue, status: to }, relations);
  });
}
