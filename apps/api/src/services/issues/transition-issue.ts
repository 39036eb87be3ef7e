import {
  type Community,
  type IssueAction,
  type IssueRelation,
  NotFound,
  relationsTo,
  type TransitionContext,
} from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { communitiesTable, issuesTable } from '../../db/schema';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { opensTracked, requireTrackingCredential, trackedNotFound } from '../complaints/tracked-access';
import { actorKeyOf, callerOf, getCommunity, type ServiceContext } from '../context';
import { loadReadableIssue } from './load-readable-issue';
import { accessFacts } from './to-view';
import { type ActingOn, type IssueStep, writeIssue } from './write-issue';

type IssueRow = typeof issuesTable.$inferSelect;

/**
 * Who fires the transition: the signed-in caller, an anonymous resident holding the tracking
 * secret, or the signed-in caller recording a decision of the joint meeting (`byJointMeeting`):
 * the meeting's own rules (recorder, vote, resolution) were checked by the caller's service, and
 * the transition is fired with the meeting's authority, whoever chairs it.
 */
export type IssueRef =
  | string
  /** The reporter's complaint by its tracking code: with its secret, or (no secret) by the reporter's login. */
  | { code: string; secret: string | undefined }
  | { id: string; byJointMeeting: true };

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
  /** See IssueStep.dispatch: further checks after the lifecycle's, and the tasks the step opens. */
  dispatch?: IssueStep['dispatch'];
  /** Runs in the same transaction after the state change, e.g. to ban a reporter or notify. */
  after?: (a: AfterTransition) => Promise<void>;
}

/** The reporter's own complaint, proven by code + tracking secret or the reporter's login (see opensTracked). */
async function loadTrackedIssue(ctx: ServiceContext, tx: Tx, code: string, secret: string | undefined) {
  requireTrackingCredential(secret, ctx.principal);
  const [found] = await tx
    .select({ issue: issuesTable, communityKey: communitiesTable.key })
    .from(issuesTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, issuesTable.communityId))
    .where(eq(issuesTable.code, code.trim().toUpperCase()))
    .for('update', { of: issuesTable });
  if (!found || !opensTracked(found.issue, secret, ctx.principal)) throw trackedNotFound();
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
  const principal = callerOf(ctx);
  const [found] = await tx
    .select({ issue: issuesTable, communityKey: communitiesTable.key })
    .from(issuesTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, issuesTable.communityId))
    .where(eq(issuesTable.id, id))
    .for('update', { of: issuesTable });
  if (!found) throw NotFound('issue_not_found', '问题不存在或您无权查看');
  return { issue: found.issue, community: getCommunity(ctx, found.communityKey), principal };
}

export type { ActingOn } from './write-issue';

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
  // By the secret the resident is anonymous; by the login, it is their account that acted.
  const actorAccountId = ref.secret === undefined ? (ctx.principal?.accountId ?? null) : null;
  return { ...found, relations: ['reporter'], actorAccountId, actor: 'resident' };
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
  const { action, data, after, dispatch, ...context } = req;
  const written = await writeIssue(ctx, tx, target, { ...context, action, data, dispatch });
  await after?.({
    tx,
    issue: written.issue,
    community: target.community,
    relations: target.relations,
    eventId: written.eventId,
  });
  return target.issue.id;
}
