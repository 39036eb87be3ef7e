import {
  assertKpiAccess,
  barChartSvg,
  buildKpiView,
  CHANNEL_NAMES,
  categoryBars,
  cellText,
  formatRatio,
  formatRatioWithCounts,
  KPI_EXPORT_HEADER,
  type KpiCounts,
  type KpiGroupRow,
  kpiExportRows,
  kpiFigures,
  kpiQueryString,
  kpiReach,
  kpiScopeOptions,
  lineChartSvg,
  monthsOf,
  parseKpiScope,
  parsePeriod,
  periodInstants,
  quarterPeriodOf,
  ROLLUP_STALE_AFTER_SECONDS,
  ratio,
  rolesOf,
  rollupIsStale,
  stepPeriod,
  svgDataUri,
  tierBars,
  trendLines,
  ZERO_COUNTS,
} from '../../packages/domain/src';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

const community = loadXiaduoyuan();
const counts = (c: Partial<KpiCounts>): KpiCounts => ({ ...ZERO_COUNTS, ...c });

describe('parsePeriod', () => {
  test.each([
    [
      { period: '2026Q3' },
      { kind: 'quarter', key: '2026Q3', label: '2026年第三季度', from: '2026-07-01', to: '2026-09-30' },
    ],
    [{ period: '2026-q1' }, { kind: 'quarter', key: '2026Q1', from: '2026-01-01', to: '2026-03-31' }],
    [{ period: '2026Q4' }, { from: '2026-10-01', to: '2026-12-31' }],
    [
      { period: '2028-02' },
      { kind: 'month', key: '2028-02', label: '2028年2月', from: '2028-02-01', to: '2028-02-29' },
    ],
    [{ period: '2026-02' }, { to: '2026-02-28' }],
    [
      { from: '2026-07-15', to: '2026-08-14' },
      { kind: 'range', key: '2026-07-15..2026-08-14', label: '2026-07-15 至 2026-08-14' },
    ],
    [
      { from: '2026-07-15', to: '2026-07-15' },
      { from: '2026-07-15', to: '2026-07-15' },
    ],
  ])('%j → %j', (input, expected) => {
    expect(parsePeriod(input)).toMatchObject(expected);
  });

  test.each([
    [{}, 'period_required', 'q.period'],
    [{ period: '2026Q5' }, 'invalid_period', 'q.period'],
    [{ period: '2026-13' }, 'invalid_period', 'q.period'],
    [{ period: 'last quarter' }, 'invalid_period', 'q.period'],
    [{ period: '2026Q3', from: '2026-07-01' }, 'period_ambiguous', 'q.period'],
    [{ from: '2026-07-01' }, 'period_incomplete', 'q.to'],
    [{ to: '2026-07-01' }, 'period_incomplete', 'q.from'],
    [{ from: '2026-02-30', to: '2026-03-01' }, 'invalid_date', 'q.from'],
    [{ from: '2026-07-01', to: '2026/07/31' }, 'invalid_date', 'q.to'],
    [{ from: '2026-08-01', to: '2026-07-31' }, 'period_reversed', 'q.to'],
    [{ from: '2020-01-01', to: '2026-01-01' }, 'period_too_long', 'q.to'],
  ])('%j is refused with %s at %s', (input, code, path) => {
    const e = domainErrorOf(() => parsePeriod(input, 'q.'));
    expect({ kind: e.kind, code: e.code, path: e.details?.[0]?.path }).toEqual({
      kind: 'invalid',
      code,
      path,
    });
    expect(e.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  test('a period is whole local days in the community time zone', () => {
    const { start, end } = periodInstants(parsePeriod({ period: '2026Q3' }), 'Asia/Shanghai');
    expect(start.toISOString()).toBe('2026-06-30T16:00:00.000Z');
    expect(end.toISOString()).toBe('2026-09-30T16:00:00.000Z');
  });

  test.each([
    [{ period: '2026Q3' }, ['2026-07', '2026-08', '2026-09']],
    [{ period: '2026-11' }, ['2026-11']],
    [{ from: '2026-11-20', to: '2027-02-03' }, ['2026-11', '2026-12', '2027-01', '2027-02']],
  ])('months of %j', (input, months) => {
    expect(monthsOf(parsePeriod(input))).toEqual(months);
  });
});

describe('stepping periods (上一期 / 下一期)', () => {
  test.each([
    ['2026Q1', -1, '2025Q4'],
    ['2026Q4', 1, '2027Q1'],
    ['2026Q3', 0, '2026Q3'],
    ['2026-01', -1, '2025-12'],
    ['2026-12', 1, '2027-01'],
    ['2026-07', 14, '2027-09'],
  ])('%s %+i → %s', (from, delta, to) => {
    expect(stepPeriod(parsePeriod({ period: from }), delta).key).toBe(to);
  });

  test('a range does not step; the quarter of a date', () => {
    const r = parsePeriod({ from: '2026-07-01', to: '2026-07-09' });
    expect(stepPeriod(r, 1)).toEqual(r);
    expect(quarterPeriodOf('2026-11-21').key).toBe('2026Q4');
    expect(quarterPeriodOf('2026-01-01').key).toBe('2026Q1');
  });
});

describe('ratios', () => {
  test.each([
    [5, 6, 5 / 6, '83.3%'],
    [1, 8, 0.125, '12.5%'],
    [1, 3, 1 / 3, '33.3%'],
    [2, 3, 2 / 3, '66.7%'],
    [0, 4, 0, '0.0%'],
    [4, 4, 1, '100.0%'],
    [0, 0, null, '无数据'],
  ])('%i/%i = %p, shown %s', (num, den, value, shown) => {
    const r = ratio(num, den);
    expect(r).toEqual({ numerator: num, denominator: den, value });
    expect(formatRatio(r)).toBe(shown);
  });

  test('counts stand beside the ratio; no data is not 0 % or 100 %', () => {
    expect(formatRatioWithCounts(ratio(3, 4))).toBe('75.0%（3/4）');
    expect(formatRatioWithCounts(ratio(0, 0))).toBe('无数据（0/0）');
  });

  test.each([
    [5, 4],
    [-1, 2],
    [1.5, 2],
  ])('%p/%p is not a ratio of counts', (num, den) => {
    expect(() => ratio(num, den)).toThrow(RangeError);
  });

  test('the four formulas divide the right counts', () => {
    const f = kpiFigures(
      counts({ received: 10, handled: 8, effective: 6, onTime: 5, rated: 4, satisfied: 3 }),
    );
    expect(f.handlingRate).toEqual({ numerator: 8, denominator: 10, value: 0.8 });
    expect(f.effectiveRate).toEqual({ numerator: 6, denominator: 8, value: 0.75 });
    expect(f.onTimeRate).toEqual({ numerator: 5, denominator: 8, value: 0.625 });
    expect(f.satisfactionRate).toEqual({ numerator: 3, denominator: 4, value: 0.75 });
  });

  test('nothing handled: effective and on-time rates are no data, the handling rate is 0 %', () => {
    const f = kpiFigures(counts({ received: 3 }));
    expect(f.handlingRate.value).toBe(0);
    expect(f.effectiveRate.value).toBeNull();
    expect(f.onTimeRate.value).toBeNull();
    expect(f.satisfactionRate.value).toBeNull();
  });
});

describe('scope and access', () => {
  test.each([
    [{}, { kind: 'community', key: null, name: '夏朵园居民区' }],
    [
      { scope: 'zone', zone: 'zone-1' },
      { kind: 'zone', key: 'zone-1', name: '第一责任区域' },
    ],
    [
      { scope: 'line', line: 'elevator' },
      { kind: 'line', key: 'elevator', name: '电梯条线' },
    ],
    [
      { scope: 'org', org: 'property' },
      { kind: 'org', key: 'property', name: '物业公司' },
    ],
    [
      { scope: 'person', person: 'zhang-lifen' },
      { kind: 'person', key: 'zhang-lifen', name: '张丽芬' },
    ],
  ] as const)('%j → %j', (input, expected) => {
    expect(parseKpiScope(community, input)).toEqual(expected);
  });

  test.each([
    [{ scope: 'zone' }, 'scope_key_required', 'q.zone'],
    [{ scope: 'zone', zone: 'zone-9' }, 'unknown_zone', 'q.zone'],
    [{ scope: 'line', line: 'gas' }, 'unknown_line', 'q.line'],
    [{ scope: 'org', org: 'police' }, 'unknown_org', 'q.org'],
    [{ scope: 'person', person: 'nobody' }, 'unknown_person', 'q.person'],
    [{ scope: 'zone', zone: 'zone-1', line: 'elevator' }, 'scope_param_mismatch', 'q.line'],
    [{ zone: 'zone-1' }, 'scope_param_mismatch', 'q.zone'],
  ] as const)('%j is refused with %s at %s', (input, code, path) => {
    const e = domainErrorOf(() => parseKpiScope(community, input, 'q.'));
    expect({ code: e.code, path: e.details?.[0]?.path }).toEqual({ code, path });
  });

  const actor = (person: string) => ({ admin: false, roles: rolesOf(community, person) });
  const zone1 = parseKpiScope(community, { scope: 'zone', zone: 'zone-1' });
  const zone2 = parseKpiScope(community, { scope: 'zone', zone: 'zone-2' });
  const elevator = parseKpiScope(community, { scope: 'line', line: 'elevator' });
  const whole = parseKpiScope(community, {});
  test.each([
    ['tu-zhongmei (secretary)', actor('tu-zhongmei'), whole, null],
    ['wen-liang (leadership)', actor('wen-liang'), zone2, null],
    ['an administrator', { admin: true, roles: null }, whole, null],
    ['wu-wenjie (zone-1 leader), zone 1', actor('wu-wenjie'), zone1, null],
    ['wu-wenjie (zone-1 leader), zone 2', actor('wu-wenjie'), zone2, 'kpi_scope_not_permitted'],
    ['wu-wenjie (zone-1 leader), community', actor('wu-wenjie'), whole, 'kpi_scope_not_permitted'],
    ['zhou-jianping (elevator leader), elevator', actor('zhou-jianping'), elevator, null],
    ['zhou-jianping (elevator leader), zone 1', actor('zhou-jianping'), zone1, 'kpi_scope_not_permitted'],
    ['zhang-nen (zone-1 rc member)', actor('zhang-nen'), zone1, 'kpi_not_permitted'],
    ['yang-chenyi (zone-1 inspector)', actor('yang-chenyi'), zone1, 'kpi_not_permitted'],
    ['a resident', { admin: false, roles: null }, whole, 'kpi_not_permitted'],
  ])('%s', (_who, a, scope, code) => {
    if (code === null) expect(() => assertKpiAccess(a, scope)).not.toThrow();
    else
      expect({
        kind: domainErrorOf(() => assertKpiAccess(a, scope)).kind,
        code: domainErrorOf(() => assertKpiAccess(a, scope)).code,
      }).toEqual({ kind: 'forbidden', code });
  });

  test('scope options: everything for the secretary, their own zones and lines for leaders', () => {
    const pub = {
      name: community.name,
      zones: [...community.zones.values()].map((z) => ({ key: z.key, name: z.name })),
      lines: [...community.lines.values()].map((l) => ({ key: l.key, name: l.name })),
    };
    const all = kpiScopeOptions(kpiReach(actor('tu-zhongmei')), pub);
    expect(all.map((o) => o.label)).toEqual([
      '全小区（夏朵园居民区）',
      '第一责任区域',
      '第二责任区域',
      '第三责任区域',
      '第四责任区域',
      '商业街区域',
      '电梯条线',
      '消防条线',
      '水泵条线',
      '居民区党总支',
      '居委会',
      '业委会',
      '网格巡查',
      '物业公司',
    ]);
    expect(kpiScopeOptions(kpiReach(actor('wu-wenjie')), pub)).toEqual([
      { scope: 'zone', key: 'zone-1', label: '第一责任区域' },
    ]);
    expect(kpiScopeOptions(kpiReach(actor('he-xianyang')), pub).map((o) => o.key)).toEqual(['fire', 'pump']);
    expect(kpiScopeOptions(kpiReach(actor('zhang-nen')), pub)).toEqual([]);
  });

  test.each([
    [{ period: '2026Q3' }, { scope: 'community', key: null }, 'period=2026Q3&scope=community'],
    [{ period: '2026-07' }, { scope: 'zone', key: 'zone-1' }, 'period=2026-07&scope=zone&zone=zone-1'],
    [
      { from: '2026-07-01', to: '2026-07-09' },
      { scope: 'org', key: 'property' },
      'from=2026-07-01&to=2026-07-09&scope=org&org=property',
    ],
  ] as const)('query string of %j %j', (p, scope, qs) => {
    expect(kpiQueryString(parsePeriod(p), scope)).toBe(qs);
  });

  test('reach: what the dashboard offers each person', () => {
    expect(kpiReach(actor('wu-wenjie'))).toEqual({ all: false, zones: ['zone-1'], lines: [] });
    expect(kpiReach(actor('he-xianyang'))).toEqual({ all: false, zones: [], lines: ['fire', 'pump'] });
    expect(kpiReach(actor('tu-zhongmei')).all).toBe(true);
  });
});

describe('the view, its export and its charts', () => {
  const rows: KpiGroupRow[] = [
    {
      group: 'total',
      key: null,
      counts: counts({ received: 7, handled: 5, effective: 4, onTime: 3, rated: 2, satisfied: 1 }),
    },
    {
      group: 'category',
      key: 'sanitation',
      counts: counts({ received: 2, handled: 2, effective: 2, onTime: 2 }),
    },
    {
      group: 'category',
      key: 'elevator',
      counts: counts({ received: 5, handled: 3, effective: 2, onTime: 1, rated: 2, satisfied: 1 }),
    },
    {
      group: 'tier',
      key: 'line',
      counts: counts({ received: 5, handled: 3, effective: 2, onTime: 1, rated: 2, satisfied: 1 }),
    },
    { group: 'tier', key: 'zone', counts: counts({ received: 2, handled: 2, effective: 2, onTime: 2 }) },
    {
      group: 'channel',
      key: 'hotline_12345',
      counts: counts({ received: 2, handled: 1, effective: 1, onTime: 1, contactDue: 2, contactedOnTime: 1 }),
    },
    {
      group: 'channel',
      key: 'resident_qr',
      counts: counts({ received: 5, handled: 4, effective: 3, onTime: 2, rated: 2, satisfied: 1 }),
    },
    {
      group: 'month',
      key: '2026-07',
      counts: counts({ received: 4, handled: 4, effective: 3, onTime: 3, rated: 2, satisfied: 1 }),
    },
    { group: 'month', key: '2026-09', counts: counts({ received: 3, handled: 1, effective: 1 }) },
  ];
  const view = buildKpiView({
    community,
    period: parsePeriod({ period: '2026Q3' }),
    scope: parseKpiScope(community, {}),
    rows,
    computedAt: new Date('2026-10-08T02:00:00Z'),
  });

  test('names, order and zeros', () => {
    expect(view.byCategory.map((c) => [c.name, c.figures.received])).toEqual([
      ['电梯故障', 5],
      ['环境卫生', 2],
    ]);
    expect(view.byTier.map((t) => [t.key, t.name, t.figures.received])).toEqual([
      ['zone', '责任区域', 2],
      ['line', '专业条线', 5],
      ['joint_meeting', '社区联席会议', 0],
    ]);
    expect(view.byTier[2]!.figures.handlingRate.value).toBeNull();
    expect(view.trend.map((m) => [m.month, m.label, m.figures.received])).toEqual([
      ['2026-07', '7月', 4],
      ['2026-08', '8月', 0],
      ['2026-09', '9月', 3],
    ]);
    expect(view.period).toMatchObject({ key: '2026Q3', timezone: 'Asia/Shanghai' });
  });

  test('export rows: one per group, ratios as percentages (the table writer of apps/api quotes and escapes them)', () => {
    const lines = kpiExportRows(view).map((r) => r.map(cellText).join(','));
    expect(KPI_EXPORT_HEADER.join(',')).toBe(
      '分组,项目,受理,已处理,调处率,有效处置,处置有效率,按时处理,按时办结率,评价数,满意评价,满意率,' +
        '应联系,按时联系,响应率,回访已解决,解决率,已结案,按期结案,按期结案率,返工,返工率',
    );
    expect(lines).toHaveLength(1 + 2 + 3 + 2 + 3);
    // 按渠道 (issue 17 item 8): each channel with its counts and rates, most received first.
    expect(
      lines.filter((l) => l.startsWith('按渠道')).map((l) => l.split(',').slice(0, 5).join(',')),
    ).toEqual([
      `按渠道,${CHANNEL_NAMES.resident_qr},5,4,80.0%`,
      `按渠道,${CHANNEL_NAMES.hotline_12345},2,1,50.0%`,
    ]);
    expect(lines.find((l) => l.includes(CHANNEL_NAMES.hotline_12345))).toContain(',2,1,50.0%,');
    const none = '0,0,无数据,0,无数据,0,0,无数据,0,无数据';
    // This fixture has no contact, callback or closing counts: 解决率 0/2 and 返工率 0/5 are 0 %, the rest no data.
    expect(lines[0]).toBe(
      '合计,夏朵园居民区,7,5,71.4%,4,80.0%,3,60.0%,2,1,50.0%,0,0,无数据,0,0.0%,0,0,无数据,0,0.0%',
    );
    expect(lines).toContain(`按层级,社区联席会议,0,0,无数据,0,无数据,0,无数据,0,0,无数据,${none}`);
    expect(lines).toContain(`按月,2026年8月,0,0,无数据,0,无数据,0,无数据,0,0,无数据,${none}`);
  });

  test('bar chart: one bar per category, handled drawn over received, scaled to the largest', () => {
    const svg = barChartSvg(categoryBars(view));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('>电梯故障</text>');
    expect(svg).toContain('>3/5 · 60.0%</text>');
    // Plot width = 700 − 170 − 170 − 16 = 344: elevator received 5 (the largest) → 344; handled 3 → 206.4.
    expect(svg).toContain('width="344" height="26" rx="4" fill="#d6e4fa"');
    expect(svg).toContain('width="206.4" height="26" rx="4" fill="#2f6fdf"');
    // Sanitation: received 2 → 137.6, handled 2 → 137.6.
    expect(svg.match(/width="137.6"/g)).toHaveLength(2);
    expect(tierBars(view).bars.map((b) => b.caption)).toEqual([
      '2/2 · 100.0%',
      '3/5 · 60.0%',
      '0/0 · 无数据',
    ]);
  });

  test('trend chart: a month without data breaks the line instead of dropping to 0', () => {
    const series = trendLines(view);
    expect(series.labels).toEqual(['7月', '8月', '9月']);
    expect(series.lines.find((l) => l.name === '调处率')!.values).toEqual([1, null, 1 / 3]);
    const svg = lineChartSvg(series);
    // Handling rate: two points and no polyline (no two consecutive months with data).
    expect(svg).not.toContain('<polyline');
    // Dots where there is data: handling 2 (Jul, Sep), effective 2 (Jul 3/4, Sep 1/1),
    // satisfaction 1 (Jul 1/2; Sep has no rating), on time 2 (Jul 3/4, Sep 0/1 is a real 0 %).
    expect(svg.match(/<circle /g)).toHaveLength(2 + 2 + 1 + 2);
    const joined = lineChartSvg({
      labels: ['a', 'b'],
      lines: [{ name: 'x', color: '#000', values: [0, 1] }],
    });
    // Plot: left 64, width 620, top 64, height 232 → points (219, 296) and (529, 64).
    expect(joined).toContain('<polyline points="219,296 529,64"');
  });

  test('every element carries each attribute once (a repeated one makes the SVG unreadable)', () => {
    const svgs = [
      barChartSvg(categoryBars(view)),
      barChartSvg(tierBars(view)),
      lineChartSvg(trendLines(view)),
      barChartSvg({ totalName: 'a', partName: 'b', bars: [] }),
    ];
    for (const svg of svgs) {
      const tags = svg.match(/<[a-z]+(\s[^>]*)?>/g) ?? [];
      expect(tags.length).toBeGreaterThan(1);
      for (const tag of tags) {
        const names = [...tag.matchAll(/\s([a-z-]+)="/g)].map((m) => m[1]);
        expect({ tag, dup: names.filter((x, i) => names.indexOf(x) !== i) }).toEqual({ tag, dup: [] });
      }
    }
  });

  test('text is escaped and an empty chart says so', () => {
    const svg = barChartSvg({
      totalName: 'a',
      partName: 'b',
      bars: [{ label: '<b>&', total: 1, part: 0, caption: '' }],
    });
    expect(svg).toContain('&lt;b&gt;&amp;');
    expect(barChartSvg({ totalName: 'a', partName: 'b', bars: [] })).toContain('暂无数据');
    expect(svgDataUri('<svg/>')).toBe('data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E');
  });
});

describe('the district roll-up: a stale summary', () => {
  it.each<[number | null, boolean]>([
    [0, false],
    [ROLLUP_STALE_AFTER_SECONDS, false],
    [ROLLUP_STALE_AFTER_SECONDS + 1, true],
    [86_400, true],
    // Never brought up to date: stale.
    [null, true],
  ])('%s seconds old → stale %s', (staleSeconds, stale) => {
    expect(rollupIsStale({ staleSeconds })).toBe(stale);
  });
});
