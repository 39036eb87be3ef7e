import type { IssueAction } from '../issues/lifecycle';
import type { IssueStatus } from '../issues/schema';
import type { KpiCounts } from './formulas';

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

/** The facts of one received issue that the KPI counts read (the issue row and its one rating). */
export interface IssueKpiFacts {
  handledAt: Date | null;
  reopenCount: number;
  resolveDueAt: Date | null;
  contactDueAt: Date | null;
  firstContactAt: Date | null;
  closedAt: Date | null;
  /** The 回访 (online rating or phone callback): 满意吗 as a score, 解决了吗 as `fixed`. */
  rating: { score: number; fixed: boolean } | null;
}

const onOrBefore = (a: Date | null, b: Date | null) => a !== null && b !== null && a.getTime() <= b.getTime();

/**
 * What one received issue adds to each count of docs/domain.md §11 (0 or 1 each), at `now`. The
 * KPI query counts the same in SQL (apps/api services/kpi/compute-kpis.ts); this is the rule in
 * words a test can check by hand, and the benchmark's reference.
 */
export function issueKpiCounts(f: IssueKpiFacts, now: Date): KpiCounts {
  const handled = f.handledAt !== null;
  const one = (b: boolean) => (b ? 1 : 0);
  const score = f.rating?.score ?? null;
  return {
    received: 1,
    handled: one(handled),
    effective: one(handled && f.reopenCount === 0 && (score === null || score >= EFFECTIVE_SCORE)),
    onTime: one(onOrBefore(f.handledAt, f.resolveDueAt)),
    rated: one(f.rating !== null),
    satisfied: one(score !== null && score >= SATISFIED_SCORE),
    contactDue: one(f.contactDueAt !== null && (f.firstContactAt !== null || f.contactDueAt <= now)),
    contactedOnTime: one(onOrBefore(f.firstContactAt, f.contactDueAt)),
    solved: one(f.rating?.fixed === true),
    closed: one(f.closedAt !== null),
    closedOnTime: one(onOrBefore(f.closedAt, f.resolveDueAt)),
    reworked: one(handled && f.reopenCount > 0),
  };
}
