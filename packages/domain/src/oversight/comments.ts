import { z } from 'zod';
import { ORGS } from '../community/schema';
import { Forbidden, Invalid } from '../errors';
import type { Actor } from '../issues/access';
import { line, text, Uuid } from '../text';

/**
 * The supervisory committee's comments on the record (监督意见, seed 004): on an issue's handling,
 * on an issue's fund use, on a letter, or on an organisation's credit file. A comment is a record:
 * never edited, never deleted (the database refuses), shown where it was made with who and when.
 */
export const OVERSIGHT_SUBJECTS = ['issue', 'fund_use', 'letter', 'credit'] as const;
export type OversightSubject = (typeof OVERSIGHT_SUBJECTS)[number];

export const OVERSIGHT_SUBJECT_NAMES: Record<OversightSubject, string> = {
  issue: '投诉处理',
  fund_use: '维修资金使用',
  letter: '提示函/警示函',
  credit: '诚信档案',
};

export const MAX_OVERSIGHT_COMMENT = 1000;

/** The subject a comment is about: an issue or letter id, or an organisation for its credit file. */
export const OversightSubjectRef = z.strictObject({
  subject: z.enum(OVERSIGHT_SUBJECTS, '监督对象应为 issue、fund_use、letter 或 credit'),
  ref: line('对象编号无效').trim().min(1, '请指定监督对象').max(64, '对象编号过长'),
});
export type OversightSubjectRef = z.infer<typeof OversightSubjectRef>;

export const OversightCommentBody = OversightSubjectRef.extend({
  text: text('请填写监督意见')
    .trim()
    .min(2, '监督意见至少 2 个字')
    .max(MAX_OVERSIGHT_COMMENT, `监督意见最多 ${MAX_OVERSIGHT_COMMENT} 个字`),
});
export type OversightCommentBody = z.infer<typeof OversightCommentBody>;

export const OversightCommentsQuery = OversightSubjectRef;

export const OversightCommentView = z.object({
  id: z.string(),
  subject: z.enum(OVERSIGHT_SUBJECTS),
  subjectName: z.string(),
  ref: z.string(),
  text: z.string(),
  /** The committee member's name (and their role), as the record keeps it. */
  by: z.string(),
  byPerson: z.string(),
  at: z.string(),
});
export type OversightCommentView = z.infer<typeof OversightCommentView>;

export const OVERSIGHT_ACTIONS = ['comment'] as const;
export const OversightCommentsView = z.object({
  items: z.array(OversightCommentView),
  allowedActions: z.array(z.enum(OVERSIGHT_ACTIONS)),
});
export type OversightCommentsView = z.infer<typeof OversightCommentsView>;

/** A member of the community's supervisory committee (监督委员会). */
export const isSupervisor = (actor: Actor) => !!actor.roles?.supervisor;

/** Only the committee's members comment on the record; everyone who reads the subject reads them. */
export function mayCommentOnRecord(actor: Actor): boolean {
  return isSupervisor(actor);
}

export function oversightActions(actor: Actor): (typeof OVERSIGHT_ACTIONS)[number][] {
  return mayCommentOnRecord(actor) ? ['comment'] : [];
}

export function assertMayComment(actor: Actor): void {
  if (!mayCommentOnRecord(actor)) {
    throw Forbidden('not_supervisor', '只有监督委员会委员可以发表监督意见');
  }
}

/**
 * What the ref of a subject must be: an issue's or a letter's id, an organisation's key for its
 * credit file. Returns the ref as stored, or a 400 naming the field.
 */
export function checkSubjectRef(s: OversightSubjectRef, pathPrefix = ''): string {
  const refused = (message: string) =>
    Invalid('invalid_subject_ref', message, [{ path: `${pathPrefix}ref`, message }]);
  if (s.subject === 'credit') {
    if (!(ORGS as readonly string[]).includes(s.ref)) {
      throw refused(`诚信档案的对象应为单位：${ORGS.join('、')}`);
    }
    return s.ref;
  }
  if (!Uuid().safeParse(s.ref).success) throw refused('对象编号无效');
  return s.ref.toLowerCase();
}
