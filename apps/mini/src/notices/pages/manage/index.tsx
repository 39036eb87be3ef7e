import type { NoticeStatus, NoticeSummary } from '@gongzhi/domain';
import { Button, Tabs } from '@nutui/nutui-react-taro';
import { Text } from '@tarojs/components';
import Taro, { useReachBottom } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { NoticeItem } from '../../../components/notice-item';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { useReload } from '../../../hooks/use-reload';
import { loadMe } from '../../../services/session';
import { staffNotices } from '../../services';
import '../../notices.css';

const TABS: { value: NoticeStatus | 'all'; title: string }[] = [
  { value: 'draft', title: '草稿' },
  { value: 'approved', title: '待发布' },
  { value: 'published', title: '已发布' },
  { value: 'all', title: '全部' },
];

/** Staff: the community's notices by status — drafts to approve, approved ones to publish. */
export default function NoticeManage() {
  const [tab, setTab] = useState<NoticeStatus | 'all'>('draft');
  const [community, setCommunity] = useState<string | null>(null);
  const [items, setItems] = useState<NoticeSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const status = tab === 'all' ? undefined : tab;
  const load = useCallback(async () => {
    setError(null);
    try {
      const key = (await loadMe()).person?.community;
      if (!key) throw new Error('当前账号不属于任何小区');
      setCommunity(key);
      const page = await staffNotices(key, status);
      setItems(page.items);
      setCursor(page.nextCursor);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [status]);
  useReload(load);

  useReachBottom(async () => {
    if (!cursor || !community) return;
    const page = await staffNotices(community, status, cursor).catch(() => null);
    if (!page) return;
    setItems((list) => [...(list ?? []), ...page.items]);
    setCursor(page.nextCursor);
  });

  return (
    <Page>
      <Button
        className="gz-submit"
        block
        type="primary"
        onClick={() => Taro.navigateTo({ url: '/notices/pages/compose/index' })}
      >
        起草公告
      </Button>
      <Tabs
        value={tab}
        onChange={(v) => {
          setTab(v as NoticeStatus | 'all');
          setItems(null);
        }}
      >
        {TABS.map((t) => (
          <Tabs.TabPane key={t.value} title={t.title} value={t.value} />
        ))}
      </Tabs>
      {error ? (
        <ErrorState message={error} onRetry={load} />
      ) : !items ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title="没有这类公告" />
      ) : (
        <Card>
          {items.map((n) => (
            <NoticeItem key={n.id} notice={n} showStatus />
          ))}
          {cursor && <Text className="gz-muted">上拉加载更多</Text>}
        </Card>
      )}
    </Page>
  );
}
