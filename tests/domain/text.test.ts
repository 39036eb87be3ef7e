import { Cursor, line, text, textProblem } from '../../packages/domain/src/text';

const LINE = { multiline: false, max: 20 };
const TEXT = { multiline: true, max: 20 };

describe('textProblem: what a string from outside may hold', () => {
  it.each([
    ['plain Chinese', '楼道堆放杂物', LINE],
    ['emoji (a valid surrogate pair)', '垃圾😀', LINE],
    ['full-width and ideographic space', '３０２\u3000室', LINE],
    ['line breaks and tabs in free text', '第一行\r\n第二行\t完', TEXT],
    ['exactly the maximum', 'a'.repeat(20), LINE],
  ])('%s is accepted', (_name, value, rule) => expect(textProblem(value, rule)).toBeNull());

  it.each([
    ['NUL', 'a\u0000b', TEXT, '不能包含控制字符'],
    ['NUL in a line', 'ABCD\u0000EF', LINE, '不能包含换行或控制字符'],
    ['bell', 'a\u0007', TEXT, '不能包含控制字符'],
    ['escape', '\u001b[31m', TEXT, '不能包含控制字符'],
    ['DEL', 'a\u007f', TEXT, '不能包含控制字符'],
    ['C1 next line', 'a\u0085b', TEXT, '不能包含控制字符'],
    ['C1 CSI', '\u009b', TEXT, '不能包含控制字符'],
    ['line feed in a line', 'a\nb', LINE, '不能包含换行或控制字符'],
    ['tab in a line', 'a\tb', LINE, '不能包含换行或控制字符'],
    ['line separator in a line', 'a\u2028b', LINE, '不能包含换行或控制字符'],
    ['lone high surrogate', 'a\ud800', TEXT, '包含无效的字符（不完整的 Unicode 编码）'],
    ['lone low surrogate', '\udc00a', LINE, '包含无效的字符（不完整的 Unicode 编码）'],
    ['reversed pair', '\udc00\ud800', LINE, '包含无效的字符（不完整的 Unicode 编码）'],
    ['one over the maximum', 'a'.repeat(21), LINE, '最多 20 个字符'],
  ])('%s is refused', (_name, value, rule, message) => expect(textProblem(value, rule)).toBe(message));
});

describe('the schema builders apply the same rule', () => {
  it('line() refuses a line break, text() keeps it; both refuse NUL', () => {
    expect(line().safeParse('a\nb').success).toBe(false);
    expect(text().safeParse('a\nb').success).toBe(true);
    expect(line().safeParse('a\u0000').success).toBe(false);
    expect(text().safeParse('a\u0000').success).toBe(false);
    expect(text().trim().max(5).safeParse('  abc  ').data).toBe('abc');
  });
  it('Cursor takes base64url only', () => {
    expect(Cursor.safeParse('WyIyMDI2Il0').success).toBe(true);
    expect(Cursor.safeParse('ABCD%00EF').success).toBe(false);
    expect(Cursor.safeParse('a'.repeat(201)).success).toBe(false);
  });
});
