import { z } from 'zod';
import { type ErrorDetail, Invalid } from '../errors';
import { line, text } from '../text';

/** `zones[3].buildings` from a zod issue path. */
export const pathOf = (path: readonly PropertyKey[]) =>
  path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );

/** Parse input with a schema, or throw one Invalid (400) listing every problem with its path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, code: string, message: string) {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data as z.output<S>;
  const details: ErrorDetail[] = parsed.error.issues.map((i) => ({
    path: pathOf(i.path),
    message: i.message,
  }));
  throw Invalid(
    code,
    `${message}：${details.map((d) => (d.path ? `${d.path} ${d.message}` : d.message)).join('；')}`,
    details,
  );
}

/** A required text: trimmed, not empty, bounded. */
export const requiredText = (message: string, max = 5000) =>
  text(message).trim().min(1, message).max(max, `最多 ${max} 字`);

/** A person key, as in the community config. */
export const PersonKey = line('请指定人员').min(1, '请指定人员').max(32, '人员键最多 32 个字符');

/** An instant with its offset, e.g. 2024-05-01T19:00:00+08:00. */
export const Instant = z.iso.datetime({
  offset: true,
  message: '时间格式应为 ISO 8601，例如 2024-05-01T19:00:00+08:00',
});

/** A calendar day, e.g. 2024-05-31. */
export const Day = z.iso.date('日期格式应为 YYYY-MM-DD，例如 2024-05-31');
