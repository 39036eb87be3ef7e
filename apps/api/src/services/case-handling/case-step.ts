import {
  type CaseFacts,
  type CaseStep,
  type CaseStepInput,
  type Community,
  caseFactsOf,
  checkCaseStep,
  type IssueRelation,
  type NotificationMessage,
} from '@gongzhi/domain';
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { type IssueRequestRow, issueRequestsTable, type TaskRow, tasksTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { loadActingOn } from '../issues/transition-issue';
import type { ActingOn } from '../issues/write-issue';
import { notify } from '../notifications/notify';

/** What a case step's own work receives: the locked issue, who acts, the facts and what is pending. */
export interface CaseStepScope {
  tx: Tx;
  target: ActingOn;
  community: Community;
  relations: IssueRelation[];
  /** The acting person's key, if they are a config person. */
  person: string | null;
  facts: CaseFacts;
  tasks: TaskRow[];
  pending: {
    extension: IssueRequestRow | null;
    dispute: IssueRequestRow | null;
    parking: IssueRequestRow | null;
  };
  now: Date;
}

/**
 * Run one case step (extension, dispute, urging, a parking request; packages/domain issues/case-handling.ts) on an
 * issue: lock it (an archived quarter refuses first), gather the case facts, let the domain rule
 * refuse (409 with the steps allowed now, 403, 400), then do the step's work in the same
 * transaction — nothing is written on a refusal. Returns the issue id.
 */
export async function runCaseStep(
  ctx: ServiceContext,
  id: string,
  step: CaseStep,
  /** The step's content, read on the community's clock where it holds a date. */
  input: CaseStepInput | ((community: Community) => CaseStepInput),
  work: (scope: CaseStepScope) => Promise<void>,
) {
  return ctx.db.transaction(async (tx) => {
    const target = await loadActingOn(ctx, tx, id);
    const { issue, community } = target;
    const now = ctx.now();
    const tasks = await tx
      .select()
      .from(tasksTable)
      .where(eq(tasksTable.issueId, issue.id))
      .orderBy(asc(tasksTable.seq));
    const open = await tx
      .select()
      .from(issueRequestsTable)
      .where(and(eq(issueRequestsTable.issueId, issue.id), eq(issueRequestsTable.status, 'pending')));
    const pending = {
      extension: open.find((r) => r.kind === 'extension') ?? null,
      dispute: open.find((r) => r.kind === 'dispute') ?? null,
      parking: open.find((r) => r.kind === 'parking') ?? null,
    };
    const person = community.people.has(target.actor) ? target.actor : null;
    const facts = caseFactsOf(
      issue,
      tasks,
      {
        extension: pending.extension !== null,
        dispute: pending.dispute !== null,
        parking: pending.parking !== null,
      },
      person,
      now,
      community.config.caseHandling.parking,
    );
    checkCaseStep(step, target.relations, facts, typeof input === 'function' ? input(community) : input);
    await work({ tx, target, community, relations: target.relations, person, facts, tasks, pending, now });
    return issue.id;
  });
}

/** Record the decision on a pending request (approved or refused, by whom, with what note). */
export async function settleRequest(
  scope: Pick<CaseStepScope, 'tx' | 'target' | 'person' | 'now'>,
  requestId: string,
  approved: boolean,
  note: string | null | undefined,
) {
  await scope.tx
    .update(issueRequestsTable)
    .set({
      status: approved ? 'approved' : 'refused',
      decidedBy: scope.person ?? scope.target.actor,
      decisionNote: note ?? null,
      decidedAt: scope.now,
    })
    .where(eq(issueRequestsTable.id, requestId));
}

/**
 * The decision on a pending request that whoever asked is waiting for (an extension, parking): as a
 * case step, the request settled, the step's own work (which records the decision on the issue and
 * answers that event's id and what to tell), then whoever asked is told, keyed on that event.
 * Returns the issue id.
 */
export async function decideRequest(
  ctx: ServiceContext,
  id: string,
  kind: 'extension' | 'parking',
  step: CaseStep,
  input: { approve: boolean; note?: string },
  work: (
    scope: CaseStepScope & { request: IssueRequestRow },
  ) => Promise<{ eventId: number; message: NotificationMessage }>,
) {
  return runCaseStep(ctx, id, step, { note: input.note }, async (scope) => {
    const { tx, target, now } = scope;
    const request = scope.pending[kind]!;
    await settleRequest(scope, request.id, input.approve, input.note);
    const { eventId, message } = await work({ ...scope, request });
    await notify(
      tx,
      now,
      `ev:${eventId}`,
      {
        communityId: target.issue.communityId,
        persons: [request.requestedBy],
        exceptAccountId: target.actorAccountId,
      },
      message,
      { issueId: target.issue.id },
    );
  });
}
