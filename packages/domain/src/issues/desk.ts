import { z } from 'zod';
import { Conflict, Invalid } from '../errors';
import { Cursor } from '../text';
import type { Actor } from './access';
import { isFinal } from './lifecycle';
import { type IssueStatus, STATUS_NAMES } from './schema';
import { IssueSummary } from './views';

/**
 * The dispatch desk (调度台, plan §五.5): what needs the people who own issues — zone leaders, line
 * leaders, the property manager — in four queues. An issue may stand in more than one.
 *
 * - `returned` (退单): someone returned the work and nobody holds it now;
 * - `unassigned` (待派单): open, and nobody holds a task on it;
 * - `overdue` (已超时): past its resolve deadline and not yet resolved;
 * - `verify` (待验收): resolved, waiting for the reporter or a zone inspector to confirm;
 * - `park_review` (挂账待复核): parked (挂账), and its review date has come (issue 17).
 *
 * A parked issue stands in no other queue: it left the overdue list when it was parked.
 */
export const DESK_QUEUES = ['returned', 'unassigned', 'overdue', 'verify', 'park_review'] as const;
export const DeskQueue = z.enum(DESK_QUEUES);
export type DeskQueue = z.infer<typeof DeskQueue>;

export const DESK_QUEUE_NAMES: Record<DeskQueue, string> = {
  returned: '退单待处理',
  unassigned: '待派单',
  overdue: '已超时',
  verify: '待验收',
  park_review: '挂账待复核',
};

/** Issue states in which the desk may have to hand the work to someone. */
export const DESK_DISPATCHABLE: readonly IssueStatus[] = ['submitted', 'dispatched', 'reopened'];
/** Issue states counted against the resolve deadline. */
export const DESK_UNRESOLVED: readonly IssueStatus[] = [
  'submitted',
  'dispatched',
  'accepted',
  'in_progress',
  'reopened',
];

export interface DeskFacts {
  status: IssueStatus;
  resolveDueAt: Date | null;
  /** Tasks in hand (open, accepted, in progress). */
  activeTasks: number;
  /** Tasks returned (退单). */
  returnedTasks: number;
  /** The review date of a parked issue. */
  parkedUntil?: Date | null;
}

/** The queues an issue stands in now (the SQL of GET /api/desk mirrors this, and is tested against it). */
export function deskQueuesOf(f: DeskFacts, now: Date): DeskQueue[] {
  const out: DeskQueue[] = [];
  const idle = DESK_DISPATCHABLE.includes(f.status) && f.activeTasks === 0;
  if (idle && f.returnedTasks > 0) out.push('returned');
  if (idle) out.push('unassigned');
  if (DESK_UNRESOLVED.includes(f.status) && f.resolveDueAt !== null && f.resolveDueAt < now)
    out.push('overdue');
  if (f.status === 'resolved') out.push('verify');
  if (f.status === 'parked' && f.parkedUntil && f.parkedUntil <= now) out.push('park_review');
  return out;
}

/**
 * Whose desk: what the caller owns. The property manager and administrators see the whole
 * community; a zone leader their zones; a line leader their lines; anyone who owns an issue, that
 * issue. Null: the caller keeps no desk.
 */
export type DeskScope = { all: true } | { all: false; person: string; zones: string[]; lines: string[] };

export function deskScopeOf(actor: Actor): DeskScope | null {
  if (actor.admin || actor.roles?.propertyManager) return { all: true };
  const r = actor.roles;
  if (!r) return null;
  const zones = r.zones.filter((z) => z.leader).map((z) => z.zone);
  if (zones.length === 0 && r.linesLed.length === 0) return null;
  return { all: false, person: r.person, zones, lines: [...r.linesLed] };
}

/** Whether the caller keeps a dispatch desk (the work menu entry). */
export const keepsDesk = (actor: Actor) => deskScopeOf(actor) !== null;

/** What a merge looks at on each side. */
export interface MergeSide {
  id: string;
  code: string;
  communityId: string;
  status: IssueStatus;
  /** The issue this one was merged into, if any (followed for a cycle). */
  mergedInto: string | null;
}

/**
 * Merge a duplicate into the surviving issue: refused when the survivor is the duplicate itself, in
 * another community, already finished (closed, merged, rejected), or would lead back to the
 * duplicate (a cycle: `chain` is where the survivor itself leads through earlier merges). The duplicate's own state is checked by the lifecycle
 * (`merge` from any open state).
 */
export function checkMerge(dup: MergeSide, into: MergeSide | null, chain: readonly MergeSide[] = []): void {
  if (!into) {
    throw Invalid('merge_target_not_found', '要合并到的问题不存在', [
      { path: 'into', message: '未找到该问题' },
    ]);
  }
  if (into.id === dup.id) {
    throw Invalid('merge_into_itself', '不能将问题合并到其自身', [
      { path: 'into', message: '与当前问题相同' },
    ]);
  }
  if (into.communityId !== dup.communityId) {
    throw Invalid('merge_other_community', '只能合并同一小区的问题', [
      { path: 'into', message: '该问题属于其他小区' },
    ]);
  }
  if (isFinal(into.status)) {
    throw Conflict(
      'merge_target_final',
      `问题 ${into.code} 已${STATUS_NAMES[into.status]}，不能作为合并目标`,
      [{ path: 'into', message: `state=${into.status}` }],
    );
  }
  if ([into, ...chain].some((c) => c.id === dup.id || c.mergedInto === dup.id)) {
    throw Conflict('merge_cycle', '合并会形成循环，请选择其他问题', [{ path: 'into', message: '循环合并' }]);
  }
}

/** GET /api/desk */
export const DeskQuery = z.strictObject({
  community: z.string().min(1, '请指定小区'),
  /** One queue; without it, everything on the desk. */
  queue: DeskQueue.optional(),
  cursor: Cursor,
  limit: z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(20),
});
export type DeskQuery = z.infer<typeof DeskQuery>;

export const DeskItem = z.object({
  issue: IssueSummary,
  queues: z.array(DeskQueue),
  /** The latest return (退单): who and why. */
  lastReturn: z.object({ by: z.string(), reason: z.string().nullable(), at: z.string() }).nullable(),
});
export type DeskItem = z.infer<typeof DeskItem>;

export const DeskPage = z.object({
  items: z.array(DeskItem),
  nextCursor: z.string().nullable(),
  /** How many issues stand in each queue (the desk's tabs). */
  // One named property per queue (a record keyed by an enum documents as propertyNames, which
  // OpenAPI tools read as required properties that are not defined).
  counts: z.strictObject(
    Object.fromEntries(DESK_QUEUES.map((q) => [q, z.number()])) as Record<DeskQueue, z.ZodNumber>,
  ),
});
export type DeskPage = z.infer<typeof DeskPage>;

/** POST /api/issues/:id/merge */
export const MergeIssueInput = z.strictObject({
  /** The surviving issue: its code (e.g. XDY-…) or its id. */
  into: z.string().trim().min(1, '请填写要合并到的问题编号').max(64, '问题编号过长'),
  note: z.string().trim().max(500, '说明最多 500 字').optional(),
});
export type MergeIssueInput = z.infer<typeof MergeIssueInput>;
