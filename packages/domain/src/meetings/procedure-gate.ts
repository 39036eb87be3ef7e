import { Conflict, type DomainError } from '../errors';
import { ACTION_NAMES, type IssueAction } from '../issues/lifecycle';
import { type FundUseOptions, type FundUseState, fundUseGate } from './fund-use';
import type { InstantLike } from './time';

/**
 * The procedures an issue's facts impose before its work is done (docs/domain.md §5 rules 5–6,
 * plan §四.1 and §四.3): shared parts (共用部位、共用设施设备) need the owners' assembly's approval
 * (Civil Code art. 278); the maintenance fund needs the assembly, the public notice (公示) for N
 * days, and the report received by the owners' committee (业委会). Until then nobody dispatches the
 * work, resolves it or closes the issue; the intake task is a first look (勘查) that can only be
 * returned with its finding. Rejecting the issue (invalid, or the owners voted it down) and merging
 * it stay open. Pure: the issue write path and the capabilities both call it.
 */
export const PROCEDURE_GATED_ACTIONS = [
  'redispatch',
  'resolve',
  'verify',
  'decide_close',
] as const satisfies readonly IssueAction[];

export interface ProcedureFacts {
  usesMaintenanceFund: boolean;
  touchesSharedParts: boolean;
}

export interface ProcedureState extends FundUseState {
  /** The latest owners'-assembly vote on the issue, whatever its matter (shared parts). */
  latestAssemblyPassed?: boolean | null;
}

const isGated = (action: string): boolean => (PROCEDURE_GATED_ACTIONS as readonly string[]).includes(action);

/** Why `action` may not fire on this issue now, or null when it may. Never throws. */
export function procedureRefusal(
  action: IssueAction | string,
  facts: ProcedureFacts,
  state: ProcedureState,
  now: InstantLike,
  options: FundUseOptions = {},
): DomainError | null {
  if (!isGated(action)) return null;
  const name = ACTION_NAMES[action as IssueAction] ?? action;
  if (facts.usesMaintenanceFund) {
    const gate = fundUseGate(state, now, options);
    if (!gate.canStart) {
      return Conflict(
        'fund_use_not_ready',
        `动用维修资金的程序尚未完成，不能${action === 'redispatch' ? '开工' : `“${name}”`}：${gate.missing.join('；')}`,
        gate.steps.filter((s) => !s.done).map((s) => ({ path: s.step, message: s.text })),
      );
    }
  }
  if (facts.touchesSharedParts && state.latestAssemblyPassed !== true) {
    const text =
      state.latestAssemblyPassed === false
        ? '最近一次业主大会表决未通过'
        : '尚未经业主大会表决（涉及住宅共用部位、共用设施设备）';
    return Conflict(
      'owners_assembly_required',
      `涉及共用部位的处置方案须经业主大会表决通过，不能“${name}”：${text}`,
      [{ path: 'assembly', message: text }],
    );
  }
  return null;
}

/** The same rule as a refusal: 409 with a stable code and what is missing. */
export function assertProcedureAllows(
  action: IssueAction | string,
  facts: ProcedureFacts,
  state: ProcedureState,
  now: InstantLike,
  options: FundUseOptions = {},
) {
  const refusal = procedureRefusal(action, facts, state, now, options);
  if (refusal) throw refusal;
}

/** The capabilities' side: the actions of `actions` the procedure lets fire now. */
export function actionsProcedureAllows<A extends string>(
  actions: readonly A[],
  facts: ProcedureFacts,
  state: ProcedureState,
  now: InstantLike,
  options: FundUseOptions = {},
): A[] {
  return actions.filter((a) => procedureRefusal(a, facts, state, now, options) === null);
}

/** Whether an issue's facts impose a procedure at all (no state needs loading otherwise). */
export const needsProcedure = (facts: ProcedureFacts) =>
  facts.usesMaintenanceFund || facts.touchesSharedParts;
