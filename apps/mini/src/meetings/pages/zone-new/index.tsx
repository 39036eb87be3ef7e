import { IssuePage, type IssueSummary, isFinal, type PublicCommunity, STATUS_NAMES } from '@gongzhi/domain';
import { Button, Input } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useAction } from '../../../hooks/use-action';
import { loadCommunity } from '../../../services/community';
import { api, query } from '../../../services/http';
import { loadMe } from '../../../services/session';
import { CheckList, PickField } from '../../parts';
import { chinaDay, chinaInstant, conveneZoneMeeting } from '../../services';

/** The zone leader convenes a meeting: when, where, and which of the zone's open issues. */
export default function ConveneZoneMeeting() {
  const { params } = useRouter();
  const zone = params.zone ?? '';
  const [community, setCommunity] = useState<PublicCommunity | null>(null);
  const [issues, setIssues] = useState<IssueSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [day, setDay] = useState(chinaDay(1));
  const [time, setTime] = useState('19:00');
  const [place, setPlace] = useState('');
  const [agenda, setAgenda] = useState<string[]>([]);
  const convene = useAction(conveneZoneMeeting, { done: '已召集，会议通知已发给区域成员' });

  const load = useCallback(async () => {
    setError(null);
    try {
      const me = await loadMe();
      const key = me.person?.community ?? '';
      setCommunity(await loadCommunity(key));
      const page = await api(
        IssuePage,
        `/api/issues${query({ community: key, zone, tier: 'zone', limit: 100 })}`,
        {
          auth: true,
        },
      );
      setIssues(page.items.filter((i) => !isFinal(i.status)));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [zone]);
  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!issues || !community) return <LoadingState />;
  const zoneName = community.zones.find((z) => z.key === zone)?.name ?? zone;

  const submit = async () => {
    if (!place.trim()) return toast('请填写会议地点', 'warn');
    if (agenda.length === 0) return toast('请至少选择一个议题', 'warn');
    const m = await convene.run({
      community: community.key,
      zone,
      at: chinaInstant(day, time),
      place: place.trim(),
      agenda,
    });
    if (m) Taro.redirectTo({ url: `/meetings/pages/zone-meeting/index?id=${m.id}` });
  };

  return (
    <Page>
      <PageToast />
      <Card title={`${zoneName}会议`}>
        <Text className="gz-label">日期</Text>
        <PickField mode="date" value={day} onChange={setDay} />
        <Text className="gz-label">时间</Text>
        <PickField mode="time" value={time} onChange={setTime} />
        <Text className="gz-label">地点</Text>
        <Input className="gz-input" placeholder="例如：1号楼架空层" value={place} onChange={setPlace} />
      </Card>
      <Card title={`议题（已选 ${agenda.length} 项）`}>
        {issues.length === 0 ? (
          <EmptyState title="本区域没有待处理的问题" />
        ) : (
          <CheckList
            options={issues.map((i) => ({
              key: i.id,
              label: `${i.categoryName} · ${i.code}`,
              description: `${i.description}（${STATUS_NAMES[i.status]}）`,
            }))}
            value={agenda}
            onChange={setAgenda}
          />
        )}
      </Card>
      <View>
        <Text className="gz-muted">召集后，区域成员会在“消息通知”中收到会议通知。</Text>
        <Button className="gz-submit" block type="primary" loading={convene.busy} onClick={submit}>
          召集会议
        </Button>
      </View>
    </Page>
  );
}
