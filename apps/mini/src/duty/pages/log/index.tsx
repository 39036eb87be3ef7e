import type { DutyLogView, PublicCommunity } from '@gongzhi/domain';
import { Button, Cell, CellGroup, Input, Picker, Popup, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useReachBottom } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import { CategoryGrid } from '../../../components/category-grid';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { buildingNumbers, loadCommunity } from '../../../services/community';
import { dutyLog, dutyLogToIssue, myShifts, recordDutyLog } from '../../../services/duty';
import { formatTime } from '../../../services/format';
import { loadMe, zonesOf } from '../../../services/session';
import '../../components/duty.css';
import { useAction } from '../../../hooks/use-action';
import { useReload } from '../../../hooks/use-reload';

/**
 * The duty log (接待记录): the person on duty records each question answered; any entry can become
 * an issue in one step (category and place), and then links to it.
 */
export default function DutyLogPage() {
  const [items, setItems] = useState<DutyLogView[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [onDuty, setOnDuty] = useState(false);
  const [community, setCommunity] = useState<PublicCommunity | null>(null);
  const key = useRef('');
  /** The zone the person works in: where a question at the duty desk most likely belongs. */
  const [homeZone, setHomeZone] = useState('');

  const [askedBy, setAskedBy] = useState('');
  const [topic, setTopic] = useState('');
  const [answer, setAnswer] = useState('');
  const saving = useAction(recordDutyLog, { done: '已记录' });

  const [filing, setFiling] = useState<DutyLogView | null>(null);

  const load = useCallback(async (more?: string | null) => {
    setError(null);
    try {
      const me = await loadMe();
      if (!me.person) throw new Error('您的账号未关联小区，无法查看接待记录');
      key.current = me.person.community;
      setHomeZone(zonesOf(me)[0]?.zone ?? '');
      if (!more) {
        const now = Date.now();
        const mine = await myShifts();
        setOnDuty(mine.shifts.some((s) => Date.parse(s.start) <= now && now < Date.parse(s.end)));
        setCommunity(await loadCommunity(key.current));
      }
      const page = await dutyLog(key.current, more ?? undefined);
      setItems((prev) => (more ? [...(prev ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);
  useReachBottom(() => {
    if (cursor) void load(cursor);
  });

  const save = async () => {
    if (!askedBy.trim()) return toast('请填写来访人', 'warn');
    if (topic.trim().length < 2) return toast('请填写咨询事项，至少 2 个字', 'warn');
    if (answer.trim().length < 2) return toast('请填写答复内容，至少 2 个字', 'warn');
    const entry = await saving.run({ askedBy: askedBy.trim(), topic: topic.trim(), answer: answer.trim() });
    if (!entry) return;
    setItems((list) => [entry, ...(list ?? [])]);
    setAskedBy('');
    setTopic('');
    setAnswer('');
  };

  return (
    <Page>
      <PageToast />
      {onDuty ? (
        <Card title="登记接待">
          <Text className="gz-label">来访人</Text>
          <Input
            className="gz-input"
            placeholder="姓名，或如“3号楼住户”“匿名”"
            value={askedBy}
            onChange={setAskedBy}
            maxLength={50}
          />
          <Text className="gz-label">咨询事项</Text>
          <Input
            className="gz-input"
            placeholder="问的是什么事"
            value={topic}
            onChange={setTopic}
            maxLength={200}
          />
          <Text className="gz-label">答复内容</Text>
          <TextArea
            className="gz-textarea"
            placeholder="当场如何答复"
            value={answer}
            onChange={setAnswer}
            maxLength={2000}
            rows={3}
          />
          <Button className="gz-submit" block type="primary" loading={saving.busy} onClick={save}>
            保存记录
          </Button>
        </Card>
      ) : (
        items !== null && <Text className="gz-muted">您当前不在值班时段；值班时可在此登记接待记录。</Text>
      )}
      {error ? (
        <ErrorState message={error} onRetry={() => load()} />
      ) : items === null ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title="还没有接待记录" />
      ) : (
        items.map((e) => (
          <View key={e.id} className="gz-log__entry">
            <Text className="gz-log__topic">{e.topic}</Text>
            <Text className="gz-muted">
              来访人：{e.askedBy} · 值班人：{e.person.name} · {formatTime(e.createdAt)}
            </Text>
            <Text>答复：{e.answer}</Text>
            <View className="gz-shift__actions">
              {e.issueId ? (
                <Text
                  className="gz-tag"
                  onClick={() => Taro.navigateTo({ url: `/inspector/pages/issue/index?id=${e.issueId}` })}
                >
                  已转问题 {e.issueCode}
                </Text>
              ) : (
                <Button size="small" fill="outline" onClick={() => setFiling(e)}>
                  转为问题
                </Button>
              )}
            </View>
          </View>
        ))
      )}
      {community && (
        <ToIssueSheet
          key={homeZone}
          entry={filing}
          community={community}
          defaultZone={homeZone}
          onClose={() => setFiling(null)}
          onDone={(id, code) => {
            setItems(
              (list) =>
                list?.map((x) => (x.id === id ? { ...x, issueId: code.id, issueCode: code.code } : x)) ??
                null,
            );
            setFiling(null);
            toast(`已转为问题 ${code.code}`, 'success');
          }}
        />
      )}
    </Page>
  );
}

/** Category and place for turning an entry into an issue; the description defaults to the entry. */
function ToIssueSheet({
  entry,
  community,
  defaultZone,
  onClose,
  onDone,
}: {
  entry: DutyLogView | null;
  community: PublicCommunity;
  defaultZone: string;
  onClose: () => void;
  onDone: (entryId: string, issue: { id: string; code: string }) => void;
}) {
  const [category, setCategory] = useState<string | null>(null);
  const [zone, setZone] = useState(defaultZone);
  const [building, setBuilding] = useState<number | null>(null);
  const [picker, setPicker] = useState<'zone' | 'building' | null>(null);
  const fileIssue = useAction(dutyLogToIssue);
  const current = community.zones.find((z) => z.key === zone);
  const buildings = current ? buildingNumbers(current.buildings) : [];

  const submit = async () => {
    if (!entry) return;
    if (!category) return toast('请选择问题类别', 'warn');
    if (!zone && building === null) return toast('请选择责任区域或楼号', 'warn');
    const issue = await fileIssue.run({
      id: entry.id,
      category,
      ...(building !== null ? { building } : { zone }),
    });
    if (!issue) return;
    onDone(entry.id, { id: issue.id, code: issue.code });
    setCategory(null);
    setZone(defaultZone);
    setBuilding(null);
  };

  return (
    <Popup visible={entry !== null} position="bottom" round closeable onClose={onClose} title="转为问题">
      <View className="gz-sheet">
        {entry && <Text className="gz-muted">{entry.topic}</Text>}
        <CellGroup>
          <Cell
            title="责任区域"
            extra={current?.name ?? '请选择'}
            clickable
            onClick={() => setPicker('zone')}
          />
          {buildings.length > 0 && (
            <Cell
              title="楼号"
              extra={building !== null ? `${building} 号楼` : '请选择（选填）'}
              clickable
              onClick={() => setPicker('building')}
            />
          )}
        </CellGroup>
        <Text className="gz-label">问题类别</Text>
        <CategoryGrid categories={community.categories} value={category} onChange={setCategory} />
        <Button className="gz-submit" block type="primary" loading={fileIssue.busy} onClick={submit}>
          确认转为问题
        </Button>
      </View>
      <Picker
        title="责任区域"
        visible={picker === 'zone'}
        options={[community.zones.map((z) => ({ value: z.key, label: z.name }))]}
        value={[zone || community.zones[0]?.key || '']}
        onConfirm={(_, v) => {
          setZone(String(v[0]));
          setBuilding(null);
        }}
        onClose={() => setPicker(null)}
      />
      <Picker
        title="楼号"
        visible={picker === 'building'}
        options={[
          [{ value: 0, label: '不指定楼号' }, ...buildings.map((b) => ({ value: b, label: `${b} 号楼` }))],
        ]}
        value={[building ?? 0]}
        onConfirm={(_, v) => setBuilding(Number(v[0]) || null)}
        onClose={() => setPicker(null)}
      />
    </Popup>
  );
}
