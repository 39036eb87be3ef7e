import type { RotaShortfall } from '../../packages/domain/src/duty/generate-rota';
import {
  checkPublish,
  gapSummary,
  isPublicDate,
  monthBounds,
  monthsBecomingDrafts,
  type RotaMonthStatus,
  rotaActions,
  rotaMonthStatus,
  rotaMonthsOf,
} from '../../packages/domain/src/duty/publish';
import type { DomainError } from '../../packages/domain/src/errors';

const gap = (date: string, needed = 1, assigned = 0): RotaShortfall => ({
  date,
  shift: 'day',
  org: 'rc',
  needed,
  assigned,
  reason: `${date} 白班需要居委会 ${needed} 人，已安排 ${assigned} 人`,
});

describe('months of the rota', () => {
  test.each([
    ['2026-12-05', '2026-12-20', ['2026-12']],
    ['2026-11-30', '2027-01-01', ['2026-11', '2026-12', '2027-01']],
    ['2026-02-01', '2026-02-28', ['2026-02']],
  ])('%s … %s touches %j', (from, to, months) => {
    expect(rotaMonthsOf(from, to)).toEqual(months);
  });
  test.each([
    ['2026-02', '2026-02-01', '2026-02-28'],
    ['2028-02', '2028-02-01', '2028-02-29'],
    ['2026-12', '2026-12-01', '2026-12-31'],
  ])('%s runs %s … %s', (month, from, to) => {
    expect(monthBounds(month)).toEqual({ from, to });
  });
});

describe('rotaMonthStatus: the publication record and whether the month has shifts', () => {
  const at = new Date('2026-11-20T02:00:00Z');
  test.each<[string, { publishedAt: Date | null } | undefined, boolean, RotaMonthStatus]>([
    ['no record, no shifts', undefined, false, 'unplanned'],
    ['no record, shifts (generated in one step)', undefined, true, 'published'],
    ['a draft record', { publishedAt: null }, true, 'draft'],
    ['a draft record whose shifts are all gone', { publishedAt: null }, false, 'draft'],
    ['a published record', { publishedAt: at }, true, 'published'],
  ])('%s → %s', (_, record, hasShifts, status) => {
    expect(rotaMonthStatus(record, hasShifts)).toBe(status);
  });
});

test('a draft generation only makes drafts of months not planned yet', () => {
  const statuses = new Map<string, RotaMonthStatus>([
    ['2026-11', 'published'],
    ['2026-12', 'unplanned'],
    ['2027-01', 'draft'],
  ]);
  expect(monthsBecomingDrafts(statuses)).toEqual(['2026-12']);
});

test.each([
  ['2026-12-03', new Set(['2026-12']), false],
  ['2026-11-30', new Set(['2026-12']), true],
  ['2026-12-03', new Set<string>(), true],
])('isPublicDate(%s, %j) = %s', (date, drafts, shown) => {
  expect(isPublicDate(date, drafts)).toBe(shown);
});

describe('rotaActions: who may generate, publish, adjust and print', () => {
  test.each<[string, RotaMonthStatus[], boolean, string[]]>([
    ['the secretary, a draft month', ['draft'], true, ['generate', 'publish', 'override']],
    ['the secretary, a published month', ['published'], true, ['generate', 'override', 'print']],
    ['the secretary, nothing planned', ['unplanned'], true, ['generate', 'override']],
    [
      'the secretary, a range across a published and a draft month',
      ['published', 'draft'],
      true,
      ['generate', 'publish', 'override', 'print'],
    ],
    ['a staff member, a draft month', ['draft'], false, []],
    ['a staff member, a published month', ['published'], false, ['print']],
  ])('%s', (_, statuses, managesRota, actions) => {
    expect(rotaActions(statuses, { managesRota })).toEqual(actions);
  });
});

describe('checkPublish: generated, not yet published, gaps acknowledged', () => {
  const base = {
    month: '2026-12',
    status: 'draft' as RotaMonthStatus,
    shiftCount: 40,
    gaps: [],
    acceptGaps: false,
  };
  const codeOf = (input: Parameters<typeof checkPublish>[0]) => {
    try {
      checkPublish(input);
      return 'ok';
    } catch (e) {
      return (e as DomainError).code;
    }
  };
  test.each<[string, Partial<Parameters<typeof checkPublish>[0]>, string]>([
    ['a full draft', {}, 'ok'],
    ['a draft with a gap', { gaps: [gap('2026-12-05')] }, 'rota_has_gaps'],
    ['a draft with a gap, acknowledged', { gaps: [gap('2026-12-05')], acceptGaps: true }, 'ok'],
    ['already published', { status: 'published' }, 'rota_already_published'],
    [
      'already published, gaps acknowledged',
      { status: 'published', acceptGaps: true },
      'rota_already_published',
    ],
    ['never generated', { status: 'unplanned', shiftCount: 0 }, 'rota_not_generated'],
    ['a draft with no shifts left', { shiftCount: 0 }, 'rota_not_generated'],
  ])('%s → %s', (_, change, code) => {
    expect(codeOf({ ...base, ...change })).toBe(code);
  });

  test('the refusal counts the days and places short and names each one', () => {
    const gaps = [gap('2026-12-05'), gap('2026-12-05', 2, 1), gap('2026-12-06')];
    let err: DomainError | undefined;
    try {
      checkPublish({ ...base, gaps });
    } catch (e) {
      err = e as DomainError;
    }
    expect([err?.kind, err?.code]).toEqual(['conflict', 'rota_has_gaps']);
    expect(err?.message).toBe('2026年12月值班表有 2 天缺岗（共 3 个岗位），请调整班次或确认缺岗后再发布');
    expect(err?.details?.map((d) => d.message)).toEqual(gaps.map((g) => g.reason));
  });
});

test('gapSummary counts days and missing people', () => {
  expect(gapSummary([gap('2026-12-05'), gap('2026-12-05', 2, 0), gap('2026-12-06', 3, 1)])).toEqual({
    days: 2,
    places: 5,
  });
  expect(gapSummary([])).toEqual({ days: 0, places: 0 });
});
