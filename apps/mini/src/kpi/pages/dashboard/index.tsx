import {
  barChartSvg,
  categoryBars,
  formatRatio,
  type KpiPeriod,
  type KpiScopeOption,
  type KpiView,
  lineChartSvg,
  quarterPeriodOf,
  RANKING_DIMENSION_NAMES,
  RANKING_DIMENSIONS,
  RATE_DEFINITIONS,
  RATE_KEYS,
  RATE_NAMES,
  type RankingDimension,
  type RateKey,
  type Ratio,
  rankByRate,
  svgDataUri,
  tierBars,
  trendLines,
} from '@gongzhi/domain';
import { Button, Tabs } from '@nutui/nutui-react-taro';
import { Image, Picker, Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { PeriodStepper } from '../../../components/period-stepper';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { chinaDate } from '../../../services/duty';
import { downloadKpis, readKpis } from '../../../services/kpi';
import { loadMe } from '../../../services/session';
import '../../kpi.css';

/**
 * A chart: the SVG string from the domain's builder, shown as an image (weapp has no inline SVG).
 * The box keeps the SVG's aspect ratio by padding (works in weapp and H5 alike), and the image fills it.
 */
function Chart({ svg, label }: { svg: string; label: string }) {
  const [, w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg) ?? [];
  return (
    <View className="gz-kpi__chart" style={{ paddingTop: `${(Number(h) / Number(w)) * 100}%` }}>
      <Image className="gz-kpi__chart-img" src={svgDataUri(svg)} mode="scaleToFill" ariaLabel={label} />
    </View>
  );
}

function RatioCard({ name, ratio, definition }: { name: string; ratio: Ratio; definition: string }) {
  return (
    <View className="gz-kpi__ratio">
      <Text className="gz-kpi__ratio-name">{name}</Text>
      <Text className={`gz-kpi__ratio-value ${ratio.value === null ? 'gz-kpi__ratio-value--none' : ''}`}>
        {formatRatio(ratio)}
      </Text>
      <Text className="gz-kpi__ratio-counts">
        {ratio.numerator} / {ratio.denominator}
      </Text>
      <Text className="gz-kpi__ratio-def">{definition}</Text>
    </View>
  );
}

/** The KPI dashboard (docs/domain.md §11): period and scope pickers, the four ratios with their counts, charts, a table. */
export default function KpiDashboard() {
  const today = chinaDate();
  const [period, setPeriod] = useState<KpiPeriod>(() => quarterPeriodOf(today));
  const [options, setOptions] = useState<KpiScopeOption[] | null>(null);
  const [scopeIdx, setScopeIdx] = useState(0);
  const [community, setCommunity] = useState<string | null>(null);
  const [view, setView] = useState<KpiView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  const fetchView = useCallback(async (p: KpiPeriod, idx: number) => {
    setError(null);
    setView(null);
    try {
      const me = await loadMe();
      const key = me.person?.community;
      if (!key) throw new Error('当前账号不属于任何小区，无法查看考核指标');
      // The scopes are the server's (`Me.kpiScopes`): exactly those the caller may read.
      const opts = me.kpiScopes;
      setCommunity(key);
      setOptions(opts);
      const scope = opts[Math.min(idx, opts.length - 1)];
      if (!scope) throw new Error('只有四位一体秘书、领导小组、区域组长和条线负责人可以查看考核指标');
      setView(await readKpis(key, p, scope));
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  const load = useCallback(() => fetchView(period, scopeIdx), [fetchView, period, scopeIdx]);
  useReload(load);

  const choosePeriod = (p: KpiPeriod) => {
    setPeriod(p);
    // useReload loads again: `load` changes with period and scope.
  };
  const chooseScope = (idx: number) => {
    setScopeIdx(idx);
  };
  const scope = options?.[scopeIdx];

  const download = async (format: 'csv' | 'xlsx') => {
    if (!community || !scope) return;
    setExporting(true);
    try {
      await downloadKpis(community, period, scope, format);
    } catch (e) {
      toast((e as Error).message);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Page>
      <PageToast />
      <PeriodStepper period={period} today={today} onChange={choosePeriod} />
      {options && options.length > 1 && (
        <Picker
          mode="selector"
          range={options.map((o) => o.label)}
          value={scopeIdx}
          onChange={(e) => chooseScope(Number(e.detail.value))}
        >
          <View className="gz-kpi__scope">
            <Text className="gz-muted">统计范围</Text>
            <Text className="gz-kpi__scope-value">{scope?.label} ▾</Text>
          </View>
        </Picker>
      )}
      {options && options.length === 1 && (
        <View className="gz-kpi__scope">
          <Text className="gz-muted">统计范围</Text>
          <Text className="gz-kpi__scope-value">{scope?.label}</Text>
        </View>
      )}
      {error ? (
        <ErrorState message={error} onRetry={load} />
      ) : !view ? (
        <LoadingState />
      ) : (
        <Dashboard view={view} exporting={exporting} onExport={download} />
      )}
    </Page>
  );
}

function Dashboard({
  view,
  exporting,
  onExport,
}: {
  view: KpiView;
  exporting: boolean;
  onExport: (format: 'csv' | 'xlsx') => void;
}) {
  const t = view.totals;
  // The category table keeps issue 8's four ratios: eight columns do not fit a phone.
  const tableKeys = RATE_KEYS.slice(0, 4);
  return (
    <View>
      <View className="gz-kpi__ratios">
        {RATE_KEYS.map((k) => (
          <RatioCard key={k} name={RATE_NAMES[k]} ratio={t[k]} definition={RATE_DEFINITIONS[k]} />
        ))}
      </View>
      <Card title="受理与处理">
        <View className="gz-kpi__counts">
          {(
            [
              ['受理', t.received],
              ['已处理', t.handled],
              ['有效处置', t.effective],
              ['按时处理', t.onTime],
              ['评价数', t.rated],
              ['满意评价', t.satisfied],
              ['应联系', t.contactDue],
              ['按时联系', t.contactedOnTime],
              ['回访已解决', t.solved],
              ['已结案', t.closed],
              ['按期结案', t.closedOnTime],
              ['返工', t.reworked],
            ] as const
          ).map(([name, n]) => (
            <View key={name} className="gz-kpi__count">
              <Text className="gz-kpi__count-n">{n}</Text>
              <Text className="gz-muted">{name}</Text>
            </View>
          ))}
        </View>
        <Text className="gz-muted">
          {view.period.from} 至 {view.period.to} 期间提交的问题（不含驳回、合并），按提交时间统计
        </Text>
      </Card>
      {t.received === 0 ? (
        <EmptyState title="本期没有受理的问题" />
      ) : (
        <>
          <Card title="按类别">
            <Chart svg={barChartSvg(categoryBars(view))} label="按类别的受理与处理数" />
          </Card>
          <Card title="按层级">
            <Chart svg={barChartSvg(tierBars(view))} label="按层级的受理与处理数" />
          </Card>
          <Card title="月度趋势">
            <Chart svg={lineChartSvg(trendLines(view))} label="各项比率的月度趋势" />
          </Card>
          <Card title="分类明细">
            <FiguresTable head="类别" rows={view.byCategory} keys={tableKeys} />
          </Card>
          {view.byChannel.length > 0 && (
            <Card title="按渠道">
              <FiguresTable head="渠道" rows={view.byChannel} keys={CHANNEL_KEYS} />
            </Card>
          )}
          <Rankings view={view} />
        </>
      )}
      <View className="gz-kpi__export">
        <Button type="primary" fill="outline" loading={exporting} onClick={() => onExport('xlsx')}>
          导出 Excel
        </Button>
        {process.env.TARO_ENV === 'h5' && (
          <Button fill="outline" loading={exporting} onClick={() => onExport('csv')}>
            导出 CSV
          </Button>
        )}
      </View>
    </View>
  );
}

/** The channel table (扫码, 网格巡查, 12345, 街道转办 …): how fast, how solved, how satisfied. */
const CHANNEL_KEYS: readonly RateKey[] = ['handlingRate', 'responseRate', 'solvedRate', 'satisfactionRate'];

/** Rows of figures as a table: the name, 受理, and each rate with its counts. */
function FiguresTable({
  head,
  rows,
  keys,
}: {
  head: string;
  rows: readonly { key: string; name: string; figures: KpiView['totals'] }[];
  keys: readonly RateKey[];
}) {
  return (
    <View className="gz-table gz-table--dense">
      <View className="gz-table__row gz-table__row--head">
        <Text className="gz-table__cell gz-table__cell--name">{head}</Text>
        <Text className="gz-table__cell">受理</Text>
        {keys.map((k) => (
          <Text key={k} className="gz-table__cell">
            {RATE_NAMES[k]}
          </Text>
        ))}
      </View>
      {rows.map((c) => (
        <View key={c.key} className="gz-table__row">
          <Text className="gz-table__cell gz-table__cell--name">{c.name}</Text>
          <Text className="gz-table__cell">{c.figures.received}</Text>
          {keys.map((k) => (
            <Text key={k} className="gz-table__cell">
              {formatRatio(c.figures[k])}
              {'\n'}
              <Text className="gz-kpi__counts">
                {c.figures[k].numerator}/{c.figures[k].denominator}
              </Text>
            </Text>
          ))}
        </View>
      ))}
    </View>
  );
}

/**
 * 排名 (issue 17 item 6): the scope's zones, lines, organisations or people ranked by one rate
 * (rankByRate: best first, 返工率 lowest first, no data last), each with its counts.
 */
function Rankings({ view }: { view: KpiView }) {
  const [dimension, setDimension] = useState<RankingDimension>('zone');
  const [rate, setRate] = useState<RateKey>('responseRate');
  const rows = rankByRate(view.rankings[dimension], rate);
  return (
    <Card title="排名">
      <Tabs value={dimension} onChange={(v) => setDimension(String(v) as RankingDimension)}>
        {RANKING_DIMENSIONS.map((d) => (
          <Tabs.TabPane key={d} title={RANKING_DIMENSION_NAMES[d]} value={d} />
        ))}
      </Tabs>
      <View className="gz-kpi__rank-rates">
        {RATE_KEYS.map((k) => (
          <Button key={k} size="small" type={k === rate ? 'primary' : 'default'} onClick={() => setRate(k)}>
            {RATE_NAMES[k]}
          </Button>
        ))}
      </View>
      <Text className="gz-muted">{RATE_DEFINITIONS[rate]}</Text>
      {rows.length === 0 ? (
        <Text className="gz-muted">本期没有数据</Text>
      ) : (
        <View className="gz-table gz-kpi__ranking">
          {rows.map((r) => (
            <View key={r.key} className="gz-table__row">
              <Text className="gz-table__cell gz-kpi__rank">{r.rank ?? '—'}</Text>
              <Text className="gz-table__cell gz-table__cell--name">{r.name}</Text>
              <Text className="gz-table__cell">{formatRatio(r.figures[rate])}</Text>
              <Text className="gz-table__cell gz-kpi__counts">
                {r.figures[rate].numerator}/{r.figures[rate].denominator}
              </Text>
            </View>
          ))}
        </View>
      )}
    </Card>
  );
}
