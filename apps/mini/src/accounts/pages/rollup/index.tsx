import {
  type AdminCommunityList,
  type KpiPeriod,
  quarterPeriodOf,
  type RollupLine,
  type RollupView,
  rollupIsStale,
} from '@gongzhi/domain';
import { Button, Cell, CellGroup, Popup } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useCallback, useEffect, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { PeriodStepper } from '../../../components/period-stepper';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { listAdminCommunities } from '../../../people/services';
import { chinaDate } from '../../../services/duty';
import { formatTime } from '../../../services/format';
import { readRollup } from '../../services';
import '../../accounts.css';

/** Communities a page at a time in the table: a district has hundreds. */
const PAGE = 20;

const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** "约 N 分钟前" (or hours, days) of the summary's age in seconds. */
function ageText(seconds: number) {
  if (seconds < 60) return '不到 1 分钟前';
  if (seconds < 3600) return `约 ${Math.round(seconds / 60)} 分钟前`;
  if (seconds < 86_400) return `约 ${Math.round(seconds / 3600)} 小时前`;
  return `约 ${Math.round(seconds / 86_400)} 天前`;
}

/**
 * 区域汇总 (issue 19): issue counts over many communities for a quarter or month, from the summary
 * the job clock maintains, with how fresh it is; all communities or those chosen.
 */
export default function RollupPage() {
  const today = chinaDate();
  const [period, setPeriod] = useState<KpiPeriod>(() => quarterPeriodOf(today));
  const [chosen, setChosen] = useState<string[]>([]);
  const [view, setView] = useState<RollupView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    setView(null);
    try {
      setView(await readRollup(period.key, chosen));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [period, chosen]);
  useReload(load);

  return (
    <Page>
      <PageToast />
      <PeriodStepper period={period} today={today} onChange={setPeriod} />
      <CellGroup>
        <Cell
          title="汇总范围"
          extra={chosen.length === 0 ? '全部小区' : `已选 ${chosen.length} 个小区`}
          clickable
          onClick={() => setPicking(true)}
        />
      </CellGroup>
      {error ? (
        <ErrorState message={error} onRetry={load} />
      ) : !view ? (
        <LoadingState />
      ) : (
        <Rollup view={view} />
      )}
      {/* Mounted while open: most visits sum every community and never load the list. */}
      {picking && (
        <CommunityPicker
          chosen={chosen}
          onClose={() => setPicking(false)}
          onDone={(keys) => {
            setPicking(false);
            setChosen(keys);
          }}
        />
      )}
    </Page>
  );
}

/** When the summary was brought up to date; a clear warning when that was long ago (or never). */
function Freshness({ view }: { view: RollupView }) {
  const stale = rollupIsStale(view);
  return (
    <View className={`gz-rollup__fresh ${stale ? 'gz-rollup__fresh--stale' : ''}`}>
      <Text className="gz-accounts__line">
        {view.refreshedAt && view.staleSeconds !== null
          ? `数据更新于 ${formatTime(view.refreshedAt)}（${ageText(view.staleSeconds)}）`
          : '汇总数据尚未生成'}
      </Text>
      {stale && (
        <Text className="gz-accounts__line">
          ⚠ 汇总数据已较长时间未更新，数字可能不是最新的。请检查服务器的定时任务是否在运行。
        </Text>
      )}
    </View>
  );
}

