import { Conflict, Forbidden, Invalid } from '../errors';
import { CASE_STEP_NAMES } from './case-steps';
import { FINAL_STATUSES, type IssueStatus, STATUS_NAMES } from './schema';

/**
 * How a person stands towards one issue. Permissions are decided on these relations, which
 * `relationsTo` (access.ts) derives from the person's roles and the issue's routing.
 */
export const ISSUE_RELATIONS = [
  'system',
  'admin',
  'owner',
  'assignee',
  'reporter',
  'zone_inspector',
  'property_manager',
  'joint_meeting',
  // Case handling (issue 17): the zone's leader, the secretary and the leadership group by name
  // (arbiter of a disputed return, urging, parking), and `verifier`: a person whose role the
  // community's config names for on-site verification (caseRelations, case-handling.ts).
  'zone_leader',
  'secretary',
  'leadership',
  'verifier',
] as const;
export type IssueRelation = (typeof ISSUE_RELATIONS)[number];

export const ISSUE_ACTIONS = [
  'dispatch',
  'refer',
  'redispatch',
  'reassign',
  'accept',
  'return',
  'start',
  'resolve',
  'verify',
  'auto_close',
  'reject_fix',
  'escalate',
  'decide_dispatch',
  'decide_close',
  'merge',
  'reject',
  'inspect_pass',
  'inspect_fail',
  'park',
  'repark',
  'unpark',
] as const;
export type IssueAction = (typeof ISSUE_ACTIONS)[number];

export const ACTION_NAMES: Record<IssueAction, string> = {
  dispatch: '派单',
  refer: '提交联席会议',
  redispatch: '重新派单',
  reassign: '改派',
  accept: '接单',
  return: '退单',
  start: '开始处理',
  resolve: '办结',
  verify: '确认解决',
  auto_close: '逾期未确认自动关闭',
  reject_fix: '未解决，重开',
  escalate: '上报联席会议',
  decide_dispatch: '联席会议决议后派单',
  decide_close: '联席会议决议后关闭',
  merge: '合并为重复问题',
  reject: '驳回（无效或滥用）',
  inspect_pass: '现场核查通过，结案',
  inspect_fail: '现场核查未通过，返工',
  park: '挂账',
  repark: '挂账复核，继续挂账',
  unpark: '挂账复核，恢复办理',
};

/** What an action needs besides permission. */
export type Requirement =
  | 'note'
  | 'reason'
  | 'zone_resolution'
  | 'merge_target'
  | 'zone_tier'
  /** On-site photos (核查). */
  | 'photos'
  /** A review date after now (挂账). */
  | 'review_date';

export interface Transition {
  action: IssueAction;
  from: readonly IssueStatus[];
  to: IssueStatus;
  by: readonly IssueRelation[];
  needs: readonly Requirement[];
}

const OPEN: readonly IssueStatus[] = [
  'submitted',
  'dispatched',
  'accepted',
  'in_progress',
  'resolved',
  'reopened',
  'escalated',
  'parked',
];

/** Who may park an issue; the community's config narrows it to one (casePolicyRefusal). */
const PARKERS: readonly IssueRelation[] = ['owner', 'zone_leader', 'joint_meeting'];

