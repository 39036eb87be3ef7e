import {
  accountReach,
  PASSWORD_MAX_LENGTH,
  type PasswordProblemCode,
  passwordProblems,
  reachCovers,
} from '../../packages/domain/src';

describe('passwordProblems', () => {
  const ok: [string, string][] = [
    ['letters and digits, 8 long', 'lift2pump'],
    ['a passphrase with spaces inside', 'green tea 7 cups'],
    ['Chinese characters and digits', '共治小区2026年'],
    ['a one-time password shape', 'k7mq-3xfa-p9tc'],
    ['the phone of another account', 'x13800000001'],
    ['exactly the longest allowed', `a1${'b'.repeat(PASSWORD_MAX_LENGTH - 5)}cde`],
  ];
  test.each(ok)('accepts %s', (_why, password) => {
    expect(passwordProblems(password, { phone: '13912345678' })).toEqual([]);
  });

  const refused: [string, string, { phone?: string; previous?: string }, PasswordProblemCode[]][] = [
    ['empty', '', {}, ['too_short']],
    ['seven characters', 'ab12cd3', {}, ['too_short']],
    ['one character more than allowed', `a1${'b'.repeat(PASSWORD_MAX_LENGTH - 4)}cde`, {}, ['too_long']],
    ['digits only', '73915286', {}, ['one_kind']],
    ['letters only', 'lifttower', {}, ['one_kind']],
    ['one character repeated', 'aaaaaaaa', {}, ['one_kind', 'too_few_distinct']],
    ['two characters alternating', 'a1a1a1a1', {}, ['too_few_distinct']],
    ['a counting run', '12345678', {}, ['one_kind', 'sequence']],
    ['a counting run backwards', '98765432', {}, ['one_kind', 'sequence']],
    ['a keyboard run', 'qwertyuiop', {}, ['one_kind', 'sequence', 'common']],
    ['the account’s own phone', '13912345678', { phone: '13912345678' }, ['one_kind', 'contains_phone']],
    ['the phone’s last 8 digits with a letter', 'x12345678', { phone: '13912345678' }, ['contains_phone']],
    ['the published demo password', 'gongzhi2026', {}, ['common']],
    ['a common password in capitals', 'PASSWORD123', {}, ['common']],
    ['leading space', ' lift2pump', {}, ['whitespace_edge']],
    ['the same as the old one', 'lift2pump', { previous: 'lift2pump' }, ['same_as_old']],
  ];
  test.each(refused)('refuses %s', (_why, password, context, codes) => {
    const problems = passwordProblems(password, context);
    expect(problems.map((p) => p.code)).toEqual(codes);
    for (const p of problems) expect(p.message).toMatch(/[\u4e00-\u9fa5]/);
  });
});

describe('accountReach and reachCovers', () => {
  const table: [string, Parameters<typeof accountReach>[0], ReturnType<typeof accountReach>][] = [
    [
      'administrator',
      { admin: true, community: null, leadership: false, leadershipManages: false },
      { scope: 'all' },
    ],
    [
      'leadership, config allows',
      { admin: false, community: 'xdy', leadership: true, leadershipManages: true },
      { scope: 'community', community: 'xdy' },
    ],
    [
      'leadership, config silent (default off)',
      { admin: false, community: 'xdy', leadership: true, leadershipManages: false },
      null,
    ],
    [
      'staff who is not leadership',
      { admin: false, community: 'xdy', leadership: false, leadershipManages: true },
      null,
    ],
    ['no community', { admin: false, community: null, leadership: true, leadershipManages: true }, null],
  ];
  test.each(table)('%s', (_why, actor, reach) => {
    expect(accountReach(actor)).toEqual(reach);
  });

  const covers: [string, ReturnType<typeof accountReach>, Parameters<typeof reachCovers>[1], boolean][] = [
    ['all covers an admin', { scope: 'all' }, { kind: 'admin', community: null }, true],
    ['all covers a resident', { scope: 'all' }, { kind: 'resident', community: null }, true],
    [
      'community covers its staff',
      { scope: 'community', community: 'xdy' },
      { kind: 'staff', community: 'xdy' },
      true,
    ],
    [
      'community not another’s staff',
      { scope: 'community', community: 'xdy' },
      { kind: 'staff', community: 'abc' },
      false,
    ],
    [
      'community not an admin',
      { scope: 'community', community: 'xdy' },
      { kind: 'admin', community: null },
      false,
    ],
    [
      'community not a resident',
      { scope: 'community', community: 'xdy' },
      { kind: 'resident', community: null },
      false,
    ],
    ['none covers nothing', null, { kind: 'staff', community: 'xdy' }, false],
  ];
  test.each(covers)('%s', (_why, reach, target, expected) => {
    expect(reachCovers(reach, target)).toBe(expected);
  });
});