function Rollup({ view }: { view: RollupView }) {
  const [shown, setShown] = useState(PAGE);
  const t = view.totals;
  return (
    <View>
      <Freshness view={view} />
      <Card title={`${view.communities} 个小区合计`}>
        <View className="gz-rollup__counts">
          {(
            [
              ['问题', t.issues],
              ['已处理', t.handled],
              ['按时处理', t.onTime],
              ['已结案', t.closed],
              ['评价数', t.rated],
              ['满意评价', t.satisfied],
              ['返工', t.reworked],
              ['按时率', percent(t.onTimeRate)],
              ['满意率', percent(t.satisfactionRate)],
            ] as const
          ).map(([name, n]) => (
            <View key={name} className="gz-rollup__count">
              <Text className="gz-rollup__count-n">{n}</Text>
              <Text className="gz-muted">{name}</Text>
            </View>
          ))}
        </View>
        <Text className="gz-muted">
          {view.period.from} 至 {view.period.to} 提交的问题，按整月汇总
        </Text>
      </Card>
      {t.issues === 0 ? (
        <EmptyState title="本期没有问题" />
      ) : (
        <>
          <Card title="按小区">
            <Lines head="小区" lines={view.byCommunity.slice(0, shown)} />
            {view.byCommunity.length > shown && (
              <Button className="gz-submit" block fill="outline" onClick={() => setShown(shown + PAGE)}>
                再显示 {Math.min(PAGE, view.byCommunity.length - shown)} 个（共 {view.byCommunity.length} 个）
              </Button>
            )}
          </Card>
          <Card title="按类别">
            <Lines head="类别" lines={view.byCategory} />
          </Card>
          <Card title="按层级">
            <Lines head="层级" lines={view.byTier} />
          </Card>
          <Card title="按状态">
            <Lines head="状态" lines={view.byStatus} />
          </Card>
        </>
      )}
    </View>
  );
}

/** A table of lines: the name (the server's Chinese name), issues, handled, on time, satisfaction. */
function Lines({ head, lines }: { head: string; lines: readonly RollupLine[] }) {
  return (
    <View className="gz-table">
      <View className="gz-table__row gz-table__row--head">
        <Text className="gz-table__cell gz-table__cell--name">{head}</Text>
        <Text className="gz-table__cell">问题</Text>
        <Text className="gz-table__cell">已处理</Text>
        <Text className="gz-table__cell">按时率</Text>
        <Text className="gz-table__cell">满意率</Text>
      </View>
      {lines.map((l) => (
        <View key={l.key} className="gz-table__row">
          <Text className="gz-table__cell gz-table__cell--name">{l.name}</Text>
          <Text className="gz-table__cell">{l.issues}</Text>
          <Text className="gz-table__cell">{l.handled}</Text>
          <Text className="gz-table__cell">{percent(l.onTimeRate)}</Text>
          <Text className="gz-table__cell">{percent(l.satisfactionRate)}</Text>
        </View>
      ))}
    </View>
  );
}

/** The communities to sum: all (none chosen) or those ticked. */
function CommunityPicker({
  chosen,
  onClose,
  onDone,
}: {
  chosen: string[];
  onClose: () => void;
  onDone: (keys: string[]) => void;
}) {
  const [all, setAll] = useState<AdminCommunityList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ticked, setTicked] = useState<string[]>(chosen);

  const load = useCallback(async () => {
    setError(null);
    try {
      setAll(await listAdminCommunities());
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const toggle = (key: string) =>
    setTicked((t) => (t.includes(key) ? t.filter((k) => k !== key) : [...t, key]));
  return (
    <Popup visible position="bottom" round closeable onClose={onClose} title="选择小区">
      <View className="gz-rollup__sheet">
        {error ? (
          <ErrorState message={error} onRetry={load} />
        ) : !all ? (
          <LoadingState />
        ) : (
          <CellGroup>
            {all.map((c) => (
              <Cell
                key={c.key}
                title={`${ticked.includes(c.key) ? '✓ ' : ''}${c.name}`}
                className={ticked.includes(c.key) ? 'gz-accounts__chosen' : undefined}
                clickable
                onClick={() => toggle(c.key)}
              />
            ))}
          </CellGroup>
        )}
        <View className="gz-row gz-rollup__sheet-actions">
          <Button fill="outline" onClick={() => onDone([])}>
            全部小区
          </Button>
          <Button type="primary" disabled={ticked.length === 0} onClick={() => onDone(ticked)}>
            汇总所选（{ticked.length}）
          </Button>
        </View>
      </View>
    </Popup>
  );
}