/** The lifecycle (docs/domain.md §6) as data. `submitted` is left by routing (dispatch or refer). */
export const TRANSITIONS: readonly Transition[] = [
  { action: 'dispatch', from: ['submitted'], to: 'dispatched', by: ['system', 'owner', 'admin'], needs: [] },
  { action: 'refer', from: ['submitted'], to: 'escalated', by: ['system'], needs: [] },
  {
    action: 'redispatch',
    from: ['dispatched', 'reopened'],
    to: 'dispatched',
    // The system re-dispatches a reopened issue to whoever resolved it.
    by: ['system', 'owner', 'property_manager', 'admin'],
    needs: [],
  },
  // Reassigning the last task in hand puts the issue back to dispatched for the new assignee.
  {
    action: 'reassign',
    from: ['dispatched', 'accepted', 'in_progress'],
    to: 'dispatched',
    by: ['owner', 'property_manager', 'admin'],
    needs: ['note'],
  },
  { action: 'accept', from: ['dispatched'], to: 'accepted', by: ['assignee'], needs: [] },
  // A returned task goes back to the owner; the issue stays dispatched until re-dispatched.
  {
    action: 'return',
    from: ['dispatched', 'accepted'],
    to: 'dispatched',
    by: ['assignee'],
    needs: ['reason'],
  },
  { action: 'start', from: ['accepted'], to: 'in_progress', by: ['assignee'], needs: [] },
  { action: 'resolve', from: ['accepted', 'in_progress'], to: 'resolved', by: ['assignee'], needs: ['note'] },
  { action: 'verify', from: ['resolved'], to: 'closed', by: ['reporter', 'zone_inspector'], needs: [] },
  { action: 'auto_close', from: ['resolved'], to: 'closed', by: ['system'], needs: [] },
  {
    action: 'reject_fix',
    from: ['resolved'],
    to: 'reopened',
    by: ['reporter', 'zone_inspector'],
    needs: ['reason'],
  },
  {
    action: 'escalate',
    from: ['dispatched', 'accepted', 'in_progress', 'reopened'],
    to: 'escalated',
    by: ['owner'],
    needs: ['zone_tier', 'zone_resolution'],
  },
  {
    action: 'decide_dispatch',
    from: ['escalated'],
    to: 'dispatched',
    by: ['joint_meeting'],
    needs: ['note'],
  },
  { action: 'decide_close', from: ['escalated'], to: 'closed', by: ['joint_meeting'], needs: ['note'] },
  // 核查 (GB/T 30428): someone other than the resolver checks the fix on site, with photos. Only
  // for the categories the config names; the resolver is refused (casePolicyRefusal).
  { action: 'inspect_pass', from: ['resolved'], to: 'closed', by: ['verifier'], needs: ['photos'] },
  {
    action: 'inspect_fail',
    from: ['resolved'],
    to: 'reopened',
    by: ['verifier'],
    needs: ['reason', 'photos'],
  },
  // 挂账: cannot be solved now; the tasks in hand end, the review date brings it back to the owner.
  {
    action: 'park',
    from: ['dispatched', 'accepted', 'in_progress', 'reopened'],
    to: 'parked',
    by: PARKERS,
    needs: ['reason', 'review_date'],
  },
  { action: 'repark', from: ['parked'], to: 'parked', by: PARKERS, needs: ['reason', 'review_date'] },
  // Back to work: the step opens a task for the person named (the service's dispatch).
  { action: 'unpark', from: ['parked'], to: 'dispatched', by: PARKERS, needs: ['note'] },
  { action: 'merge', from: OPEN, to: 'merged', by: ['owner', 'admin'], needs: ['merge_target'] },
  { action: 'reject', from: OPEN, to: 'rejected', by: ['owner', 'admin'], needs: ['reason'] },
];

export const isFinal = (status: IssueStatus) => (FINAL_STATUSES as readonly IssueStatus[]).includes(status);

/** Actions that may fire from a state, for whoever holds one of `relations`. */
export function allowedActions(status: IssueStatus, relations: readonly IssueRelation[]): IssueAction[] {
  return TRANSITIONS.filter((t) => t.from.includes(status) && t.by.some((r) => relations.includes(r))).map(
    (t) => t.action,
  );
}

export interface TransitionContext {
  tier?: string;
  note?: string;
  reason?: string;
  hasZoneResolution?: boolean;
  mergeTarget?: string;
  /** How many photos come with the step (核查). */
  photoCount?: number;
  /** The review date of a parking, and the instant it is asked (it must lie ahead). */
  reviewAt?: Date;
  now?: Date;
}

/**
 * Check one transition. Refuses, in this order: an action the state does not allow (409, listing
 * what is allowed from there), a person without a relation that may fire it (403), a missing
 * requirement (400 or 409). Returns the target state.
 */
