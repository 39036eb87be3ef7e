import {
  DESK_QUEUE_NAMES,
  DESK_QUEUES,
  type DeskItem,
  type DeskPage,
  type DeskQueue,
  STATUS_NAMES,
} from '@gongzhi/domain';
import { Text, View } from '@tarojs/components';
import Taro, { useReachBottom } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { useReload } from '../../../hooks/use-reload';
import { listDesk } from '../../../services/desk';
import { formatTime } from '../../../services/format';
import { loadMe } from '../../../services/session';
import './index.css';

/**
 * The dispatch desk (调度台): the issues the caller owns that need them — returned, unassigned,
 * overdue, waiting for verification. The server decides what is theirs; each issue opens its page,
 * where the actions the server allows are offered.
 */
export default function DeskPageView() {
  const [queue, setQueue] = useState<DeskQueue | 'all'>('all');
  const [items, setItems] = useState<DeskItem[] | null>(null);
  const [counts, setCounts] = useState<DeskPage['counts'] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const fetchPage = useCallback(
    async (more?: string) => {
      setError(null);
      try {
        const key = (await loadMe()).person?.community;
        if (!key) throw new Error('当前账号不属于任何小区');
        const page = await listDesk({
          community: key,
          queue: queue === 'all' ? undefined : queue,
          cursor: more,
        });
        setItems((prev) => (more ? [...(prev ?? []), ...page.items] : page.items));
        setCounts(page.counts);
        setCursor(page.nextCursor);
      } catch (e) {
        setError((e as Error).message);
      }
    },
    [queue],
  );
  const load = useCallback(() => fetchPage(), [fetchPage]);
  useReload(load);
  useReachBottom(() => {
    if (cursor) void fetchPage(cursor);
  });

  const tabs: { key: DeskQueue | 'all'; label: string; count: number | null }[] = [
    { key: 'all', label: '全部', count: null },
    ...DESK_QUEUES.map((k) => ({ key: k, label: DESK_QUEUE_NAMES[k], count: counts?.[k] ?? null })),
  ];

  return (
    <Page>
      <View className="gz-desk__tabs">
        {tabs.map((tab) => (
          <View
            key={tab.key}
            className={`gz-desk__tab ${queue === tab.key ? 'gz-desk__tab--on' : ''}`}
            onClick={() => {
              if (tab.key === queue) return;
              setItems(null);
              setQueue(tab.key);
            }}
          >
            {tab.count !== null && <Text className="gz-desk__count">{tab.count}</Text>}
            <Text>{tab.label}</Text>
          </View>
        ))}
      </View>
      {error ? (
        <ErrorState message={error} onRetry={load} />
      ) : items === null ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title="没有需要您处理的问题" />
      ) : (
        <View>
          {items.map(({ issue: i, queues, lastReturn }) => (
            <View
              key={i.id}
              className="gz-desk__item"
              onClick={() => Taro.navigateTo({ url: `/inspector/pages/issue/index?id=${i.id}` })}
            >
              <View className="gz-row gz-desk__head">
                <Text className="gz-desk__cat">{i.categoryName}</Text>
                {queues.map((q) => (
                  <Text key={q} className="gz-tag">
                    {DESK_QUEUE_NAMES[q]}
                  </Text>
                ))}
                <View style={{ flex: 1 }} />
                <Text className={`gz-status gz-status--${i.status}`}>{STATUS_NAMES[i.status]}</Text>
              </View>
              <Text className="gz-desk__desc gz-clamp-3">{i.description}</Text>
              {lastReturn && queues.includes('returned') && (
                <Text className="gz-desk__return">
                  {lastReturn.by}退单：{lastReturn.reason ?? '未说明原因'}
                </Text>
              )}
              <Text className="gz-muted">
                {i.code} · {i.zoneName}
                {i.building !== null ? ` · ${i.building} 号楼` : ''} · {formatTime(i.createdAt)}
              </Text>
            </View>
          ))}
          <Text className="gz-muted gz-desk__end">{cursor ? '上拉加载更多' : '没有更多了'}</Text>
        </View>
      )}
    </Page>
  );
}
