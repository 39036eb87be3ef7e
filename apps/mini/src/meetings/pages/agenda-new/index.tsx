import { IssuePage, type IssueSummary, type JointMeetingView, type PublicCommunity } from '@gongzhi/domain';
import { Button, Input } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useAction } from '../../../hooks/use-action';
import { useReload } from '../../../hooks/use-reload';
import { loadCommunity } from '../../../services/community';
import { formatTime } from '../../../services/format';
import { api, query } from '../../../services/http';
import { loadMe } from '../../../services/session';
import { CheckList, Segmented } from '../../parts';
import { addAgendaItem, listJointMeetings, listWaitingAgenda } from '../../services';

interface Data {
  community: PublicCommunity;
  /** Issues waiting for the joint meeting that no pending item carries yet (e.g. after 暂缓审议). */
  free: IssueSummary[];
  /** How many waiting issues are already on a pending item (shown, not offered). */
  onAgenda: number;
  /** Meetings still to be held, which an item can be put on. */
  upcoming: JointMeetingView[];
}

/**
 * The secretary adds a topic to the joint meeting's agenda: a title, the issues it carries (issues
 * waiting for the joint meeting that no pending item carries), and the meeting — the next one by
 * default. The server checks each issue again and refuses what is not waiting.
 */
export default function AddAgendaItem() {
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [issues, setIssues] = useState<string[]>([]);
  const [meeting, setMeeting] = useState('next');
  const adding = useAction(addAgendaItem);

  const load = useCallback(async () => {
    setError(null);
    try {
      const me = await loadMe();
      const key = me.person?.community;
      if (!key) throw new Error('当前账号不属于任何小区');
      const [community, escalated, waiting, meetings] = await Promise.all([
        loadCommunity(key),
        api(IssuePage, `/api/issues${query({ community: key, status: 'escalated', limit: 100 })}`, {
          auth: true,
        }),
        listWaitingAgenda(key),
        listJointMeetings(key),
      ]);
      const upcoming = meetings.items.filter(
        (m) => m.status === 'scheduled' && m.minutes.status !== 'locked',
      );
      const carried = new Set([
        ...waiting.items.flatMap((w) => w.issues),
        ...upcoming.flatMap((m) => m.agenda.filter((a) => a.status === 'pending').flatMap((a) => a.issues)),
      ]);
      const free = escalated.items.filter((i) => !carried.has(i.id));
      setData({ community, free, onAgenda: escalated.items.length - free.length, upcoming });
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load, 'mount');

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!data) return <LoadingState />;

  const submit = async () => {
    if (!title.trim()) return toast('请填写议题名称', 'warn');
    const placed = await adding.run({
      community: data.community.key,
      title: title.trim(),
      issues,
      ...(meeting === 'next' ? {} : { meeting }),
    });
    if (!placed) return;
    toast(placed.meeting ? `已列入会议第 ${placed.no} 项` : '已加入待上会议题', 'success');
    setTimeout(() => Taro.navigateBack(), 800);
  };

  return (
    <Page>
      <PageToast />
      <Card title="议题">
        <Text className="gz-label">议题名称</Text>
        <Input
          className="gz-input"
          placeholder="例如：小区停车管理办法修订"
          maxLength={200}
          value={title}
          onChange={setTitle}
        />
        <Text className="gz-label">列入</Text>
        <Segmented
          options={[
            { key: 'next', label: '下次会议' },
            ...data.upcoming.slice(0, 3).map((m) => ({ key: m.id, label: formatTime(m.at) })),
          ]}
          value={meeting}
          onChange={setMeeting}
        />
        <Text className="gz-muted">
          {data.upcoming.length === 0
            ? '目前没有已安排的会议，议题将等待下次会议。'
            : '未指定时列入最近一次已安排的会议。'}
        </Text>
      </Card>
      <Card title={`关联问题（已选 ${issues.length} 项，可不选）`}>
        {data.free.length === 0 ? (
          <Text className="gz-muted">没有可关联的问题：等待联席会议的问题都已在议程中。</Text>
        ) : (
          <CheckList
            options={data.free.map((i) => ({
              key: i.id,
              label: `${i.categoryName} · ${i.code}`,
              description: i.description,
            }))}
            value={issues}
            onChange={setIssues}
          />
        )}
        {data.onAgenda > 0 && (
          <Text className="gz-muted">
            另有 {data.onAgenda} 个等待联席会议的问题已在议程中，不再重复列入。
          </Text>
        )}
      </Card>
      <View>
        <Button className="gz-submit" block type="primary" loading={adding.busy} onClick={submit}>
          添加议题
        </Button>
      </View>
    </Page>
  );
}
