import {
  type AuditEntry,
  CAMPAIGN_ACTIONS,
  type CampaignView,
  formatQuarter,
  type GeneratedCodes,
  normalizeRoom,
  type PublicCommunity,
  parseQuarter,
  previousQuarter,
  quarterLabel,
  quarterOf,
  roomsByFloor,
} from '@gongzhi/domain';
import { Button, Input, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { loadCommunity } from '../../../services/community';
import { formatTime } from '../../../services/format';
import { loadMe } from '../../../services/session';
import {
  createCampaign,
  generateCodes,
  getAudit,
  listCampaigns,
  printCodes,
  stepCampaign,
} from '../../services';
import '../../evaluation.css';

const STEPS = {
  open: { label: '开始评议', confirm: '开始后居民即可提交评议，问卷不能再修改。' },
  close: { label: '结束评议', confirm: '结束后不再接受评议，领导小组可查看统计结果。' },
  publish: { label: '公布结果', confirm: '公布后所有居民都能看到汇总结果。' },
} as const;

/** The step the server offers on this campaign, if any. */
const stepOf = (c: CampaignView) => CAMPAIGN_ACTIONS.find((a) => c.allowedActions.includes(a));

/** This quarter and the one before (an evaluation usually looks back on the quarter just ended). */
function quarterChoices(): string[] {
  const current = quarterOf(new Date(), 'Asia/Shanghai');
  return [formatQuarter(previousQuarter(current)), formatQuarter(current)];
}

/** The leadership group's desk: create a quarter's campaign, open, close and publish it, print codes, audit. */
export default function EvaluationAdmin() {
  const [items, setItems] = useState<CampaignView[] | null>(null);
  const [community, setCommunity] = useState<PublicCommunity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [quarter, setQuarter] = useState(quarterChoices()[0]!);
  const [busy, setBusy] = useState<string | null>(null);
  const [codesFor, setCodesFor] = useState<string | null>(null);
  const [auditFor, setAuditFor] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const me = await loadMe();
      if (!me.person || !me.menu.some((e) => e.key === 'evaluation_admin'))
        throw new Error('只有领导小组成员可以管理评议');
      setCommunity(await loadCommunity(me.person.community));
      setItems((await listCampaigns(me.person.community)).items);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);

  const create = async () => {
    if (!community) return;
    setBusy('create');
    try {
      const c = await createCampaign({ community: community.key, quarter });
      setItems((list) => [c, ...(list ?? [])]);
      toast('已创建，可先打印评议码，再开始评议', 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(null);
    }
  };

  const step = async (c: CampaignView) => {
    const action = stepOf(c);
    if (!action) return;
    const s = STEPS[action];
    const { confirm } = await Taro.showModal({ title: `${s.label}？`, content: s.confirm });
    if (!confirm) return;
    setBusy(c.id);
    try {
      const next = await stepCampaign(c.id, action);
      setItems((list) => list?.map((x) => (x.id === next.id ? next : x)) ?? null);
      toast(`已${s.label}`, 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(null);
    }
  };

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!items || !community) return <LoadingState />;

  const taken = new Set(items.map((c) => c.quarter));
  return (
    <Page>
      <PageToast />
      <Card title="新建季度评议">
        <Text className="gz-eval__intro">评议对象为各责任区域和物业公司，使用默认问卷。</Text>
        <View className="gz-eval__actions">
          {quarterChoices().map((q) => (
            <Text
              key={q}
              className={`gz-eval__skip ${q === quarter ? 'gz-eval__skip--on' : ''}`}
              onClick={() => setQuarter(q)}
            >
              {quarterLabel(parseQuarter(q))}
              {taken.has(q) ? '（已有）' : ''}
            </Text>
          ))}
        </View>
        <Button
          className="gz-submit"
          block
          type="primary"
          disabled={taken.has(quarter)}
          loading={busy === 'create'}
          onClick={create}
        >
          创建{quarterLabel(parseQuarter(quarter))}评议
        </Button>
      </Card>
      {items.length === 0 ? (
        <EmptyState title="还没有评议活动" />
      ) : (
        items.map((c) => (
          <Card
            key={c.id}
            title={c.title}
            extra={<Text className="gz-tag gz-eval__status">{c.statusName}</Text>}
          >
            {c.stats && (
              <Text className="gz-muted">
                已收到 {c.stats.responses} 户（认证住户 {c.stats.byChannel.account}，评议码{' '}
                {c.stats.byChannel.code}）· 已发评议码 {c.stats.codesIssued} 个，已使用 {c.stats.codesUsed} 个
              </Text>
            )}
            <View className="gz-eval__actions">
              {stepOf(c) && (
                <Button size="small" type="primary" loading={busy === c.id} onClick={() => step(c)}>
                  {STEPS[stepOf(c)!].label}
                </Button>
              )}
              {c.allowedActions.includes('codes') && (
                <Button size="small" onClick={() => setCodesFor(codesFor === c.id ? null : c.id)}>
                  打印评议码
                </Button>
              )}
              {c.allowedActions.includes('results') && (
                <Button
                  size="small"
                  onClick={() => Taro.navigateTo({ url: `/evaluation/pages/results/index?id=${c.id}` })}
                >
                  查看结果
                </Button>
              )}
              {c.allowedActions.includes('audit') && (
                <Button size="small" onClick={() => setAuditFor(auditFor === c.id ? null : c.id)}>
                  核查记录
                </Button>
              )}
            </View>
            {codesFor === c.id && <CodesForm campaign={c} community={community} onDone={load} />}
            {auditFor === c.id && <AuditList campaign={c.id} />}
          </Card>
        ))
      )}
    </Page>
  );
}

/** Households to print codes for: one building at a time, its rooms typed or laid out by floor. */
function CodesForm({
  campaign,
  community,
  onDone,
}: {
  campaign: CampaignView;
  community: PublicCommunity;
  onDone: () => void;
}) {
  const [building, setBuilding] = useState('');
  const [zone, setZone] = useState<string | undefined>(undefined);
  const [rooms, setRooms] = useState('');
  const [floors, setFloors] = useState({ from: '1', to: '6', per: '2' });
  const [reissue, setReissue] = useState(false);
  const [busy, setBusy] = useState(false);
  const [batch, setBatch] = useState<GeneratedCodes | null>(null);
  const unnumbered = community.zones.filter((z) => z.buildings.length === 0);

  const fill = () => {
    const [a, b, n] = [Number(floors.from), Number(floors.to), Number(floors.per)];
    if (!(a >= 1 && b >= a && b <= 60 && n >= 1 && n <= 20)) return toast('楼层或每层户数不正确', 'warn');
    setRooms(roomsByFloor(a, b, n).join(' '));
  };

  const submit = async () => {
    const number = Number(building);
    if (!Number.isInteger(number) || number < 1) return toast('请填写楼号', 'warn');
    const list = rooms.split(/[\s,，、;；]+/).filter(Boolean);
    if (list.length === 0) return toast('请填写房号', 'warn');
    const bad = list.find((r) => normalizeRoom(r) === null);
    if (bad) return toast(`房号“${bad}”无法识别`, 'warn');
    const body = { households: [{ building: number, rooms: list, ...(zone ? { zone } : {}) }], reissue };
    setBusy(true);
    try {
      if (process.env.TARO_ENV === 'h5') {
        await printCodes(campaign.id, body);
        toast('已在新窗口打开评议卡，请打印', 'success');
      } else {
        setBatch(await generateCodes(campaign.id, body));
      }
      onDone();
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="gz-section">
      <Text className="gz-label">楼号</Text>
      <Input
        className="gz-input"
        type="number"
        placeholder="例如 12"
        value={building}
        onChange={setBuilding}
      />
      {unnumbered.length > 0 && (
        <>
          <Text className="gz-label">所在区域（楼号不在已登记范围内时选择）</Text>
          <View className="gz-eval__actions">
            {unnumbered.map((z) => (
              <Text
                key={z.key}
                className={`gz-eval__skip ${zone === z.key ? 'gz-eval__skip--on' : ''}`}
                onClick={() => setZone(zone === z.key ? undefined : z.key)}
              >
                {z.name}
              </Text>
            ))}
          </View>
        </>
      )}
      <Text className="gz-label">按楼层填入房号</Text>
      <View className="gz-row">
        <Input
          className="gz-input"
          type="number"
          value={floors.from}
          onChange={(v) => setFloors({ ...floors, from: v })}
        />
        <Text>至</Text>
        <Input
          className="gz-input"
          type="number"
          value={floors.to}
          onChange={(v) => setFloors({ ...floors, to: v })}
        />
        <Text>层，每层</Text>
        <Input
          className="gz-input"
          type="number"
          value={floors.per}
          onChange={(v) => setFloors({ ...floors, per: v })}
        />
        <Text>户</Text>
        <Button size="small" onClick={fill}>
          填入
        </Button>
      </View>
      <Text className="gz-label">房号（空格或逗号分隔，如 101 102 3单元302）</Text>
      <TextArea className="gz-textarea" value={rooms} onChange={setRooms} maxLength={4000} />
      <View className="gz-eval__actions">
        <Text
          className={`gz-eval__skip ${reissue ? 'gz-eval__skip--on' : ''}`}
          onClick={() => setReissue(!reissue)}
        >
          补发（作废该户未使用的旧码）
        </Text>
      </View>
      <Button className="gz-submit" block type="primary" loading={busy} onClick={submit}>
        {process.env.TARO_ENV === 'h5' ? '生成并打印评议卡' : '生成评议码'}
      </Button>
      <Text className="gz-muted">评议码只显示这一次，系统只保存其摘要，请立即打印发放。</Text>
      {batch && (
        <View className="gz-section">
          <Text className="gz-label">
            第 {batch.batch} 批，{batch.codes.length} 个
            {batch.skipped.length ? `（${batch.skipped.length} 户未生成）` : ''}
          </Text>
          {batch.codes.map((c) => (
            <View key={c.household} className="gz-row">
              <Text>{c.household}</Text>
              <Text className="gz-eval__code">{c.code}</Text>
            </View>
          ))}
          {batch.skipped.map((s) => (
            <Text key={s.household} className="gz-muted">
              {s.household}：{s.reason}
            </Text>
          ))}
        </View>
      )}
    </View>
  );
}

/** Who answered, how and when (never what): page by page. */
function AuditList({ campaign }: { campaign: string }) {
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const more = useCallback(
    async (from: string | null) => {
      setError(null);
      try {
        const page = await getAudit(campaign, from);
        setItems((list) => [...(from ? (list ?? []) : []), ...page.items]);
        setCursor(page.nextCursor);
      } catch (e) {
        setError((e as Error).message);
      }
    },
    [campaign],
  );
  const first = useCallback(() => more(null), [more]);
  useReload(first, 'mount');

  if (error) return <ErrorState message={error} onRetry={first} />;
  if (!items) return <LoadingState />;
  if (items.length === 0) return <EmptyState title="还没有收到评议" />;
  return (
    <View className="gz-section">
      {items.map((e) => (
        <View key={e.id} className="gz-eval__question">
          <Text className="gz-eval__qtext">
            {e.household} · {e.zoneName}
          </Text>
          <Text className="gz-muted">
            {formatTime(e.at)} · {e.credential} · 回执 {e.receipt}
            {e.intact ? '' : ' · ⚠ 答卷与回执不符'}
          </Text>
        </View>
      ))}
      {cursor && (
        <Button size="small" block onClick={() => more(cursor)}>
          加载更多
        </Button>
      )}
    </View>
  );
}
