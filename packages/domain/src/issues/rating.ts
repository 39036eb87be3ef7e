import { z } from 'zod';
import { Conflict, Forbidden } from '../errors';
import type { IssueAction, IssueRelation } from './lifecycle';
import type { IssueStatus } from './schema';

/**
 * The reporter's rating of a resolved issue (docs/domain.md §6, §11; FixMyStreet's questionnaire): has
 * it been fixed, a score of 1–5, and a comment. "Not fixed" needs the comment as its reason and
 * reopens the issue; one rating per issue per reporter.
 */
export const RatingInput = z
  .strictObject({
    score: z
      .number({ error: '请选择 1–5 分' })
      .int('评分须为整数')
      .min(1, '评分最低 1 分')
      .max(5, '评分最高 5 分'),
    fixed: z.boolean({ error: '请说明问题是否已解决' }),
    comment: z.string().trim().max(500, '评价最多 500 字').optional(),
  })
  .superRefine((v, c) => {
    if (!v.fixed && !v.comment) {
      c.addIssue({ code: 'custom', path: ['comment'], message: '未解决时请说明现在的情况' });
    }
  });
export type RatingInput = z.infer<typeof RatingInput>;

export const RatingView = z.object({
  score: z.number().int().min(1).max(5),
  fixed: z.boolean(),
  comment: z.string().nullable(),
  at: z.string(),
  /** 'online': the reporter answered in the app; 'phone': staff recorded a phone callback (回访). */
  channel: z.enum(['online', 'phone']).default('online'),
});
export type RatingView = z.infer<typeof RatingView>;

/** Whether the reporter may rate now: the issue is resolved or closed and not yet rated. */
export const canRate = (status: IssueStatus, relations: readonly IssueRelation[], rated: boolean) =>
  !rated && relations.includes('reporter') && (status === 'resolved' || status === 'closed');

/** The lifecycle step a rating causes, or none (`record`). */
export type RatingStep = Extract<IssueAction, 'verify' | 'reject_fix'> | 'record';

/**
 * Which lifecycle step a rating fires. On a resolved issue "fixed" confirms it (verify → closed) and
 * "not fixed" reopens it (reject_fix); on a closed issue (confirmed by an inspector, or closed
 * automatically) the rating is the 回访 (callback) and is only recorded, both answers: "not solved"
 * counts against the 解决率 but does not reopen a closed issue (the resident submits a new
 * complaint if the problem is still there). Refusals in order: not the reporter (403), already
 * rated (409), state (409).
 */
export function ratingAction(
  status: IssueStatus,
  relations: readonly IssueRelation[],
  rated: boolean,
  fixed: boolean,
): RatingStep {
  if (!relations.includes('reporter')) throw Forbidden('not_reporter', '只有反映问题的人可以评价');
  if (rated) throw Conflict('already_rated', '您已评价过这个问题，每个问题只能评价一次');
  if (status === 'resolved') return fixed ? 'verify' : 'reject_fix';
  if (status === 'closed') return 'record';
  throw Conflict('issue_not_resolved', '问题还没有办结，办结后才能评价', [
    { path: 'status', message: `state=${status}` },
  ]);
}
