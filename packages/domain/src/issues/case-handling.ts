import { z } from 'zod';
import { DAY_MS, dayNumber } from '../calendar/days';
import { instantAt } from '../calendar/zone';
import type { CaseHandlingConfig } from '../community/schema';
import { Conflict, type DomainError, Forbidden, Invalid } from '../errors';
import { isActiveTask, type TaskStatus } from '../tasks/lifecycle';
import { CASE_STEP_NAMES, CASE_STEPS, type CaseStep } from './case-steps';
import { allowedActions, type IssueAction, type IssueRelation, isFinal } from './lifecycle';
import type { IssueStatus, Tier } from './schema';

/**
 * Case handling to the national standard (issue 17; GB/T 30428 数字化城市管理): on-site
 * verification (核查) before closing, extensions (延期), parking (挂账), disputed returns (退单争议)
 * and urging (督办). The transitions among them (inspect_pass / inspect_fail, park / repark / unpark)
 * are rows of TRANSITIONS (lifecycle.ts) with the config's further rules here (casePolicyRefusal);
 * the steps that leave the state as it is are the CASE_STEPS table below.
 */

/** Whether a category's fix is checked on site before the case closes. */
export const needsInspection = (cfg: CaseHandlingConfig, category: string) =>
  cfg.verification.categories.includes(category);

/**
 * The relations a person holds for case handling on top of relationsTo: `verifier` when one of
 * their relations is a role the config names for verification. Whether they resolved it themselves
 * is judged by casePolicyRefusal (a 403 that says so).
 */
export function caseRelations(relations: readonly IssueRelation[], cfg: CaseHandlingConfig): IssueRelation[] {
  const verifier = cfg.verification.by.some((r) => relations.includes(r));
  return verifier && !relations.includes('verifier') ? [...relations, 'verifier'] : [...relations];
}

export interface CasePolicyFacts {
  category: string;
  /** Person key of whoever resolved the issue last, if a person did. */
  resolvedBy: string | null;
  /** The acting person's key (null: a resident, an admin without a person, the system). */
  person: string | null;
  /** A `park` fired by approving a pending parking request (approve_parking). */
  parkingApproved?: boolean;
}

const PARKING_NAMES: Record<CaseHandlingConfig['parking']['by'], string> = {
  owner: '问题负责人',
  zone_leader: '区域组长',
  joint_meeting: '联席会议（书记或领导小组）',
};

/**
 * The config's rules on a transition the lifecycle table already allows (state, relation,
 * requirements checked): null, or the refusal.
 *
 * - `inspect_pass` / `inspect_fail` only where the category needs on-site verification (409), and
 *   never by the person who resolved it (403 own_fix);
 * - `verify` where the category needs it: only the reporter, and only if the config lets the
 *   reporter's confirmation count (409 inspection_required); elsewhere a zone inspector may not
 *   confirm his own fix (403 own_fix);
 * - `reject_fix` where the category needs it: only the reporter (a verifier fails the check on
 *   site instead, 409 inspection_required);
 * - `auto_close` never closes an issue waiting for on-site verification (409): the follow-up
 *   clock leaves it in the verifiers' queue;
 * - `park` / `repark` / `unpark` by the configured party only (403).
 */
