import { addMonths, type MonthlyTopicsPage, type MonthlyTopicView } from '@gongzhi/domain';
import { Button } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast } from '../../../components/toast';
import { useAction } from '../../../hooks/use-action';
import { useReload } from '../../../hooks/use-reload';
import { listTopics, pickTopic } from '../../../services/intake';
import { loadMe } from '../../../services/session';
import './index.css';

/**
 * 每月一题: the month's most frequent building × category clusters, proposed to the joint meeting;
 * the leadership or the secretary picks one (the server says who: `canPick`), and each picked topic
 * shows how new complaints of its kind went before and after.
 */
export default function TopicsPage() {
  const [month, setMonth] = useState<string | undefined>(undefined);
  const [page, setPage] = useState<MonthlyTopicsPage | null>(null);
  const [community, setCommunity] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      const key = (await loadMe()).person?.community;
      if (!key) throw new Error('当前账号不属于任何小区');
      setCommunity(key);
      setPage(await listTopics(key, month));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [month]);
  useReload(load);
  const picking = useAction(pickTopic, { done: '已确定，已列入联席会议议题' });

  if (error)
    return (
      <Page>
        <ErrorState message={error} onRetry={load} />
      </Page>
    );
  if (!page || !community)
    return (
      <Page>
        <LoadingState />
      </Page>
    );
  const picked = page.topics.find((t) => t.month === page.month);
  return (
    <Page>
      <PageToast />
      <View className="gz-row gz-topics__month">
        <Button size="small" onClick={() => setMonth(addMonths(page.month, -1))}>
          上个月
        </Button>
        <Text className="gz-topics__label">{page.month}</Text>
        <Button size="small" onClick={() => setMonth(addMonths(page.month, 1))}>
          下个月
        </Button>
      </View>
      <Card title="高频问题（同一楼栋、同一类别）">
        {page.proposals.length === 0 ? (
          <Text className="gz-muted">本月没有反复出现的问题（同一楼栋同一类别至少 2 件）。</Text>
        ) : (
          page.proposals.map((p) => (
            <View key={`${p.zone}-${p.building}-${p.category}`} className="gz-topics__row">
              <Text className="gz-topics__title">{p.title}</Text>
              {page.canPick && !picked && (
                <Button
                  size="small"
                  type="primary"
                  loading={picking.busy}
                  onClick={async () => {
                    const r = await picking.run({
                      community,
                      month: page.month,
                      zone: p.zone,
                      ...(p.building !== null ? { building: p.building } : {}),
                      category: p.category,
                    });
                    if (r) setPage(r);
                  }}
                >
                  选为本月一题
                </Button>
              )}
            </View>
          ))
        )}
      </Card>
      <Card title="已确定的每月一题">
        {page.topics.length === 0 ? (
          <EmptyState title="还没有确定过每月一题" />
        ) : (
          page.topics.map((t) => <Topic key={t.id} t={t} />)
        )}
      </Card>
    </Page>
  );
}

/** A topic with its monthly counts as bars: before (its month included) and after. */
function Topic({ t }: { t: MonthlyTopicView }) {
  const max = Math.max(1, ...t.trend.months.map((m) => m.count));
  return (
    <View className="gz-topics__topic">
      <Text className="gz-topics__title">
        {t.month} · {t.title}
      </Text>
      {t.note && <Text className="gz-muted">{t.note}</Text>}
      {t.trend.months.map((m) => (
        <View key={m.month} className="gz-row gz-topics__bar">
          <Text className="gz-topics__m">{m.month.slice(5)}月</Text>
          <View
            className={`gz-topics__fill ${m.month > t.month ? 'gz-topics__fill--after' : ''}`}
            style={{ width: `${Math.max(2, (m.count / max) * 60)}%` }}
          />
          <Text>{m.count}</Text>
        </View>
      ))}
      <Text className="gz-muted">
        之前月均 {t.trend.beforeAverage ?? '—'} 件，之后月均 {t.trend.afterAverage ?? '尚无数据'}
        {t.trend.afterAverage !== null ? ' 件' : ''}
      </Text>
    </View>
  );
}
