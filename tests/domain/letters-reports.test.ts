import {
  annualReportBriefing,
  cadenceRecord,
  cadenceSummary,
  complaintsOn,
  type IssuePressure,
  issuesLetters,
  LetterTriggerConfig,
  letterListActions,
  letterProposalActions,
  missedCadenceWindow,
  parseReportPeriod,
  proposeLetters,
  readsEvaluationReport,
  reportPeriodStarted,
  schedulesAnnualReport,
} from '../../packages/domain/src';
import type { PersonRoles } from '../../packages/domain/src/community/lookup';

const cfg = LetterTriggerConfig.parse({});
const pressure = (over: Partial<IssuePressure>): IssuePressure => ({
  issueId: 'i1',
  code: 'XDY-1',
  org: 'property',
  reopens: 0,
  lowRatings: 0,
  duplicates: 0,
  ...over,
});

describe('proposeLetters: residents pressing hard propose a 警示函, never issue one', () => {
  it('has defaults: 3 complaints on an issue, 满意率 under 60% with at least 5 ratings', () => {
    expect(cfg).toEqual({
      complaintsPerIssue: 3,
      lowRatingAtMost: 2,
      satisfactionBelow: 0.6,
      satisfactionMinRatings: 5,
    });
  });
  it.each([
    [{ reopens: 2 }, 0],
    [{ reopens: 3 }, 1],
    [{ reopens: 2, lowRatings: 1 }, 1],
    [{ reopens: 1, duplicates: 1 }, 0],
    [{ duplicates: 2, lowRatings: 1 }, 1],
    [{ reopens: 5, org: null }, 0],
  ] as const)('issue pressure %j → %d proposals', (over, n) => {
    const out = proposeLetters(cfg, [pressure(over)], []);
    expect(out).toHaveLength(n);
    if (n) {
      expect(out[0]).toMatchObject({ key: 'issue:i1', kind: 'warning', org: 'property', issueIds: ['i1'] });
      expect(out[0]!.reason).toContain(`${complaintsOn(pressure(over))} 次投诉`);
    }
  });
  it('honours a community threshold', () => {
    const strict = LetterTriggerConfig.parse({ complaintsPerIssue: 1 });
    expect(proposeLetters(strict, [pressure({ reopens: 1 })], [])).toHaveLength(1);
  });
  it.each([
    [2, 5, 1], // 40% < 60%
    [3, 5, 0], // 60% is not under 60%
    [0, 4, 0], // too few ratings to judge
    [5, 10, 1],
  ])('%d satisfied of %d rated → %d proposals', (satisfied, rated, n) => {
    const out = proposeLetters(cfg, [], [{ org: 'rc', month: '2026-09', satisfied, rated }]);
    expect(out).toHaveLength(n);
    if (n) {
      expect(out[0]).toMatchObject({ key: 'satisfaction:rc:2026-09', org: 'rc', issueIds: [] });
      expect(out[0]!.reason).toContain('2026年9月居委会');
    }
  });
});

describe('who issues letters, decides proposals, reads reports, lists the 述职', () => {
  const roles = (over: Partial<PersonRoles>): PersonRoles =>
    ({
      person: 'p',
      zones: [],
      linesLed: [],
      secretary: false,
      leadership: false,
      propertyManager: false,
      ...over,
    }) as PersonRoles;
  const actor = (r: PersonRoles | null, admin = false) => ({ accountId: 'a', roles: r, admin });
  it.each([
    ['leadership', actor(roles({ leadership: true })), true, true, false],
    ['secretary', actor(roles({ secretary: true })), false, true, true],
    ['property manager', actor(roles({ propertyManager: true })), false, true, false],
    ['zone member', actor(roles({})), false, false, false],
    ['resident', actor(null), false, false, false],
    ['admin', actor(null, true), true, true, false],
  ])('%s', (_name, a, issues, reads, lists) => {
    expect(issuesLetters(a)).toBe(issues);
    expect(letterListActions(a)).toEqual(issues ? ['issue'] : []);
    expect(letterProposalActions(a, 'pending')).toEqual(issues ? ['confirm', 'dismiss'] : []);
    expect(letterProposalActions(a, 'confirmed')).toEqual([]);
    expect(letterProposalActions(a, 'dismissed')).toEqual([]);
    expect(readsEvaluationReport(a)).toBe(reads);
    expect(schedulesAnnualReport(a)).toBe(lists);
  });
});

