import { z } from 'zod';
import { type ErrorDetail, Invalid } from '../errors';
import { type Questionnaire, questionsFor, SCORE_NAMES } from './questionnaire';

/** A score 1–5, or null: the resident explicitly skipped the question (不了解). */
export const Score = z
  .number('评分应为 1–5 的整数')
  .int('评分应为 1–5 的整数')
  .min(1, '评分应为 1–5 的整数')
  .max(5, '评分应为 1–5 的整数')
  .nullable();
export type Score = z.infer<typeof Score>;

/** answers[target][question] = score | null. Every pair must be there: answered or skipped. */
export const AnswerSet = z.record(z.string().max(32), z.record(z.string().max(32), Score));
export type AnswerSet = z.infer<typeof AnswerSet>;

/**
 * Check an answer set against the campaign's questionnaire: every target and every question of it
 * answered or explicitly skipped, nothing unknown, and at least one score given. Returns the
 * answers in questionnaire order (targets, then questions), which is also the receipt's input.
 */
export function validateAnswers(q: Questionnaire, answers: AnswerSet, path = 'body.answers'): AnswerSet {
  const problems: ErrorDetail[] = [];
  const targets = new Map(q.targets.map((t) => [t.key, t]));
  for (const key of Object.keys(answers)) {
    if (!targets.has(key)) problems.push({ path: `${path}.${key}`, message: `没有评议对象 "${key}"` });
  }
  const out: AnswerSet = {};
  let given = 0;
  let missing = 0;
  for (const target of q.targets) {
    const asked = questionsFor(q, target);
    const got = answers[target.key] ?? {};
    for (const key of Object.keys(got)) {
      if (!asked.some((x) => x.key === key)) {
        problems.push({ path: `${path}.${target.key}.${key}`, message: `“${target.name}”没有题目 "${key}"` });
      }
    }
    const row: Record<string, Score> = {};
    for (const question of asked) {
      const score = got[question.key];
      if (score === undefined) {
        missing++;
        problems.push({
          path: `${path}.${target.key}.${question.key}`,
          message: `请为“${target.name}”的“${question.text}”打分，或选择“不了解”`,
        });
      } else {
        row[question.key] = score;
        if (score !== null) given++;
      }
    }
    out[target.key] = row;
  }
  if (problems.length) {
    const message =
      missing === problems.length ? `还有 ${missing} 项未作答（可选“不了解”）` : problems[0]!.message;
    throw Invalid('answers_invalid', message, problems);
  }
  if (given === 0) {
    throw Invalid('answers_all_skipped', '所有题目都选择了“不了解”，请至少评价一项', [
      { path, message: '至少评价一项' },
    ]);
  }
  return out;
}

/** The answers as one stable string (questionnaire order): what a receipt fingerprints. */
export const canonicalAnswers = (q: Questionnaire, answers: AnswerSet) =>
  JSON.stringify(
    q.targets.map((t) => [t.key, questionsFor(q, t).map((x) => [x.key, answers[t.key]?.[x.key] ?? null])]),
  );

export interface QuestionResult {
  key: string;
  text: string;
  /** Households that gave a score. */
  responses: number;
  /** Households that chose 不了解. */
  skipped: number;
  /** Mean score, two decimals; null without scores. */
  mean: number | null;
  /** Households per score: [1, 2, 3, 4, 5]. */
  distribution: [number, number, number, number, number];
  /** Scores of 4 or 5 (满意, 很满意) over all scores, four decimals; null without scores. */
  satisfaction: number | null;
}

export interface TargetResult {
  key: string;
  kind: 'zone' | 'property';
  name: string;
  /** Households that scored at least one question of this target. */
  responses: number;
  /** Mean over every score given to this target. */
  mean: number | null;
  satisfaction: number | null;
  questions: QuestionResult[];
}

export interface EvaluationTally {
  /** Households that responded. */
  responses: number;
  targets: TargetResult[];
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

/**
 * Aggregate answer sets: per target, per question, the count, the mean, the distribution and the
 * share satisfied. Aggregates only: nothing here can name a household.
 */
export function tallyAnswers(q: Questionnaire, sets: readonly AnswerSet[]): EvaluationTally {
  const targets = q.targets.map((target): TargetResult => {
    let sum = 0;
    let n = 0;
    let satisfied = 0;
    let households = 0;
    const questions = questionsFor(q, target).map((question): QuestionResult => {
      const distribution: QuestionResult['distribution'] = [0, 0, 0, 0, 0];
      let skipped = 0;
      for (const set of sets) {
        const score = set[target.key]?.[question.key];
        if (score === null) skipped++;
        else if (score !== undefined) distribution[score - 1]!++;
      }
      const responses = distribution.reduce((a, b) => a + b, 0);
      const qsum = distribution.reduce((a, c, i) => a + c * (i + 1), 0);
      const qsat = distribution[3] + distribution[4];
      sum += qsum;
      n += responses;
      satisfied += qsat;
      return {
        key: question.key,
        text: question.text,
        responses,
        skipped,
        mean: responses ? round(qsum / responses, 2) : null,
        distribution,
        satisfaction: responses ? round(qsat / responses, 4) : null,
      };
    });
    for (const set of sets) {
      const row = set[target.key];
      if (row && Object.values(row).some((s) => s !== null && s !== undefined)) households++;
    }
    return {
      key: target.key,
      kind: target.kind,
      name: target.name,
      responses: households,
      mean: n ? round(sum / n, 2) : null,
      satisfaction: n ? round(satisfied / n, 4) : null,
      questions,
    };
  });
  return { responses: sets.length, targets };
}

/** "4.25（满意）": a mean as a person reads it, named by the nearest score. */
export function describeMean(mean: number | null): string {
  if (mean === null) return '无评分';
  const nearest = Math.min(5, Math.max(1, Math.round(mean))) as 1 | 2 | 3 | 4 | 5;
  return `${mean.toFixed(2)}（${SCORE_NAMES[nearest]}）`;
}
