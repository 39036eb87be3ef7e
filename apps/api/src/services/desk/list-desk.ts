import {
  ACTIVE_TASK_STATUSES,
  DESK_DISPATCHABLE,
  DESK_QUEUES,
  DESK_UNRESOLVED,
  type DeskItem,
  type DeskPage,
  type DeskQuery,
  type DeskQueue,
  deskQueuesOf,
  deskScopeOf,
  Forbidden,
} from '@gongzhi/domain';
import { and, desc, eq, inArray, lt, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import { issuesTable, tasksTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { toSummary } from '../issues/to-view';

const pages = keyset(issuesTable.createdAt, issuesTable.id);

const ACTIVE = sql.raw(ACTIVE_TASK_STATUSES.map((s) => `'${s}'`).join(','));
const hasActive = sql`exists (select 1 from ${tasksTable} t where t.issue_id = ${issuesTable.id} and t.status in (${ACTIVE}))`;
const hasReturned = sql`exists (select 1 from ${tasksTable} t where t.issue_id = ${issuesTable.id} and t.status = 'returned')`;

/** The SQL of each queue: the same rule as the domain's deskQueuesOf (tests/api/dispatch-desk checks they agree). */
function queueSql(queue: DeskQueue, now: Date): SQL {
  const idle = and(inArray(issuesTable.status, [...DESK_DISPATCHABLE]), sql`not ${hasActive}`)!;
  switch (queue) {
    case 'returned':
      return and(idle, hasReturned)!;
    case 'unassigned':
      return idle;
    case 'overdue':
      return and(inArray(issuesTable.status, [...DESK_UNRESOLVED]), lt(issuesTable.resolveDueAt, now))!;
    case 'verify':
      return eq(issuesTable.status, 'resolved');
    case 'park_review':
      return and(eq(issuesTable.status, 'parked'), lte(issuesTable.parkedUntil, now))!;
  }
}

/**
 * The dispatch desk (调度台): the issues the caller owns that need them, newest first, in one queue
 * or all of them; with how many stand in each. A caller who keeps no desk gets 403.
 */
export async function listDesk(ctx: ServiceContext, q: DeskQuery): Promise<DeskPage> {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, q.community);
  const actor = actorIn(principal, community);
  const scope = deskScopeOf(actor);
  if (!scope) throw Forbidden('no_desk', '您没有需要调度的问题（仅区域组长、条线负责人、物业经理可用）');
  const now = ctx.now();
  const mine: (SQL | undefined)[] = [eq(issuesTable.communityId, await communityId(ctx.db, community.key))];
  if (!actor.admin) mine.push(eq(issuesTable.hidden, false));
  // Complaints routing could not place wait on the triage desk (GET /api/triage), not here.
  mine.push(ne(issuesTable.tier, 'triage'));
  if (!scope.all) {
    mine.push(
      or(
        eq(issuesTable.owner, scope.person),
        ...(scope.zones.length ? [inArray(issuesTable.zone, scope.zones)] : []),
        ...(scope.lines.length ? [inArray(issuesTable.line, scope.lines)] : []),
      ),
    );
  }
  const inQueue = q.queue ? queueSql(q.queue, now) : or(...DESK_QUEUES.map((k) => queueSql(k, now)))!;
  const rows = await ctx.db
    .select()
    .from(issuesTable)
    .where(and(...mine, inQueue, pages.after(q.cursor)))
    .orderBy(...pages.orderBy)
    .limit(q.limit + 1);
  const page = pages.page(rows, q.limit);

  const [countRow] = await ctx.db
    .select(
      Object.fromEntries(
        DESK_QUEUES.map((k) => [k, sql<number>`count(*) filter (where ${queueSql(k, now)})`.mapWith(Number)]),
      ) as Record<DeskQueue, SQL<number>>,
    )
    .from(issuesTable)
    .where(and(...mine));

  const ids = page.items.map((r) => r.id);
  const tasks = ids.length
    ? await ctx.db
        .select({
          issueId: tasksTable.issueId,
          status: tasksTable.status,
          assignee: tasksTable.assignee,
          note: tasksTable.note,
          endedAt: tasksTable.endedAt,
        })
        .from(tasksTable)
        .where(inArray(tasksTable.issueId, ids))
        .orderBy(desc(tasksTable.seq))
    : [];
  const items: DeskItem[] = page.items.map((row) => {
    const own = tasks.filter((t) => t.issueId === row.id);
    const lastReturn = own.find((t) => t.status === 'returned');
    return {
      issue: toSummary(community, row),
      queues: deskQueuesOf(
        {
          status: row.status,
          resolveDueAt: row.resolveDueAt,
          activeTasks: own.filter((t) => (ACTIVE_TASK_STATUSES as readonly string[]).includes(t.status))
            .length,
          returnedTasks: own.filter((t) => t.status === 'returned').length,
          parkedUntil: row.parkedUntil,
        },
        now,
      ),
      lastReturn: lastReturn
        ? {
            by: community.people.get(lastReturn.assignee)?.name ?? lastReturn.assignee,
            reason: lastReturn.note,
            at: (lastReturn.endedAt ?? row.updatedAt).toISOString(),
          }
        : null,
    };
  });
  const counts = Object.fromEntries(DESK_QUEUES.map((k) => [k, countRow?.[k] ?? 0])) as Record<
    DeskQueue,
    number
  >;
  return { items, nextCursor: page.nextCursor, counts };
}
