import type { ComplaintView } from '@gongzhi/domain';
import { Button, Cell, CellGroup } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../components/page';
import { EmptyState, LoadingState } from '../../components/states';
import { PageToast, toast } from '../../components/toast';
import { outbox } from '../../offline/outbox';
import type { PendingSubmission } from '../../offline/queue';
import { trackComplaint } from '../../services/complaints';
import { formatTime } from '../../services/format';
import { type KeptComplaint, listKeptComplaints } from '../../services/my-complaints';

type Row = { kept: KeptComplaint; view?: ComplaintView; error?: string };

export default function MinePage() {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [pending, setPending] = useState<PendingSubmission[]>([]);

  const load = useCallback(async () => {
    setPending((await outbox.list()).filter((i) => i.kind === 'complaint'));
    const kept = listKeptComplaints();
    setRows(kept.map((k) => ({ kept: k })));
    const loaded = await Promise.all(
      kept.map(async (k): Promise<Row> => {
        try {
          return { kept: k, view: await trackComplaint(k.code, k.secret) };
        } catch (e) {
          return { kept: k, error: (e as Error).message };
        }
      }),
    );
    setRows(loaded);
  }, []);

  useDidShow(() => void load());
  usePullDownRefresh(async () => {
    await outbox.flush();
    await load();
    Taro.stopPullDownRefresh();
  });

  const retry = async () => {
    const r = await outbox.flush();
    toast(
      r.sent.length ? `已提交 ${r.sent.length} 条` : '仍无法连接，稍后会自动重试',
      r.sent.length ? 'success' : 'warn',
    );
    await load();
  };

  return (
    <Page>
      <PageToast />
      {pending.length > 0 && (
        <Card
          title="待提交（联网后自动发送）"
          extra={
            <Button size="small" onClick={retry}>
              立即重试
            </Button>
          }
        >
          {pending.map((p) => (
            <View key={p.id} className="gz-mine__pending">
              <Text>{p.label}</Text>
              <Text className="gz-muted">
                {formatTime(p.createdAt)}
                {p.photos.length ? ` · ${p.photos.length} 张照片` : ''}
                {p.failed ? ` · 未被受理：${p.lastError}` : ''}
              </Text>
              {p.failed && (
                <Button size="mini" onClick={() => outbox.remove(p.id).then(load)}>
                  删除
                </Button>
              )}
            </View>
          ))}
        </Card>
      )}
      {rows === null ? (
        <LoadingState />
      ) : rows.length === 0 && pending.length === 0 ? (
        <EmptyState title="还没有反映过问题。扫描楼道里的二维码即可反映。" />
      ) : (
        <CellGroup>
          {rows.map(({ kept, view, error }) => (
            <Cell
              key={kept.code}
              title={view ? `${view.categoryName} · ${view.zoneName}` : kept.label}
              description={`${kept.code} · ${formatTime(kept.createdAt)}${error ? ` · ${error}` : ''}`}
              extra={
                view ? (
                  <Text className={`gz-status gz-status--${view.status}`}>{view.statusName}</Text>
                ) : undefined
              }
              clickable
              onClick={() => Taro.navigateTo({ url: `/pages/track/index?code=${kept.code}` })}
            />
          ))}
        </CellGroup>
      )}
    </Page>
  );
}
