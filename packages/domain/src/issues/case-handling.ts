import { z } from 'zod';
import type { CaseHandlingConfig } from '../community/schema';
import { Conflict, type DomainError, Forbidden, Invalid } from '../errors';
import { type IssueAction, type IssueRelation, isFinal } from './lifecycle';
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
    case 'auto_close':
      return inspected ? Conflict('inspection_required', '该类问题须经现场核查通过后才能结案') : null;
    case 'park':
    case 'repark':
    case 'unpark': {
      const by = cfg.parking.by;
      if (relations.includes(by) || relations.includes('admin')) return null;
      return Forbidden('parking_not_permitted', `按本社区规定，挂账须由${PARKING_NAMES[by]}决定`);
    }
    default:
      return null;
  }
}

/** The steps that record an event and leave the issue's state as it is. */
export const CASE_STEPS = [
  'request_extension',
  'approve_extension',
  'refuse_extension',
  'dispute_return',
  'uphold_return',
  'overrule_return',
  'urge',
] as const;
export type CaseStep = (typeof CASE_STEPS)[number];
export const CaseStepSchema = z.enum(CASE_STEPS);

export const CASE_STEP_NAMES: Record<CaseStep, string> = {
  request_extension: '申请延期',
  approve_extension: '同意延期',
  refuse_extension: '不同意延期',
  dispute_return: '对退单有异议，提请裁定',
  uphold_return: '裁定退单成立',
  overrule_return: '裁定退单不成立，原承办人重新办理',
  urge: '督办',
};

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
    from: ['dispatched', 'reopened'],
    by: () => ['owner'],
    when: (f) => f.disputableReturn && !f.pendingDispute,
    not: '没有可提请裁定的退单（已有人接手，或已提请裁定）',
  },
  {
    step: 'uphold_return',
    from: ['dispatched', 'reopened'],
    by: (f) => [arbiterOf(f.tier)],
    when: (f) => f.pendingDispute,
    not: '没有待裁定的退单争议',
  },
  {
    step: 'overrule_return',
    from: ['dispatched', 'reopened'],
    by: (f) => [arbiterOf(f.tier)],
    when: (f) => f.pendingDispute,
    not: '没有待裁定的退单争议',
  },
  { step: 'urge', from: OPEN_CASE, by: () => ['secretary', 'leadership'], when: () => true, not: '' },
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
}

/**
 * Check one case step. Refuses, in this order: a case that does not allow it (409, listing the
 * steps allowed now), a person who may not take it (403), malformed content (400 with the path).
 */
export function checkCaseStep(
  step: CaseStep,
  relations: readonly IssueRelation[],
  f: CaseFacts,
  input: CaseStepInput = {},
): void {
  const rule = ruleOf(step);
  if (!stands(rule, f)) {
    const allowed = caseStepsOpen(f);
    const why = isFinal(f.status) ? '该问题已结束。' : !rule.from.includes(f.status) ? '' : rule.not;
    throw Conflict(
      'case_step_not_allowed',
      `当前不能“${CASE_STEP_NAMES[step]}”。${why}` +
        (allowed.length ? `当前可执行：${allowed.map((s) => CASE_STEP_NAMES[s]).join('、')}` : ''),
      [{ path: 'action', message: `state=${f.status}`, state: f.status, allowed }],
    );
  }
  if (!rule.by(f).some((b) => relations.includes(b))) {
    const who =
      step === 'uphold_return' || step === 'overrule_return'
        ? f.tier === 'zone'
          ? '（由区域组长裁定）'
          : '（由书记裁定）'
        : '';
    throw Forbidden('action_not_permitted', `您无权“${CASE_STEP_NAMES[step]}”${who}`);
  }
  if ((step === 'request_extension' || step === 'dispute_return') && !input.reason?.trim()) {
    throw Invalid('reason_required', `“${CASE_STEP_NAMES[step]}”需要填写原因`, [
      { path: 'reason', message: '请填写原因' },
    ]);
  }
  if (step === 'urge' && !input.note?.trim()) {
    throw Invalid('note_required', '督办需要填写督办意见', [{ path: 'note', message: '请填写督办意见' }]);
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

/** Whether an action is a case step (not a lifecycle transition). */
export const isCaseStep = (a: string): a is CaseStep => (CASE_STEPS as readonly string[]).includes(a);
