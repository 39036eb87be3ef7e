import {
  AGENDA_SOURCE_NAMES,
  JOINT_MEETING_KIND_NAMES,
  JOINT_MEETING_STATUS_NAMES,
  type JointMeetingPage,
  type JointMeetingView,
  type Me,
  MINUTES_STATUS_NAMES,
  type PublicCommunity,
  type ResolutionView,
  type WaitingAgenda,
  type ZoneMeetingView,
} from '@gongzhi/domain';
import { Button, Input, Tabs } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useAction } from '../../../hooks/use-action';
import { useReload } from '../../../hooks/use-reload';
import { loadCommunity } from '../../../services/community';
import { formatTime } from '../../../services/format';
import { loadMe } from '../../../services/session';
import { PickField, ProgressBar, Section, Segmented } from '../../parts';
import {
  chinaDay,
  chinaInstant,
  listJointMeetings,
  listResolutions,
  listWaitingAgenda,
  listZoneMeetings,
  scheduleJointMeeting,
} from '../../services';

type Tab = 'zone' | 'joint' | 'resolutions';

interface Data {
  me: Me;
  community: PublicCommunity;
  zoneMeetings: ZoneMeetingView[];
  jointMeetings: JointMeetingView[];
  waiting: WaitingAgenda['items'];
  resolutions: ResolutionView[];
  /** What the server offers: the zones whose meetings I convene, and arranging joint meetings. */
  conveneZones: string[];
  jointActions: JointMeetingPage['allowedActions'];
}

export default function MeetingsHome() {
  const { params } = useRouter();
  const [tab, setTab] = useState<Tab>((params.tab as Tab) ?? 'zone');
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const me = await loadMe();
      const key = me.person?.community;
      if (!key) throw new Error('当前账号不属于任何小区');
      const [community, zm, jm, waiting, res] = await Promise.all([
        loadCommunity(key),
        listZoneMeetings(key),
        listJointMeetings(key),
        listWaitingAgenda(key),
        listResolutions(key),
      ]);
      setData({
        me,
        community,
        zoneMeetings: zm.items,
        jointMeetings: jm.items,
        conveneZones: zm.conveneZones,
        jointActions: jm.allowedActions,
        waiting: waiting.items,
        resolutions: res.items,
      });
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!data) return <LoadingState />;

  return (
    <Page>
      <PageToast />
      <Tabs value={tab} onChange={(v) => setTab(String(v) as Tab)}>
        <Tabs.TabPane title="区域会议" value="zone" />
        <Tabs.TabPane title="联席会议" value="joint" />
        <Tabs.TabPane title="决议跟踪" value="resolutions" />
      </Tabs>
      {tab === 'zone' && (
        <ZoneTab meetings={data.zoneMeetings} ledZones={data.conveneZones} community={data.community} />
      )}
      {tab === 'joint' && (
        <JointTab
          community={data.community.key}
          meetings={data.jointMeetings}
          waiting={data.waiting}
          secretary={data.jointActions.includes('schedule')}
          onChanged={load}
        />
      )}
      {tab === 'resolutions' && <ResolutionsTab items={data.resolutions} />}
    </Page>
  );
}

function ZoneTab({
  meetings,
  ledZones,
  community,
}: {
  meetings: ZoneMeetingView[];
  ledZones: string[];
  community: PublicCommunity;
}) {
  const zoneName = (k: string) => community.zones.find((z) => z.key === k)?.name ?? k;
  return (
    <View>
      {ledZones.map((z) => (
        <Button
          key={z}
          className="gz-submit"
          block
          type="primary"
          onClick={() => Taro.navigateTo({ url: `/meetings/pages/zone-new/index?zone=${z}` })}
        >
          召集{zoneName(z)}会议
        </Button>
      ))}
      {meetings.length === 0 ? (
        <EmptyState title="还没有区域会议" />
      ) : (
        meetings.map((m) => (
          <View
            key={m.id}
            className="gz-item gz-zone-meeting"
            onClick={() => Taro.navigateTo({ url: `/meetings/pages/zone-meeting/index?id=${m.id}` })}
          >
            <View className="gz-row">
              <Text className="gz-item__title">{m.zoneName}会议</Text>
              <View style={{ flex: 1 }} />
              <Text className="gz-status">{m.statusName}</Text>
            </View>
            <Text className="gz-muted">
              {formatTime(m.at)} · {m.place} · 议题 {m.agenda.length} 项 · 召集人 {m.convenedByName}
            </Text>
          </View>
        ))
      )}
    </View>
  );
}

