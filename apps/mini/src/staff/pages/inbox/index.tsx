import type { NotificationView } from '@gongzhi/domain';
import { Button, Cell, CellGroup } from '@nutui/nutui-react-taro';
import Taro, { useReachBottom } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { formatTime } from '../../../services/format';
import { listNotifications, markAllRead, markRead, refreshUnreadBadge } from '../../../services/work';

export default function InboxPage() {
  const [items, setItems] = useState<NotificationView[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [unread, setUnread] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (more?: string | null) => {
    setError(null);
    try {
      const page = await listNotifications(more ?? undefined);
      setItems((prev) => (more ? [...(prev ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor);
      setUnread(page.unread);
      void refreshUnreadBadge(page.unread);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);
  useReachBottom(() => {
    if (cursor) void load(cursor);
  });

  const open = async (n: NotificationView) => {
    if (!n.readAt) {
      const r = await markRead(n.id).catch(() => null);
      if (r) {
        setUnread(r.unread);
        void refreshUnreadBadge(r.unread);
        setItems(
          (list) =>
            list?.map((x) => (x.id === n.id ? { ...x, readAt: new Date().toISOString() } : x)) ?? null,
        );
      }
    }
    if (n.issueId) await Taro.navigateTo({ url: `/inspector/pages/issue/index?id=${n.issueId}` });
    else if (n.letterId) await Taro.navigateTo({ url: '/staff/pages/letters/index' });
  };

  if (error) return <ErrorState message={error} onRetry={() => load()} />;
  if (!items) return <LoadingState />;
  return (
    <Page>
      <PageToast />
      {unread > 0 && (
        <Button
          size="small"
          fill="outline"
          onClick={async () => {
            const r = await markAllRead().catch((e: Error) => toast(e.message, 'fail'));
            if (r) await load();
          }}
        >
          全部标为已读（{unread}）
        </Button>
      )}
      {items.length === 0 ? (
        <EmptyState title="没有消息" />
      ) : (
        <CellGroup>
          {items.map((n) => (
            <Cell
              key={n.id}
              className={n.readAt ? '' : 'gz-unread'}
              title={`${n.readAt ? '' : '● '}${n.title}`}
              description={`${n.body} · ${formatTime(n.createdAt)}`}
              clickable
              onClick={() => open(n)}
            />
          ))}
        </CellGroup>
      )}
    </Page>
  );
}
