import { z } from 'zod';
import '@gongzhi/domain';

// packages/domain/src/locale.ts: zod's own messages are Chinese wherever the domain is loaded.
describe("zod's built-in messages", () => {
  const first = (schema: z.ZodType, input: unknown) => schema.safeParse(input).error!.issues[0]!.message;

  test.each([
    ['a missing string', z.string(), undefined, '无效输入：期望 string，实际接收 undefined'],
    ['a string too long', z.string().max(3), 'abcd', '数值过大：期望 string <=3 字符'],
    ['an unknown key', z.strictObject({}), { a: 1 }, /"a"/],
    ['Infinity (JSON 1e400)', z.number(), Number.POSITIVE_INFINITY, '数值超出范围'],
    ['-Infinity', z.number().int(), Number.NEGATIVE_INFINITY, '数值超出范围'],
    ['not a number in a query (limit=abc)', z.coerce.number().int(), 'abc', '请填写数字'],
    ['a string for a number', z.number(), '3', '无效输入：期望 数字，实际接收 string'],
  ])('%s', (_name, schema, input, expected) => {
    const message = first(schema, input);
    expect(message).toMatch(/[\u4e00-\u9fff]/);
    if (typeof expected === 'string') expect(message).toBe(expected);
    else expect(message).toMatch(expected);
  });

  test("a schema's own message still wins", () => {
    expect(first(z.number({ error: '请填写楼号' }), Number.POSITIVE_INFINITY)).toBe('请填写楼号');
  });
});
