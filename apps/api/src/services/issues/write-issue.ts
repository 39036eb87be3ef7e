import {
  ACTIVE_TASK_STATUSES,
  applyTransition,
  type CaseStep,
  type Community,
  casePolicyRefusal,
  caseRelations,
  contactsReporter,
  handlesIssue,
  ISSUE_ACTIONS,
  type IssueAction,
  type IssueRelation,
  type IssueStatus,
  type RouteTask,
  reopensIssue,
  type TransitionContext,
} from '@gongzhi/domain';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { constantSql, placeholdersOf, preparedIn } from '../../db/prepared';
import { issuesTable, tasksTable } from '../../db/schema';
import { together } from '../../db/together';
import { audit } from '../../lib/audit';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { calendarOf, type ServiceContext } from '../context';
import { assertProcedureAllowsStep } from '../meetings/fund-use-state';
import { openTasks } from '../tasks/open-tasks';
import { appendEvent } from './append-event';

/**
 * THE ONE WRITE PATH of an issue's state (docs/adr/0006-one-issue-write-path.md). Every change of
 * `issues.status` — a person's transition, a task step, the follow-up clock's automatic closing, the
 * system's re-dispatch after a reopening, a joint meeting's decision — goes through `writeIssue`,
 * which, in the caller's transaction, on the row the caller has locked:
 *
 * 1. refuses an archived quarter (409 quarter_archived, before any other answer);
 * 2. applies the lifecycle (packages/domain issues/lifecycle) once: state, permission, requirements;
 *    and the procedure gate of shared parts and the maintenance fund (meetings/procedure-gate);
 * 3. runs the step's own further checks and learns which tasks it opens (`dispatch`);
 * 4. writes the row fields it owns: status, updatedAt, resolvedAt, assignees, the KPI facts;
 * 5. cancels the tasks still in hand when the issue leaves the working states;
 * 6. appends the event (留痕) and opens the step's tasks, keyed on that event.
 *
 * The row rules:
 * - `assignees` are always the people with a task in hand (open, accepted, in progress), in the
 *   order their tasks were opened; outside `dispatched`/`accepted`/`in_progress` nobody holds one
 *   (assignees grant read access, so a closed issue is no longer readable by its former hands).
 * - `resolvedAt` is when the issue last became `resolved`. It is kept when the issue moves on
 *   (closed by verification or automatically, merged, rejected) — the archive's 办结时间 — and
 *   cleared only by a reopening (`reject_fix`): the fix was refused, the next resolve sets it anew,
 *   and the automatic closing counts from that.
 * - KPI facts (docs: docs/domain.md §11, packages/domain kpi/facts.ts): `handledAt` keeps the first
 *   handling and survives a reopening (timeliness is when the work was first done); a reopening
 *   adds one to `reopenCount` (effectiveness); `resolveDueAt` is the SLA deadline counted from
 *   submission and only an approved extension moves it.
 * - Case handling (issue 17): `resolvedBy` is the person who resolved it last (on-site verification
 *   is never theirs); `parkedUntil` is the review date while parked; `parkCount`, `extensionCount`
 *   and `urgeCount` count parkings, approved extensions and urgings; an approved extension moves
 *   `resolveDueAt` (the deadline the KPI's timeliness reads) — the only step that does.
 *   submission and no step moves it; `closedAt` keeps the first closing (按期结案); `firstContactAt`
 *   keeps the first contact with the reporter: a recorded 已联系 or a staff step with a note the
 *   reporter reads (packages/domain issues/callback.ts, 响应率).
 * - `updatedAt` is the instant of every write.
 *
 * No other file may update `issues.status` (tests/api/issue-writes.test.ts scans for it).
 */

type IssueRow = typeof issuesTable.$inferSelect;

/** What the writer needs from the caller's context: the clock and the holiday calendars (task deadlines). */
export type WriteContext = Pick<ServiceContext, 'now' | 'calendars'> &
  Partial<Pick<ServiceContext, 'log' | 'requestId'>>;

