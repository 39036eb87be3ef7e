import { Conflict } from '../errors';
import { DEFAULT_MEETING_CONFIG, type FundUseConfig } from './config';
import { DEFAULT_TIMEZONE, formatInstant, type InstantLike, toDate } from './time';

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
  // A report made before the notice period ended does not count: the committee must see the
  // plan together with what the notice brought out.
  const reportInOrder = reported !== null && endsAt !== null && reported.getTime() >= endsAt.getTime();
  steps.push({
    step: 'oc_report',
    done: reportInOrder,
    text: reportInOrder
      ? `已于 ${formatInstant(reported!, tz)} 上报业委会`
      : reported
        ? `上报业委会的时间（${formatInstant(reported, tz)}）早于公示期满${endsAt ? `（${formatInstant(endsAt, tz)}）` : ''}，须在公示期满后重新上报`
        : '尚未上报业委会（须在公示期满后上报）',
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