function JointTab({
  community,
  meetings,
  waiting,
  secretary,
  onChanged,
}: {
  community: string;
  meetings: JointMeetingView[];
  waiting: WaitingAgenda['items'];
  secretary: boolean;
  onChanged: () => void;
}) {
  const [day, setDay] = useState(chinaDay(1));
  const [time, setTime] = useState('19:00');
  const [place, setPlace] = useState('居委会会议室');
  const [kind, setKind] = useState<'regular' | 'ad_hoc'>('regular');
  const scheduling = useAction(scheduleJointMeeting, { done: '已安排会议' });

  const schedule = async () => {
    if (!place.trim()) return toast('请填写会议地点', 'warn');
    const m = await scheduling.run({ community, kind, at: chinaInstant(day, time), place });
    if (!m) return;
    Taro.navigateTo({ url: `/meetings/pages/joint-meeting/index?id=${m.id}` });
    onChanged();
  };

  return (
    <View>
      <Section title={`待上会议题（${waiting.length}）`}>
        {waiting.length === 0 ? (
          <Text className="gz-muted">暂无等待下次联席会议审议的议题</Text>
        ) : (
          waiting.map((w) => (
            <View key={w.id} className="gz-item">
              <Text className="gz-item__title">{w.title}</Text>
              <Text className="gz-muted">
                {AGENDA_SOURCE_NAMES[w.source]}
                {w.zoneResolution ? ` · 区域决议：${w.zoneResolution.resolution}` : ''}
                {w.reconsiders ? ` · 复议理由：${w.reconsiders.reason}` : ''}
              </Text>
            </View>
          ))
        )}
        {secretary && (
          <Button
            size="small"
            fill="outline"
            type="primary"
            onClick={() => Taro.navigateTo({ url: '/meetings/pages/agenda-new/index' })}
          >
            添加议题
          </Button>
        )}
      </Section>
      {secretary && (
        <Card title="安排联席会议">
          <Segmented
            options={[
              { key: 'regular', label: JOINT_MEETING_KIND_NAMES.regular },
              { key: 'ad_hoc', label: JOINT_MEETING_KIND_NAMES.ad_hoc },
            ]}
            value={kind}
            onChange={setKind}
          />
          <Text className="gz-label">日期</Text>
          <PickField mode="date" value={day} onChange={setDay} />
          <Text className="gz-label">时间</Text>
          <PickField mode="time" value={time} onChange={setTime} />
          <Text className="gz-label">地点</Text>
          <Input className="gz-input" placeholder="会议地点" value={place} onChange={setPlace} />
          <Text className="gz-muted">安排后，等待中的议题自动列入本次会议议程。</Text>
          <Button className="gz-submit" block type="primary" loading={scheduling.busy} onClick={schedule}>
            安排会议
          </Button>
        </Card>
      )}
      <Section title="联席会议">
        {meetings.length === 0 ? (
          <EmptyState title="还没有联席会议" />
        ) : (
          meetings.map((m) => (
            <View
              key={m.id}
              className="gz-item gz-joint-meeting"
              onClick={() => Taro.navigateTo({ url: `/meetings/pages/joint-meeting/index?id=${m.id}` })}
            >
              <View className="gz-row">
                <Text className="gz-item__title">{JOINT_MEETING_KIND_NAMES[m.kind]}</Text>
                <View style={{ flex: 1 }} />
                <Text className="gz-status">{JOINT_MEETING_STATUS_NAMES[m.status]}</Text>
              </View>
              <Text className="gz-muted">
                {formatTime(m.at)} · {m.place} · 主持人 {m.chairName} · 议题 {m.agenda.length} 项 · 纪要
                {MINUTES_STATUS_NAMES[m.minutes.status]}
              </Text>
            </View>
          ))
        )}
      </Section>
    </View>
  );
}

function ResolutionsTab({ items }: { items: ResolutionView[] }) {
  if (items.length === 0) return <EmptyState title="还没有联席会议决议" />;
  return (
    <View>
      {items.map((r) => (
        <View
          key={r.id}
          className="gz-item gz-resolution"
          onClick={() => Taro.navigateTo({ url: `/meetings/pages/resolution/index?id=${r.id}` })}
        >
          <View className="gz-row">
            <Text className="gz-item__title">{r.title}</Text>
            <View style={{ flex: 1 }} />
            <Text
              className={`gz-status ${r.done ? 'gz-status--closed' : r.overdue ? 'gz-status--rejected' : ''}`}
            >
              {r.supersededBy ? '已被复议取代' : r.done ? '已完成' : r.overdue ? '已逾期' : `${r.progress}%`}
            </Text>
          </View>
          <Text className="gz-muted">{r.text}</Text>
          <ProgressBar value={r.progress} />
          <Text className="gz-muted">
            {r.responsibleOrgName} · {r.responsiblePersonName} · 期限 {r.dueDate}
          </Text>
        </View>
      ))}
    </View>
  );
}