/** Who fires a step: how they stand towards the issue, and how the record names them. */
export interface IssueActor {
  relations: IssueRelation[];
  actorAccountId: string | null;
  /** Person key, 'resident', 'admin' or 'system'. */
  actor: string;
}

/** The system's own steps: the follow-up clock, the re-dispatch after a reopening. */
export const SYSTEM_ACTOR: IssueActor = { relations: ['system'], actorAccountId: null, actor: 'system' };

/** The issue a step acts on, loaded and locked by the caller, and who acts. */
export interface ActingOn extends IssueActor {
  issue: IssueRow;
  community: Community;
}

/** Tasks a step opens (a dispatch), with the note they carry. */
export interface Dispatch {
  tasks: readonly RouteTask[];
  note: string | null;
  /** A rework's approved extended deadline: the tasks' resolve deadline is not earlier (reworkResolveBy). */
  resolveNotBefore?: Date | null;
}

/** Meeting decisions recorded on an issue without a transition that count as handling it (KPI). */
export type RecordedDecision = 'joint_resolution';

/** A contact with the reporter recorded by staff (已联系, issue 17 item 6): an event, no transition. */
export type RecordedContact = 'contact_reporter';

export interface IssueStep extends TransitionContext {
  action: IssueAction | RecordedDecision | CaseStep | RecordedContact;
  /**
   * The step leaves the issue in its current state: a task step whose issue's working state does
   * not change, or a decision recorded on an issue no longer waiting for it. The event is recorded,
   * no lifecycle transition fires.
   */
  stays?: boolean;
  /** Extra facts for the event record. */
  data?: Record<string, unknown> | null;
  /** Case handling facts a step moves (issue 17): an approved extension's deadline, a count. */
  resolveDueAt?: Date;
  count?: 'extension' | 'urge';
  /** A `park` fired by approving a pending parking request (the config's approval step). */
  parkingApproved?: boolean;
  /** The event's note; defaults to the step's note or reason. */
  eventNote?: string | null;
  /**
   * The tasks in hand on the issue as the caller read them in this transaction, after its own task
   * writes and under the issue's lock (a task step reads them to find the working state the issue
   * follows): who holds the work is taken from them instead of being read again.
   */
  inHand?: readonly { assignee: string }[];
  /**
   * After the lifecycle's own checks, before anything is written: further refusals of the step
   * (a fund procedure, someone already holding a task) and the tasks it opens.
   */
  dispatch?: (a: {
    tx: Tx;
    issue: IssueRow;
    community: Community;
    to: IssueStatus;
  }) => Promise<Dispatch | null>;
}

export interface Written {
  /** The issue row as written. */
  issue: IssueRow;
  from: IssueStatus;
  to: IssueStatus;
  eventId: number;
}

/** The states in which someone holds the work; in any other, no task stays in hand. */
const IN_HAND: readonly IssueStatus[] = ['dispatched', 'accepted', 'in_progress'];

/**
 * The row's SQL values: the same on every call (the step's instant is the placeholder `now`), so
 * the update is built once per set of columns (db/prepared.ts placeholdersOf).
 */
const NOW = sql.placeholder('now');
/** handled_at keeps the first handling: a later resolve after a reopening does not move it. */
const firstHandled = constantSql(sql`coalesce(${issuesTable.handledAt}, ${NOW}::timestamptz)`);
const firstClosed = constantSql(sql`coalesce(${issuesTable.closedAt}, ${NOW}::timestamptz)`);
const firstContact = constantSql(sql`coalesce(${issuesTable.firstContactAt}, ${NOW}::timestamptz)`);
const plusOne = {
  reopenCount: constantSql(sql`${issuesTable.reopenCount} + 1`),
  parkCount: constantSql(sql`${issuesTable.parkCount} + 1`),
  extensionCount: constantSql(sql`${issuesTable.extensionCount} + 1`),
  urgeCount: constantSql(sql`${issuesTable.urgeCount} + 1`),
};

