import type { ShiftView, SwapView } from '@gongzhi/domain';
import { Button, Cell, CellGroup, Picker, Tabs, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useAction } from '../../../hooks/use-action';
import { loadCommunity } from '../../../services/community';
import { answerSwap, clock, dayLabel, listSwaps, myShifts, requestSwap, rota } from '../../../services/duty';
import { loadMe } from '../../../services/session';
import '../../components/duty.css';

type Tab = 'requested' | 'all';
interface Person {
  key: string;
  name: string;
}

const shiftLabel = (s: { date: string; shiftName: string; orgName: string }) =>
  `${dayLabel(s.date)} ${s.shiftName} · ${s.orgName}`;

/**
 * Swap requests: ask someone to take one of my shifts (with a reason), and answer or withdraw
 * requests. The rota changes only when the counterpart accepts; the API checks the rules again then.
 */
export default function SwapsPage() {
  const { params } = useRouter();
  const [tab, setTab] = useState<Tab>('requested');
  const [items, setItems] = useState<SwapView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [me, setMe] = useState('');
  const [busy, setBusy] = useState<string | null>(null);

  // The request form
  const [asking, setAsking] = useState(!!params.shift);
  const [mine, setMine] = useState<ShiftView[]>([]);
  const [shiftId, setShiftId] = useState(params.shift ?? '');
  const [counterpart, setCounterpart] = useState('');
  const [reason, setReason] = useState('');
  const [picker, setPicker] = useState<'shift' | 'person' | null>(null);
  const sending = useAction(requestSwap, { done: '已发送，等待对方确认' });
  /** Everyone on the rota in my shifts' range and in the community's zones, by organisation. */
  const [pool, setPool] = useState<Map<string, Map<string, string>>>(new Map());

  const load = async (which: Tab) => {
    setError(null);
    try {
      const m = await loadMe();
      setMe(m.person?.key ?? '');
      setItems((await listSwaps(which)).items);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const loadForm = async () => {
    try {
      const m = await loadMe();
      if (!m.person) return;
      const own = await myShifts();
      const now = Date.now();
      const future = own.shifts.filter((s) => Date.parse(s.start) > now);
      setMine(future);
      const byOrg = new Map<string, Map<string, string>>();
      const add = (org: string, key: string, name: string) => {
        if (key === m.person!.key) return;
        if (!byOrg.has(org)) byOrg.set(org, new Map());
        byOrg.get(org)!.set(key, name);
      };
      const [r, c] = await Promise.all([
        rota(m.person.community, own.from, own.to),
        loadCommunity(m.person.community),
      ]);
      for (const s of r.shifts) add(s.org, s.person.key, s.person.name);
      for (const z of c.zones) for (const p of z.members) add(p.org, p.key, p.name);
      setPool(byOrg);
      if (!shiftId && future[0]) setShiftId(future[0].id);
    } catch (e) {
      toast((e as Error).message, 'fail');
    }
  };

  useDidShow(() => {
    void load(tab);
    if (asking) void loadForm();
  });
  usePullDownRefresh(async () => {
    await load(tab);
    Taro.stopPullDownRefresh();
  });

  const chosen = mine.find((s) => s.id === shiftId);
  /** Only the same organisation's people may take a shift (the API checks the rest). */
  const people: Person[] = chosen
    ? [...(pool.get(chosen.org) ?? new Map<string, string>()).entries()].map(([key, name]) => ({ key, name }))
    : [];
  const counterpartName = people.find((p) => p.key === counterpart)?.name;

  const submit = async () => {
    if (!chosen) return toast('请选择要换出的班次', 'warn');
    if (!counterpartName) return toast('请选择代班人', 'warn');
    if (reason.trim().length < 2) return toast('请填写换班原因，至少 2 个字', 'warn');
    const sent = await sending.run({ shiftId: chosen.id, counterpart, reason: reason.trim() });
    if (!sent) return;
    setAsking(false);
    setReason('');
    setCounterpart('');
    setTab('requested');
    await load('requested');
  };

  const act = async (s: SwapView, action: 'accept' | 'decline' | 'cancel', done: string) => {
    setBusy(s.id);
    try {
      const next = await answerSwap(s.id, action);
      setItems((list) => list?.map((x) => (x.id === next.id ? next : x)) ?? null);
      toast(done, 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(null);
    }
  };

  return (
    <Page>
      <PageToast />
      {asking ? (
        <>
          <CellGroup title="申请换班">
            <Cell
              title="换出班次"
              extra={chosen ? shiftLabel(chosen) : mine.length ? '请选择' : '没有可换的班次'}
              clickable
              onClick={() => mine.length && setPicker('shift')}
            />
            <Cell
              title="代班人"
              extra={counterpartName ?? (chosen ? '请选择（同一组织）' : '先选择班次')}
              clickable
              onClick={() => people.length && setPicker('person')}
            />
          </CellGroup>
          <Card title="换班原因">
            <TextArea
              className="gz-textarea"
              placeholder="例如：当天需要陪家人就医"
              value={reason}
              onChange={setReason}
              maxLength={500}
              rows={3}
            />
            <View className="gz-shift__actions">
              <Button size="small" fill="outline" onClick={() => setAsking(false)}>
                取消
              </Button>
              <Button size="small" type="primary" loading={sending.busy} onClick={submit}>
                发送申请
              </Button>
            </View>
          </Card>
        </>
      ) : (
        <Button
          className="gz-submit"
          block
          type="primary"
          fill="outline"
          onClick={() => {
            setAsking(true);
            void loadForm();
          }}
        >
          申请换班
        </Button>
      )}
      <Tabs
        value={tab}
        onChange={(v) => {
          const next = v as Tab;
          setTab(next);
          setItems(null);
          void load(next);
        }}
      >
        <Tabs.TabPane title="待确认" value="requested" />
        <Tabs.TabPane title="全部" value="all" />
      </Tabs>
      {error ? (
        <ErrorState message={error} onRetry={() => load(tab)} />
      ) : items === null ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title={tab === 'requested' ? '没有待确认的换班申请' : '还没有换班申请'} />
      ) : (
        items.map((s) => {
          const asked = s.counterpart.key === me;
          return (
            <View key={s.id} className="gz-shift">
              <View className="gz-row">
                <Text className="gz-shift__day">
                  {asked ? `${s.requester.name} 请您代班` : `请 ${s.counterpart.name} 代班`}
                </Text>
                <View style={{ flex: 1 }} />
                <Text className={`gz-tag ${s.status === 'requested' ? '' : 'gz-tag--grey'}`}>
                  {s.statusName}
                </Text>
              </View>
              <Text>{shiftLabel(s.shift)}</Text>
              {s.inReturn && <Text className="gz-muted">交换：{shiftLabel(s.inReturn)}</Text>}
              <Text className="gz-muted">原因：{s.reason}</Text>
              {s.note && <Text className="gz-muted">说明：{s.note}</Text>}
              {s.allowedActions.length > 0 && (
                <View className="gz-shift__actions">
                  {s.allowedActions.includes('decline') && (
                    <Button
                      size="small"
                      fill="outline"
                      disabled={busy === s.id}
                      onClick={() => act(s, 'decline', '已拒绝')}
                    >
                      拒绝
                    </Button>
                  )}
                  {s.allowedActions.includes('accept') && (
                    <Button
                      size="small"
                      type="primary"
                      loading={busy === s.id}
                      onClick={() => act(s, 'accept', '已同意，值班表已更新')}
                    >
                      同意
                    </Button>
                  )}
                  {s.allowedActions.includes('cancel') && (
                    <Button
                      size="small"
                      fill="outline"
                      loading={busy === s.id}
                      onClick={() => act(s, 'cancel', '已撤回')}
                    >
                      撤回
                    </Button>
                  )}
                </View>
              )}
            </View>
          );
        })
      )}
      <Picker
        title="换出班次"
        visible={picker === 'shift'}
        options={[mine.map((s) => ({ value: s.id, label: `${shiftLabel(s)} ${clock(s.start)}` }))]}
        value={[shiftId]}
        onConfirm={(_, v) => {
          setShiftId(String(v[0]));
          setCounterpart('');
        }}
        onClose={() => setPicker(null)}
      />
      <Picker
        title="代班人"
        visible={picker === 'person'}
        options={[people.map((p) => ({ value: p.key, label: p.name }))]}
        value={[counterpart || people[0]?.key || '']}
        onConfirm={(_, v) => setCounterpart(String(v[0]))}
        onClose={() => setPicker(null)}
      />
    </Page>
  );
}
