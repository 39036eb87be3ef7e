import {
  type ArchivedPeriod,
  archivedPeriodOf,
  assertInstantOpen,
  checkArchivable,
  mayManageArchives,
} from '../../packages/domain/src/archive/lock';
import { type ManifestFile, verifyManifest } from '../../packages/domain/src/archive/manifest';
import {
  formatQuarter,
  parseQuarter,
  type Quarter,
  QuarterKey,
  quarterBounds,
  quarterDates,
  quarterLabel,
  quarterOf,
  recentFinishedQuarters,
} from '../../packages/domain/src/archive/quarter';
import { rolesOf } from '../../packages/domain/src/community/lookup';
import type { Actor } from '../../packages/domain/src/issues/access';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

const SH = 'Asia/Shanghai';

describe('quarters in the community’s local time', () => {
  test.each([
    ['2026Q1', { year: 2026, q: 1 }],
    ['2026Q3', { year: 2026, q: 3 }],
    [' 2027Q4 ', { year: 2027, q: 4 }],
  ])('parse %j', (text, want) => {
    expect(parseQuarter(text)).toEqual(want);
    expect(formatQuarter(parseQuarter(text))).toBe(text.trim());
  });

  test.each(['2026Q0', '2026Q5', '2026-Q3', '26Q3', '2026q3', 'Q3 2026', '1999Q4', ''])(
    'refuse %j',
    (text) => {
      const err = domainErrorOf(() => parseQuarter(text, 'body.quarter'));
      expect(err).toMatchObject({
        kind: 'invalid',
        code: 'invalid_quarter',
        details: [{ path: 'body.quarter' }],
      });
      expect(QuarterKey.safeParse(text).success).toBe(false);
    },
  );

  test.each<[Quarter, string, string, string]>([
    // [start, end) as instants: midnight in Shanghai is 16:00 UTC the day before.
    [{ year: 2026, q: 1 }, '2025-12-31T16:00:00.000Z', '2026-03-31T16:00:00.000Z', '2026年第一季度'],
    [{ year: 2026, q: 3 }, '2026-06-30T16:00:00.000Z', '2026-09-30T16:00:00.000Z', '2026年第三季度'],
    [{ year: 2026, q: 4 }, '2026-09-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z', '2026年第四季度'],
  ])('bounds of %j', (q, start, end, label) => {
    const b = quarterBounds(q, SH);
    expect([b.start.toISOString(), b.end.toISOString()]).toEqual([start, end]);
    expect(quarterLabel(q)).toBe(label);
  });

  test('bounds in another zone follow its midnight', () => {
    expect(quarterBounds({ year: 2026, q: 3 }, 'UTC').start.toISOString()).toBe('2026-07-01T00:00:00.000Z');
  });

  test.each([
    // The last millisecond of Q3 in Shanghai, and the first of Q4.
    ['2026-09-30T15:59:59.999Z', '2026Q3'],
    ['2026-09-30T16:00:00.000Z', '2026Q4'],
    // New Year's Eve 20:00 UTC is already 1 January in Shanghai.
    ['2026-12-31T20:00:00.000Z', '2027Q1'],
    ['2026-04-01T00:00:00.000Z', '2026Q2'],
  ])('%s falls in %s', (instant, q) => {
    expect(formatQuarter(quarterOf(new Date(instant), SH))).toBe(q);
  });

  test('dates covered, and the finished quarters before now', () => {
    expect(quarterDates({ year: 2024, q: 1 })).toEqual({ first: '2024-01-01', last: '2024-03-31' });
    expect(quarterDates({ year: 2026, q: 4 })).toEqual({ first: '2026-10-01', last: '2026-12-31' });
    expect(recentFinishedQuarters(new Date('2026-10-09T02:00:00Z'), SH, 4).map(formatQuarter)).toEqual([
      '2026Q3',
      '2026Q2',
      '2026Q1',
      '2025Q4',
    ]);
  });
});

describe('the manifest check', () => {
  const sha = (c: string) => c.repeat(64);
  const manifest = {
    files: [
      { path: 'summary.pdf', bytes: 10, sha256: sha('a') },
      { path: 'issues/issues.json', bytes: 20, sha256: sha('b') },
      { path: 'photos/X1/p.jpg', bytes: 30, sha256: sha('c') },
    ],
  };
  const same = manifest.files.map((f) => ({ ...f }));
  test.each<[string, ManifestFile[], Partial<ReturnType<typeof verifyManifest>>]>([
    [
      'intact (the manifest itself is not listed)',
      [...same, { path: 'manifest.json', bytes: 5, sha256: sha('f') }],
      { ok: true, intact: 3 },
    ],
    [
      'one byte changed: same size, other hash',
      [same[0]!, { ...same[1]!, sha256: sha('d') }, same[2]!],
      {
        ok: false,
        intact: 2,
        changed: [
          {
            path: 'issues/issues.json',
            expected: { bytes: 20, sha256: sha('b') },
            actual: { bytes: 20, sha256: sha('d') },
          },
        ],
      },
    ],
    [
      'a size change alone',
      [same[0]!, same[1]!, { ...same[2]!, bytes: 31 }],
      { ok: false, changed: [expect.objectContaining({ path: 'photos/X1/p.jpg' })] },
    ],
    ['missing', [same[0]!, same[2]!], { ok: false, intact: 2, missing: ['issues/issues.json'], changed: [] }],
    [
      'unexpected',
      [...same, { path: 'extra.txt', bytes: 1, sha256: sha('e') }],
      { ok: false, intact: 3, unexpected: ['extra.txt'] },
    ],
    [
      'listed twice in the package',
      [...same, same[1]!],
      { ok: false, intact: 3, unexpected: ['issues/issues.json'] },
    ],
    [
      'empty package',
      [],
      { ok: false, intact: 0, missing: ['summary.pdf', 'issues/issues.json', 'photos/X1/p.jpg'] },
    ],
  ])('%s', (_, actual, want) => {
    expect(verifyManifest(manifest, actual)).toMatchObject(want);
  });
});

