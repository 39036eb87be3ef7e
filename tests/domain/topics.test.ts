import {
  addMonths,
  type Cluster,
  checkFollow,
  clusterTitle,
  type IssueStatus,
  proposeTopics,
  SimilarQuery,
  topicTrend,
  trendMonths,
} from '../../packages/domain/src';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

const xdy = loadXiaduoyuan();
const c = (building: number | null, category: string, count: number, zone = 'zone-1'): Cluster => ({
  zone,
  building,
  category,
  count,
});

describe('proposeTopics: the most frequent building × category clusters', () => {
  it('drops single complaints, ranks by count, breaks ties stably, keeps at most five', () => {
    const clusters = [
      c(12, 'sanitation', 3),
      c(5, 'noise', 1),
      c(20, 'parking', 3),
      c(null, 'greening', 4, 'zone-4'),
      c(7, 'elevator', 2),
      c(8, 'elevator', 2),
      c(9, 'elevator', 2),
      c(10, 'elevator', 2),
    ];
    expect(proposeTopics(clusters).map((x) => `${x.building ?? x.zone}:${x.category}:${x.count}`)).toEqual([
      'zone-4:greening:4',
      '12:sanitation:3',
      '20:parking:3',
      '7:elevator:2',
      '8:elevator:2',
    ]);
  });
  it('nothing to propose in a quiet month', () => {
    expect(proposeTopics([c(1, 'noise', 1)])).toEqual([]);
  });
  it('titles a cluster in plain Chinese', () => {
    expect(clusterTitle(xdy, c(12, 'sanitation', 3))).toBe('12号楼 · 环境卫生（3 件）');
    expect(clusterTitle(xdy, c(null, 'greening', 4, 'zone-4'))).toBe('第四责任区域 · 绿化养护（4 件）');
  });
});

describe('months and the trend of a topic', () => {
  it.each([
    ['2026-11', 1, '2026-12'],
    ['2026-12', 1, '2027-01'],
    ['2027-01', -1, '2026-12'],
    ['2026-03', -3, '2025-12'],
  ])('addMonths(%s, %i) = %s', (m, n, out) => expect(addMonths(m, n)).toBe(out));

  it('trend months: three before, then up to the current month', () => {
    expect(trendMonths('2026-10', '2026-12')).toEqual([
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
    expect(trendMonths('2026-12', '2026-12')).toEqual(['2026-09', '2026-10', '2026-11', '2026-12']);
  });

  it('averages before (the topic month included) and after', () => {
    const t = topicTrend('2026-10', [
      { month: '2026-08', count: 4 },
      { month: '2026-09', count: 6 },
      { month: '2026-10', count: 5 },
      { month: '2026-11', count: 2 },
      { month: '2026-12', count: 1 },
    ]);
    expect([t.beforeAverage, t.afterAverage]).toEqual([5, 1.5]);
    expect(topicTrend('2026-12', [{ month: '2026-12', count: 3 }]).afterAverage).toBeNull();
  });
});

describe('checkFollow: "这也是我的问题"', () => {
  const resident = { kind: 'resident' as const, accountId: 'r1' };
  it.each<
    [
      string,
      { kind: 'staff' | 'resident' | 'admin'; accountId: string },
      IssueStatus,
      string | null,
      string | null,
    ]
  >([
    ['a resident, an open issue', resident, 'dispatched', 'someone', null],
    ['a resident, an anonymous complaint', resident, 'submitted', null, null],
    ['staff', { kind: 'staff', accountId: 's1' }, 'dispatched', 'someone', 'residents_only'],
    ['the reporter', resident, 'dispatched', 'r1', 'own_issue'],
    ['a finished issue', resident, 'closed', 'someone', 'issue_finished'],
  ])('%s', (_n, caller, status, reporter, code) => {
    if (code === null)
      return expect(() => checkFollow(caller, { status, reporterAccountId: reporter })).not.toThrow();
    expect(domainErrorOf(() => checkFollow(caller, { status, reporterAccountId: reporter })).code).toBe(code);
  });
});

describe('SimilarQuery', () => {
  it.each([
    [{ qr: 'abc', category: 'noise' }, null],
    [{ community: 'xiaduoyuan', building: '12', category: 'noise' }, null],
    [{ category: 'noise' }, 'qr'],
    [{ community: 'xiaduoyuan', building: 'x', category: 'noise' }, 'building'],
    [{ community: 'xiaduoyuan' }, 'category'],
  ])('%j', (q, path) => {
    const r = SimilarQuery.safeParse(q);
    expect(r.success).toBe(path === null);
    if (!r.success) expect(r.error.issues[0]!.path.join('.')).toBe(path);
  });
});
