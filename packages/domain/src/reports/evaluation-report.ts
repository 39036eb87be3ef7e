import { z } from 'zod';
import { Invalid } from '../errors';
import type { Actor } from '../issues/access';
import { readsAllIssues } from '../issues/access';
import { monthPeriod, quarterPeriod } from '../kpi/period';
import { CADENCE_MONTHS, type JointCadence } from '../meetings/config';

/**
 * The quarterly and annual evaluation report (季度评估报告 / 年度评估报告, seed 001 §七.4) for the four
 * parties, and how the joint-meeting rule was kept: the meetings held against the configured cadence
 * (seed 001: 会议每月召开一次).
 */

/** A report period: a quarter (2026Q3) or a year (2026). */
export interface ReportPeriod {
  kind: 'quarter' | 'year';
  key: string;
  label: string;
  from: string;
  to: string;
}

export function parseReportPeriod(text: string, path = 'period'): ReportPeriod {
  const t = text.trim();
  const q = /^(\d{4})-?[Qq]([1-4])$/.exec(t);
  if (q) {
    const p = quarterPeriod(Number(q[1]), Number(q[2]));
    return { kind: 'quarter', key: p.key, label: p.label, from: p.from, to: p.to };
  }
  const y = /^(\d{4})$/.exec(t);
  if (y) return { kind: 'year', key: t, label: `${t}年度`, from: `${t}-01-01`, to: `${t}-12-31` };
  throw Invalid(
    'invalid_report_period',
    `报告期间 "${text}" 无效：应写成季度（如 2026Q3）或年份（如 2026）`,
    [{ path, message: '应为 2026Q3 或 2026 的形式' }],
  );
}

/** A period's first day must not be after today: no report of the future. */
export const reportPeriodStarted = (p: ReportPeriod, today: string) => p.from <= today;

/** One window of the cadence (a month for monthly) and the meetings held in it. */
export interface CadenceWindow {
  /** YYYY-MM of its first month. */
  key: string;
  label: string;
  from: string;
  to: string;
  held: number;
  /** The window has ended (by `today`) without a meeting held. */
  missed: boolean;
  /** The window is still running (or has not begun) at `today`. */
  open: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The cadence windows covering [from, to] (windows counted from January, so a bimonthly rule has
 * Jan–Feb, Mar–Apr …), each with the local dates of meetings held in it.
 */
export function cadenceRecord(
  cadence: JointCadence,
  from: string,
  to: string,
  heldDates: readonly string[],
  today: string,
): CadenceWindow[] {
  const step = CADENCE_MONTHS[cadence];
  const out: CadenceWindow[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  m = Math.floor((m - 1) / step) * step + 1;
  for (;;) {
    const first = monthPeriod(y, m);
    if (first.from > to) break;
    const lastMonth = m + step - 1;
    const last = monthPeriod(y, lastMonth);
    const held = heldDates.filter((d) => d >= first.from && d <= last.to).length;
    const open = today <= last.to;
    out.push({
      key: `${y}-${pad(m)}`,
      label: step === 1 ? first.label : `${first.label}—${lastMonth}月`,
      from: first.from,
      to: last.to,
      held,
      missed: !open && held === 0,
      open,
    });
    m += step;
    if (m > 12) {
      m -= 12;
      y += 1;
    }
  }
  return out;
}

/**
 * The window a reminder is due for at `today`: the last ended window, when none was held in it.
 * Null when a meeting was held there (or today is in the very first window of records).
 */
export function missedCadenceWindow(
  cadence: JointCadence,
  today: string,
  heldDates: readonly string[],
): CadenceWindow | null {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const step = CADENCE_MONTHS[cadence];
  let py = y;
  let pm = Math.floor((m - 1) / step) * step + 1 - step;
  if (pm < 1) {
    pm += 12;
    py -= 1;
  }
  const [w] = cadenceRecord(cadence, `${py}-${pad(pm)}-01`, `${py}-${pad(pm)}-01`, heldDates, today);
  return w?.missed ? w : null;
}

/** Who reads the evaluation report: those who read everything (secretary, leadership, manager, admin). */
export const readsEvaluationReport = (actor: Actor) => readsAllIssues(actor);

/** Who puts the property manager's annual 述职 on the joint meeting's agenda: the secretary. */
export const schedulesAnnualReport = (actor: Actor) => !!actor.roles?.secretary;

export const reportActions = (actor: Actor): 'annual_report'[] =>
  schedulesAnnualReport(actor) ? ['annual_report'] : [];

// ── API shapes ──────────────────────────────────────────────────────────────────────────────────

export const EvaluationReportQuery = z.strictObject({
  period: z.string().trim().min(1, '请指定报告期间，如 2026Q3 或 2026').max(10, '报告期间无效'),
});

const Ratio = z.object({
  numerator: z.number().int(),
  denominator: z.number().int(),
  value: z.number().nullable(),
});

export const EvaluationReportView = z.object({
  community: z.object({ key: z.string(), name: z.string() }),
  period: z.object({
    kind: z.enum(['quarter', 'year']),
    key: z.string(),
    label: z.string(),
    from: z.string(),
    to: z.string(),
  }),
  title: z.string(),
  generatedAt: z.string(),
  parties: z.array(
    z.object({
      org: z.string(),
      orgName: z.string(),
      reminderLetters: z.number().int(),
      warningLetters: z.number().int(),
      lapses: z.number().int(),
      onTime: Ratio,
      satisfaction: Ratio,
      evaluationNote: z.string(),
      score: z.number(),
    }),
  ),
  meetings: z.object({
    cadence: z.string(),
    cadenceName: z.string(),
    held: z.number().int(),
    windows: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        held: z.number().int(),
        missed: z.boolean(),
        open: z.boolean(),
      }),
    ),
    missed: z.number().int(),
    /** e.g. "应召开 3 次，实际召开 2 次，1 个月未召开（2026年8月）" */
    summary: z.string(),
  }),
  /** What the caller may do from the report (`reportActions`): list the property company's annual 述职. */
  allowedActions: z.array(z.enum(['annual_report'])),
});
export type EvaluationReportView = z.infer<typeof EvaluationReportView>;