/**
 * The KPI facts a step moves (see the row rules above). A staff step the reporter reads with its
 * note (or a recorded 已联系) is the first contact if none came before (issues/callback.ts).
 */
const kpiFacts = (action: string, to: IssueStatus, note: string | null, staff: boolean) => ({
  ...(handlesIssue(action, to) ? { handledAt: firstHandled } : {}),
  ...(reopensIssue(action) ? { reopenCount: plusOne.reopenCount } : {}),
  ...(to === 'closed' ? { closedAt: firstClosed } : {}),
  ...(staff && contactsReporter(action, note) ? { firstContactAt: firstContact } : {}),
});

/** resolvedAt: set on becoming resolved, cleared by a reopening, otherwise kept. */
function resolvedAtOf(action: string, from: IssueStatus, to: IssueStatus, now: Date) {
  if (to === 'resolved' && from !== 'resolved') return { resolvedAt: now };
  if (reopensIssue(action)) return { resolvedAt: null };
  return {};
}

/** Case-handling facts (issue 17): who resolved, the parking's review date and the counts. */
function caseFacts(step: IssueStep, from: IssueStatus, to: IssueStatus, person: string | null) {
  return {
    ...(to === 'resolved' && from !== 'resolved' ? { resolvedBy: person } : {}),
    ...(step.action === 'park' || step.action === 'repark'
      ? { parkedUntil: step.reviewAt ?? null }
      : from === 'parked' && to !== 'parked'
        ? { parkedUntil: null }
        : {}),
    ...(step.action === 'park' ? { parkCount: plusOne.parkCount } : {}),
    ...(step.count === 'extension' ? { extensionCount: plusOne.extensionCount } : {}),
    ...(step.count === 'urge' ? { urgeCount: plusOne.urgeCount } : {}),
    ...(step.resolveDueAt ? { resolveDueAt: step.resolveDueAt } : {}),
  };
}

const isLifecycleAction = (a: string): a is IssueAction => (ISSUE_ACTIONS as readonly string[]).includes(a);

/** Cancel the tasks of an issue still in hand, except one (the task just done). */
export async function cancelActiveTasks(tx: Tx, issueId: string, now: Date, exceptId?: string) {
  const active = await tx
    .select({ id: tasksTable.id })
    .from(tasksTable)
    .where(and(eq(tasksTable.issueId, issueId), inArray(tasksTable.status, [...ACTIVE_TASK_STATUSES])));
  const ids = active.filter((t) => t.id !== exceptId).map((t) => t.id);
  if (ids.length) {
    await tx
      .update(tasksTable)
      .set({ status: 'cancelled', endedAt: now, nextEscalationAt: null })
      .where(inArray(tasksTable.id, ids));
  }
}

/**
 * The tasks in hand on an issue (assignee and status), in the order they were opened: who holds the
 * work (below) and, for a task step, the working state the issue follows (act-on-task.ts).
 */
export async function activeTasksOf(tx: Tx, issueId: string) {
  return preparedIn(tx, 'active_tasks_of', () =>
    tx
      .select({ assignee: tasksTable.assignee, status: tasksTable.status })
      .from(tasksTable)
      .where(
        and(
          eq(tasksTable.issueId, sql.placeholder('issueId')),
          inArray(tasksTable.status, [...ACTIVE_TASK_STATUSES]),
        ),
      )
      .orderBy(asc(tasksTable.seq))
      .prepare('active_tasks_of'),
  ).execute({ issueId });
}

