import { CreditConfig, type CreditFacts, creditFormula, creditScore } from '@gongzhi/domain';

const cfg = CreditConfig.parse({});
const facts = (over: Partial<CreditFacts>): CreditFacts => ({
  reminderLetters: 0,
  warningLetters: 0,
  lapses: 0,
  onTime: { numerator: 0, denominator: 0 },
  satisfaction: { numerator: 0, denominator: 0 },
  evaluation: null,
  ...over,
});

describe('creditScore: the default formula, worked by hand', () => {
  it.each<[string, Partial<CreditFacts>, number]>([
    // Everything measured and perfect: 60 + 20 + 10 + 10 = 100.
    [
      'perfect',
      {
        onTime: { numerator: 10, denominator: 10 },
        satisfaction: { numerator: 4, denominator: 4 },
        evaluation: { mean: 5, responses: 30 },
      },
      100,
    ],
    // 18/20 on time = 0.9 × 20 = 18; 3/4 satisfied = 0.75 × 10 = 7.5; mean 4 → (4−1)/4 = 0.75 × 10 = 7.5;
    // one 提示函 −2, two lapses −2: 60 + 18 + 7.5 + 7.5 − 2 − 2 = 89.
    [
      'typical',
      {
        onTime: { numerator: 18, denominator: 20 },
        satisfaction: { numerator: 3, denominator: 4 },
        evaluation: { mean: 4, responses: 12 },
        reminderLetters: 1,
        lapses: 2,
      },
      89,
    ],
    // No evaluation and no ratings: only on-time is measured; its weight 20 scales by 40/20 = 2.
    // 1/2 on time = 0.5 × 20 × 2 = 20: 60 + 20 = 80.
    ['only on-time measured', { onTime: { numerator: 1, denominator: 2 } }, 80],
    // Nothing measured: the base only, less deductions: 60 − 5 = 55.
    ['nothing measured, one 警示函', { warningLetters: 1 }, 55],
    // Deductions below the floor: 60 − 3×5 − 10×2 − 30×1 = −5 → 0.
    ['kept at the floor', { warningLetters: 3, reminderLetters: 10, lapses: 30 }, 0],
    // The worst evaluation (mean 1) gives 0 of its 10 points; on-time 0/3 gives 0: 60 + 0 + 0 = 60,
    // satisfaction unmeasured, so the others scale by 40/30.
    ['worst rates', { onTime: { numerator: 0, denominator: 3 }, evaluation: { mean: 1, responses: 5 } }, 60],
  ])('%s → %d', (_name, over, expected) => {
    const r = creditScore(cfg, facts(over));
    expect(r.score).toBe(expected);
    // The lines add up to the score: the arithmetic shown is the arithmetic done.
    expect(Math.round(r.lines.reduce((s, l) => s + l.points, 0) * 100) / 100).toBe(expected);
  });

  it('shows its arithmetic line by line', () => {
    const r = creditScore(
      cfg,
      facts({
        onTime: { numerator: 18, denominator: 20 },
        satisfaction: { numerator: 3, denominator: 4 },
        reminderLetters: 1,
      }),
    );
    // Evaluation unmeasured: 40 / 30 = 1.33 scale. 0.9 × 20 × 1.333 = 24; 0.75 × 10 × 1.333 = 10.
    expect(r.lines.map((l) => [l.label, l.arithmetic])).toEqual([
      ['基础分', '60'],
      ['按时办结率', '18/20 = 90.0% × 20 × 1.33 = 24.00'],
      ['满意率', '3/4 = 75.0% × 10 × 1.33 = 10.00'],
      ['居民评议', '无数据，不计'],
      ['提示函', '1 × 2 = 2.00'],
      ['警示函', '0 × 5 = 0.00'],
      ['失职记录', '0 × 1 = 0.00'],
    ]);
    expect(r.score).toBe(92);
  });

  it('uses the configured numbers, and says them in the formula', () => {
    const custom = CreditConfig.parse({ base: 50, weights: { onTime: 50, satisfaction: 0, evaluation: 0 } });
    expect(creditScore(custom, facts({ onTime: { numerator: 3, denominator: 4 } })).score).toBe(87.5);
    expect(creditFormula(custom)).toContain('基础分 50 + 按时办结率 × 50');
    expect(CreditConfig.safeParse({ weights: { onTime: -1 } }).success).toBe(false);
    expect(CreditConfig.safeParse({ bonus: 1 }).success).toBe(false);
  });
});
