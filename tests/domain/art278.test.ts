import {
  ART278_MATTERS,
  type Art278CheckKey,
  type Art278Matter,
  type Art278Result,
  decideArt278,
} from '../../packages/domain/src/meetings/art278';
import { domainErrorOf } from './fixtures';

/**
 * PRC Civil Code art. 278, worked by hand. The community: 300 owners, 12000.00 m² of exclusive
 * area. 2/3 of that is exactly 200 owners and 8000.00 m²; of 200 participants and 8000.00 m²,
 * 3/4 is exactly 150 owners and 6000.00 m², half is exactly 100 owners and 4000.00 m².
 */
const TOTAL_OWNERS = 300;
const TOTAL_AREA = 12000;

// Written out, not imported: the law's split, so that a wrong table in the code fails here.
const THREE_QUARTER_MATTERS: Art278Matter[] = ['raise_fund', 'rebuild', 'change_use'];
const MAJORITY_MATTERS: Art278Matter[] = [
  'amend_assembly_rules',
  'amend_covenant',
  'elect_committee',
  'hire_property_manager',
  'use_fund',
  'other',
];

interface Totals {
  participatingOwners: number;
  participatingArea: number;
  consentingOwners: number;
  consentingArea: number;
}

const decide = (matter: Art278Matter, totals: Totals) =>
  decideArt278({ matter, totalOwners: TOTAL_OWNERS, totalArea: TOTAL_AREA, totals });

const unmet = (r: Art278Result): Art278CheckKey[] => r.checks.filter((c) => !c.met).map((c) => c.key);
const checkOf = (r: Art278Result, key: Art278CheckKey) => r.checks.find((c) => c.key === key)!;

describe('the matters of art. 278', () => {
  it('are the nine items of the article, three of them needing three quarters', () => {
    expect([...ART278_MATTERS].sort()).toEqual([...THREE_QUARTER_MATTERS, ...MAJORITY_MATTERS].sort());
    for (const m of THREE_QUARTER_MATTERS) {
      expect(
        decide(m, {
          participatingOwners: 200,
          participatingArea: 8000,
          consentingOwners: 150,
          consentingArea: 6000,
        }).rule,
      ).toBe('three_quarters');
    }
    for (const m of MAJORITY_MATTERS) {
      expect(
        decide(m, {
          participatingOwners: 200,
          participatingArea: 8000,
          consentingOwners: 150,
          consentingArea: 6000,
        }).rule,
      ).toBe('more_than_half');
    }
  });
});

describe.each(ART278_MATTERS)('participation for %s (≥ 2/3 of owners AND of area)', (matter) => {
  // Everyone who takes part consents, so only participation can fail.
  const all = (owners: number, area: number) => ({
    participatingOwners: owners,
    participatingArea: area,
    consentingOwners: owners,
    consentingArea: area,
  });

  it.each([
    ['exactly 2/3 in both', 200, 8000, true, []],
    ['one owner short of 2/3', 199, 9000, false, ['participation_owners']],
    ['0.01 m² short of 2/3', 250, 7999.99, false, ['participation_area']],
    ['exactly 2/3 owners, more area', 200, 11000, true, []],
    ['exactly 2/3 area, more owners', 290, 8000, true, []],
    ['both short', 199, 7999.99, false, ['participation_owners', 'participation_area']],
  ] as const)('%s', (_label, owners, area, passed, failing) => {
    const r = decide(matter, all(owners, area));
    expect(r.passed).toBe(passed);
    expect(unmet(r)).toEqual(failing);
  });
});

describe.each(THREE_QUARTER_MATTERS)('consent for %s (≥ 3/4 of participating owners AND area)', (matter) => {
  it.each([
    ['exactly 3/4 in both', 150, 6000, true, []],
    ['one owner short of 3/4', 149, 6000, false, ['consent_owners']],
    ['0.01 m² short of 3/4', 150, 5999.99, false, ['consent_area']],
    ['a clear majority is not enough', 140, 5600, false, ['consent_owners', 'consent_area']],
    ['everyone', 200, 8000, true, []],
  ] as const)('%s', (_label, owners, area, passed, failing) => {
    const r = decide(matter, {
      participatingOwners: 200,
      participatingArea: 8000,
      consentingOwners: owners,
      consentingArea: area,
    });
    expect(r.passed).toBe(passed);
    expect(unmet(r)).toEqual(failing);
  });
});

describe.each(MAJORITY_MATTERS)('consent for %s (> 1/2 of participating owners AND area)', (matter) => {
  it.each([
    ['exactly half the owners fails', 100, 5000, false, ['consent_owners']],
    ['half the owners plus one passes', 101, 5000, true, []],
    ['exactly half the area fails', 150, 4000, false, ['consent_area']],
    ['half the area plus 0.01 m² passes', 150, 4000.01, true, []],
    ['half plus one in both', 101, 4000.01, true, []],
    ['exactly half in both', 100, 4000, false, ['consent_owners', 'consent_area']],
  ] as const)('%s', (_label, owners, area, passed, failing) => {
    const r = decide(matter, {
      participatingOwners: 200,
      participatingArea: 8000,
      consentingOwners: owners,
      consentingArea: area,
    });
    expect(r.passed).toBe(passed);
    expect(unmet(r)).toEqual(failing);
  });
});