/** The cadence sentence of the report. */
export function cadenceSummary(windows: readonly CadenceWindow[]): string {
  const due = windows.filter((w) => !w.open).length;
  const held = windows.reduce((n, w) => n + w.held, 0);
  const missed = windows.filter((w) => w.missed);
  const running = windows.some((w) => w.open) ? '（期间尚未结束）' : '';
  return `截至目前应召开 ${due} 次，实际召开 ${held} 次${
    missed.length ? `，${missed.length} 期未召开（${missed.map((w) => w.label).join('、')}）` : '，均按期召开'
  }${running}`;
}

export const AnnualReportItemInput = z.strictObject({
  community: z.string().min(1, '请指定小区'),
  year: z.coerce.number().int('年份应为整数').min(2000, '年份无效').max(2100, '年份无效'),
  meeting: z.string().uuid('会议编号无效').optional(),
});
export type AnnualReportItemInput = z.infer<typeof AnnualReportItemInput>;

/** What the property manager's 述职 item carries: the year's KPIs, credit file and evaluation. */
export interface AnnualReportFacts {
  year: number;
  managerName: string;
  handled: { numerator: number; denominator: number };
  onTime: { numerator: number; denominator: number };
  satisfaction: { numerator: number; denominator: number };
  reminderLetters: number;
  warningLetters: number;
  lapses: number;
  score: number;
  evaluationNote: string;
}

const rate = (r: { numerator: number; denominator: number }) =>
  r.denominator === 0
    ? `${r.numerator}/0（无数据）`
    : `${r.numerator}/${r.denominator} = ${((r.numerator / r.denominator) * 100).toFixed(1)}%`;

export const annualReportTitle = (year: number) => `物业服务企业${year}年度述职`;

/** The briefing text of the 述职 item, the figures filled in. */
export function annualReportBriefing(f: AnnualReportFacts): string {
  return [
    `述职人：${f.managerName}`,
    `一、${f.year}年度工作指标`,
    `　　办结率 ${rate(f.handled)}；按时办结率 ${rate(f.onTime)}；满意率 ${rate(f.satisfaction)}`,
    '二、诚信档案',
    `　　提示函 ${f.reminderLetters} 件，警示函 ${f.warningLetters} 件，失职记录 ${f.lapses} 次；诚信得分 ${f.score.toFixed(2)}`,
    '三、居民评议',
    `　　${f.evaluationNote}`,
  ].join('\n');
}