describe('report periods', () => {
  it.each([
    ['2026Q3', 'quarter', '2026-07-01', '2026-09-30'],
    ['2026q1', 'quarter', '2026-01-01', '2026-03-31'],
    ['2026', 'year', '2026-01-01', '2026-12-31'],
  ])('%s', (text, kind, from, to) => {
    expect(parseReportPeriod(text)).toMatchObject({ kind, from, to });
  });
  it.each(['2026Q5', '26', '2026-07', ''])('refuses %j', (text) => {
    expect(() => parseReportPeriod(text)).toThrow(/报告期间/);
  });
  it('a period not yet begun has no report', () => {
    expect(reportPeriodStarted(parseReportPeriod('2026Q4'), '2026-09-30')).toBe(false);
    expect(reportPeriodStarted(parseReportPeriod('2026Q4'), '2026-10-01')).toBe(true);
  });
});

describe('cadenceRecord: meetings held against the cadence', () => {
  it('monthly over a quarter: held, missed, and the month still running', () => {
    const w = cadenceRecord(
      'monthly',
      '2026-07-01',
      '2026-09-30',
      ['2026-07-08', '2026-07-20', '2026-09-03'],
      '2026-09-15',
    );
    expect(w.map((x) => [x.key, x.held, x.missed, x.open])).toEqual([
      ['2026-07', 2, false, false],
      ['2026-08', 0, true, false],
      ['2026-09', 1, false, true],
    ]);
    expect(cadenceSummary(w)).toBe(
      '截至目前应召开 2 次，实际召开 3 次，1 期未召开（2026年8月）（期间尚未结束）',
    );
  });
  it('quarterly over a year has four windows; bimonthly six', () => {
    expect(cadenceRecord('quarterly', '2026-01-01', '2026-12-31', [], '2027-01-05')).toHaveLength(4);
    const bi = cadenceRecord('bimonthly', '2026-01-01', '2026-12-31', ['2026-02-10'], '2027-01-05');
    expect(bi).toHaveLength(6);
    expect(bi[0]).toMatchObject({ key: '2026-01', held: 1, missed: false, label: '2026年1月—2月' });
    expect(bi.filter((x) => x.missed)).toHaveLength(5);
    expect(cadenceSummary(bi)).toContain('应召开 6 次，实际召开 1 次');
  });
  it.each([
    ['2026-10-10', [], '2026-09'],
    ['2026-10-10', ['2026-09-30'], null],
    ['2026-01-03', ['2026-01-02'], '2025-12'],
    ['2026-01-03', ['2025-12-31'], null],
  ])('monthly at %s, held %j → reminder for %s', (today, held, month) => {
    expect(missedCadenceWindow('monthly', today, held)?.key ?? null).toBe(month);
  });
  it('quarterly: the reminder is for the last ended quarter', () => {
    expect(missedCadenceWindow('quarterly', '2026-11-01', ['2026-08-01'])).toBeNull();
    expect(missedCadenceWindow('quarterly', '2026-11-01', ['2026-10-02'])?.key).toBe('2026-07');
  });
});

describe('annualReportBriefing: the 述职 item carries the figures', () => {
  it('fills in KPIs, credit file and evaluation', () => {
    const text = annualReportBriefing({
      year: 2026,
      managerName: '王经理',
      handled: { numerator: 18, denominator: 20 },
      onTime: { numerator: 15, denominator: 20 },
      satisfaction: { numerator: 0, denominator: 0 },
      reminderLetters: 2,
      warningLetters: 1,
      lapses: 4,
      score: 71.5,
      evaluationNote: '居民评议：2026Q3，物业公司平均 4.10 分（30 户）',
    });
    expect(text).toContain('述职人：王经理');
    expect(text).toContain('办结率 18/20 = 90.0%');
    expect(text).toContain('按时办结率 15/20 = 75.0%');
    expect(text).toContain('满意率 0/0（无数据）');
    expect(text).toContain('提示函 2 件，警示函 1 件，失职记录 4 次；诚信得分 71.50');
    expect(text).toContain('物业公司平均 4.10 分');
  });
});
