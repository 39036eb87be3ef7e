import { z } from 'zod';

/**
 * What a string from outside may contain. One rule, used by the schemas' string builders below and
 * by the API's guard that checks every string of every request before any schema runs:
 *
 * - never NUL or another C0 control, DEL, or a C1 control (U+0080–U+009F);
 * - line breaks and tabs (`\n`, `\r`, `\t`) only in multi-line free text (descriptions, notes);
 *   never in a single-line value (a name, a code, an id, a header, a path or query parameter),
 *   where U+2028/U+2029 are refused as well;
 * - never a lone UTF-16 surrogate: it cannot be stored as UTF-8 and would be silently replaced;
 * - at most a maximum length (UTF-16 code units).
 */

/** C0 controls except TAB, LF and CR; DEL; C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Every C0 control, DEL, C1 controls, and the Unicode line and paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_IN_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const TEXT_MESSAGES = {
  control: '不能包含控制字符',
  lineBreak: '不能包含换行或控制字符',
  surrogate: '包含无效的字符（不完整的 Unicode 编码）',
  tooLong: (max: number) => `最多 ${max} 个字符`,
} as const;

/** Why a string is refused, in Chinese, or null when it is acceptable. Pure. */
export function textProblem(value: string, rule: { multiline: boolean; max: number }): string | null {
  if (value.length > rule.max) return TEXT_MESSAGES.tooLong(rule.max);
  if (rule.multiline ? CONTROL_IN_TEXT.test(value) : CONTROL_IN_LINE.test(value)) {
    return rule.multiline ? TEXT_MESSAGES.control : TEXT_MESSAGES.lineBreak;
  }
  if (LONE_SURROGATE.test(value)) return TEXT_MESSAGES.surrogate;
  return null;
}

const checkedString = (multiline: boolean, message?: string) =>
  z.string(message).superRefine((value, ctx) => {
    // The length is the schema's own `.max()`; here only the characters (a huge bound).
    const problem = textProblem(value, { multiline, max: Number.MAX_SAFE_INTEGER });
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
  });

/**
 * A single-line value from outside (a name, a spot, a code, a key): no control characters, no line
 * breaks, no lone surrogates. Chain `.trim().min().max()` as usual.
 */
export const line = (message?: string) => checkedString(false, message);

/** Multi-line free text a person types (a description, a note, a reason): tabs and line breaks allowed. */
export const text = (message?: string) => checkedString(true, message);

/** The one strict form of a uuid in paths, bodies and queries. */
export const Uuid = (message = '编号无效') => z.string().uuid(message);

/** Route parameters, one shape everywhere: `/…/:id` of one kind of object, named in its message. */
export const IdParams = (what = '') => z.strictObject({ id: Uuid(`${what}编号无效`) });

/** `/api/communities/:key/…`: a community's key (its existence is checked where it is looked up). */
export const CommunityParams = z.strictObject({
  key: z.string().min(1, '请指定小区').max(64, '小区标识过长'),
});

/** An opaque page cursor as the API hands it out (base64url); its content is checked where it is decoded. */
export const Cursor = z
  .string()
  .max(200, '分页参数过长')
  .regex(/^[A-Za-z0-9_-]+$/, '分页参数无效，请从第一页重新加载')
  .optional();
