import type { ComplaintView } from '@gongzhi/domain';
import { Button, Input } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { Card, Page } from '../../components/page';
import { ErrorState, LoadingState } from '../../components/states';
import { Timeline } from '../../components/timeline';
import { trackComplaint } from '../../services/complaints';
import { findKeptComplaint, keepComplaint } from '../../services/my-complaints';
import './index.css';

export default function TrackPage() {
  const { params } = useRouter();
  const code = params.code ?? '';
  const kept = code ? findKeptComplaint(code) : undefined;
  const [secret, setSecret] = useState(kept?.secret ?? '');
  const [typedCode, setTypedCode] = useState(code);
  const [view, setView] = useState<ComplaintView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async (c: string, s: string) => {
    setLoading(true);
    setError(null);
    try {
      const v = await trackComplaint(c, s);
      setView(v);
      if (!findKeptComplaint(c)) {
        keepComplaint({
          code: c,
          secret: s,
          label: `${v.zoneName} · ${v.categoryName}`,
          createdAt: v.createdAt,
        });
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, []);

  const keptCode = kept?.code;
  const keptSecret = kept?.secret;
  useEffect(() => {
    if (keptCode && keptSecret) void load(keptCode, keptSecret);
  }, [keptCode, keptSecret, load]);

  usePullDownRefresh(async () => {
    if (view) await load(view.code, secret);
    Taro.stopPullDownRefresh();
  });

  if (!view && !kept) {
    return (
      <Page>
        <Card title="查询处理进度">
          <Text className="gz-label">查询码</Text>
          <Input value={typedCode} onChange={setTypedCode} placeholder="8 位查询码" />
          <Text className="gz-label">查询密钥</Text>
          <Input value={secret} onChange={setSecret} placeholder="提交成功时显示的密钥" />
          {error && <Text className="gz-track__error">{error}</Text>}
          <Button
            className="gz-submit"
            block
            type="primary"
            loading={loading}
            onClick={() => load(typedCode.trim().toUpperCase(), secret.trim())}
          >
            查询
          </Button>
        </Card>
      </Page>
    );
  }
  if (error && !view) {
    return (
      <Page>
        <ErrorState message={error} onRetry={() => kept && load(kept.code, kept.secret)} />
      </Page>
    );
  }
  if (!view) {
    return (
      <Page>
        <LoadingState />
      </Page>
    );
  }
  return (
    <Page>
      <Card
        title={`查询码 ${view.code}`}
        extra={<Text className={`gz-status gz-status--${view.status}`}>{view.statusName}</Text>}
      >
        <Text className="gz-track__line">
          {view.zoneName}
          {view.building !== null ? ` · ${view.building} 号楼` : ''}
          {view.spot ? ` · ${view.spot}` : ''}
        </Text>
        <Text className="gz-track__line">
          {view.categoryName}：{view.description}
        </Text>
      </Card>
      <Card title={`由${view.tierName}负责`}>
        {view.responsible.map((r) => (
          <Text key={r} className="gz-track__reason">
            · {r}
          </Text>
        ))}
      </Card>
      <Card title="处理记录">
        <Timeline
          entries={view.timeline.map((e, i) => ({
            key: i,
            title: e.actionName,
            who: `${e.actorName} · ${e.statusName}`,
            note: e.note,
            at: e.at,
          }))}
        />
      </Card>
      <View className="gz-muted">下拉可刷新</View>
    </Page>
  );
}
