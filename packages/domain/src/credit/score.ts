import { z } from 'zod';

/**
 * The property-service credit file's score (诚信档案, docs/domain.md §8, §10): a linear formula whose
 * numbers are community config, so the leadership can change it without a release, and which is
 * always shown beside the score with its arithmetic.
 *
 *   score = base + Σ weight × rate (terms with data) × (Σ all weights ÷ Σ weights with data)
 *                − Σ deduction × count, kept within [min, max]
 *
 * A term without data (no handled issues, no ratings, no evaluation) is left out, and the weights
 * of the others are scaled up so that the best possible score stays the same: an organisation is
 * neither rewarded nor punished for what could not be measured.
 */
const Weight = z.number().min(0).max(1000);
export const CreditConfig = z.strictObject({
  base: z.number().min(-1000).max(1000).default(60),
  min: z.number().default(0),
  max: z.number().default(100),
  weights: z
    .strictObject({
      /** × on-time rate (0–1) */
      onTime: Weight.default(20),
      /** × satisfaction 满意率 (0–1) */
      satisfaction: Weight.default(10),
      /** × the residents' evaluation, (mean − 1) ÷ 4 (0–1 from a 1–5 mean) */
      evaluation: Weight.default(10),
    })
    .prefault({}),
  deductions: z
    .strictObject({
      /** per 提示函 */
      reminderLetter: Weight.default(2),
      /** per 警示函 */
      warningLetter: Weight.default(5),
      /** per recorded lapse (overdue acceptance or fix, missed report-back) */
      lapse: Weight.default(1),
    })
    .prefault({}),
});
export type CreditConfig = z.infer<typeof CreditConfig>;

export interface CountRatio {
  numerator: number;
  denominator: number;
}

export interface CreditFacts {
  reminderLetters: number;
  warningLetters: number;
  lapses: number;
  onTime: CountRatio;
  satisfaction: CountRatio;
  /** The mean score (1–5) of the residents' evaluation of this organisation, with its responses; null when none. */
  evaluation: { mean: number; responses: number } | null;
}

export const CreditLine = z.object({
  label: z.string(),
  /** e.g. "按时办结率 18/20 = 90.0% × 20 × 1.00 = 18.00" */
  arithmetic: z.string(),
  points: z.number(),
});
export type CreditLine = z.infer<typeof CreditLine>;

export const CreditScore = z.object({
  score: z.number(),
  /** The formula in words, with this community's numbers. */
  formula: z.string(),
  lines: z.array(CreditLine),
});
export type CreditScore = z.infer<typeof CreditScore>;

const round2 = (x: number) => Math.round(x * 100) / 100;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

export function creditFormula(cfg: CreditConfig): string {
  const w = cfg.weights;
  const d = cfg.deductions;
  return (
    `得分 = 基础分 ${num(cfg.base)} + 按时办结率 × ${num(w.onTime)} + 满意率 × ${num(w.satisfaction)}` +
    ` + 评议得分率 × ${num(w.evaluation)} − 提示函 × ${num(d.reminderLetter)} − 警示函 × ${num(d.warningLetter)}` +
    ` − 失职记录 × ${num(d.lapse)}，取值 ${num(cfg.min)}–${num(cfg.max)}。评议得分率 = (评议平均分 − 1) ÷ 4。` +
    '某项无数据时不计，其权重按比例分给其余各项。'
  );
}

/** The score and every step of its arithmetic. */
export function creditScore(cfg: CreditConfig, facts: CreditFacts): CreditScore {
  const terms = [
    {
      label: '按时办结率',
      weight: cfg.weights.onTime,
      rate: facts.onTime.denominator ? facts.onTime.numerator / facts.onTime.denominator : null,
      shown: `${facts.onTime.numerator}/${facts.onTime.denominator}`,
    },
    {
      label: '满意率',
      weight: cfg.weights.satisfaction,
      rate: facts.satisfaction.denominator
        ? facts.satisfaction.numerator / facts.satisfaction.denominator
        : null,
      shown: `${facts.satisfaction.numerator}/${facts.satisfaction.denominator}`,
    },
    {
      label: '居民评议',
      weight: cfg.weights.evaluation,
      rate: facts.evaluation && facts.evaluation.responses > 0 ? (facts.evaluation.mean - 1) / 4 : null,
      shown: facts.evaluation
        ? `平均 ${facts.evaluation.mean.toFixed(2)} 分（${facts.evaluation.responses} 份）`
        : '',
    },
  ];
  const total = terms.reduce((s, t) => s + t.weight, 0);
  const measured = terms.filter((t) => t.rate !== null).reduce((s, t) => s + t.weight, 0);
  const scale = measured > 0 ? total / measured : 0;
  const lines: CreditLine[] = [{ label: '基础分', arithmetic: num(cfg.base), points: cfg.base }];
  for (const t of terms) {
    if (t.rate === null) {
      lines.push({ label: t.label, arithmetic: '无数据，不计', points: 0 });
      continue;
    }
    const points = round2(t.rate * t.weight * scale);
    lines.push({
      label: t.label,
      arithmetic: `${t.shown} = ${pct(t.rate)} × ${num(t.weight)} × ${scale.toFixed(2)} = ${points.toFixed(2)}`,
      points,
    });
  }
  const deductions: [string, number, number][] = [
    ['提示函', facts.reminderLetters, cfg.deductions.reminderLetter],
    ['警示函', facts.warningLetters, cfg.deductions.warningLetter],
    ['失职记录', facts.lapses, cfg.deductions.lapse],
  ];
  for (const [label, n, each] of deductions) {
    const points = 0 - round2(n * each); // not -x: a zero deduction is 0, not -0
    lines.push({ label, arithmetic: `${n} × ${num(each)} = ${(-points).toFixed(2)}`, points });
  }
  const raw = round2(lines.reduce((s, l) => s + l.points, 0));
  const score = Math.min(cfg.max, Math.max(cfg.min, raw));
  if (score !== raw) {
    lines.push({
      label: '取值范围',
      arithmetic: `${raw.toFixed(2)} → ${num(score)}（${num(cfg.min)}–${num(cfg.max)}）`,
      points: round2(score - raw),
    });
  }
  return { score, formula: creditFormula(cfg), lines };
}
