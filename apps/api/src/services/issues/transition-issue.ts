import {
  applyTransition,
  type Community,
  handlesIssue,
  type IssueAction,
  type IssueRelation,
  type IssueStatus,
  NotFound,
  relationsTo,
  reopensIssue,
  type TransitionContext,
  Unauthorized,
} from '@gongzhi/domain';
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { communitiesTable, issuesTable } from '../../db/schema';
import { secretMatches } from '../../lib/secrets';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { actorKeyOf, getCommunity, type ServiceContext } from '../context';
import { cancelActiveTasks } from '../tasks/act-on-task';
import { appendEvent } from './append-event';
import { loadReadableIssue } from './load-readable-issue';
import { accessFacts } from './to-view';

type IssueRow = typeof issuesTable.$inferSelect;

/**
 * Who fires the transition: the signed-in caller, an anonymous resident holding the tracking
 * secret, or the signed-in caller recording a decision of the joint meeting (`byJointMeeting`):
 * the meeting's own rules (recorder, vote, resolution) were checked by the caller's service, and
 * the transition is fired with the meeting's authority, whoever chairs it.
 */
export type IssueRef = string | { code: string; secret: string } | { id: string; byJointMeeting: true };

export interface AfterTransition {
  tx: Tx;
  issue: IssueRow;
  community: Community;
  relations: IssueRelation[];
  eventId: number;
}

export interface TransitionRequest extends TransitionContext {
  action: IssueAction;
  /** Extra facts for the event record. */
  data?: Record<string, unknown>;
  /** Runs in the same transaction after the state change, e.g. to ban a reporter or notify. */
  after?: (a: AfterTransition) => Promise<void>;
}

/** handled_at keeps the first handling: a later resolve after a reopening does not move it. */
export const firstHandled = (now: Date) =>
  sql`coalesce(${issuesTable.handledAt}, ${now.toISOString()}::timestamptz)`;

/**
 * The KPI facts (DOMAIN.md §11) that move with a state change: the first handling and the
 * reopenings. Spread into the issue's update wherever a transition is fired (here, and the task
 * verbs that resolve an issue through its task).
 */
export const kpiFacts = (action: string, to: IssueStatus, now: Date) => ({
  ...(handlesIssue(action, to) ? { handledAt: firstHandled(now) } : {}),
  ...(reopensIssue(action) ? { reopenCount: sql`${issuesTable.reopenCount} + 1` } : {}),
});

const WORKING = new Set(['dispatched', 'accepted', 'in_progress', 'resolved']);

/** The reporter's own complaint, proven by code + tracking secret (a wrong secret looks like no such code). */
async function loadTrackedIssue(ctx: ServiceContext, tx: Tx, code: string, secret: string) {
  const [found] = await tx
    .select({ issue: issuesTable, communityKey: communitiesTable.key })
    .from(issuesTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, issuesTable.communityId))
    .where(eq(issuesTable.code, code.trim().toUpperCase()))
    .for('update', { of: issuesTable });
  if (!found || !secretMatches(secret, found.issue.trackingSecretHash)) {
    throw NotFound('complaint_not_found', '查询码或密钥不正确，请核对后再试');
  }
  return { issue: found.issue, community: getCommunity(ctx, found.communityKey) };
}

/**
 * Fire one lifecycle transition. The row is locked, the domain table decides (state, permission,
 * requirements), the new state and its event commit together. Reading is gated by
 * loadReadableIssue, like getIssue (or by the tracking secret for an anonymous reporter). Leaving
 * the working states cancels the tasks still in hand. Returns the issue id.
 */
export async function transitionIssue(ctx: ServiceContext, ref: IssueRef, req: TransitionRequest) {
  return ctx.db.transaction((tx) => transitionIssueIn(ctx, tx, ref, req));
}