export function casePolicyRefusal(
  action: IssueAction,
  relations: readonly IssueRelation[],
  facts: CasePolicyFacts,
  cfg: CaseHandlingConfig,
): DomainError | null {
  const inspected = needsInspection(cfg, facts.category);
  const ownFix = facts.person !== null && facts.person === facts.resolvedBy;
  const own = () => Forbidden('own_fix', '办结人不能核查或确认自己办结的问题，须由其他人员现场核查');
  switch (action) {
    case 'inspect_pass':
    case 'inspect_fail':
      if (!inspected) {
        return Conflict('inspection_not_required', '该类问题无须现场核查，可直接确认解决', [
          { path: 'action', message: 'inspection_not_required', allowed: ['verify', 'reject_fix'] },
        ]);
      }
      return ownFix ? own() : null;
    case 'verify':
      if (inspected) {
        if (relations.includes('reporter') && cfg.verification.reporterCounts) return null;
        return Conflict('inspection_required', '该类问题须经现场核查通过后才能结案', [
          { path: 'action', message: 'inspection_required', allowed: ['inspect_pass', 'inspect_fail'] },
        ]);
      }
      return ownFix && !relations.includes('reporter') ? own() : null;
    case 'reject_fix':
      // The reporter may always say "not fixed"; a verifier fails the check on site instead.
      if (inspected && !relations.includes('reporter')) {
        return Conflict('inspection_required', '该类问题请通过现场核查（附照片）给出结论', [
          { path: 'action', message: 'inspection_required', allowed: ['inspect_pass', 'inspect_fail'] },
        ]);
      }
      return null;
    case 'auto_close':
      return inspected ? Conflict('inspection_required', '该类问题须经现场核查通过后才能结案') : null;
    case 'park':
    case 'repark':
    case 'unpark': {
      const { by, approval } = cfg.parking;
      if (relations.includes('admin')) return null;
      if (approval === 'none') {
        if (relations.includes(by)) return null;
        return Forbidden('parking_not_permitted', `按本社区规定，挂账须由${PARKING_NAMES[by]}决定`);
      }
      // With an approval step the first parking goes through a request the approver decides;
      // the review of a parked issue (repark / unpark) is for either party.
      if (action !== 'park') {
        if (relations.includes(by) || relations.includes(approval)) return null;
      } else {
        if (facts.parkingApproved && relations.includes(approval)) return null;
        if (relations.includes(by)) {
          return Conflict(
            'parking_needs_approval',
            `按本社区规定，挂账须经${PARKING_NAMES[approval]}同意，请提交挂账申请`,
            [{ path: 'action', message: 'parking_needs_approval', allowed: ['request_parking'] }],
          );
        }
      }
      return Forbidden(
        'parking_not_permitted',
        `按本社区规定，挂账由${PARKING_NAMES[by]}申请、经${PARKING_NAMES[approval]}同意`,
      );
    }
    default:
      return null;
  }
}

export { CASE_STEP_NAMES, CASE_STEPS, type CaseStep, CaseStepSchema } from './case-steps';

/** What the case steps look at. */
export interface CaseFacts {
  status: IssueStatus;
  tier: Tier;
  now: Date;
  /** The acting person's task in hand and its resolve deadline (延期 is asked on one's own task). */
  ownTaskDueAt: Date | null;
  pendingExtension: boolean;
  pendingDispute: boolean;
  /** Someone returned the work and nobody holds it now (a 退单 the owner may dispute). */
  disputableReturn: boolean;
  /**
   * 挂账 (config `parking`): who parks or, with an approval step, requests (`parking.by`), and who
   * approves (`parking.approval`; null when the configured party parks directly).
   */
  parkingRequester: IssueRelation | null;
  parkingApprover: IssueRelation | null;
  pendingParking: boolean;
}

interface CaseRule {
  step: CaseStep;
  /** States the step may fire from. */
  from: readonly IssueStatus[];
  /** Who may fire it (the arbiter depends on the tier). */
  by: (f: CaseFacts) => readonly IssueRelation[];
  /** Whether the case stands where the step applies (false: 409 with what is allowed). */
  when: (f: CaseFacts) => boolean;
  /** Why `when` fails, for the 409. */
  not: string;
}

const WORKING: readonly IssueStatus[] = ['dispatched', 'accepted', 'in_progress'];
/** The states a park may fire from (lifecycle.ts, row `park`). */
const PARKABLE: readonly IssueStatus[] = ['dispatched', 'accepted', 'in_progress', 'reopened'];
const OPEN_CASE: readonly IssueStatus[] = [
  'submitted',
  'dispatched',
  'accepted',
  'in_progress',
  'resolved',
  'reopened',
  'escalated',
  'parked',
];

/** The arbiter of a disputed return: the zone's leader for a zone issue, the secretary otherwise. */
export const arbiterOf = (tier: Tier): IssueRelation => (tier === 'zone' ? 'zone_leader' : 'secretary');

