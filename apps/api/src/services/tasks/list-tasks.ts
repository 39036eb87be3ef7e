import {
  ACTIVE_TASK_STATUSES,
  type Actor,
  type Community,
  type ListTasksQuery,
  readsAllIssues,
  relationsTo,
  TASK_STATUS_NAMES,
  type TaskView,
  taskActions,
  taskActorsOf,
} from '@gongzhi/domain';
import { and, eq, inArray, lte, or, type SQL, sql } from 'drizzle-orm';
import { issuesTable as issues, type TaskRow, tasksTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { procedureAllowsOf } from '../meetings/fund-use-state';

type IssueRow = typeof issues.$inferSelect;
const pages = keyset(tasksTable.createdAt, tasksTable.id);

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toTaskView(
  community: Community,
  t: TaskRow,
  issue: IssueRow,
  actor: Actor,
  now: Date,
  /** The issue's procedure gate (shared parts, the fund): a task is not resolved while it refuses `resolve`. */
  procedureAllows: (action: string) => boolean = () => true,
): TaskView {
  const active = t.status === 'open' || t.status === 'accepted' || t.status === 'in_progress';
  const overdue =
    t.status === 'open' && now >= t.acceptDueAt
      ? 'accept'
      : active && now >= t.resolveDueAt
        ? 'resolve'
        : null;
  return {
    id: t.id,
    issueId: issue.id,
    issueCode: issue.code,
    issueStatus: issue.status,
    category: issue.category,
    categoryName: community.categories.get(issue.category)?.name ?? issue.category,
    zone: issue.zone,
    zoneName: community.zones.get(issue.zone)?.name ?? issue.zone,
    building: issue.building,
    spot: issue.spot,
    urgency: issue.urgency,
    description: issue.description,
    assignee: { key: t.assignee, name: community.people.get(t.assignee)?.name ?? t.assignee },
    role: t.role,
    org: t.org,
    status: t.status,
    statusName: TASK_STATUS_NAMES[t.status],
    note: t.note,
    acceptDueAt: t.acceptDueAt.toISOString(),
    resolveDueAt: t.resolveDueAt.toISOString(),
    overdue,
    createdAt: t.createdAt.toISOString(),
    acceptedAt: iso(t.acceptedAt),
    resolvedAt: iso(t.resolvedAt),
    allowedActions: taskActions(
      t.status,
      issue.status,
      taskActorsOf(actor.roles?.person ?? null, relationsTo(actor, issue), t.assignee),
    ).filter((a) => a !== 'resolve' || procedureAllows('resolve')),
  };
}

/**
 * The task inbox. `mine`: tasks dispatched to the caller. `owned`: tasks on the issues the caller
 * owns — for the property manager, every property task; for secretary, leadership and admin, all.
 * `overdue` keeps the tasks in hand whose accept or resolve deadline has passed.
 */
export async function listTasks(ctx: ServiceContext, q: ListTasksQuery) {
  const principal = callerOf(ctx);
  const c = getCommunity(ctx, q.community);
  const actor = actorIn(principal, c);
  const person = actor.roles?.person ?? null;
  const now = ctx.now();
  const conditions: (SQL | undefined)[] = [eq(tasksTable.communityId, await communityId(ctx.db, c.key))];
  if (q.view === 'mine') {
    conditions.push(person ? eq(tasksTable.assignee, person) : sql`false`);
  } else if (!readsAllIssues(actor) || actor.roles?.propertyManager) {
    const mine: SQL[] = [];
    if (person) mine.push(eq(issues.owner, person));
    if (actor.roles?.linesLed.length) mine.push(inArray(issues.line, actor.roles.linesLed));
    if (actor.roles?.propertyManager) mine.push(eq(tasksTable.org, 'property'));
    conditions.push(mine.length ? or(...mine) : sql`false`);
  }
  if (q.status === 'active') conditions.push(inArray(tasksTable.status, [...ACTIVE_TASK_STATUSES]));
  if (q.status === 'done') conditions.push(inArray(tasksTable.status, ['done', 'returned', 'cancelled']));
  if (q.overdue) {
    conditions.push(
      or(
        and(eq(tasksTable.status, 'open'), lte(tasksTable.acceptDueAt, now)),
        and(inArray(tasksTable.status, [...ACTIVE_TASK_STATUSES]), lte(tasksTable.resolveDueAt, now)),
      ),
    );
  }
  conditions.push(pages.after(q.cursor));
  const rows = await ctx.db
    .select({ task: tasksTable, issue: issues })
    .from(tasksTable)
    .innerJoin(issues, eq(issues.id, tasksTable.issueId))
    .where(and(eq(issues.hidden, false), ...conditions))
    .orderBy(...pages.orderBy)
    .limit(q.limit + 1);
  const page = pages.page(
    rows.map((r) => ({ ...r, createdAt: r.task.createdAt, id: r.task.id })),
    q.limit,
  );
  // The procedure gate of the few issues that need one (shared parts, the fund), once per issue.
  const gates = new Map<string, (action: string) => boolean>();
  for (const r of page.items) {
    if (!gates.has(r.issue.id)) gates.set(r.issue.id, await procedureAllowsOf(ctx.db, r.issue, c, now));
  }
  return {
    items: page.items.map((r) => toTaskView(c, r.task, r.issue, actor, now, gates.get(r.issue.id))),
    nextCursor: page.nextCursor,
  };
}
