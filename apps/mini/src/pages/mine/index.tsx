import type { ComplaintView, MyComplaint } from '@gongzhi/domain';
import { Button, Cell, CellGroup } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { OwnPhoneCard } from '../../components/own-phone-card';
import { Card, Page } from '../../components/page';
import { EmptyState, LoadingState } from '../../components/states';
import { PageToast, toast } from '../../components/toast';
import { outbox } from '../../offline/outbox';
import type { PendingSubmission } from '../../offline/queue';
import { myComplaints, trackComplaint } from '../../services/complaints';
import { formatTime } from '../../services/format';
import { type KeptComplaint, listKeptComplaints } from '../../services/my-complaints';
import { signInWithWechatSilently } from '../../services/resident-session';

/** One line of 我的投诉: from the server (this login's), or kept on this phone with its secret. */
type Row = {
  code: string;
  label: string;
  createdAt: string;
  status?: ComplaintView['status'];
  statusName?: string;
  error?: string;
};

const fromServer = (c: MyComplaint): Row => ({
  code: c.code,
  label: `${c.categoryName} · ${c.zoneName}`,
  createdAt: c.createdAt,
  status: c.status,
  statusName: c.statusName,
});

async function fromPhone(k: KeptComplaint): Promise<Row> {
  const row = { code: k.code, label: k.label, createdAt: k.createdAt };
  try {
    const view = await trackComplaint(k.code, k.secret);
    return {
      ...row,
      label: `${view.categoryName} · ${view.zoneName}`,
      status: view.status,
      statusName: view.statusName,
    };
  } catch (e) {
    return { ...row, error: (e as Error).message };
  }
}

const newestFirst = (a: Row, b: Row) => b.createdAt.localeCompare(a.createdAt);

export default function MinePage() {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [pending, setPending] = useState<PendingSubmission[]>([]);
  const [more, setMore] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [signedIn, setSignedIn] = useState(false);

  const load = useCallback(async () => {
    setPending((await outbox.list()).filter((i) => i.kind === 'complaint'));
    const kept = listKeptComplaints();
    setRows(kept.map((k) => ({ code: k.code, label: k.label, createdAt: k.createdAt })));
    // On weapp the resident is signed in with WeChat: the server knows all their complaints.
    let server: MyComplaint[] = [];
    setServerError(null);
    const inWechat = await signInWithWechatSilently();
    setSignedIn(inWechat);
    if (inWechat) {
      try {
        const page = await myComplaints();
        server = page.items;
        setMore(page.nextCursor);
      } catch (e) {
        setServerError((e as Error).message);
      }
    }
    const onServer = new Set(server.map((c) => c.code));
    const phoneOnly = await Promise.all(kept.filter((k) => !onServer.has(k.code)).map(fromPhone));
    setRows([...server.map(fromServer), ...phoneOnly].sort(newestFirst));
  }, []);

  const loadMore = async () => {
    if (!more) return;
    try {
      const page = await myComplaints(more);
      setMore(page.nextCursor);
      setRows((r) => {
        const have = new Set((r ?? []).map((x) => x.code));
        return [...(r ?? []), ...page.items.filter((c) => !have.has(c.code)).map(fromServer)];
      });
    } catch (e) {
      toast((e as Error).message, 'fail');
    }
  };

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
          {rows.map((row) => (
            <Cell
              key={row.code}
              title={row.label}
              description={`${row.code} · ${formatTime(row.createdAt)}${row.error ? ` · ${row.error}` : ''}`}
              extra={
                row.status ? (
                  <Text className={`gz-status gz-status--${row.status}`}>{row.statusName}</Text>
                ) : undefined
              }
              clickable
              onClick={() => Taro.navigateTo({ url: `/pages/track/index?code=${row.code}` })}
            />
          ))}
        </CellGroup>
      )}
      {serverError && <Text className="gz-muted">暂时无法读取账号下的投诉：{serverError}</Text>}
      {more && (
        <Button block fill="outline" onClick={loadMore}>
          加载更多
        </Button>
      )}
      {signedIn && <OwnPhoneCard />}
    </Page>
  );
}