export const CASE_RULES: readonly CaseRule[] = [
  {
    step: 'request_extension',
    from: WORKING,
    by: () => ['assignee'],
    when: (f) => !f.pendingExtension && f.ownTaskDueAt !== null && f.now < f.ownTaskDueAt,
    not: '延期须在办结时限届满前申请，且同一问题同时只能有一项待审批的延期申请',
  },
  {
    step: 'approve_extension',
    from: WORKING,
    by: () => ['owner', 'admin'],
    when: (f) => f.pendingExtension,
    not: '没有待审批的延期申请',
  },
  {
    step: 'refuse_extension',
    from: WORKING,
    by: () => ['owner', 'admin'],
    when: (f) => f.pendingExtension,
    not: '没有待审批的延期申请',
  },
  {
    step: 'dispute_return',
    from: ['dispatched'],
    by: () => ['owner'],
    when: (f) => f.disputableReturn && !f.pendingDispute,
    not: '没有可提请裁定的退单（已有人接手，或已提请裁定）',
  },
  {
    step: 'uphold_return',
    from: ['dispatched'],
    by: (f) => [arbiterOf(f.tier)],
    when: (f) => f.pendingDispute,
    not: '没有待裁定的退单争议',
  },
  {
    step: 'overrule_return',
    from: ['dispatched'],
    by: (f) => [arbiterOf(f.tier)],
    when: (f) => f.pendingDispute,
    not: '没有待裁定的退单争议',
  },
  { step: 'urge', from: OPEN_CASE, by: () => ['secretary', 'leadership'], when: () => true, not: '' },
  {
    step: 'request_parking',
    from: PARKABLE,
    by: (f) => (f.parkingRequester ? [f.parkingRequester] : []),
    when: (f) => f.parkingApprover !== null && !f.pendingParking,
    not: '本社区挂账无须审批（可直接挂账），或已有待审批的挂账申请',
  },
  {
    step: 'approve_parking',
    from: PARKABLE,
    by: (f) => (f.parkingApprover ? [f.parkingApprover, 'admin'] : ['admin']),
    when: (f) => f.pendingParking,
    not: '没有待审批的挂账申请',
  },
  {
    step: 'refuse_parking',
    from: PARKABLE,
    by: (f) => (f.parkingApprover ? [f.parkingApprover, 'admin'] : ['admin']),
    when: (f) => f.pendingParking,
    not: '没有待审批的挂账申请',
  },
];

const ruleOf = (step: CaseStep) => CASE_RULES.find((r) => r.step === step)!;
const stands = (r: CaseRule, f: CaseFacts) => r.from.includes(f.status) && r.when(f);

/** The case steps the case allows now, whoever asks (for the 409's list). */
export const caseStepsOpen = (f: CaseFacts): CaseStep[] =>
  CASE_RULES.filter((r) => stands(r, f)).map((r) => r.step);

/** The case steps this person may take now (the issue view's capabilities). */
export const allowedCaseSteps = (relations: readonly IssueRelation[], f: CaseFacts): CaseStep[] =>
  CASE_RULES.filter((r) => stands(r, f) && r.by(f).some((b) => relations.includes(b))).map((r) => r.step);

export interface CaseStepInput {
  reason?: string | undefined;
  note?: string | undefined;
  /** The new resolve deadline asked for (延期). */
  newDueAt?: Date | undefined;
  /** The review date asked for (挂账申请: 00:00 of that day, community time). */
  reviewAt?: Date | undefined;
}

/**
 * Check one case step. Refuses, in this order: a state that does not allow it (409, listing the
 * steps allowed now), a person who may not take it (403), a case where it does not apply now — no
 * pending request, the deadline passed (409, the same list) — and malformed content (400 with the
 * path). The person comes before the case's condition so that a stranger hears "not yours", not
 * "nothing pending".
 */
export function checkCaseStep(
  step: CaseStep,
  relations: readonly IssueRelation[],
  f: CaseFacts,
  input: CaseStepInput = {},
): void {
  const rule = ruleOf(step);
  const refuse = () => {
    const allowed = caseStepsOpen(f);
    const why = isFinal(f.status) ? '该问题已结束。' : !rule.from.includes(f.status) ? '' : rule.not;
    return Conflict(
      'case_step_not_allowed',
      `当前不能“${CASE_STEP_NAMES[step]}”。${why}` +
        (allowed.length ? `当前可执行：${allowed.map((s) => CASE_STEP_NAMES[s]).join('、')}` : ''),
      [{ path: 'action', message: `state=${f.status}`, state: f.status, allowed }],
    );
  };
  if (!rule.from.includes(f.status)) throw refuse();
  if (!rule.by(f).some((b) => relations.includes(b))) {
    const who =
      step === 'uphold_return' || step === 'overrule_return'
        ? f.tier === 'zone'
          ? '（由区域组长裁定）'
          : '（由书记裁定）'
        : '';
    throw Forbidden('action_not_permitted', `您无权“${CASE_STEP_NAMES[step]}”${who}`);
  }
  if (!rule.when(f)) throw refuse();
  if (
    (step === 'request_extension' || step === 'dispute_return' || step === 'request_parking') &&
    !input.reason?.trim()
  ) {
    throw Invalid('reason_required', `“${CASE_STEP_NAMES[step]}”需要填写原因`, [
      { path: 'reason', message: '请填写原因' },
    ]);
  }
  if (step === 'urge' && !input.note?.trim()) {
    throw Invalid('note_required', '督办需要填写督办意见', [{ path: 'note', message: '请填写督办意见' }]);
  }
  if (step === 'request_parking' && !(input.reviewAt && input.reviewAt > f.now)) {
    throw Invalid('review_date_required', '“申请挂账”需要一个今后的复核日期', [
      { path: 'reviewDate', message: '复核日期须晚于今天' },
    ]);
  }
  if (
    step === 'request_extension' &&
    !(input.newDueAt && f.ownTaskDueAt && input.newDueAt > f.ownTaskDueAt)
  ) {
    throw Invalid('new_due_invalid', '新的办结时限须晚于当前时限', [
      { path: 'newDueDate', message: '须晚于当前办结时限' },
    ]);
  }
}

