import { z } from 'zod';
import { Org } from '../community/schema';
import type { Community } from '../community/validate';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors';
import type { ZoneResolutionRef } from './escalation';
import {
  type AgendaItemDraft,
  type JointAgendaItem,
  type JointMeeting,
  Milestone,
  type ReconsiderationRef,
  ResolutionDisposition,
} from './joint-meeting';
import { parseInput, requiredText } from './parse';
import { type InstantLike, toDate } from './time';

/**
 * A joint-meeting resolution after the meeting: a tracked action (督办) with progress 0–100 % and
 * milestones, until done (seed 001: 决议、决定由社区成员组织按照职能分工负责实施).
 *
 * Progress normally only goes up. It MAY go down, but only with a note saying why (a repair that
 * failed inspection, a contractor who walked off): a silent drop looks like a typing error and
 * would mislead the residents who are told of every change, an explained one is part of the record.
 */
export const ProgressEntry = z.object({
  at: z.string(),
  by: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  note: z.string().nullable(),
  milestone: z.string().nullable(),
});
export type ProgressEntry = z.infer<typeof ProgressEntry>;

export const TrackedAction = z.object({
  meeting: z.string(),
  item: z.number().int(),
  /** The meeting's chair, who may update progress besides the responsible person and the secretary. */
  chair: z.string(),
  issues: z.array(z.string()),
  text: z.string(),
  responsibleOrg: Org,
  responsiblePerson: z.string(),
  dueDate: z.string(),
  disposition: ResolutionDisposition,
  milestones: z.array(Milestone),
  progress: z.number().int().min(0).max(100),
  done: z.boolean(),
  history: z.array(ProgressEntry),
});
export type TrackedAction = z.infer<typeof TrackedAction>;

function findItem(meeting: JointMeeting, itemNo: number): JointAgendaItem {
  const item = meeting.agenda.find((i) => i.no === itemNo);
  if (!item) throw NotFound('agenda_item_not_found', `本次会议没有第 ${itemNo} 项议题`);
  return item;
}

/** The tracked action a resolved item becomes (409 if the item has no resolution). */
export function trackResolution(meeting: JointMeeting, itemNo: number): TrackedAction {
  const item = findItem(meeting, itemNo);
  const r = item.resolution;
  if (item.status !== 'resolved' || !r) {
    throw Conflict('resolution_required', `第 ${item.no} 项议题尚未形成决议`);
  }
  return {
    meeting: meeting.id,
    item: item.no,
    chair: meeting.chair,
    issues: item.issues,
    text: r.text,
    responsibleOrg: r.responsibleOrg,
    responsiblePerson: r.responsiblePerson,
    dueDate: r.dueDate,
    disposition: r.disposition,
    milestones: r.milestones,
    progress: 0,
    done: false,
    history: [],
  };
}

export const ProgressInput = z.strictObject({
  progress: z
    .number('进度应为 0–100 的整数')
    .int('进度应为 0–100 的整数')
    .min(0, '进度不能小于 0')
    .max(100, '进度不能大于 100'),
  note: z.string().trim().max(2000, '最多 2000 字').optional(),
  /** The milestone this update reaches: one of the resolution's milestones when it has any. */
  milestone: z.string().trim().min(1).max(100).optional(),
});
export type ProgressInput = z.input<typeof ProgressInput>;

export interface ProgressUpdate {
  action: TrackedAction;
  /** Whether the percentage changed: the reporters of the action's issues are then notified. */
  changed: boolean;
  /** What the reporters are told, in Chinese. */
  notice: string;
}

/** Who records progress on a resolution: its responsible person, the meeting's chair, the secretary. */
export const updatesResolution = (
  community: Community,
  action: Pick<TrackedAction, 'responsiblePerson' | 'chair'>,
  actor: string | null,
) =>
  actor !== null &&
  (actor === action.responsiblePerson || actor === action.chair || actor === community.config.secretary);

export const RESOLUTION_ACTIONS = ['progress', 'request_reconsideration'] as const;
export type ResolutionAction = (typeof RESOLUTION_ACTIONS)[number];

/** Who may ask for re-deliberation (复议) of a joint meeting's resolution: a member of that meeting, its chair or an invitee. */
export const mayRequestReconsideration = (
  meeting: Pick<JointMeeting, 'chair' | 'invitees'>,
  actor: string | null,
) => actor !== null && (actor === meeting.chair || meeting.invitees.some((m) => m.person === actor));

/** Where a resolution stands, for what may be done to it. */
export interface ResolutionState {
  /** A re-deliberation has replaced it. */
  superseded: boolean;
  /** The meeting that made it: its chair and invitees. */
  meeting: Pick<JointMeeting, 'chair' | 'invitees'>;
  /** A request for its re-deliberation already waits for a meeting (a second one is refused). */
  reconsiderationPending: boolean;
}

/**
 * What the caller may do to a resolution now (its view's `allowedActions`): record progress
 * (`updatesResolution`) and ask for re-deliberation (`mayRequestReconsideration`, the check of
 * `requestReconsideration`), both on one a re-deliberation has not replaced; asking again while a
 * request waits is not offered (`requestReconsideration` refuses it).
 */