describe('the arithmetic shown', () => {
  it('writes every check as a sentence with the fraction, the percentage and the verdict', () => {
    const r = decideArt278({
      matter: 'raise_fund',
      totalOwners: 300,
      totalArea: 12000,
      totals: {
        participatingOwners: 201,
        participatingArea: 8000,
        consentingOwners: 150,
        consentingArea: 5999.99,
      },
    });
    expect(r.checks.map((c) => c.text)).toEqual([
      '参与表决业主 201 人 / 总人数 300 人 = 67.00%，需 ≥ 2/3（66.67%）：达到',
      '参与表决业主专有部分面积 8000.00 m² / 总面积 12000.00 m² = 66.67%，需 ≥ 2/3（66.67%）：达到',
      // 150/201 = 74.626…%
      '同意业主 150 人 / 参与表决业主 201 人 = 74.63%，需 ≥ 3/4（75.00%）：未达到',
      // 5999.99/8000 = 74.999875 %: two decimals would round it to 75.00 % beside a "未达到"
      '同意业主专有部分面积 5999.99 m² / 参与表决面积 8000.00 m² = 74.9999%，需 ≥ 3/4（75.0000%）：未达到',
    ]);
    expect(r.passed).toBe(false);
    expect(r.summary).toContain('表决未通过');
    expect(r.summary).toContain('同意人数、同意面积');
  });

  it('gives numerators, denominators and thresholds as numbers', () => {
    const r = decide('use_fund', {
      participatingOwners: 200,
      participatingArea: 8000.5,
      consentingOwners: 101,
      consentingArea: 4000.26,
    });
    expect(checkOf(r, 'participation_area')).toMatchObject({
      unit: 'm²',
      numerator: 8000.5,
      denominator: 12000,
      threshold: { num: 2, den: 3, strict: false },
      met: true,
    });
    expect(checkOf(r, 'consent_owners')).toMatchObject({
      unit: '人',
      numerator: 101,
      denominator: 200,
      threshold: { num: 1, den: 2, strict: true },
      met: true,
    });
    // 4000.26 > 8000.50 / 2 = 4000.25; 4000.26 / 8000.50 = 50.000125 %, which two or three decimals
    // would show as equal to the threshold
    expect(checkOf(r, 'consent_area').met).toBe(true);
    expect(checkOf(r, 'consent_area').text).toBe(
      '同意业主专有部分面积 4000.26 m² / 参与表决面积 8000.50 m² = 50.0001%，需 > 1/2（50.0000%）：达到',
    );
    expect(r.passed).toBe(true);
    expect(r.summary).toBe(
      '“使用建筑物及其附属设施的维修资金”表决通过（《民法典》第二百七十八条：参与表决人数和面积均达到三分之二以上；须经参与表决专有部分面积过半数且参与表决人数过半数的业主同意）',
    );
  });

  it('says when no one took part', () => {
    const r = decide('other', {
      participatingOwners: 0,
      participatingArea: 0,
      consentingOwners: 0,
      consentingArea: 0,
    });
    expect(r.passed).toBe(false);
    expect(checkOf(r, 'consent_owners').text).toBe('参与表决业主 0 人，无法计算比例：未达到');
    expect(unmet(r)).toEqual([
      'participation_owners',
      'participation_area',
      'consent_owners',
      'consent_area',
    ]);
  });
});

