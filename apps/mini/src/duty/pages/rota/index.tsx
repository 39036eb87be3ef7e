import {
  DAY_KIND_NAMES,
  type DutyGap,
  type GenerateDutyResult,
  gapSummary,
  ORG_NAMES,
  type RotaView,
  type ShiftView,
} from '@gongzhi/domain';
import { Button, Dialog, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { loadCommunity } from '../../../services/community';
import {
  chinaDate,
  clock,
  dayLabel,
  generateRota,
  monthRange,
  myDutyFeed,
  overrideShift,
  printRotaUrl,
  publishRota,
  rota,
} from '../../../services/duty';
import { loadMe } from '../../../services/session';
import '../../components/duty.css';

interface Day {
  date: string;
  shifts: ShiftView[];
  gaps: DutyGap[];
}

/** Every day of the month, its shifts in order, and the places nobody holds (缺岗). */
function byDay(r: RotaView): Day[] {
  const days = new Map<string, Day>();
  const day = (date: string) => {
    let d = days.get(date);
    if (!d) {
      d = { date, shifts: [], gaps: [] };
      days.set(date, d);
    }
    return d;
  };
  for (const s of r.shifts) day(s.date).shifts.push(s);
  for (const g of r.gaps) day(g.date).gaps.push(g);
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

type Confirming = 'generate' | 'publish' | null;

/**
 * The monthly rota for staff, a month at a time. Rota managers (the view's allowedActions)
 * generate a draft, see its gaps, put someone else on a shift and publish the month; everyone
 * opens the printable notice of a published month.
 */
export default function RotaPage() {
  const today = chinaDate();
  const [ym, setYm] = useState(() => ({ y: Number(today.slice(0, 4)), m: Number(today.slice(5, 7)) }));
  const [data, setData] = useState<RotaView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [community, setCommunity] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [result, setResult] = useState<GenerateDutyResult | null>(null);
  /** The shift being given to someone else, the chosen person and the reason. */
  const [editing, setEditing] = useState<ShiftView | null>(null);
  const [pick, setPick] = useState('');
  const [reason, setReason] = useState('');
  /** People of the community by organisation (the override's candidates). */
  const [pool, setPool] = useState<Map<string, Map<string, string>>>(new Map());

  const month = `${ym.y}-${String(ym.m).padStart(2, '0')}`;

  const load = async (y: number, m: number, keepResult = false) => {
    setError(null);
    setData(null);
    if (!keepResult) setResult(null);
    try {
      const key = (await loadMe()).person?.community;
      if (!key) throw new Error('您的账号未关联小区，无法查看值班表');
      setCommunity(key);
      const { from, to } = monthRange(y, m);
      const r = await rota(key, from, to);
      setData(r);
      if (r.allowedActions.includes('override')) void loadPool(key, r);
      // Open on today when it is in this month.
      if (today >= from && today <= to) {
        setTimeout(() => {
          Taro.pageScrollTo({ selector: '.gz-day--today', duration: 0, offsetTop: -60 }).catch(
            () => undefined,
          );
        }, 100);
      }
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const loadPool = async (key: string, r: RotaView) => {
    const byOrg = new Map<string, Map<string, string>>();
    const add = (org: string, k: string, name: string) => {
      if (!byOrg.has(org)) byOrg.set(org, new Map());
      byOrg.get(org)!.set(k, name);
    };
    for (const s of r.shifts) add(s.org, s.person.key, s.person.name);
    try {
      for (const z of (await loadCommunity(key)).zones) for (const p of z.members) add(p.org, p.key, p.name);
    } catch {
      // The rota's own people are candidates enough.
    }
    setPool(byOrg);
  };
  useDidShow(() => void load(ym.y, ym.m));

  const go = (delta: number) => {
    const idx = ym.y * 12 + (ym.m - 1) + delta;
    const next = { y: Math.floor(idx / 12), m: (idx % 12) + 1 };
    setYm(next);
    void load(next.y, next.m);
  };

  const run = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await what();
      toast(done, 'success');
      return true;
    } catch (e) {
      toast((e as Error).message, 'fail');
      return false;
    } finally {
      setBusy(false);
    }
  };

  const generate = async () => {
    setConfirming(null);
    const { from, to } = monthRange(ym.y, ym.m);
    let r: GenerateDutyResult | null = null;
    const ok = await run(async () => {
      r = await generateRota(community, from, to);
    }, '已生成');
    if (ok && r) {
      setResult(r);
      await load(ym.y, ym.m, true);
    }
  };

  const publish = async () => {
    setConfirming(null);
    const gaps = (data?.gaps.length ?? 0) > 0;
    if (await run(() => publishRota(community, month, gaps), '已发布，值班人员已收到通知')) {
      await load(ym.y, ym.m);
    }
  };

  const print = async () => {
    try {
      const link = printRotaUrl(community, month, (await myDutyFeed()).token);
      if (process.env.TARO_ENV === 'h5') window.open(link, '_blank');
      else {
        // A mini-program cannot print: the link opens the printable page in a browser.
        await Taro.setClipboardData({ data: link });
        toast('打印链接已复制，请在电脑浏览器中打开打印');
      }
    } catch (e) {
      toast((e as Error).message, 'fail');
    }
  };

  const override = async () => {
    const shift = editing;
    if (!shift) return;
    if (!pick) return toast('请选择值班人员', 'warn');
    if (reason.trim().length < 2) return toast('请填写调整原因，至少 2 个字', 'warn');
    if (await run(() => overrideShift(shift.id, pick, reason.trim()), '已调整，双方已收到通知')) {
      setEditing(null);
      await load(ym.y, ym.m, true);
    }
  };

  const days = data ? byDay(data) : [];
  const shiftNames = new Map(data?.shifts.map((s) => [s.shift, s.shiftName]) ?? []);
  const summary = gapSummary(data?.gaps ?? []);
  const status = data?.months[0];
  const can = (a: RotaView['allowedActions'][number]) => !!data?.allowedActions.includes(a);
  const now = Date.now();
  const candidates = editing
    ? [...(pool.get(editing.org) ?? new Map<string, string>())].filter(([k]) => k !== editing.person.key)
    : [];

  return (
    <Page>
      <PageToast />
      <View className="gz-month">
        <Button size="small" fill="outline" onClick={() => go(-1)}>
          上个月
        </Button>
        <Text className="gz-month__title">
          {ym.y}年{ym.m}月
        </Text>
        <Button size="small" fill="outline" onClick={() => go(1)}>
          下个月
        </Button>
      </View>
      {status && (
        <View className="gz-rota-status">
          <Text className={`gz-tag ${status.status === 'published' ? 'gz-tag--grey' : 'gz-tag--strong'}`}>
            {status.statusName}
          </Text>
          {status.status === 'draft' && (
            <Text className="gz-muted">草稿仅排班管理员可见，发布后值班人员和居民才能看到</Text>
          )}
          {status.status === 'published' && status.publishedBy && (
            <Text className="gz-muted">由{status.publishedBy}发布</Text>
          )}
        </View>
      )}
      {data && (can('generate') || can('publish') || can('print')) && (
        <View className="gz-rota-actions">
          {can('generate') && (
            <Button
              type={status?.status === 'unplanned' ? 'primary' : 'default'}
              disabled={busy}
              onClick={() => setConfirming('generate')}
            >
              {status?.status === 'unplanned' ? '生成本月值班表' : '重新生成'}
            </Button>
          )}
          {can('publish') && (
            <Button type="primary" disabled={busy} onClick={() => setConfirming('publish')}>
              发布本月值班表
            </Button>
          )}
          {can('print') && (
            <Button fill="outline" onClick={print}>
              打印本月值班表
            </Button>
          )}
        </View>
      )}
      {result && (
        <Card title="生成结果">
          <Text className="gz-day__line">
            新排 {result.generated} 个班次，保留 {result.kept} 个（已开始、调整过或换过的班次不变）
          </Text>
          {result.shortfalls.length === 0 ? (
            <Text className="gz-day__line">每个岗位都已按规则排满</Text>
          ) : (
            <>
              <Text className="gz-day__gap gz-rota-shortfall">
                有 {result.shortfalls.length} 个岗位排不满：
              </Text>
              {result.shortfalls.slice(0, 10).map((g) => (
                <Text key={`${g.date}-${g.shift}-${g.org}`} className="gz-day__gap">
                  · {g.reason}
                </Text>
              ))}
              {result.shortfalls.length > 10 && (
                <Text className="gz-muted">其余 {result.shortfalls.length - 10} 个已在当天标出</Text>
              )}
            </>
          )}
        </Card>
      )}
      {data && summary.days > 0 && (
        <Text className="gz-day__gap">
          本月有 {summary.days} 天缺岗（共 {data.gaps.length} 个岗位），已在当天标出
        </Text>
      )}
      {can('override') && data && data.shifts.length > 0 && (
        <Text className="gz-muted">点击人员姓名可改由他人值班</Text>
      )}
      {error ? (
        <ErrorState message={error} onRetry={() => load(ym.y, ym.m)} />
      ) : !data ? (
        <LoadingState />
      ) : days.length === 0 ? (
        <EmptyState title={status?.status === 'draft' ? '本月尚未发布' : '本月尚未排班'} />
      ) : (
        days.map((d) => {
          const kind = d.shifts[0]?.dayKind;
          const off = kind === 'weekend' || kind === 'holiday';
          return (
            <View
              key={d.date}
              className={`gz-day ${off ? 'gz-day--off' : ''} ${d.date === today ? 'gz-day--today' : ''}`}
            >
              <View className="gz-day__head">
                <Text className="gz-day__date">{dayLabel(d.date)}</Text>
                {d.date === today && <Text className="gz-tag gz-tag--strong">今天</Text>}
                {kind && kind !== 'workday' && <Text className="gz-tag">{DAY_KIND_NAMES[kind]}</Text>}
              </View>
              {groupShifts(d.shifts).map((g) => (
                <View key={g.key} className="gz-day__line">
                  <Text>
                    {g.name} {g.time}：
                  </Text>
                  {g.shifts.map((s, i) => {
                    const editable = s.allowedActions.includes('override') && Date.parse(s.end) > now;
                    return (
                      <Text
                        key={s.id}
                        className={editable ? 'gz-rota-person' : ''}
                        onClick={
                          editable
                            ? () => {
                                setEditing(s);
                                setPick('');
                                setReason('');
                              }
                            : undefined
                        }
                      >
                        {i > 0 ? '、' : ''}
                        {s.person.name}（{s.orgName}）
                      </Text>
                    );
                  })}
                </View>
              ))}
              {d.shifts.length === 0 ? (
                <Text className="gz-day__gap">未排班（缺岗 {d.gaps.length} 个）</Text>
              ) : (
                d.gaps.map((g) => (
                  <Text key={`${g.shift}-${g.org}`} className="gz-day__gap">
                    缺岗：{shiftNames.get(g.shift) ?? g.shift} {ORG_NAMES[g.org]} 需 {g.needed} 人，已排{' '}
                    {g.assigned} 人
                  </Text>
                ))
              )}
            </View>
          );
        })
      )}
      <Dialog
        visible={confirming === 'generate'}
        title={status?.status === 'published' ? '重新生成已发布的值班表？' : '生成本月值班表'}
        confirmText="生成"
        cancelText="取消"
        onConfirm={generate}
        onCancel={() => setConfirming(null)}
        onClose={() => setConfirming(null)}
      >
        {status?.status === 'published'
          ? '本月已发布，重新生成会直接改变值班人员看到的安排（已开始、调整过和换过的班次不变）。'
          : '按排班规则生成草稿。草稿发布前只有排班管理员能看到，可先查看缺岗、调整班次。'}
      </Dialog>
      <Dialog
        visible={confirming === 'publish'}
        title="发布本月值班表"
        confirmText={summary.days > 0 ? '仍然发布' : '发布'}
        cancelText="取消"
        onConfirm={publish}
        onCancel={() => setConfirming(null)}
        onClose={() => setConfirming(null)}
      >
        {summary.days > 0
          ? `本月有 ${summary.days} 天缺岗（共 ${data?.gaps.length ?? 0} 个岗位）。发布后缺岗仍会在值班表上标出。确认发布？`
          : '发布后值班人员会收到通知，居民首页将显示当日值班人员。'}
      </Dialog>
      <Dialog
        visible={editing !== null}
        title={editing ? `调整 ${dayLabel(editing.date)} ${editing.shiftName}` : ''}
        confirmText="确认调整"
        cancelText="取消"
        disableConfirmButton={busy}
        onConfirm={override}
        onCancel={() => setEditing(null)}
        onClose={() => setEditing(null)}
      >
        {editing && (
          <View>
            <Text className="gz-muted">
              原值班人：{editing.person.name}（{editing.orgName}）。请选择同一单位的人员：
            </Text>
            <View className="gz-rota-pick">
              {candidates.length === 0 ? (
                <Text className="gz-muted">没有可选的人员</Text>
              ) : (
                candidates.map(([key, name]) => (
                  <Text
                    key={key}
                    className={`gz-rota-chip ${pick === key ? 'gz-rota-chip--on' : ''}`}
                    onClick={() => setPick(key)}
                  >
                    {name}
                  </Text>
                ))
              )}
            </View>
            <TextArea
              value={reason}
              onChange={setReason}
              placeholder="调整原因（值班人员会看到）"
              maxLength={500}
              rows={2}
            />
          </View>
        )}
      </Dialog>
    </Page>
  );
}

/** One line per shift of the day, its people in start order. */
function groupShifts(shifts: ShiftView[]) {
  const out = new Map<string, { key: string; name: string; time: string; shifts: ShiftView[] }>();
  for (const s of [...shifts].sort((a, b) => a.start.localeCompare(b.start))) {
    let g = out.get(s.shift);
    if (!g) {
      g = { key: s.shift, name: s.shiftName, time: `${clock(s.start)}–${clock(s.end)}`, shifts: [] };
      out.set(s.shift, g);
    }
    g.shifts.push(s);
  }
  return [...out.values()];
}
