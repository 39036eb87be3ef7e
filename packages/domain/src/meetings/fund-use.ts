import { Conflict, Forbidden, Invalid } from '../errors';
import { DEFAULT_MEETING_CONFIG, type FundUseConfig } from './config';
import { DEFAULT_TIMEZONE, dayOf, formatInstant, type InstantLike, toDate } from './time';

/**
 * Work paid from the maintenance fund (维修资金), seed 000: 涉及动用维修资金的，按相关流程予以公示、
 * 公告，并上报业委会. The order is enforced: the plan is publicly noticed for N days (config
 * `routing.publicNoticeDays`, default 7), THEN reported to the owners' committee, THEN work may
 * start; and, by Civil Code art. 278 item 5, the owners' assembly must have approved using the fund
 * (see art278.ts) unless the community switched that off.
 *
 * N days are N × 24 hours from the moment the notice went up: a notice posted on 1 May at 10:00
 * runs until 8 May at 10:00.
 */
export interface FundUseState {
  /** The owners' assembly decision on using the fund (art278.ts's `passed`), if taken. */
  assemblyPassed?: boolean | null;
  noticeStartedAt?: InstantLike | null;
  reportedToOcAt?: InstantLike | null;
  /**
   * When an owners'-committee member (a person of the `oc` organisation, not the one who reported)
   * acknowledged receiving the report. The report counts only once it is acknowledged: a tick the
   * reporter sets himself is not a report to the committee.
   */
  ocAcknowledgedAt?: InstantLike | null;
}

export interface FundUseOptions {
  noticeDays?: number;
  requireAssembly?: FundUseConfig['requireAssembly'];
  timezone?: string;
}

export const FUND_USE_STEPS = ['assembly', 'public_notice', 'notice_period', 'oc_report'] as const;
export type FundUseStep = (typeof FUND_USE_STEPS)[number];

export const FUND_USE_STEP_NAMES: Record<FundUseStep, string> = {
  assembly: '业主大会表决通过',
  public_notice: '方案公示',
  notice_period: '公示期满',
  oc_report: '上报业委会',
};

