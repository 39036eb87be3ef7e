import { z } from 'zod';
import type { Community } from '../community/validate';
import { type ErrorDetail, Invalid } from '../errors';

/**
 * The quarterly residents' evaluation (评议, seed 000 §三: "每季度…由领导小组组织居民进行评议，公布结果").
 * Residents rate every responsibility zone and the property company. A campaign keeps a snapshot of
 * its targets and questions, so its results read the same after the config changes.
 */

export const TARGET_KINDS = ['zone', 'property'] as const;
export const TargetKind = z.enum(TARGET_KINDS);
export type TargetKind = z.infer<typeof TargetKind>;

/** The property company's target key. Zone keys come from the config and are never this. */
export const PROPERTY_TARGET = 'property';

export const EvaluationTarget = z.object({ key: z.string(), kind: TargetKind, name: z.string() });
export type EvaluationTarget = z.infer<typeof EvaluationTarget>;

const QuestionKey = z
  .string()
  .max(32, '题目编号最多 32 个字符')
  .regex(/^[a-z][a-z0-9_]*$/, '题目编号只能使用小写字母、数字和下划线，例如 overall');

export const EvaluationQuestion = z.strictObject({
  key: QuestionKey,
  /** Asked of every zone (`zone`) or of the property company (`property`). */
  for: TargetKind,
  text: z.string().trim().min(4, '题目至少 4 个字').max(60, '题目最多 60 字'),
});
export type EvaluationQuestion = z.infer<typeof EvaluationQuestion>;

export const Questionnaire = z.object({
  targets: z.array(EvaluationTarget),
  questions: z.array(EvaluationQuestion),
});
export type Questionnaire = z.infer<typeof Questionnaire>;

/** 1–5, as residents read them beside the stars. */
export const SCORE_NAMES: Record<1 | 2 | 3 | 4 | 5, string> = {
  1: '很不满意',
  2: '不满意',
  3: '一般',
  4: '满意',
  5: '很满意',
};
/** What a skipped question means to the resident: they do not know enough to judge. */
export const SKIP_NAME = '不了解';

/**
 * The default questions: the zone's work as seed 000 describes it (find, study, handle, solve in
 * the zone; members known and reachable), and the property company's usual service areas.
 */
export const DEFAULT_QUESTIONS: readonly EvaluationQuestion[] = [
  { key: 'responsive', for: 'zone', text: '反映的问题能及时得到回应和处理' },
  { key: 'effective', for: 'zone', text: '问题处理的结果令人满意' },
  { key: 'reachable', for: 'zone', text: '区域组长和成员经常听取居民意见、找得到人' },
  { key: 'overall', for: 'zone', text: '对本区域工作的总体评价' },
  { key: 'cleaning', for: 'property', text: '环境卫生和绿化养护' },
  { key: 'repairs', for: 'property', text: '报修响应及时、维修质量可靠' },
  { key: 'equipment', for: 'property', text: '电梯、消防、水泵等设施设备维护' },
  { key: 'order', for: 'property', text: '门岗、巡逻和停车秩序' },
  { key: 'overall', for: 'property', text: '对物业服务的总体评价' },
];

export const MAX_QUESTIONS_PER_KIND = 10;

/** Every zone of the community, in config order, then the property company. */
export function evaluationTargets(community: Community): EvaluationTarget[] {
  return [
    ...community.config.zones.map((z) => ({ key: z.key, kind: 'zone' as const, name: z.name })),
    { key: PROPERTY_TARGET, kind: 'property' as const, name: '物业公司' },
  ];
}

/**
 * A campaign's questionnaire: the community's targets and the given questions (the default when
 * none are given). Each kind needs one to ten questions with distinct keys.
 */
export function buildQuestionnaire(
  community: Community,
  questions: readonly EvaluationQuestion[] | undefined,
  path = 'body.questions',
): Questionnaire {
  const qs = questions ?? DEFAULT_QUESTIONS;
  const problems: ErrorDetail[] = [];
  for (const kind of TARGET_KINDS) {
    const ofKind = qs.filter((q) => q.for === kind);
    const label = kind === 'zone' ? '责任区域' : '物业公司';
    if (ofKind.length === 0) problems.push({ path, message: `至少要有一道评价${label}的题目` });
    if (ofKind.length > MAX_QUESTIONS_PER_KIND)
      problems.push({ path, message: `评价${label}的题目最多 ${MAX_QUESTIONS_PER_KIND} 道` });
  }
  qs.forEach((q, i) => {
    const first = qs.findIndex((x) => x.for === q.for && x.key === q.key);
    if (first !== i) {
      problems.push({ path: `${path}[${i}].key`, message: `题目编号 "${q.key}" 与第 ${first + 1} 题重复` });
    }
  });
  if (problems.length) throw Invalid('questions_invalid', problems[0]!.message, problems);
  return { targets: evaluationTargets(community), questions: qs.map((q) => ({ ...q })) };
}

/** The questions asked of one target. */
export const questionsFor = (q: Questionnaire, target: EvaluationTarget) =>
  q.questions.filter((x) => x.for === target.kind);