export function resolutionActions(
  community: Community,
  action: Pick<TrackedAction, 'responsiblePerson' | 'chair'>,
  actor: string | null,
  state: ResolutionState,
): ResolutionAction[] {
  if (state.superseded) return [];
  const out: ResolutionAction[] = [];
  if (updatesResolution(community, action, actor)) out.push('progress');
  if (!state.reconsiderationPending && mayRequestReconsideration(state.meeting, actor)) {
    out.push('request_reconsideration');
  }
  return out;
}

/**
 * Record progress on a resolution: by its responsible person, the meeting's chair or the secretary
 * (403 otherwise). 400 for a value outside 0–100, a drop without a note, an update that changes
 * nothing, or a milestone the resolution does not have.
 */
export function recordResolutionProgress(
  community: Community,
  action: TrackedAction,
  actor: string,
  raw: unknown,
  now: InstantLike,
): ProgressUpdate {
  if (!updatesResolution(community, action, actor)) {
    throw Forbidden('not_resolution_owner', '只有决议责任人、会议主持人或秘书才能更新决议办理进度');
  }
  const input = parseInput(ProgressInput, raw, 'invalid_progress', '办理进度有误');
  const note = input.note ? input.note : null;
  const milestone = input.milestone ?? null;
  if (input.progress < action.progress && !note) {
    throw Invalid(
      'progress_regression_needs_note',
      `进度从 ${action.progress}% 降为 ${input.progress}%，请说明原因`,
      [{ path: 'note', message: '进度回退时必须填写原因' }],
    );
  }
  if (input.progress === action.progress && !note && !milestone) {
    throw Invalid('progress_unchanged', `进度仍为 ${action.progress}%，没有需要记录的内容`, [
      { path: 'progress', message: '进度未变化，请填写说明或节点' },
    ]);
  }
  if (milestone && action.milestones.length > 0 && !action.milestones.some((m) => m.title === milestone)) {
    throw Invalid('unknown_milestone', `决议中没有“${milestone}”这个节点`, [
      { path: 'milestone', message: `可选节点：${action.milestones.map((m) => m.title).join('、')}` },
    ]);
  }
  const entry: ProgressEntry = {
    at: toDate(now).toISOString(),
    by: actor,
    from: action.progress,
    to: input.progress,
    note,
    milestone,
  };
  const changed = input.progress !== action.progress;
  const next: TrackedAction = {
    ...action,
    progress: input.progress,
    done: input.progress === 100,
    history: [...action.history, entry],
  };
  const parts = [
    `联席会议决议“${action.text}”办理进度：${changed ? `${action.progress}% → ${input.progress}%` : `${input.progress}%`}`,
  ];
  if (milestone) parts.push(`已到节点“${milestone}”`);
  if (note) parts.push(`说明：${note}`);
  if (next.done) parts.push('已办结');
  return { action: next, changed, notice: parts.join('；') };
}

/** Past its due date and not done; `today` is the community's calendar day, "2024-06-01". */
export const isResolutionOverdue = (action: TrackedAction, today: string) =>
  !action.done && today > action.dueDate;

export const ReconsiderationInput = z.strictObject({
  reason: requiredText('请填写申请复议的理由（发现了哪些新情况）', 2000),
});

/**
 * A member of the meeting that made a resolution asks for re-deliberation (复议) because facts
 * changed (seed 001: 执行中如发现新的情况需要复议，应及时提交联席会议复议). The result is an agenda
 * item for the next meeting, linked to the old resolution; the old resolution is not touched and
 * stays on record. 403 for a non-member, 409 without a resolution or when a re-deliberation of it
 * is already waiting (`waiting`: the items not yet decided, from any meeting).
 */
export function requestReconsideration(
  community: Community,
  meeting: JointMeeting,
  actor: string,
  itemNo: number,
  raw: unknown,
  now: InstantLike,
  waiting: readonly AgendaItemDraft[] = [],
): AgendaItemDraft {
  if (!mayRequestReconsideration(meeting, actor)) {
    throw Forbidden('not_joint_member', '只有该次联席会议的成员才能申请复议');
  }
  const item = findItem(meeting, itemNo);
  if (item.status !== 'resolved' || !item.resolution) {
    throw Conflict('resolution_required', `第 ${item.no} 项议题没有决议，无需复议`);
  }
  const { reason } = parseInput(ReconsiderationInput, raw, 'reason_required', '申请复议需要填写理由');
  if (waiting.some((w) => w.reconsiders?.meeting === meeting.id && w.reconsiders.item === item.no)) {
    throw Conflict('reconsideration_pending', `该决议的复议申请已列入待审议议题，请勿重复申请`);
  }
  const reconsiders: ReconsiderationRef = {
    meeting: meeting.id,
    item: item.no,
    resolution: item.resolution.text,
    reason,
    requestedBy: actor,
    requestedAt: toDate(now).toISOString(),
  };
  const zoneResolution: ZoneResolutionRef | null = item.zoneResolution;
  const who = community.people.get(actor)?.name ?? actor;
  return {
    title: `复议：${item.title}（${who}申请）`,
    source: 'reconsideration',
    issues: item.issues,
    zoneResolution,
    reconsiders,
  };
}