export interface FundUseGate {
  /** Whether work may start now. */
  canStart: boolean;
  /** When the notice period ends (ISO), once the notice is up. */
  noticeEndsAt: string | null;
  /** Each step in order, done or not, with a Chinese line. */
  steps: { step: FundUseStep; done: boolean; text: string }[];
  /** What is still missing, in Chinese, in order; empty when work may start. */
  missing: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a maintenance-fund plan still lacks before work may start at `now`. Pure; never throws. */
export function fundUseGate(
  state: FundUseState,
  now: InstantLike,
  options: FundUseOptions = {},
): FundUseGate {
  const noticeDays = options.noticeDays ?? 7;
  const requireAssembly = options.requireAssembly ?? DEFAULT_MEETING_CONFIG.fundUse.requireAssembly;
  const tz = options.timezone ?? DEFAULT_TIMEZONE;
  const t = toDate(now).getTime();
  const steps: FundUseGate['steps'] = [];

  if (requireAssembly) {
    const done = state.assemblyPassed === true;
    steps.push({
      step: 'assembly',
      done,
      text: done
        ? '业主大会已表决通过使用维修资金'
        : state.assemblyPassed === false
          ? '业主大会表决未通过使用维修资金，不能动用'
          : '尚未经业主大会表决（使用维修资金须经参与表决面积和人数均过半数的业主同意）',
    });
  }

  const started = state.noticeStartedAt ? toDate(state.noticeStartedAt) : null;
  const endsAt = started ? new Date(started.getTime() + noticeDays * DAY_MS) : null;
  const noticeUp = started !== null && started.getTime() <= t;
  steps.push({
    step: 'public_notice',
    done: noticeUp,
    text: noticeUp
      ? `方案已于 ${formatInstant(started!, tz)} 公示`
      : started
        ? `方案将于 ${formatInstant(started, tz)} 开始公示`
        : `方案尚未公示（须公示 ${noticeDays} 天）`,
  });
  const periodOver = endsAt !== null && endsAt.getTime() <= t;
  steps.push({
    step: 'notice_period',
    done: periodOver,
    text: periodOver
      ? `公示期 ${noticeDays} 天已于 ${formatInstant(endsAt!, tz)} 届满`
      : endsAt
        ? `公示期 ${noticeDays} 天，${formatInstant(endsAt, tz)} 届满，尚未届满`
        : `公示期 ${noticeDays} 天尚未开始`,
  });

  const reported = state.reportedToOcAt ? toDate(state.reportedToOcAt) : null;
  const acknowledged = state.ocAcknowledgedAt ? toDate(state.ocAcknowledgedAt) : null;
  // A report made before the notice period ended does not count: the committee must see the
  // plan together with what the notice brought out.
  const reportInOrder = reported !== null && endsAt !== null && reported.getTime() >= endsAt.getTime();
  const reportDone = reportInOrder && acknowledged !== null;
  steps.push({
    step: 'oc_report',
    done: reportDone,
    text: reportDone
      ? `已于 ${formatInstant(reported!, tz)} 上报业委会，业委会于 ${formatInstant(acknowledged!, tz)} 签收`
      : reportInOrder
        ? `已于 ${formatInstant(reported!, tz)} 上报业委会，待业委会成员签收`
        : reported
          ? `上报业委会的时间（${formatInstant(reported, tz)}）早于公示期满${endsAt ? `（${formatInstant(endsAt, tz)}）` : ''}，须在公示期满后重新上报`
          : '尚未上报业委会（须在公示期满后上报，并由业委会成员签收）',
  });

  const missing = steps.filter((s) => !s.done).map((s) => s.text);
  return { canStart: missing.length === 0, noticeEndsAt: endsAt?.toISOString() ?? null, steps, missing };
}

/** For services recording the report to the committee: 409 while the notice period runs. */
export function assertMayReportToOc(state: FundUseState, now: InstantLike, options: FundUseOptions = {}) {
  const gate = fundUseGate({ ...state, reportedToOcAt: null }, now, options);
  const notice = gate.steps.filter((s) => s.step === 'public_notice' || s.step === 'notice_period');
  if (notice.some((s) => !s.done)) {
    throw Conflict(
      'notice_period_not_over',
      `公示期满后才能上报业委会：${notice
        .filter((s) => !s.done)
        .map((s) => s.text)
        .join('；')}`,
    );
  }
}

/** For services starting the work: 409 fund_use_not_ready listing what is missing. */
export function assertFundWorkMayStart(state: FundUseState, now: InstantLike, options: FundUseOptions = {}) {
  const gate = fundUseGate(state, now, options);
  if (!gate.canStart) {
    throw Conflict(
      'fund_use_not_ready',
      `动用维修资金的程序尚未完成，不能开工：${gate.missing.join('；')}`,
      gate.steps.filter((s) => !s.done).map((s) => ({ path: s.step, message: s.text })),
    );
  }
  return gate;
}

/**
 * The owners' committee (业委会) receives the report: one of its members (`ocMembers`, the people of
 * the `oc` organisation in the community config) acknowledges it, once, after it was reported in
 * order; never the person who reported it.
 */
export function assertMayAcknowledgeOcReport(
  state: FundUseState & { reportedBy?: string | null },
  person: string | null,
  ocMembers: readonly string[],
  now: InstantLike,
  options: FundUseOptions = {},
) {
  if (person === null || !ocMembers.includes(person)) {
    throw Forbidden('not_oc_member', '只有业主委员会成员才能签收维修资金使用方案的报告');
  }
  if (state.ocAcknowledgedAt) throw Conflict('oc_report_acknowledged', '业委会已签收该报告');
  const gate = fundUseGate({ ...state, ocAcknowledgedAt: null }, now, options);
  const reportStep = gate.steps.find((s) => s.step === 'oc_report')!;
  const reportedInOrder =
    !!state.reportedToOcAt &&
    gate.noticeEndsAt !== null &&
    toDate(state.reportedToOcAt).getTime() >= new Date(gate.noticeEndsAt).getTime();
  if (!reportedInOrder) {
    throw Conflict('oc_report_not_submitted', `尚无可签收的报告：${reportStep.text}`);
  }
  if (state.reportedBy && state.reportedBy === person) {
    throw Forbidden('own_oc_report', '报告人不能自己签收，须由业委会其他成员签收');
  }
}

/** Who records an owners'-assembly vote: a member of the owners' committee (业委会). */
export function assertMayRecordAssembly(person: string | null, ocMembers: readonly string[]) {
  if (person === null || !ocMembers.includes(person)) {
    throw Forbidden('not_oc_member', '只有业主委员会成员才能录入业主大会表决结果、签收维修资金方案报告');
  }
}

/**
 * Each vote of the owners' assembly is a separate meeting, kept with the day it was held: a result
 * is entered once (append-only), and a new vote on the same matter must be held on a later day than
 * the last one recorded — a result cannot be re-typed until it passes. Not in the future.
 */
export function assertNewAssemblyAttempt(
  heldOn: string,
  earlier: readonly { heldOn: string | null }[],
  now: InstantLike,
  timezone = DEFAULT_TIMEZONE,
) {
  const today = dayOf(now, timezone);
  if (heldOn > today) {
    throw Invalid('assembly_in_future', `业主大会召开日期（${heldOn}）不能晚于今天（${today}）`, [
      { path: 'heldOn', message: '日期在将来' },
    ]);
  }
  const last = earlier
    .map((e) => e.heldOn)
    .filter((d): d is string => d !== null)
    .sort()
    .at(-1);
  if (last && heldOn <= last) {
    throw Conflict(
      'assembly_already_recorded',
      `该事项已录入 ${last} 召开的业主大会表决结果；结果不能修改或重新录入，再次表决须另行召开业主大会（日期晚于 ${last}）`,
      [{ path: 'heldOn', message: `须晚于 ${last}` }],
    );
  }
}

/** What a person may do on an issue's fund procedure now (the fund view's `allowedActions`). */
export const FUND_USE_ACTIONS = [
  'record_assembly',
  'draft_notice',
  'report_to_oc',
  'acknowledge_oc_report',
] as const;
export type FundUseAction = (typeof FUND_USE_ACTIONS)[number];

export interface FundUseViewer {
  person: string | null;
  /** The issue's owner, the secretary or leadership (joint meeting), an admin: who records steps. */
  recordsProcedure: boolean;
  /** Whether they may draft a notice of the issue's zone (notices' assertMayNotice). */
  draftsNotice: boolean;
}

/**
 * The same rules the steps run, as capabilities: the 业委会 records the assembly; the notice is
 * drafted once the assembly approved and before any notice went up; the report goes to the
 * committee after the notice period, by whoever records the procedure; another committee member
 * acknowledges it.
 */
export function fundUseActions(
  viewer: FundUseViewer,
  state: FundUseState & { reportedBy?: string | null },
  ocMembers: readonly string[],
  now: InstantLike,
  options: FundUseOptions = {},
): FundUseAction[] {
  const out: FundUseAction[] = [];
  const oc = viewer.person !== null && ocMembers.includes(viewer.person);
  if (oc) out.push('record_assembly');
  const requireAssembly = options.requireAssembly ?? DEFAULT_MEETING_CONFIG.fundUse.requireAssembly;
  if (viewer.draftsNotice && !state.noticeStartedAt && (!requireAssembly || state.assemblyPassed === true))
    out.push('draft_notice');
  const gate = fundUseGate({ ...state, ocAcknowledgedAt: null }, now, options);
  const periodOver = gate.steps.find((s) => s.step === 'notice_period')!.done;
  const endsAt = gate.noticeEndsAt ? new Date(gate.noticeEndsAt).getTime() : null;
  const inOrder =
    !!state.reportedToOcAt && endsAt !== null && toDate(state.reportedToOcAt).getTime() >= endsAt;
  if (viewer.recordsProcedure && periodOver && !inOrder && !state.ocAcknowledgedAt) out.push('report_to_oc');
  if (oc && inOrder && !state.ocAcknowledgedAt && state.reportedBy !== viewer.person)
    out.push('acknowledge_oc_report');
  return out;
}
