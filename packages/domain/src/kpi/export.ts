import { COUNT_NAMES, formatRatio, RATE_DEFINITIONS, RATE_NAMES, type Ratio } from './formulas';
import type { KpiView } from './views';

type Figures = KpiView['totals'];

/** A table cell: a count, a ratio (shown as a percentage, or 无数据), or text. */
export type KpiCell = { count: number } | { ratio: Ratio } | { text: string };

/** The export's columns, in Chinese: each ratio right after the counts it divides. */
export const KPI_EXPORT_HEADER = [
  '分组',
  '项目',
  COUNT_NAMES.received,
  COUNT_NAMES.handled,
  RATE_NAMES.handlingRate,
  COUNT_NAMES.effective,
  RATE_NAMES.effectiveRate,
  COUNT_NAMES.onTime,
  RATE_NAMES.onTimeRate,
  COUNT_NAMES.rated,
  COUNT_NAMES.satisfied,
  RATE_NAMES.satisfactionRate,
  COUNT_NAMES.contactDue,
  COUNT_NAMES.contactedOnTime,
  RATE_NAMES.responseRate,
  COUNT_NAMES.solved,
  RATE_NAMES.solvedRate,
  COUNT_NAMES.closed,
  COUNT_NAMES.closedOnTime,
  RATE_NAMES.closedOnTimeRate,
  COUNT_NAMES.reworked,
  RATE_NAMES.reworkRate,
] as const;

const figureCells = (f: Figures): KpiCell[] => [
  { count: f.received },
  { count: f.handled },
  { ratio: f.handlingRate },
  { count: f.effective },
  { ratio: f.effectiveRate },
  { count: f.onTime },
  { ratio: f.onTimeRate },
  { count: f.rated },
  { count: f.satisfied },
  { ratio: f.satisfactionRate },
  { count: f.contactDue },
  { count: f.contactedOnTime },
  { ratio: f.responseRate },
  { count: f.solved },
  { ratio: f.solvedRate },
  { count: f.closed },
  { count: f.closedOnTime },
  { ratio: f.closedOnTimeRate },
  { count: f.reworked },
  { ratio: f.reworkRate },
];

/** The whole view as one table: the totals, then by category, tier, channel and month, then the rankings. */
export function kpiExportRows(view: KpiView): KpiCell[][] {
  const row = (group: string, item: string, f: Figures): KpiCell[] => [
    { text: group },
    { text: item },
    ...figureCells(f),
  ];
  return [
    row('合计', view.scope.name, view.totals),
    ...view.byCategory.map((c) => row('按类别', c.name, c.figures)),
    ...view.byTier.map((t) => row('按层级', t.name, t.figures)),
    ...view.byChannel.map((c) => row('按渠道', c.name, c.figures)),
    ...view.trend.map((m) => row('按月', `${m.month.slice(0, 4)}年${Number(m.month.slice(5))}月`, m.figures)),
    ...view.rankings.zone.map((r) => row('按责任区域', r.name, r.figures)),
    ...view.rankings.line.map((r) => row('按条线', r.name, r.figures)),
    ...view.rankings.org.map((r) => row('按组织', r.name, r.figures)),
    ...view.rankings.person.map((r) => row('按个人', r.name, r.figures)),
  ];
}

/** What the export says about itself: community, scope, period, time zone, the formulas. */
export function kpiExportNotes(view: KpiView): [string, string | Date][] {
  return [
    ['小区', view.community.name],
    ['统计范围', view.scope.name],
    ['统计期间', `${view.period.label}（${view.period.from} 至 ${view.period.to}，${view.period.timezone}）`],
    ['生成时间', new Date(view.computedAt)],
    ...(Object.keys(RATE_NAMES) as (keyof typeof RATE_NAMES)[]).map(
      (k) => [RATE_NAMES[k], RATE_DEFINITIONS[k]] as [string, string | Date],
    ),
    ['说明', '受理 = 期间内提交的问题（不含驳回、合并）；分母为 0 时记“无数据”'],
  ];
}

export const cellText = (c: KpiCell) =>
  'count' in c ? String(c.count) : 'ratio' in c ? formatRatio(c.ratio) : c.text;

/** "夏朵园居民区-第一责任区域-2026Q3-考核指标.csv" (the Content-Disposition's UTF-8 name). */
export const kpiExportFileName = (view: KpiView, ext: string) =>
  `${view.community.name}-${view.scope.name}-${view.period.key.replace('..', '至')}-考核指标.${ext}`;
