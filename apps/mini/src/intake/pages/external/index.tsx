import {
  EXTERNAL_SOURCE_NAMES,
  EXTERNAL_SOURCES,
  type ExternalOrderView,
  type ExternalSource,
  type PublicCommunity,
} from '@gongzhi/domain';
import { Button, Input, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { CategoryGrid } from '../../../components/category-grid';
import { Card, Page } from '../../../components/page';
import { type PlaceChoice, PlacePicker, placeBody } from '../../../components/place-picker';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useAction } from '../../../hooks/use-action';
import { useReload } from '../../../hooks/use-reload';
import { loadCommunity } from '../../../services/community';
import { formatTime } from '../../../services/format';
import {
  createExternalOrder,
  downloadExternalOrders,
  listExternalOrders,
  replyExternalOrder,
} from '../../../services/intake';
import { loadMe } from '../../../services/session';
import './index.css';

/** "2026-11-20 18:00" as the community's local time (Asia/Shanghai, +08:00) → ISO. */
const isoOf = (local: string) => {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})$/.exec(local.trim());
  return m ? `${m[1]}T${m[2]}:00+08:00` : local.trim();
};

/**
 * 12345 与街道转办: orders handed over by the hotline or the street office — entered here with the
 * outside number and deadlines, routed as any complaint; once done, the reply sent back is recorded.
 * What the caller may do with each order is the server's answer (`canReply`).
 */
export default function ExternalOrdersPage() {
  const [community, setCommunity] = useState<PublicCommunity | null>(null);
  const [items, setItems] = useState<ExternalOrderView[] | null>(null);
  const [unreplied, setUnreplied] = useState(false);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      const key = (await loadMe()).person?.community;
      if (!key) throw new Error('当前账号不属于任何小区');
      const [c, page] = await Promise.all([loadCommunity(key), listExternalOrders(key, unreplied)]);
      setCommunity(c);
      setItems(page.items);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [unreplied]);
  useReload(load);

  if (error)
    return (
      <Page>
        <ErrorState message={error} onRetry={load} />
      </Page>
    );
  if (!items || !community)
    return (
      <Page>
        <LoadingState />
      </Page>
    );
  return (
    <Page>
      <PageToast />
      <View className="gz-row gz-ext__bar">
        <Button size="small" type={unreplied ? 'default' : 'primary'} onClick={() => setUnreplied(false)}>
          全部
        </Button>
        <Button size="small" type={unreplied ? 'primary' : 'default'} onClick={() => setUnreplied(true)}>
          待回复
        </Button>
        <View style={{ flex: 1 }} />
        <Button size="small" fill="outline" type="primary" onClick={() => setAdding(!adding)}>
          {adding ? '收起' : '登记工单'}
        </Button>
      </View>
      {adding && (
        <NewOrder
          community={community}
          onDone={() => {
            setAdding(false);
            void load();
          }}
        />
      )}
      <HotlineExport community={community.key} />
      {items.length === 0 ? (
        <EmptyState title={unreplied ? '没有待回复的工单' : '还没有登记外部工单'} />
      ) : (
        items.map((o) => <Order key={o.id} o={o} onReplied={load} />)
      )}
    </Page>
  );
}

/**
 * The replies for the hotline's system (12345): the export the API writes, downloaded with the
 * session (H5: saved as a file; weapp: opened by WeChat, which shows xlsx but not csv).
 */