export function applyTransition(
  status: IssueStatus,
  action: IssueAction,
  relations: readonly IssueRelation[],
  ctx: TransitionContext = {},
): IssueStatus {
  const t = TRANSITIONS.find((x) => x.action === action)!;
  if (!t.from.includes(status)) {
    const allowed = TRANSITIONS.filter((x) => x.from.includes(status)).map((x) => x.action);
    throw Conflict(
      'invalid_transition',
      `问题当前状态为“${STATUS_NAMES[status]}”，不能执行“${ACTION_NAMES[action]}”。` +
        (allowed.length ? `当前可执行：${allowed.map((a) => ACTION_NAMES[a]).join('、')}` : '该问题已结束。'),
      [{ path: 'action', message: `state=${status}`, state: status, allowed }],
    );
  }
  if (!t.by.some((r) => relations.includes(r))) {
    throw Forbidden('action_not_permitted', `您无权对此问题执行“${ACTION_NAMES[action]}”`);
  }
  for (const need of t.needs) {
    if (need === 'note' && !ctx.note?.trim()) {
      throw Invalid('note_required', `“${ACTION_NAMES[action]}”需要填写处理说明`, [
        { path: 'note', message: '请填写说明' },
      ]);
    }
    if (need === 'reason' && !ctx.reason?.trim()) {
      throw Invalid('reason_required', `“${ACTION_NAMES[action]}”需要填写原因`, [
        { path: 'reason', message: '请填写原因' },
      ]);
    }
    if (need === 'merge_target' && !ctx.mergeTarget) {
      throw Invalid('merge_target_required', '请指定要合并到的问题', [
        { path: 'target', message: '缺少目标问题' },
      ]);
    }
    if (need === 'photos' && !ctx.photoCount) {
      throw Invalid('photos_required', `“${ACTION_NAMES[action]}”需要上传现场照片`, [
        { path: 'photoIds', message: '请至少上传 1 张现场照片' },
      ]);
    }
    if (need === 'review_date' && (!ctx.reviewAt || (ctx.now && ctx.reviewAt <= ctx.now))) {
      throw Invalid('review_date_required', `“${ACTION_NAMES[action]}”需要一个今后的复核日期`, [
        { path: 'reviewDate', message: '复核日期须晚于今天' },
      ]);
    }
    if (need === 'zone_tier' && ctx.tier !== 'zone') {
      throw Conflict('not_zone_tier', '只有责任区域层级的问题才能由区域上报联席会议');
    }
    if (need === 'zone_resolution' && !ctx.hasZoneResolution) {
      throw Conflict('zone_resolution_required', '上报联席会议前须先召开区域会议并形成上报决议');
    }
  }
  return t.to;
}

/** Events in an issue's record that are not lifecycle transitions. */
export const EVENT_NAMES: Record<string, string> = {
  submit: '提交',
  rate: '评价',
  report_back: '应急处置报备',
  report_back_missed: '未按时报备',
  overdue_reminder: '超时提示',
  letter_issued: '发出函件',
  zone_plan: '区域会议形成方案',
  zone_resolution: '区域会议决议上报',
  joint_agenda: '列入联席会议议程',
  joint_resolution: '联席会议复议决议',
  resolution_progress: '决议办理进度',
  reconsideration: '申请复议',
  owners_assembly: '业主大会表决',
  fund_notice: '维修资金方案公示',
  fund_oc_report: '维修资金方案上报业委会',
  merged_in: '合并重复问题',
  fund_oc_acknowledged: '业委会签收维修资金方案报告',
  contact_reporter: '联系反映人',
  phone_callback: '电话回访',
  park_review_due: '挂账到期提醒',
};

/** Internal follow-up that the resident's tracking page does not show. */
export const INTERNAL_EVENTS: readonly string[] = [
  'report_back',
  'report_back_missed',
  'overdue_reminder',
  'letter_issued',
  'park_review_due',
];

/** A readable name for any event in the record. */
export const eventName = (action: string) =>
  ACTION_NAMES[action as IssueAction] ??
  EVENT_NAMES[action] ??
  CASE_STEP_NAMES[action as keyof typeof CASE_STEP_NAMES] ??
  action;
