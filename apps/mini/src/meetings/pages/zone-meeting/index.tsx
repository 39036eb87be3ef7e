import { type PublicCommunity, ZONE_OUTCOME_NAMES, type ZoneMeetingView } from '@gongzhi/domain';
import { Button, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { loadCommunity } from '../../../services/community';
import { formatTime } from '../../../services/format';
import { CheckList, Segmented } from '../../parts';
import {
  escalateIssue,
  getZoneMeeting,
  nameBook,
  recordZoneAttendance,
  recordZoneMinutes,
} from '../../services';

type Kind = 'resolve_in_zone' | 'escalate';

export default function ZoneMeetingPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [m, setM] = useState<ZoneMeetingView | null>(null);
  const [community, setCommunity] = useState<PublicCommunity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attendees, setAttendees] = useState<string[]>([]);
  const [minutes, setMinutes] = useState('');
  const [views, setViews] = useState('');
  const [kinds, setKinds] = useState<Record<string, Kind>>({});
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [escalated, setEscalated] = useState<string[]>([]);

  const load = useCallback(async () => {
    setError(null);
    try {
      const meeting = await getZoneMeeting(id);
      setCommunity(await loadCommunity(meeting.community));
      setM(meeting);
      setAttendees(meeting.attendees.length ? meeting.attendees : [meeting.convenedBy]);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id]);
  useReload(load, 'mount');

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!m || !community) return <LoadingState />;
  const name = nameBook(community);
  const zone = community.zones.find((z) => z.key === m.zone);
  const people = zone ? [zone.leader.key, ...zone.members.map((p) => p.key)] : [m.convenedBy, ...m.invitees];
  const can = (a: ZoneMeetingView['allowedActions'][number]) => m.allowedActions.includes(a);
  const titleOf = (issue: string) => {
    const a = m.agenda.find((x) => x.issue === issue);
    return a ? (a.title ?? a.code) : issue;
  };

  const run = async (fn: () => Promise<ZoneMeetingView>, done: string) => {
    setBusy(true);
    try {
      setM(await fn());
      toast(done, 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  const saveMinutes = () => {
    if (!minutes.trim()) return toast('请填写会议纪要', 'warn');
    const outcomes = m.agenda.map((a) => {
      const kind = kinds[a.issue] ?? 'resolve_in_zone';
      const text = (texts[a.issue] ?? '').trim();
      return {
        issue: a.issue,
        outcome:
          kind === 'escalate' ? ({ kind, resolution: text } as const) : ({ kind, plan: text } as const),
      };
    });
    const missing = m.agenda.find((a) => !(texts[a.issue] ?? '').trim());
    if (missing) return toast(`请填写“${titleOf(missing.issue)}”的处理意见`, 'warn');
    void run(
      () => recordZoneMinutes(m.id, { minutes, residentViews: views.trim() || undefined, outcomes }),
      '纪要已保存',
    );
  };

  return (
    <Page>
      <PageToast />
      <Card title={`${m.zoneName}会议`} extra={<Text className="gz-status">{m.statusName}</Text>}>
        <Text className="gz-item__line">时间：{formatTime(m.at)}</Text>
        <Text className="gz-item__line">地点：{m.place}</Text>
        <Text className="gz-item__line">召集人：{m.convenedByName}</Text>
        <Text className="gz-item__line gz-muted">通知已发给：{m.invitees.map(name).join('、') || '—'}</Text>
      </Card>
      <Card title="议题">
        {m.agenda.map((a, i) => (
          <Text key={a.issue} className="gz-item__line">
            {i + 1}. {titleOf(a.issue)}
          </Text>
        ))}
      </Card>

      {m.status !== 'minutes_recorded' && (
        <Card title={`出席（${m.attendees.length ? `已登记 ${m.attendees.length} 人` : '未登记'}）`}>
          <CheckList
            options={people.map((p) => ({ key: p, label: name(p) }))}
            value={attendees}
            onChange={setAttendees}
            disabled={!can('record_attendance')}
          />
          {can('record_attendance') && (
            <Button
              className="gz-submit"
              block
              fill="outline"
              type="primary"
              loading={busy}
              onClick={() => run(() => recordZoneAttendance(m.id, attendees), '出席已登记')}
            >
              登记出席
            </Button>
          )}
          {m.status === 'convened' && !can('record_attendance') && (
            <Text className="gz-muted">会议于 {formatTime(m.at)} 开始，开始后由区域组长登记出席。</Text>
          )}
        </Card>
      )}

      {can('record_minutes') && (
        <Card title="会议纪要与处理意见">
          <Text className="gz-label">会议纪要</Text>
          <TextArea
            className="gz-textarea"
            placeholder="会议讨论情况"
            value={minutes}
            onChange={setMinutes}
            maxLength={5000}
          />
          <Text className="gz-label">居民意见（可选）</Text>
          <TextArea
            className="gz-textarea"
            placeholder="会上听取的居民意见"
            value={views}
            onChange={setViews}
            maxLength={5000}
          />
          {m.agenda.map((a) => {
            const kind = kinds[a.issue] ?? 'resolve_in_zone';
            return (
              <View key={a.issue} className="gz-item gz-outcome">
                <Text className="gz-item__title">{titleOf(a.issue)}</Text>
                <Segmented<Kind>
                  options={[
                    { key: 'resolve_in_zone', label: ZONE_OUTCOME_NAMES.resolve_in_zone },
                    { key: 'escalate', label: ZONE_OUTCOME_NAMES.escalate },
                  ]}
                  value={kind}
                  onChange={(k) => setKinds({ ...kinds, [a.issue]: k })}
                />
                <TextArea
                  className="gz-textarea"
                  placeholder={
                    kind === 'escalate'
                      ? '上报联席会议的决议（为什么区域内无法解决）'
                      : '区域内解决方案：做什么、由谁做'
                  }
                  value={texts[a.issue] ?? ''}
                  onChange={(v) => setTexts({ ...texts, [a.issue]: v })}
                  maxLength={2000}
                />
              </View>
            );
          })}
          <Button className="gz-submit" block type="primary" loading={busy} onClick={saveMinutes}>
            保存纪要
          </Button>
        </Card>
      )}

      {m.status === 'minutes_recorded' && (
        <>
          <Card title="会议纪要">
            <Text className="gz-item__line">出席：{m.attendees.map(name).join('、')}</Text>
            <Text className="gz-item__line">{m.minutes}</Text>
            {m.residentViews && <Text className="gz-item__line gz-muted">居民意见：{m.residentViews}</Text>}
          </Card>
          <Card title="处理意见">
            {m.outcomes.map((o) => (
              <View key={o.issue} className="gz-item gz-outcome">
                <Text className="gz-item__title">{titleOf(o.issue)}</Text>
                <Text className="gz-tag">{ZONE_OUTCOME_NAMES[o.outcome.kind]}</Text>
                <Text className="gz-item__line">
                  {o.outcome.kind === 'escalate' ? o.outcome.resolution : o.outcome.plan}
                </Text>
                {o.outcome.kind === 'escalate' && can('escalate') && (
                  <View className="gz-item__actions">
                    {escalated.includes(o.issue) ? (
                      <Text className="gz-ok">已上报，列入下次联席会议议程</Text>
                    ) : (
                      <Button
                        size="small"
                        type="primary"
                        loading={busy}
                        onClick={async () => {
                          setBusy(true);
                          try {
                            await escalateIssue(o.issue, m.id);
                            setEscalated([...escalated, o.issue]);
                            toast('已上报联席会议', 'success');
                          } catch (e) {
                            toast((e as Error).message, 'fail');
                          } finally {
                            setBusy(false);
                          }
                        }}
                      >
                        上报联席会议
                      </Button>
                    )}
                  </View>
                )}
              </View>
            ))}
          </Card>
        </>
      )}
    </Page>
  );
}