/** The joint meeting's decision on one of its issues (no read gate: the meeting's rules were checked). */
async function loadIssueForJointMeeting(ctx: ServiceContext, tx: Tx, id: string) {
  const principal = ctx.principal;
  if (!principal) throw Unauthorized('token_missing', '请先登录');
  const [found] = await tx
    .select({ issue: issuesTable, communityKey: communitiesTable.key })
    .from(issuesTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, issuesTable.communityId))
    .where(eq(issuesTable.id, id))
    .for('update', { of: issuesTable });
  if (!found) throw NotFound('issue_not_found', '问题不存在或您无权查看');
  return { issue: found.issue, community: getCommunity(ctx, found.communityKey), principal };
}

/** The issue a step acts on, locked, with how the caller stands towards it and who to record as the actor. */
export interface ActingOn {
  issue: IssueRow;
  community: Community;
  relations: IssueRelation[];
  actorAccountId: string | null;
  actor: string;
}

/** Load and lock the issue for a step, by any kind of reference (see IssueRef). */
export async function loadActingOn(ctx: ServiceContext, tx: Tx, ref: IssueRef): Promise<ActingOn> {
  const found = await loadActingOnAnyQuarter(ctx, tx, ref);
  // Before the lifecycle's own checks: in an archived quarter the answer is "read-only", whatever the state.
  await assertQuarterOpen(tx, found.issue.communityId, found.issue.createdAt);
  return found;
}

async function loadActingOnAnyQuarter(ctx: ServiceContext, tx: Tx, ref: IssueRef): Promise<ActingOn> {
  if (typeof ref === 'string') {
    const found = await loadReadableIssue(ctx, tx, ref, { lock: true });
    return {
      issue: found.issue,
      community: found.community,
      relations: relationsTo(found.actor, accessFacts(found.issue)),
      actorAccountId: found.principal.accountId,
      actor: actorKeyOf(found.principal),
    };
  }
  if ('byJointMeeting' in ref) {
    const found = await loadIssueForJointMeeting(ctx, tx, ref.id);
    return {
      issue: found.issue,
      community: found.community,
      relations: ['joint_meeting'],
      actorAccountId: found.principal.accountId,
      actor: actorKeyOf(found.principal),
    };
  }
  const found = await loadTrackedIssue(ctx, tx, ref.code, ref.secret);
  return { ...found, relations: ['reporter'], actorAccountId: null, actor: 'resident' };
}

/** transitionIssue inside a transaction the caller already holds (a meeting step that moves its issues). */
export async function transitionIssueIn(ctx: ServiceContext, tx: Tx, ref: IssueRef, req: TransitionRequest) {
  return transitionLoaded(ctx, tx, await loadActingOn(ctx, tx, ref), req);
}

/** The transition on an issue the caller has already loaded and locked with `loadActingOn` (a rating). */
export async function transitionLoaded(
  ctx: ServiceContext,
  tx: Tx,
  target: ActingOn,
  req: TransitionRequest,
) {
  const now = ctx.now();
  const { issue, community, relations, actorAccountId, actor } = target;
  const to = applyTransition(issue.status, req.action, relations, { ...req, tier: issue.tier });
  const leavesWork = !WORKING.has(to);
  await tx
    .update(issuesTable)
    .set({
      status: to,
      updatedAt: now,
      ...(to === 'resolved' ? {} : { resolvedAt: null }),
      ...(leavesWork ? { assignees: [] } : {}),
      ...kpiFacts(req.action, to, now),
    })
    .where(eq(issuesTable.id, issue.id));
  if (leavesWork) await cancelActiveTasks(tx, issue.id, now);
  const eventId = await appendEvent(tx, {
    issueId: issue.id,
    action: req.action,
    fromStatus: issue.status,
    toStatus: to,
    actorAccountId,
    actor,
    note: req.note ?? req.reason ?? null,
    data: req.data ?? null,
    at: now,
  });
  await req.after?.({ tx, issue: { ...issue, status: to }, community, relations, eventId });
  return issue.id;
}
