import type { NoticeSummary, PublicCommunity } from '@gongzhi/domain';
import { Text, View } from '@tarojs/components';
import { useReachBottom } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { NoticeItem } from '../../../components/notice-item';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { useReload } from '../../../hooks/use-reload';
import { DEFAULT_COMMUNITY, loadCommunity } from '../../../services/community';
import { publicNotices } from '../../../services/notices';
import '../../notices.css';

/** Every published notice, newest first; a zone shows its own and the community-wide ones. */
export default function NoticeList() {
  const [community, setCommunity] = useState<PublicCommunity | null>(null);
  const [zone, setZone] = useState<string | undefined>(undefined);
  const [items, setItems] = useState<NoticeSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [c, page] = await Promise.all([
        loadCommunity(DEFAULT_COMMUNITY),
        publicNotices(DEFAULT_COMMUNITY, { zone }),
      ]);
      setCommunity(c);
      setItems(page.items);
      setCursor(page.nextCursor);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [zone]);
  useReload(load);

  useReachBottom(async () => {
    if (!cursor || more) return;
    setMore(true);
    try {
      const page = await publicNotices(DEFAULT_COMMUNITY, { zone, cursor });
      setItems((list) => [...(list ?? []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setMore(false);
    }
  });

  const pick = (z: string | undefined) => {
    setZone(z);
    setItems(null);
  };

  return (
    <Page>
      {community && (
        <View className="gz-notice__chips">
          <Text
            className={`gz-notice__chip ${zone ? '' : 'gz-notice__chip--on'}`}
            onClick={() => pick(undefined)}
          >
            全部
          </Text>
          {community.zones.map((z) => (
            <Text
              key={z.key}
              className={`gz-notice__chip ${zone === z.key ? 'gz-notice__chip--on' : ''}`}
              onClick={() => pick(z.key)}
            >
              {z.name}
            </Text>
          ))}
        </View>
      )}
      {error ? (
        <ErrorState message={error} onRetry={load} />
      ) : !items ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title="暂无公告" />
      ) : (
        <Card>
          {items.map((n) => (
            <NoticeItem key={n.id} notice={n} />
          ))}
          {cursor && <Text className="gz-muted">{more ? '加载中…' : '上拉加载更多'}</Text>}
        </Card>
      )}
    </Page>
  );
}