/** Fire one step on an issue the caller holds locked (see the module comment). */
export async function writeIssue(
  ctx: WriteContext,
  tx: Tx,
  target: ActingOn,
  step: IssueStep,
): Promise<Written> {
  const now = ctx.now();
  const { issue, community } = target;
  const from = issue.status;
  await assertQuarterOpen(tx, issue.communityId, issue.createdAt);
  let to: IssueStatus = from;
  const person = community.people.has(target.actor) ? target.actor : null;
  if (!step.stays) {
    if (!isLifecycleAction(step.action)) throw new Error(`"${step.action}" is not a lifecycle action`);
    const cfg = community.config.caseHandling;
    const relations = caseRelations(target.relations, cfg);
    to = applyTransition(from, step.action, relations, { ...step, tier: issue.tier, now });
    // The community's case-handling rules: on-site verification, never by the resolver; parking by
    // the configured party (packages/domain issues/case-handling.ts).
    const refusal = casePolicyRefusal(
      step.action,
      relations,
      {
        category: issue.category,
        resolvedBy: issue.resolvedBy,
        person,
        parkingApproved: step.parkingApproved === true,
      },
      cfg,
    );
    if (refusal) throw refusal;
    // Shared parts and the maintenance fund: no dispatch, resolve or close of the work before the
    // owners' assembly, the 公示 and the 业委会's receipt (procedureRefusal, packages/domain).
    await assertProcedureAllowsStep(tx, issue, community, step.action, now);
  }
  const dispatch = (await step.dispatch?.({ tx, issue, community, to })) ?? null;
  const inHand = IN_HAND.includes(to);
  if (!inHand) await cancelActiveTasks(tx, issue.id, now);
  const opening = dispatch?.tasks ?? [];
  // The people with a task in hand, in the order their tasks were opened, then those it opens.
  const assignees = inHand
    ? [
        ...new Set(
          [...(step.inHand ?? (await activeTasksOf(tx, issue.id))), ...opening].map((t) => t.assignee),
        ),
      ]
    : [];
  const note = step.eventNote !== undefined ? step.eventNote : (step.note ?? step.reason ?? null);
  // Staff: a person acting, not the reporter; the system and the reporter contact nobody.
  const staff = target.actor !== 'system' && !target.relations.includes('reporter');
  const set = placeholdersOf(
    {
      status: to,
      assignees,
      updatedAt: now,
      ...resolvedAtOf(step.action, from, to, now),
      ...kpiFacts(step.action, to, note, staff),
      ...caseFacts(step, from, to, person),
    },
    'set_',
  );
  // The row, then its event: sent together (db/together.ts), the event needs nothing the update
  // answers. Built once per set of columns (db/prepared.ts); `now` is the placeholder of the SQL values.
  const [[written], eventId] = await together(
    preparedIn(tx, `write_issue:${set.shape}`, () =>
      tx
        .update(issuesTable)
        .set(set.row)
        .where(eq(issuesTable.id, sql.placeholder('id')))
        .returning()
        .prepare('write_issue'),
    ).execute({ ...set.values, id: issue.id, now: now.toISOString() }),
    appendEvent(tx, {
      issueId: issue.id,
      action: step.action,
      fromStatus: from,
      toStatus: to,
      actorAccountId: target.actorAccountId,
      actor: target.actor,
      note,
      data: step.data ?? null,
      at: now,
      issue,
    }),
  );
  if (opening.length > 0) {
    await openTasks(tx, {
      community,
      calendar: calendarOf(ctx, community),
      issue: written!,
      tasks: opening,
      note: dispatch!.note,
      resolveNotBefore: dispatch!.resolveNotBefore ?? null,
      now,
      sourceKey: `ev:${eventId}`,
    });
  }
  // The audit line of every state change (and every recorded step): written with the step, in its
  // transaction; the event id is the timeline's record of it.
  audit(ctx.log, {
    action: `issue.${step.action}`,
    // A resident without an account acts by the complaint's tracking secret: anonymous.
    actor: target.actorAccountId ?? (target.actor === 'system' ? 'system' : 'anonymous'),
    actorPerson: target.actor === 'system' ? null : target.actor,
    target: `issue:${issue.id}`,
    at: now,
    requestId: ctx.requestId ?? null,
    detail: { from, to, eventId },
  });
  return { issue: written!, from, to, eventId };
}
