import {
  HONOR_LIST_NAMES,
  HONOR_LISTS,
  type HonorEntryInput,
  type HonorEntryView,
  type HonorList,
} from '@gongzhi/domain';
import { Button, Input, TextArea } from '@nutui/nutui-react-taro';
import { Picker, Text, View } from '@tarojs/components';
import Taro, { useReachBottom } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useAction } from '../../../hooks/use-action';
import { useReload } from '../../../hooks/use-reload';
import { chinaDate } from '../../../services/duty';
import { loadMe } from '../../../services/session';
import { createNotice, honorEntries, recordHonorEntry } from '../../services';
import '../../notices.css';

/**
 * The residents' convention's red and black lists (红黑榜), for their keepers (the Party branch and
 * the 业委会): record an entry (kept for good), choose entries and draft the 红黑榜 notice, which is
 * approved and published like any notice. Entries already published show their notice's number.
 */
export default function HonorRollPage() {
  const today = chinaDate();
  const [community, setCommunity] = useState<string | null>(null);
  const [items, setItems] = useState<HonorEntryView[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [list, setList] = useState<HonorList>('red');
  const [subject, setSubject] = useState('');
  const [reason, setReason] = useState('');
  const [day, setDay] = useState(today);
  const [chosen, setChosen] = useState<string[]>([]);
  const recording = useAction(
    (input: { community: string; body: HonorEntryInput }, key: string) =>
      recordHonorEntry(input.community, input.body, key),
    { done: '已记录' },
  );
  const drafting = useAction(
    (entries: string[], key: string) =>
      createNotice({ community: community!, source: { kind: 'honor_roll', entries } }, key),
    { done: '已生成公告草稿' },
  );

  const load = useCallback(async () => {
    setError(null);
    try {
      const key = (await loadMe()).person?.community;
      if (!key) throw new Error('当前账号不属于任何小区');
      setCommunity(key);
      const page = await honorEntries(key);
      setItems(page.items);
      setCursor(page.nextCursor);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load, 'mount');

  useReachBottom(async () => {
    if (!cursor || !community) return;
    const page = await honorEntries(community, cursor).catch(() => null);
    if (!page) return;
    setItems((l) => [...(l ?? []), ...page.items]);
    setCursor(page.nextCursor);
  });

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!items || !community) return <LoadingState />;

  const record = async () => {
    if (!subject.trim()) return toast('请填写上榜对象', 'warn');
    if (!reason.trim()) return toast('请填写上榜理由', 'warn');
    const saved = await recording.run({ community, body: { list, subject: subject.trim(), reason, day } });
    if (saved) {
      setSubject('');
      setReason('');
      setItems((l) => [saved, ...(l ?? [])]);
    }
  };
  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  const draft = async () => {
    if (chosen.length === 0) return toast('请先选择要公布的条目', 'warn');
    const notice = await drafting.run(chosen);
    if (notice) await Taro.navigateTo({ url: `/notices/pages/detail/index?id=${notice.id}` });
  };

  return (
    <Page>
      <PageToast />
      <Card title="记录上榜">
        <View className="gz-notice__chips">
          {HONOR_LISTS.map((l) => (
            <Text
              key={l}
              className={`gz-honor__list gz-honor__list--${l} ${list === l ? 'gz-honor__list--on' : ''}`}
              onClick={() => setList(l)}
            >
              {HONOR_LIST_NAMES[l]}
            </Text>
          ))}
        </View>
        <Text className="gz-label">上榜对象</Text>
        <Input
          className="gz-input"
          placeholder="如 12号楼302室"
          value={subject}
          onChange={setSubject}
          maxLength={60}
        />
        <Text className="gz-label">理由</Text>
        <TextArea className="gz-textarea" value={reason} onChange={setReason} maxLength={500} rows={3} />
        <Picker mode="date" value={day} end={today} onChange={(e) => setDay(e.detail.value)}>
          <View className="gz-honor__day">
            <Text>日期</Text>
            <Text>{day} ›</Text>
          </View>
        </Picker>
        <Button className="gz-submit" block type="primary" loading={recording.busy} onClick={record}>
          记录（记录后不可修改）
        </Button>
      </Card>
      <Card title="上榜记录">
        {items.length === 0 ? (
          <EmptyState title="还没有上榜记录" />
        ) : (
          items.map((e) => (
            <View
              key={e.id}
              className={`gz-honor__entry ${chosen.includes(e.id) ? 'gz-honor__entry--on' : ''}`}
              onClick={() => toggle(e.id)}
            >
              <Text className={`gz-honor__tag gz-honor__tag--${e.list}`}>{e.listName}</Text>
              <Text className="gz-honor__subject">
                {chosen.includes(e.id) ? '✓ ' : ''}
                {e.subject}
              </Text>
              <Text className="gz-honor__reason">{e.reason}</Text>
              <Text className="gz-muted">
                {e.day} · {e.recordedFor} {e.recordedBy} ·{' '}
                {e.notice ? `已公布 ${e.notice.number ?? ''}` : '未公布'}
              </Text>
            </View>
          ))
        )}
        {cursor && <Text className="gz-muted">上拉加载更多</Text>}
      </Card>
      <Button className="gz-submit" block type="primary" loading={drafting.busy} onClick={draft}>
        生成红黑榜公告（已选 {chosen.length} 条）
      </Button>
    </Page>
  );
}
