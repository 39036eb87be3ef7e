import type { ComplaintView } from '@gongzhi/domain';
import { Button, Input } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { Card, Page } from '../../components/page';
import { PhotoStrip } from '../../components/photo-strip';
import { RatingCard, RatingSummary } from '../../components/rating-card';
import { ReasonDialog } from '../../components/reason-dialog';
import { ErrorState, LoadingState } from '../../components/states';
import { Timeline } from '../../components/timeline';
import { PageToast, toast } from '../../components/toast';
import {
  rateComplaint,
  rejectComplaintFix,
  trackComplaint,
  verifyComplaint,
} from '../../services/complaints';
import { findKeptComplaint, keepComplaint } from '../../services/my-complaints';
import { isLoggedIn } from '../../services/session';
import './index.css';

/** A complaint's public record as timeline entries. */
const timelineEntries = (timeline: ComplaintView['timeline']) =>
  timeline.map((e, i) => ({
    key: i,
    title: e.actionName,
    who: `${e.actorName} · ${e.statusName}`,
    note: e.note,
    at: e.at,
  }));

export default function TrackPage() {
  const { params } = useRouter();
  const code = params.code ?? '';
  const kept = code ? findKeptComplaint(code) : undefined;
  const [secret, setSecret] = useState(kept?.secret ?? '');
  const [typedCode, setTypedCode] = useState(code);
  const [view, setView] = useState<ComplaintView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (c: string, s: string) => {
    setLoading(true);
    setError(null);
    try {
      const v = await trackComplaint(c, s);
      setView(v);
      // Kept with its secret (opened by the login, there is no secret to keep).
      if (s && !findKeptComplaint(c)) {
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
  // Not kept on this phone but filed by this login (我的投诉 from the server): the login opens it.
  const byLogin = !kept && code !== '' && isLoggedIn();
  useEffect(() => {
    if (keptCode && keptSecret) void load(keptCode, keptSecret);
    else if (byLogin) void load(code, '');
  }, [keptCode, keptSecret, byLogin, code, load]);

  usePullDownRefresh(async () => {
    if (view) await load(view.code, secret);
    Taro.stopPullDownRefresh();
  });

  if (!view && !kept && !byLogin) {
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
        <ErrorState message={error} onRetry={() => (kept ? load(kept.code, kept.secret) : load(code, ''))} />
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
  const photoNote = view.photos.length > 0 ? '现场照片和处理后的照片见下方，点开可放大查看' : undefined;
  const answer = async (fn: () => Promise<ComplaintView>, done: string) => {
    setBusy(true);
    try {
      setView(await fn());
      toast(done, 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page>
      <PageToast />
      {view.canRate && (
        <RatingCard
          closed={view.status === 'closed'}
          note={photoNote}
          busy={busy}
          onSubmit={(rating) =>
            answer(
              () => rateComplaint(view.code, secret, rating),
              rating.fixed
                ? '感谢您的评价'
                : view.status === 'closed'
                  ? '已记录，感谢您的反馈'
                  : '已退回重新处理',
            )
          }
        />
      )}
      {view.canVerify && !view.canRate && (
        <Card title="问题已办结，请您确认">
          <Text className="gz-track__line">处理人员已报告办结。问题真的解决了吗？</Text>
          {photoNote && <Text className="gz-muted">{photoNote}</Text>}
          <View className="gz-row gz-track__verify">
            <Button fill="outline" type="primary" disabled={busy} onClick={() => setAsking(true)}>
              没解决
            </Button>
            <Button
              type="primary"
              loading={busy}
              onClick={() => answer(() => verifyComplaint(view.code, secret), '感谢您的确认')}
            >
              已解决
            </Button>
          </View>
        </Card>
      )}
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
        <PhotoStrip photos={view.photos} headers={secret ? { 'X-Tracking-Secret': secret } : undefined} />
      </Card>
      {view.mergedInto && (
        <Card
          title={`已合并到 ${view.mergedInto.code}`}
          extra={
            <Text className={`gz-status gz-status--${view.mergedInto.status}`}>
              {view.mergedInto.statusName}
            </Text>
          }
        >
          <Text className="gz-track__line">
            您反映的问题与另一问题相同，已合并办理。以下是合并后问题的办理进度：
          </Text>
          <Timeline entries={timelineEntries(view.mergedInto.timeline)} />
        </Card>
      )}
      <Card title={`由${view.tierName}负责`}>
        {view.responsible.map((r) => (
          <Text key={r} className="gz-track__reason">
            · {r}
          </Text>
        ))}
      </Card>
      {view.rating && <RatingSummary rating={view.rating} />}
      <Card title="处理记录">
        <Timeline entries={timelineEntries(view.timeline)} />
      </Card>
      <View className="gz-muted">下拉可刷新</View>
      <ReasonDialog
        visible={asking}
        title="哪里还没解决？"
        placeholder="请说明现在的情况，问题会重新派单处理"
        onCancel={() => setAsking(false)}
        onConfirm={(reason) => {
          setAsking(false);
          void answer(() => rejectComplaintFix(view.code, secret, reason), '已退回重新处理');
        }}
      />
    </Page>
  );
}
