import type { AccountEventView } from '@gongzhi/domain';
import { Button } from '@nutui/nutui-react-taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { EventItems } from '../../parts';
import { listAccountEvents } from '../../services';
import '../../accounts.css';

/** 账号日志: every account action newest first (append-only in the database), a page at a time. */
export default function AccountLogPage() {
  const [items, setItems] = useState<AccountEventView[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const page = await listAccountEvents();
      setItems(page.items);
      setNext(page.nextCursor);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);

  const more = async () => {
    if (!next) return;
    setBusy(true);
    try {
      const page = await listAccountEvents(next);
      setItems((old) => [...(old ?? []), ...page.items]);
      setNext(page.nextCursor);
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!items) return <LoadingState />;
  if (items.length === 0) return <EmptyState title="还没有账号操作记录" />;
  return (
    <Page>
      <PageToast />
      <Card>
        <EventItems events={items} showAccount />
      </Card>
      {next && (
        <Button className="gz-submit" block fill="outline" loading={busy} onClick={more}>
          加载更多
        </Button>
      )}
    </Page>
  );
}