function HotlineExport({ community }: { community: string }) {
  const [busy, setBusy] = useState(false);
  const download = async (format: 'csv' | 'xlsx') => {
    setBusy(true);
    try {
      await downloadExternalOrders(community, format);
    } catch (e) {
      toast((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="gz-row gz-ext__bar">
      <Text className="gz-muted">12345 回复导出</Text>
      <View style={{ flex: 1 }} />
      <Button size="small" fill="outline" type="primary" loading={busy} onClick={() => download('xlsx')}>
        导出 Excel
      </Button>
      {process.env.TARO_ENV === 'h5' && (
        <Button size="small" fill="outline" loading={busy} onClick={() => download('csv')}>
          导出 CSV
        </Button>
      )}
    </View>
  );
}

function Order({ o, onReplied }: { o: ExternalOrderView; onReplied: () => void }) {
  const [text, setText] = useState('');
  const replying = useAction((t: string) => replyExternalOrder(o.id, t), { done: '已记录回复' });
  return (
    <Card title={`${o.sourceName} · ${o.externalNo}`}>
      <View className="gz-row gz-ext__tags">
        <Text className="gz-tag">{o.issue.statusName}</Text>
        {o.handlingOverdue && <Text className="gz-tag gz-ext__late">办理超期</Text>}
        {o.replyOverdue && <Text className="gz-tag gz-ext__late">回复超期</Text>}
      </View>
      <Text className="gz-ext__desc">{o.issue.description}</Text>
      <Text className="gz-muted gz-ext__line">
        {o.issue.code} · {o.issue.zoneName} · {o.issue.categoryName}
      </Text>
      <Text className="gz-muted gz-ext__line">
        办结时限 {formatTime(o.externalDueAt)} · 回复时限 {formatTime(o.replyDueAt)}
      </Text>
      {o.reply ? (
        <Text className="gz-ext__reply">
          已回复（{o.reply.by}，{formatTime(o.reply.at)}）：{o.reply.text}
        </Text>
      ) : o.canReply ? (
        <View className="gz-ext__form">
          <TextArea
            placeholder="回复内容：办理结果、是否已联系来电人"
            value={text}
            onChange={setText}
            maxLength={1000}
          />
          <Button
            block
            type="primary"
            loading={replying.busy}
            onClick={async () => {
              if (text.trim().length < 2) return toast('请填写回复内容', 'warn');
              if (await replying.run(text.trim())) onReplied();
            }}
          >
            记录回复
          </Button>
        </View>
      ) : (
        <Text className="gz-muted gz-ext__line">办结后可记录回复</Text>
      )}
    </Card>
  );
}

function NewOrder({ community, onDone }: { community: PublicCommunity; onDone: () => void }) {
  const [source, setSource] = useState<ExternalSource>('hotline_12345');
  const [no, setNo] = useState('');
  const [due, setDue] = useState('');
  const [replyDue, setReplyDue] = useState('');
  const [place, setPlace] = useState<PlaceChoice>({ building: '', zone: null });
  const [category, setCategory] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const creating = useAction(createExternalOrder, { done: '已登记，已按规则派单' });
  const submit = async () => {
    if (!category) return toast('请选择问题类别', 'warn');
    const r = await creating.run({
      community: community.key,
      source,
      externalNo: no.trim(),
      externalDueAt: isoOf(due),
      ...(replyDue.trim() ? { replyDueAt: isoOf(replyDue) } : {}),
      ...placeBody(place),
      category,
      description: description.trim(),
      urgency: 'normal',
      ...(name.trim() ? { reporterName: name.trim() } : {}),
      ...(phone.trim() ? { reporterPhone: phone.trim() } : {}),
    });
    if (r) onDone();
  };
  return (
    <Card title="登记外部工单">
      <View className="gz-row gz-ext__bar">
        {EXTERNAL_SOURCES.map((s) => (
          <Button
            key={s}
            size="small"
            type={source === s ? 'primary' : 'default'}
            onClick={() => setSource(s)}
          >
            {EXTERNAL_SOURCE_NAMES[s]}
          </Button>
        ))}
      </View>
      <Input className="gz-input" placeholder="外部工单编号" value={no} onChange={setNo} maxLength={50} />
      <Input className="gz-input" placeholder="办结时限，如 2026-11-20 18:00" value={due} onChange={setDue} />
      <Input
        className="gz-input"
        placeholder="回复时限（选填，默认同办结时限）"
        value={replyDue}
        onChange={setReplyDue}
      />
      <PlacePicker community={community} value={place} onChange={setPlace} />
      <CategoryGrid categories={community.categories} value={category} onChange={setCategory} />
      <TextArea placeholder="工单内容" value={description} onChange={setDescription} maxLength={2000} />
      <Input
        className="gz-input"
        placeholder="来电人姓名（选填）"
        value={name}
        onChange={setName}
        maxLength={50}
      />
      <Input
        className="gz-input"
        type="number"
        placeholder="来电人手机号（选填）"
        value={phone}
        onChange={setPhone}
        maxLength={11}
      />
      <Button block type="primary" loading={creating.busy} onClick={submit}>
        登记并派单
      </Button>
    </Card>
  );
}