describe('the lock and who archives', () => {
  const Q3 = quarterBounds({ year: 2026, q: 3 }, SH);
  const archived: ArchivedPeriod[] = [{ quarter: '2026Q3', ...Q3 }];

  test.each([
    ['2026-06-30T15:59:59.999Z', null],
    ['2026-06-30T16:00:00.000Z', '2026Q3'],
    ['2026-08-15T04:00:00.000Z', '2026Q3'],
    ['2026-09-30T15:59:59.999Z', '2026Q3'],
    ['2026-09-30T16:00:00.000Z', null],
  ])('%s → %s', (instant, quarter) => {
    expect(archivedPeriodOf(archived, new Date(instant))?.quarter ?? null).toBe(quarter);
    const err = quarter ? domainErrorOf(() => assertInstantOpen(archived, new Date(instant), SH)) : null;
    if (quarter) {
      expect(err).toMatchObject({
        kind: 'conflict',
        code: 'quarter_archived',
        message: '2026年第三季度已归档，该季度的记录只读，不能再修改',
      });
    } else expect(() => assertInstantOpen(archived, new Date(instant), SH)).not.toThrow();
  });

  const q3 = { year: 2026, q: 3 } as const;
  test.each<
    [
      string,
      string,
      string[],
      { issues: { code: string; status: string }[]; confirmed: boolean },
      string | null,
    ]
  >([
    ['during the quarter', '2026-09-20T02:00:00Z', [], { issues: [], confirmed: false }, 'quarter_not_over'],
    [
      'the last minute of the quarter',
      '2026-09-30T15:59:00Z',
      [],
      { issues: [], confirmed: false },
      'quarter_not_over',
    ],
    ['once it is over', '2026-09-30T16:00:00Z', [], { issues: [], confirmed: false }, null],
    [
      'a second time',
      '2026-10-09T02:00:00Z',
      ['2026Q2', '2026Q3'],
      { issues: [], confirmed: false },
      'quarter_already_archived',
    ],
    [
      'with open issues',
      '2026-10-09T02:00:00Z',
      [],
      { issues: [{ code: 'A1', status: 'dispatched' }], confirmed: false },
      'quarter_has_open_issues',
    ],
    [
      'with open issues, confirmed',
      '2026-10-09T02:00:00Z',
      [],
      { issues: [{ code: 'A1', status: 'dispatched' }], confirmed: true },
      null,
    ],
  ])('archivable %s?', (_, now, done, open, code) => {
    const run = () => checkArchivable(q3, new Date(now), SH, done, open);
    if (code) expect(domainErrorOf(run)).toMatchObject({ kind: 'conflict', code });
    else expect(run()).toEqual(Q3);
  });

  test('open issues are named, at most 50', () => {
    const issues = Array.from({ length: 60 }, (_, i) => ({ code: `C${i}`, status: 'accepted' }));
    const err = domainErrorOf(() =>
      checkArchivable(q3, new Date('2026-10-09T02:00:00Z'), SH, [], { issues, confirmed: false }),
    );
    expect(err.message).toContain('还有 60 件问题未办结');
    expect(err.details).toHaveLength(50);
    expect(err.details?.[0]).toMatchObject({ path: 'body.allowOpenIssues', code: 'C0', status: 'accepted' });
  });

  const community = loadXiaduoyuan();
  const actor = (person: string | null, admin = false): Actor => ({
    accountId: 'a',
    admin,
    roles: person ? rolesOf(community, person) : null,
  });
  test.each([
    ['the secretary 屠忠梅', true, actor('tu-zhongmei')],
    ['the Party secretary 闻良 (leadership)', true, actor('wen-liang')],
    ['an administrator', true, actor(null, true)],
    ['a zone leader', false, actor('wu-wenjie')],
    ['a grid inspector', false, actor('yang-chenyi')],
    ['a resident', false, actor(null)],
  ])('%s may manage archives: %s', (_, may, a) => {
    expect(mayManageArchives(a)).toBe(may);
  });
});
