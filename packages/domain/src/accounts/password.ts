/**
 * The password rule every new password meets (a person's own choice, a one-time password the
 * server makes, one read by the CLI). Length is what counts most (NIST SP 800-63B); on top of it,
 * the guesses that are tried first: a well-known password, the account's own phone number, one
 * character repeated, a keyboard or counting run, a single kind of character.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblemCode =
  | 'too_short'
  | 'too_long'
  | 'one_kind'
  | 'too_few_distinct'
  | 'sequence'
  | 'contains_phone'
  | 'common'
  | 'whitespace_edge'
  | 'same_as_old';

export interface PasswordProblem {
  code: PasswordProblemCode;
  message: string;
}

/** Passwords tried first by anyone guessing (lower case), including the published demo password. */
const COMMON = new Set([
  'password',
  'password1',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  'qwerty123',
  'qwertyuiop',
  'qwe123456',
  '1qaz2wsx',
  '1q2w3e4r',
  'zxcvbnm123',
  'abc12345',
  'abc123456',
  'a1234567',
  'a12345678',
  'a123456789',
  'aa123456',
  'woaini1314',
  'woaini520',
  'iloveyou1',
  'admin123',
  'admin1234',
  'admin12345',
  'administrator',
  'root1234',
  'test1234',
  'gongzhi2026',
  'gongzhi123',
  'changeme',
  'welcome1',
]);

const RUNS = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** True when the whole password is a stretch of a counting or keyboard run, forwards or backwards. */
function isRun(lower: string): boolean {
  for (const run of RUNS) {
    for (const r of [run, [...run].reverse().join('')]) {
      if (r.includes(lower)) return true;
    }
  }
  return false;
}

function kinds(password: string): number {
  let n = 0;
  if (/[a-zA-Z]/.test(password)) n++;
  if (/\d/.test(password)) n++;
  if (/[^a-zA-Z\d]/.test(password)) n++;
  return n;
}

/**
 * Every problem with a candidate password, in Chinese; empty when it is acceptable. `phone` is the
 * account's phone number (a password containing it is the first thing a guesser tries); `previous`
 * the password being replaced.
 */
export function passwordProblems(
  password: string,
  context: { phone?: string | null; previous?: string } = {},
): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const chars = [...password];
  const lower = password.toLowerCase();
  if (chars.length < PASSWORD_MIN_LENGTH)
    problems.push({ code: 'too_short', message: `密码至少 ${PASSWORD_MIN_LENGTH} 位` });
  if (chars.length > PASSWORD_MAX_LENGTH)
    problems.push({ code: 'too_long', message: `密码最多 ${PASSWORD_MAX_LENGTH} 位` });
  if (password !== password.trim()) problems.push({ code: 'whitespace_edge', message: '密码首尾不能是空格' });
  if (password.length > 0 && kinds(password) < 2)
    problems.push({ code: 'one_kind', message: '密码须包含字母、数字、符号中的至少两种' });
  if (password.length > 0 && new Set(chars).size < 4)
    problems.push({ code: 'too_few_distinct', message: '密码中不同的字符太少（至少 4 种）' });
  if (chars.length >= 4 && isRun(lower))
    problems.push({ code: 'sequence', message: '密码不能是连续的数字或字母（如 12345678、abcdefgh）' });
  const phone = context.phone?.trim();
  if (phone && phone.length >= 8 && (password.includes(phone) || password.includes(phone.slice(-8))))
    problems.push({ code: 'contains_phone', message: '密码不能包含本账号的手机号' });
  if (COMMON.has(lower)) problems.push({ code: 'common', message: '这是常见密码，容易被猜中，请换一个' });
  if (context.previous !== undefined && password === context.previous)
    problems.push({ code: 'same_as_old', message: '新密码不能与原密码相同' });
  return problems;
}
