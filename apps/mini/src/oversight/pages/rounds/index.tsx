import {
  type IssueSummary,
  ROUND_KIND_NAMES,
  ROUND_KINDS,
  ROUND_OUTCOME_NAMES,
  ROUND_OUTCOMES,
  type RoundKind,
  type RoundOutcome,
  type RoundsView,
} from '@gongzhi/domain';
import { Button, Input, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useCallback, useEffect, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useAction } from '../../../hooks/use-action';
import { useReload } from '../../../hooks/use-reload';
import { formatTime } from '../../../services/format';
import { listIssues } from '../../../services/issues';
import { loadMe } from '../../../services/session';
import { listRounds, recordRound } from '../../services';
import '../../oversight.css';

function Choices<T extends string>(props: {
  options: readonly { key: T; label: string }[];
  value: T | null;
  onChange: (v: T) => void;
}) {
  return (
    <View className="gz-rounds__choices">
      {props.options.map((o) => (
        <View
          key={o.key}
          className={`gz-rounds__choice${props.value === o.key ? ' gz-rounds__choice--on' : ''}`}
          onClick={() => props.onChange(o.key)}
        >
          {o.label}
        </View>
      ))}
    </View>
  );
}

/**
 * 两巡两访: a grid inspector (or property or residents'-committee member) records a patrol round or
 * a home visit, also when it found nothing, linking the issues filed during it; everyone who reads
 * rounds sees the month's count per person.
 */
export default function RoundsPage() {
  const [community, setCommunity] = useState('');
  const [view, setView] = useState<RoundsView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const [kind, setKind] = useState<RoundKind>('patrol');
  const [zone, setZone] = useState<string | null>(null);
  const [place, setPlace] = useState('');
  const [outcome, setOutcome] = useState<RoundOutcome | null>(null);
  const [issues, setIssues] = useState<IssueSummary[]>([]);
  const [linked, setLinked] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const saving = useAction(recordRound, { done: '已登记' });

  const load = useCallback(async () => {
    setError(null);
    try {
      const me = await loadMe();
      if (!me.person) throw new Error('您的账号未关联小区，无法查看巡查走访记录');
      setCommunity(me.person.community);
      const v = await listRounds(me.person.community);
      setView(v);
      setZone((z) => z ?? v.recordZones[0]?.key ?? null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load, 'mount');

  // The zone's open issues of the last days: the ones this round may have filed.
  useEffect(() => {
    if (!community || !zone || outcome !== 'issues_filed') return;
    listIssues({ community, zone })
      .then((p) => setIssues(p.items.filter((i) => Date.now() - Date.parse(i.createdAt) < 7 * 86_400_000)))
      .catch(() => setIssues([]));
  }, [community, zone, outcome]);

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!view) return <LoadingState />;

  const save = async () => {
    if (!zone) return toast('请选择区域', 'warn');
    if (!outcome) return toast('请选择结果', 'warn');
    if (outcome === 'issues_filed' && linked.length === 0) return toast('请选择本次上报的问题', 'warn');
    const round = await saving.run({
      community,
      kind,
      zone,
      ...(place.trim() ? { place: place.trim() } : {}),
      outcome,
      issueIds: outcome === 'issues_filed' ? linked : [],
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    if (!round) return;
    setPlace('');
    setOutcome(null);
    setLinked([]);
    setNote('');
    await load();
  };

  return (
    <Page>
      <PageToast />
      {view.allowedActions.includes('record') && (
        <Card title="登记巡查 / 走访">
          <Text className="gz-label">类型</Text>
          <Choices
            options={ROUND_KINDS.map((k) => ({ key: k, label: ROUND_KIND_NAMES[k] }))}
            value={kind}
            onChange={setKind}
          />
          {view.recordZones.length > 1 && (
            <>
              <Text className="gz-label">区域</Text>
              <Choices
                options={view.recordZones.map((z) => ({ key: z.key, label: z.name }))}
                value={zone}
                onChange={(z) => {
                  setZone(z);
                  setLinked([]);
                }}
              />
            </>
          )}
          <Text className="gz-label">地点</Text>
          <Input
            className="gz-input"
            placeholder="如：12号楼、南门广场、3单元住户"
            value={place}
            onChange={setPlace}
            maxLength={100}
          />
          <Text className="gz-label">结果</Text>
          <Choices
            options={ROUND_OUTCOMES.map((o) => ({ key: o, label: ROUND_OUTCOME_NAMES[o] }))}
            value={outcome}
            onChange={setOutcome}
          />
          {outcome === 'issues_filed' &&
            (issues.length === 0 ? (
              <Text className="gz-muted">本区域近 7 天没有已上报的问题：请先在“巡查上报”中上报</Text>
            ) : (
              <>
                <Text className="gz-label">本次上报的问题</Text>
                <View className="gz-rounds__choices">
                  {issues.map((i) => (
                    <View
                      key={i.id}
                      className={`gz-rounds__choice${linked.includes(i.id) ? ' gz-rounds__choice--on' : ''}`}
                      onClick={() =>
                        setLinked((l) => (l.includes(i.id) ? l.filter((x) => x !== i.id) : [...l, i.id]))
                      }
                    >
                      {i.code} {i.description.slice(0, 12)}
                    </View>
                  ))}
                </View>
              </>
            ))}
          <Text className="gz-label">备注</Text>
          <TextArea
            className="gz-textarea"
            placeholder="可不填"
            value={note}
            onChange={setNote}
            maxLength={500}
            rows={2}
          />
          <Button className="gz-submit" block type="primary" loading={saving.busy} onClick={save}>
            登记
          </Button>
        </Card>
      )}

      <Card title={`${view.monthLabel} 统计`}>
        {view.counts.length === 0 ? (
          <Text className="gz-muted">本月还没有巡查或走访记录</Text>
        ) : (
          view.counts.map((c) => (
            <View key={c.person} className="gz-rounds__count">
              <Text>
                {c.personName}：巡查 {c.patrols} 次 · 走访 {c.visits} 次
              </Text>
              <Text className="gz-muted">
                未发现问题 {c.nothingFound} 次 · 发现问题 {c.withIssues} 次（上报 {c.issuesFiled} 件）
              </Text>
            </View>
          ))
        )}
      </Card>

      {view.items.length === 0 ? (
        <EmptyState title="本月暂无记录" />
      ) : (
        <Card title="本月记录">
          {view.items.map((r) => (
            <View key={r.id} className="gz-rounds__count">
              <Text>
                {r.personName} · {r.kindName} · {r.zoneName}
                {r.building ? ` ${r.building}号楼` : ''}
                {r.place ? ` ${r.place}` : ''}
              </Text>
              <Text className="gz-muted">
                {formatTime(r.at)} · {r.outcomeName}
                {r.issues.length ? `：${r.issues.map((i) => i.code).join('、')}` : ''}
              </Text>
              {r.note && <Text className="gz-muted">{r.note}</Text>}
            </View>
          ))}
        </Card>
      )}
    </Page>
  );
}