describe('per-owner votes', () => {
  // 6 owners, 600.00 m². A, B, C, D vote: 4/6 = 2/3 owners, 400.00/600.00 = 2/3 area.
  const votes = [
    { owner: 'A', area: 100, vote: 'for' },
    { owner: 'B', area: 100, vote: 'for' },
    { owner: 'C', area: 100, vote: 'for' },
    { owner: 'D', area: 100, vote: 'abstain' },
  ];

  it('counts an abstention as taking part but not consenting: 3 of 4 is exactly 3/4', () => {
    const r = decideArt278({ matter: 'rebuild', totalOwners: 6, totalArea: 600, votes });
    expect(r.passed).toBe(true);
    expect(r.tally).toEqual({
      totalOwners: 6,
      totalArea: 600,
      participatingOwners: 4,
      participatingArea: 400,
      consentingOwners: 3,
      consentingArea: 300,
      againstOwners: 0,
      abstainingOwners: 1,
    });
  });

  it('fails when one of those owners does not vote (3/6 < 2/3), and when one votes against (2/4 < 3/4)', () => {
    const absent = decideArt278({
      matter: 'rebuild',
      totalOwners: 6,
      totalArea: 600,
      votes: votes.slice(0, 3),
    });
    expect(absent.passed).toBe(false);
    expect(unmet(absent)).toEqual(['participation_owners', 'participation_area']);
    const against = decideArt278({
      matter: 'rebuild',
      totalOwners: 6,
      totalArea: 600,
      votes: [...votes.slice(0, 2), { owner: 'C', area: 100, vote: 'against' }, votes[3]!],
    });
    expect(against.passed).toBe(false);
    expect(unmet(against)).toEqual(['consent_owners', 'consent_area']);
    expect(against.tally.againstOwners).toBe(1);
  });

  it('compares exactly where floating point would not: (50.00 + 81.08) / 196.62 is exactly 2/3', () => {
    // In doubles, (50 + 81.08) / 196.62 = 0.6666666666666665 < 2/3: a float comparison would fail it.
    expect((50 + 81.08) / 196.62 >= 2 / 3).toBe(false);
    const r = decideArt278({
      matter: 'other',
      totalOwners: 3,
      totalArea: 196.62,
      votes: [
        { owner: 'A', area: 50, vote: 'for' },
        { owner: 'B', area: 81.08, vote: 'for' },
      ],
    });
    expect(checkOf(r, 'participation_area').met).toBe(true);
    expect(checkOf(r, 'participation_area').text).toBe(
      '参与表决业主专有部分面积 131.08 m² / 总面积 196.62 m² = 66.67%，需 ≥ 2/3（66.67%）：达到',
    );
    expect(r.passed).toBe(true);
  });
});

describe('bad input is refused with the path of each problem', () => {
  const base = { matter: 'use_fund', totalOwners: 6, totalArea: 600 };

  it.each([
    [
      'a duplicate owner',
      {
        ...base,
        votes: [
          { owner: 'A', area: 100, vote: 'for' },
          { owner: 'B', area: 100, vote: 'for' },
          { owner: 'A', area: 100, vote: 'against' },
        ],
      },
      'art278_duplicate_owner',
      ['votes[2].owner'],
    ],
    [
      'areas above the total',
      {
        ...base,
        votes: [
          { owner: 'A', area: 300, vote: 'for' },
          { owner: 'B', area: 300.01, vote: 'for' },
        ],
      },
      'art278_area_exceeds_total',
      ['votes'],
    ],
    [
      'a zero area',
      { ...base, votes: [{ owner: 'A', area: 0, vote: 'for' }] },
      'art278_invalid_input',
      ['votes[0].area'],
    ],
    [
      'an area with three decimals',
      { ...base, votes: [{ owner: 'A', area: 80.055, vote: 'for' }] },
      'art278_invalid_input',
      ['votes[0].area'],
    ],
    [
      'an unknown vote and an unknown matter',
      { ...base, matter: 'sell_building', votes: [{ owner: 'A', area: 80, vote: 'yes' }] },
      'art278_invalid_input',
      ['matter', 'votes[0].vote'],
    ],
    [
      'more voters than owners',
      {
        ...base,
        totalOwners: 1,
        votes: [
          { owner: 'A', area: 100, vote: 'for' },
          { owner: 'B', area: 100, vote: 'for' },
        ],
      },
      'art278_owners_exceed_total',
      ['votes'],
    ],
    ['neither votes nor totals', base, 'art278_votes_or_totals', ['votes']],
    [
      'both votes and totals',
      {
        ...base,
        votes: [{ owner: 'A', area: 100, vote: 'for' }],
        totals: { participatingOwners: 1, participatingArea: 100, consentingOwners: 1, consentingArea: 100 },
      },
      'art278_votes_or_totals',
      ['votes'],
    ],
    [
      'totals that do not add up',
      {
        ...base,
        totals: {
          participatingOwners: 7,
          participatingArea: 600.01,
          consentingOwners: 8,
          consentingArea: 700,
        },
      },
      'art278_owners_exceed_total',
      [
        'totals.participatingOwners',
        'totals.participatingArea',
        'totals.consentingOwners',
        'totals.consentingArea',
      ],
    ],
    [
      'owners without area',
      {
        ...base,
        totals: { participatingOwners: 4, participatingArea: 0, consentingOwners: 0, consentingArea: 0 },
      },
      'art278_owners_area_mismatch',
      ['totals.participatingArea'],
    ],
    [
      'a negative or fractional count',
      {
        ...base,
        totals: {
          participatingOwners: -1,
          participatingArea: 100,
          consentingOwners: 1.5,
          consentingArea: 50,
        },
      },
      'art278_invalid_input',
      ['totals.participatingOwners', 'totals.consentingOwners'],
    ],
    ['no owners at all', { ...base, totalOwners: 0, votes: [] }, 'art278_invalid_input', ['totalOwners']],
  ] as const)('%s', (_label, input, code, paths) => {
    const e = domainErrorOf(() => decideArt278(input));
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe(code);
    expect(e.details?.map((d) => d.path)).toEqual(paths);
    expect(e.message).toMatch(/^业主大会表决数据有误：/);
  });
});
