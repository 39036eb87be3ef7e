import {
  AGENDA_ITEM_STATUS_NAMES,
  RESOLUTION_DISPOSITION_NAMES,
  type ResolutionView,
  STATUS_NAMES,
} from '@gongzhi/domain';
import { Button, Input, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ReasonDialog } from '../../../components/reason-dialog';
import { ErrorState, LoadingState } from '../../../components/states';
import { Timeline } from '../../../components/timeline';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { loadCommunity } from '../../../services/community';
import { formatTime } from '../../../services/format';
import { loadMe } from '../../../services/session';
import { ProgressBar, Segmented } from '../../parts';
import { getResolution, nameBook, recordProgress, requestReconsideration } from '../../services';

export default function ResolutionPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [r, setR] = useState<ResolutionView | null>(null);
  const [name, setName] = useState<(k: string) => string>(() => (k: string) => k);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState('');
  const [note, setNote] = useState('');
  const [milestone, setMilestone] = useState('');
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const res = await getResolution(id);
      const who = await loadMe();
      const book = nameBook(await loadCommunity(res.community));
      const known: Record<string, string> = { [res.responsiblePerson]: res.responsiblePersonName };
      if (who.person) known[who.person.key] = who.person.name;
      setName(() => (k: string) => known[k] ?? book(k));
      setR(res);
      setProgress(String(res.progress));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id]);
  useReload(load, 'mount');

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!r) return <LoadingState />;
  const mayUpdate = r.allowedActions.includes('progress');
  const reached = new Set(r.history.map((h) => h.milestone).filter(Boolean));

  const update = async () => {
    const p = Number(progress);
    if (!Number.isInteger(p) || p < 0 || p > 100) return toast('进度应为 0–100 的整数', 'warn');
    setBusy(true);
    try {
      setR(
        await recordProgress(r.id, {
          progress: p,
          note: note.trim() || undefined,
          milestone: milestone || undefined,
        }),
      );
      setNote('');
      setMilestone('');
      toast('进度已更新，已通知反映人', 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page>
      <PageToast />
      <Card
        title={r.title}
        extra={
          <Text
            className={`gz-status ${r.done ? 'gz-status--closed' : r.overdue ? 'gz-status--rejected' : ''}`}
          >
            {r.supersededBy ? '已被复议取代' : r.done ? '已完成' : r.overdue ? '已逾期' : '落实中'}
          </Text>
        }
      >
        <Text className="gz-item__line">{r.text}</Text>
        <ProgressBar value={r.progress} />
        <Text className="gz-item__line gz-progress-value">当前进度 {r.progress}%</Text>
        <Text className="gz-item__line gz-muted">
          {r.responsibleOrgName} · {r.responsiblePersonName} · 期限 {r.dueDate} ·{' '}
          {RESOLUTION_DISPOSITION_NAMES[r.disposition]}
        </Text>
        <Text className="gz-item__line gz-muted">
          联席会议 {formatTime(r.meetingAt)} 第 {r.item} 项议题
        </Text>
        {r.issueRefs.map((i) => (
          <Text key={i.id} className="gz-tag">
            {i.code} · {STATUS_NAMES[i.status]}
          </Text>
        ))}
      </Card>

      {r.milestones.length > 0 && (
        <Card title="进度节点">
          {r.milestones.map((m) => (
            <Text key={m.title} className="gz-item__line">
              {reached.has(m.title) ? '✓ ' : '○ '}
              {m.title}
              {m.dueDate ? `（${m.dueDate}）` : ''}
            </Text>
          ))}
        </Card>
      )}

      {mayUpdate && !r.done && (
        <Card title="更新进度">
          <Text className="gz-label">进度（0–100）</Text>
          <Input
            className="gz-input"
            type="number"
            placeholder="进度百分比"
            value={progress}
            onChange={setProgress}
          />
          {r.milestones.length > 0 && (
            <>
              <Text className="gz-label">达到的节点（可选）</Text>
              <Segmented
                options={[
                  { key: '', label: '无' },
                  ...r.milestones.map((m) => ({ key: m.title, label: m.title })),
                ]}
                value={milestone}
                onChange={setMilestone}
              />
            </>
          )}
          <Text className="gz-label">说明（进度回退时必填）</Text>
          <TextArea
            className="gz-textarea"
            placeholder="本次进展情况"
            value={note}
            onChange={setNote}
            rows={2}
          />
          <Button className="gz-submit" block type="primary" loading={busy} onClick={update}>
            更新进度
          </Button>
        </Card>
      )}

      <Card title="进度记录">
        {r.history.length === 0 ? (
          <Text className="gz-muted">还没有进度记录</Text>
        ) : (
          <Timeline
            entries={[...r.history].reverse().map((h, i) => ({
              key: `${h.at}-${i}`,
              title: `${h.from}% → ${h.to}%${h.milestone ? ` · ${h.milestone}` : ''}`,
              who: name(h.by),
              note: h.note,
              at: h.at,
            }))}
          />
        )}
      </Card>

      <Card title="复议">
        {r.reconsiderations.map((c) => (
          <Text key={c.item} className="gz-item__line">
            {formatTime(c.requestedAt)} 申请复议：{c.reason}（{AGENDA_ITEM_STATUS_NAMES[c.status]}
            {c.no ? ` · 第 ${c.no} 项` : ' · 等待下次会议'}）
          </Text>
        ))}
        {r.reconsiderations.length === 0 && <Text className="gz-muted">没有复议申请</Text>}
        {r.allowedActions.includes('request_reconsideration') && (
          <View className="gz-item__actions">
            <Button size="small" fill="outline" type="primary" onClick={() => setAsking(true)}>
              申请复议
            </Button>
          </View>
        )}
      </Card>
      <ReasonDialog
        visible={asking}
        title="申请复议"
        placeholder="执行中发现了哪些新情况"
        onCancel={() => setAsking(false)}
        onConfirm={async (reason) => {
          setAsking(false);
          try {
            await requestReconsideration(r.id, reason);
            toast('已申请复议，列入下次联席会议议程', 'success');
            await load();
          } catch (e) {
            toast((e as Error).message, 'fail');
          }
        }}
      />
    </Page>
  );
}