/**
 * The lifecycle actions this person may fire now, after the community's case-handling rules (the
 * issue view's capabilities; writeIssue refuses the rest with the same rules).
 */
export function caseAllowedActions(
  status: IssueStatus,
  relations: readonly IssueRelation[],
  facts: CasePolicyFacts,
  cfg: CaseHandlingConfig,
): IssueAction[] {
  const rel = caseRelations(relations, cfg);
  return allowedActions(status, rel).filter((a) => !casePolicyRefusal(a, rel, facts, cfg));
}

/** Whether an action is a case step (not a lifecycle transition). */
export const isCaseStep = (a: string): a is CaseStep => (CASE_STEPS as readonly string[]).includes(a);

/** A task as the case steps see it, in the order tasks were opened. */
export interface CaseTaskFact {
  id: string;
  assignee: string;
  status: TaskStatus;
  resolveDueAt: Date | null;
}

/** The case facts of an issue for one person, from its tasks and its pending requests. */
export function caseFactsOf(
  issue: { status: IssueStatus; tier: Tier },
  tasks: readonly CaseTaskFact[],
  pending: { extension: boolean; dispute: boolean; parking: boolean },
  person: string | null,
  now: Date,
  parking: CaseHandlingConfig['parking'],
): CaseFacts {
  const own = person ? tasks.find((t) => t.assignee === person && isActiveTask(t.status)) : undefined;
  const last = tasks.at(-1);
  return {
    status: issue.status,
    tier: issue.tier,
    now,
    ownTaskDueAt: own?.resolveDueAt ?? null,
    pendingExtension: pending.extension,
    pendingDispute: pending.dispute,
    disputableReturn: !tasks.some((t) => isActiveTask(t.status)) && last?.status === 'returned',
    parkingRequester: parking.by,
    parkingApprover: parking.approval === 'none' ? null : parking.approval,
    pendingParking: pending.parking,
  };
}

/**
 * The resolve deadline of the task a rework opens (after `inspect_fail` or the reporter's "not
 * fixed"): the SLA counted afresh from the reopening, but never earlier than the extended deadline
 * the owner approved (延期) — the approval granted the handler until that date to do the work, and a
 * failed check does not take it back. `approvedExtension` is the newest approved extension's
 * deadline on the issue (null when none was approved). The accept deadline stays the fresh one.
 */
export const reworkResolveBy = (fresh: Date, approvedExtension: Date | null): Date =>
  approvedExtension && approvedExtension > fresh ? approvedExtension : fresh;

/**
 * 挂账到期提醒: a parked issue whose review date has come (00:00 community time) and that has not
 * been reminded since that date. The follow-up clock tells the owner and whoever parked it, once per
 * review date: `lastRemindedAt` is the newest reminder's instant (an event), so a re-park with a
 * later date is reminded again on that date, and a second pass (another process, a restart) is not.
 */
export const parkReviewReminderDue = (
  f: { status: IssueStatus; parkedUntil: Date | null; lastRemindedAt: Date | null },
  now: Date,
): boolean =>
  f.status === 'parked' &&
  f.parkedUntil !== null &&
  f.parkedUntil <= now &&
  !(f.lastRemindedAt !== null && f.lastRemindedAt >= f.parkedUntil);

// ---- requests and views (the routes' zod schemas) ----

const Reason = (what: string) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .min(2, `请填写${what}，至少 2 个字`)
    .max(500, `${what}最多 500 字`);
