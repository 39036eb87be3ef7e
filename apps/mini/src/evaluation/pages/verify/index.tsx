import { HOME_STATUS_NAMES, type HomeStatus, type HomeView } from '@gongzhi/domain';
import { Button } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ReasonDialog } from '../../../components/reason-dialog';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { formatTime } from '../../../services/format';
import { loadMe } from '../../../services/session';
import { decideHome, homeRequests } from '../../services';
import '../../evaluation.css';

const TABS: HomeStatus[] = ['pending', 'verified', 'rejected'];

/** The zone's rc, oc and grid people confirm that a resident lives in the household they named. */
export default function VerifyHomes() {
  const [status, setStatus] = useState<HomeStatus>('pending');
  const [community, setCommunity] = useState('');
  const [items, setItems] = useState<HomeView[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [refusing, setRefusing] = useState<HomeView | null>(null);

  const fetchPage = useCallback(async (which: HomeStatus, from: string | null) => {
    setError(null);
    try {
      const me = await loadMe();
      if (!me.person) throw new Error('当前账号不属于任何小区');
      setCommunity(me.person.community);
      const page = await homeRequests(me.person.community, which, from);
      setItems((list) => [...(from ? (list ?? []) : []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  const load = useCallback(() => fetchPage(status, null), [fetchPage, status]);
  useReload(load);

  const decide = async (h: HomeView, approve: boolean, note?: string) => {
    setBusy(h.id);
    try {
      await decideHome(h.id, approve, note);
      setItems((list) => list?.filter((x) => x.id !== h.id) ?? null);
      toast(approve ? `已认证 ${h.household}` : '已退回', 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(null);
    }
  };

  return (
    <Page>
      <PageToast />
      <View className="gz-eval__actions gz-eval__tabs">
        {TABS.map((s) => (
          <Text
            key={s}
            className={`gz-eval__skip ${s === status ? 'gz-eval__skip--on' : ''}`}
            onClick={() => {
              setItems(null);
              setStatus(s);
            }}
          >
            {HOME_STATUS_NAMES[s]}
          </Text>
        ))}
      </View>
      {error ? (
        <ErrorState message={error} onRetry={load} />
      ) : items === null || !community ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title={status === 'pending' ? '没有待认证的申请' : '没有记录'} />
      ) : (
        items.map((h) => (
          <Card
            key={h.id}
            title={h.household}
            extra={<Text className="gz-tag gz-eval__status">{h.zoneName}</Text>}
          >
            <Text className="gz-muted">
              {h.name}
              {h.phone ? ` · ${h.phone}` : ''} · 申请于 {formatTime(h.requestedAt)}
              {h.decidedBy ? ` · ${h.decidedBy}处理` : ''}
              {h.note ? ` · ${h.note}` : ''}
            </Text>
            {h.status === 'pending' && (
              <View className="gz-eval__actions">
                <Button size="small" type="primary" loading={busy === h.id} onClick={() => decide(h, true)}>
                  核实无误，认证
                </Button>
                <Button size="small" onClick={() => setRefusing(h)}>
                  不予认证
                </Button>
              </View>
            )}
          </Card>
        ))
      )}
      {cursor && (
        <Button block size="small" onClick={() => fetchPage(status, cursor)}>
          加载更多
        </Button>
      )}
      <ReasonDialog
        visible={refusing !== null}
        title="不予认证的原因"
        placeholder="例如：经核实该户无此住户"
        onCancel={() => setRefusing(null)}
        onConfirm={(reason) => {
          const h = refusing!;
          setRefusing(null);
          void decide(h, false, reason);
        }}
      />
    </Page>
  );
}
