import type { HomeView, PublicCommunity } from '@gongzhi/domain';
import { Button, Input } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { buildingNumbers, DEFAULT_COMMUNITY, loadCommunity } from '../../../services/community';
import { formatTime } from '../../../services/format';
import { cancelHome, myHomes, requestHome, residentSession } from '../../services';
import '../../evaluation.css';

/**
 * A resident binds their account to their home (building + room). The zone's residents'-committee,
 * owners'-committee or grid people verify it; then the account answers evaluations for that household.
 */
export default function HomeBinding() {
  const [homes, setHomes] = useState<HomeView[] | null>(null);
  const [community, setCommunity] = useState<PublicCommunity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ building: '', room: '', name: '', phone: '' });
  const [zone, setZone] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const me = await residentSession();
      if (me.account.kind !== 'resident') throw new Error('工作人员账号不能绑定房屋，请使用居民的微信账号');
      setCommunity(await loadCommunity(DEFAULT_COMMUNITY));
      setHomes((await myHomes()).items);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load, 'mount');

  const active = homes?.find((h) => h.status === 'pending' || h.status === 'verified');
  const unnumbered = community?.zones.filter((z) => z.buildings.length === 0) ?? [];

  const submit = async () => {
    if (!community) return;
    const building = Number(form.building);
    if (!Number.isInteger(building) || building < 1) return toast('请填写楼号', 'warn');
    if (!form.room.trim()) return toast('请填写房号', 'warn');
    if (!form.name.trim()) return toast('请填写称呼，方便工作人员联系核实', 'warn');
    if (form.phone && !/^1\d{10}$/.test(form.phone)) return toast('请输入 11 位手机号码', 'warn');
    setBusy(true);
    try {
      const home = await requestHome({
        community: community.key,
        building,
        room: form.room,
        ...(zone ? { zone } : {}),
        name: form.name.trim(),
        ...(form.phone ? { phone: form.phone } : {}),
      });
      setHomes((list) => [home, ...(list ?? [])]);
      toast('已提交，等待区域工作人员认证', 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  const cancel = async (h: HomeView) => {
    const { confirm } = await Taro.showModal({
      title: h.status === 'pending' ? '撤回申请？' : '解除绑定？',
      content: '解除后本账号不能再代表该户评议；已提交的评议仍然有效。',
    });
    if (!confirm) return;
    try {
      const next = await cancelHome(h.id);
      setHomes((list) => list?.map((x) => (x.id === next.id ? next : x)) ?? null);
    } catch (e) {
      toast((e as Error).message, 'fail');
    }
  };

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!homes || !community) return <LoadingState />;

  // A building no numbered range covers (zone 4's are unconfirmed) needs its zone named.
  const number = Number(form.building);
  const needsZone =
    Number.isInteger(number) &&
    number >= 1 &&
    !community.zones.some((z) => buildingNumbers(z.buildings).includes(number));

  return (
    <Page>
      <PageToast />
      {active ? (
        <Card title={active.household} extra={<Text className="gz-tag">{active.statusName}</Text>}>
          <Text className="gz-muted">
            {active.zoneName} · 申请于 {formatTime(active.requestedAt)}
            {active.decidedBy ? ` · ${active.decidedBy}认证` : ''}
          </Text>
          <Text className="gz-eval__intro">
            {active.status === 'verified'
              ? '已认证：您可以用本账号代表该户参加居民评议（每户一次）。'
              : '等待该区域的居委会、业委会或网格工作人员核实，核实后即可评议。'}
          </Text>
          <Button className="gz-submit" block fill="outline" onClick={() => cancel(active)}>
            {active.status === 'pending' ? '撤回申请' : '解除绑定'}
          </Button>
        </Card>
      ) : (
        <Card title="绑定我的房屋">
          <Text className="gz-eval__intro">
            填写您家的楼号和房号，由所在区域的工作人员核实。同一户的家人可分别绑定，但每户只能评议一次。
          </Text>
          <View className="gz-eval__field">
            <Text className="gz-label">楼号</Text>
            <Input
              className="gz-input"
              name="building"
              type="number"
              placeholder="例如 12"
              value={form.building}
              onChange={(v) => setForm({ ...form, building: v })}
            />
          </View>
          {needsZone && (
            <View className="gz-eval__field">
              <Text className="gz-label">该楼号不在已登记的范围内，请选择所在区域</Text>
              <View className="gz-eval__actions">
                {unnumbered.map((z) => (
                  <Text
                    key={z.key}
                    className={`gz-eval__skip ${zone === z.key ? 'gz-eval__skip--on' : ''}`}
                    onClick={() => setZone(z.key)}
                  >
                    {z.name}
                  </Text>
                ))}
              </View>
            </View>
          )}
          <View className="gz-eval__field">
            <Text className="gz-label">房号</Text>
            <Input
              className="gz-input"
              name="room"
              placeholder="例如 302 或 3单元302室"
              value={form.room}
              onChange={(v) => setForm({ ...form, room: v })}
            />
          </View>
          <View className="gz-eval__field">
            <Text className="gz-label">称呼</Text>
            <Input
              className="gz-input"
              name="name"
              placeholder="例如 王阿姨"
              value={form.name}
              onChange={(v) => setForm({ ...form, name: v })}
              maxLength={20}
            />
          </View>
          <View className="gz-eval__field">
            <Text className="gz-label">手机号（选填，仅认证人员可见）</Text>
            <Input
              className="gz-input"
              name="phone"
              type="tel"
              value={form.phone}
              onChange={(v) => setForm({ ...form, phone: v })}
              maxLength={11}
            />
          </View>
          <Button className="gz-submit" block type="primary" loading={busy} onClick={submit}>
            提交认证申请
          </Button>
        </Card>
      )}
      {homes
        .filter((h) => h !== active)
        .map((h) => (
          <Text key={h.id} className="gz-muted">
            {h.household} · {h.statusName}
            {h.note ? ` · ${h.note}` : ''}
          </Text>
        ))}
    </Page>
  );
}