const DayField = z.iso.date('日期格式应为 YYYY-MM-DD，例如 2026-05-31');
const PhotoIdList = z.array(z.uuid('照片编号无效')).max(9, '最多 9 张照片').default([]);

/** 核查: pass (photos) or fail (reason + photos). */
export const InspectionInput = z
  .strictObject({
    passed: z.boolean({ error: '请选择核查结果' }),
    note: z.string().trim().max(500, '说明最多 500 字').optional(),
    reason: z.string().trim().max(500, '原因最多 500 字').optional(),
    photoIds: PhotoIdList,
  })
  .superRefine((v, c) => {
    if (!v.passed && (v.reason?.length ?? 0) < 2) {
      c.addIssue({ code: 'custom', path: ['reason'], message: '核查未通过时请说明原因，至少 2 个字' });
    }
  });
export type InspectionInput = z.infer<typeof InspectionInput>;

export const ParkInput = z.strictObject({ reason: Reason('挂账原因'), reviewDate: DayField });
export type ParkInput = z.infer<typeof ParkInput>;

/** The review of a parked issue: back to work with someone, or parked again until a new date. */
export const ParkReviewInput = z.discriminatedUnion(
  'decision',
  [
    z.strictObject({
      decision: z.literal('unpark'),
      assignee: z.string().trim().min(1, '请选择处理人').max(32, '人员编号无效'),
      note: Reason('恢复办理说明'),
    }),
    z.strictObject({ decision: z.literal('repark'), reason: Reason('继续挂账原因'), reviewDate: DayField }),
  ],
  { error: '请选择恢复办理（unpark）或继续挂账（repark）' },
);
export type ParkReviewInput = z.infer<typeof ParkReviewInput>;

export const ExtensionInput = z.strictObject({ reason: Reason('延期原因'), newDueDate: DayField });
export type ExtensionInput = z.infer<typeof ExtensionInput>;

export const ExtensionDecisionInput = z.strictObject({
  approve: z.boolean({ error: '请选择同意或不同意' }),
  note: z.string().trim().max(500, '说明最多 500 字').optional(),
});
export type ExtensionDecisionInput = z.infer<typeof ExtensionDecisionInput>;

export const DisputeInput = z.strictObject({ reason: Reason('异议理由') });
export type DisputeInput = z.infer<typeof DisputeInput>;

export const DisputeDecisionInput = z.strictObject({
  returnStands: z.boolean({ error: '请选择退单是否成立' }),
  note: Reason('裁定意见'),
});
export type DisputeDecisionInput = z.infer<typeof DisputeDecisionInput>;

/** 挂账申请 (with an approval step): the same content as a parking. */
export const ParkingRequestInput = ParkInput;
export type ParkingRequestInput = ParkInput;

export const ParkingDecisionInput = ExtensionDecisionInput;
export type ParkingDecisionInput = ExtensionDecisionInput;

export const UrgeInput = z.strictObject({ note: Reason('督办意见') });
export type UrgeInput = z.infer<typeof UrgeInput>;

const Ref = z.object({ key: z.string(), name: z.string() });

/** What the issue view says about case handling (issue 17). */
export const CaseHandlingView = z.object({
  /** The category's fix is checked on site before closing. */
  needsInspection: z.boolean(),
  resolvedBy: Ref.nullable(),
  /** The review date while parked. */
  parkedUntil: z.string().nullable(),
  parkCount: z.number().int(),
  extensionCount: z.number().int(),
  urgeCount: z.number().int(),
  /** 返工: reopenings (not fixed, or the on-site verification failed). */
  reworkCount: z.number().int(),
  pendingExtension: z
    .object({ by: Ref, reason: z.string(), currentDueAt: z.string(), newDueAt: z.string(), at: z.string() })
    .nullable(),
  pendingDispute: z.object({ by: Ref, assignee: Ref, reason: z.string(), at: z.string() }).nullable(),
  /** A 挂账 request waiting for the configured approver (config `parking.approval`). */
  pendingParking: z.object({ by: Ref, reason: z.string(), reviewAt: z.string(), at: z.string() }).nullable(),
});
export type CaseHandlingView = z.infer<typeof CaseHandlingView>;

/** An extension's new deadline: the end of the day asked for, on the community's clock. */
export const endOfLocalDay = (day: string, timeZone: string) =>
  instantAt(dayNumber(day), DAY_MS - 1000, timeZone);
/** A parking's review: due from the start of its day, on the community's clock. */
export const startOfLocalDay = (day: string, timeZone: string) => instantAt(dayNumber(day), 0, timeZone);
