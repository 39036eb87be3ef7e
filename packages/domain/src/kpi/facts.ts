import type { IssueAction } from '../issues/lifecycle';
import type { IssueStatus } from '../issues/schema';

/**
 * The KPI facts an issue keeps on its row, and the one rule for each. Handled (docs/domain.md §11): the
 * issue reached `resolved` or `closed`, or the joint meeting decided on it (a decision to dispatch
 * or to close, or a new resolution on a re-deliberation). Only the first time counts: timeliness is
 * when the work was first done; a later "not fixed" counts against effectiveness instead.
 */
export const JOINT_DECISION_ACTIONS = ['decide_dispatch', 'decide_close', 'joint_resolution'] as const;

export const handlesIssue = (action: IssueAction | string, to: IssueStatus) =>
  to === 'resolved' || to === 'closed' || (JOINT_DECISION_ACTIONS as readonly string[]).includes(action);

/**
 * A reopening: the reporter or an inspector says "not fixed", or the on-site verification fails
 * (核查未通过 = 返工).
 */
export const reopensIssue = (action: IssueAction | string) =>
  action === 'reject_fix' || action === 'inspect_fail';

/**
 * The rating thresholds (docs/domain.md §11). A rating of at least SATISFIED_SCORE counts toward 满意率
 * (ratings ≥ 4 / ratings); a handled issue rated below EFFECTIVE_SCORE is not effective (rating, if
 * any, ≥ 3). The KPI query (apps/api services/kpi/compute-kpis.ts) reads them from here.
 */
export const SATISFIED_SCORE = 4;
export const EFFECTIVE_SCORE = 3;
