import type { CallbackListView } from '@gongzhi/domain';
import { Cell, CellGroup } from '@nutui/nutui-react-taro';
import { Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { useReload } from '../../../hooks/use-reload';
import { formatTime } from '../../../services/format';
import { listCallbacks } from '../../../services/issues';
import { loadMe } from '../../../services/session';

/**
 * The callback desk (回访, issue 17 item 6): closed issues awaiting their callback that the server
 * says the caller may call back, with the reporter's phone. Each opens its issue page, where the
 * two answers (解决了吗, 满意吗) are recorded.
 */
export default function CallbacksPage() {
  const [items, setItems] = useState<CallbackListView['items'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      const key = (await loadMe()).person?.community;
      if (!key) throw new Error('当前账号不属于任何小区');
      setItems((await listCallbacks(key)).items);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!items) return <LoadingState />;
  return (
    <Page>
      <Card title={`待回访 ${items.length} 件`}>
        <Text className="gz-muted">
          问题结案后请致电反映人，问两个问题：问题解决了吗？您对处理满意吗？点开问题记录回答。
        </Text>
      </Card>
      {items.length === 0 ? (
        <EmptyState title="没有待回访的问题" />
      ) : (
        <CellGroup>
          {items.map((i) => (
            <Cell
              key={i.id}
              clickable
              title={`${i.categoryName} · ${i.zoneName}${i.building !== null ? ` · ${i.building} 号楼` : ''}`}
              description={`${i.description.slice(0, 40)}｜${i.reporter.name ?? '反映人'} ${i.reporter.phone ?? '（未留电话）'}｜结案 ${i.closedAt ? formatTime(i.closedAt) : '—'}`}
              extra={i.code}
              onClick={() => Taro.navigateTo({ url: `/inspector/pages/issue/index?id=${i.id}` })}
            />
          ))}
        </CellGroup>
      )}
    </Page>
  );
}
