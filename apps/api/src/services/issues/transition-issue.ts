import {
  applyTransition,
  type IssueAction,
  type IssueRelation,
  relationsTo,
  type TransitionContext,
} from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { issueEventsTable, issuesTable } from '../../db/schema';
import { actorKeyOf, type ServiceContext } from '../context';
import { loadReadableIssue } from './load-readable-issue';
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
 * requirements), the new state and its event commit together. Reading is gated by
 * loadReadableIssue, like getIssue.
 */
export async function transitionIssue(ctx: ServiceContext, id: string, req: TransitionRequest) {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const found = await loadReadableIssue(ctx, tx, id, { lock: true });
    const relations = relationsTo(found.actor, accessFacts(found.issue));
    const to = applyTransition(found.issue.status, req.action, relations, { ...req, tier: found.issue.tier });
    await tx.update(issuesTable).set({ status: to, updatedAt: now }).where(eq(issuesTable.id, id));
    await tx.insert(issueEventsTable).values({
      issueId: id,
      action: req.action,
      fromStatus: found.issue.status,
      toStatus: to,
      actorAccountId: found.principal.accountId,
      actor: actorKeyOf(found.principal),
      note: req.note ?? req.reason ?? null,
      data: req.data ?? null,
      createdAt: now,
    });
    await req.after?.(tx, { ...found.issue, status: to }, relations);
  });
}
