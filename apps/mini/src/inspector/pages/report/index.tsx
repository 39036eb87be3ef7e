import {
  CreateIssueInput,
  formatPoint,
  type GeoPoint,
  type Me,
  type PublicCommunity,
  type QrResolution,
  SCOPE_NAMES,
  SCOPES,
  type Scope,
  type Urgency,
} from '@gongzhi/domain';
import { Button, Cell, CellGroup, Input, Picker, Switch } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useLoad, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { CategoryGrid } from '../../../components/category-grid';
import { DescriptionCard } from '../../../components/description-card';
import { Card, Page } from '../../../components/page';
import { PhotoField, UploadProgress, usePhotos } from '../../../components/photo-field';
import { ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { outbox, waitingReason } from '../../../offline/outbox';
import { newIdempotencyKey } from '../../../services/action-key';
import { buildingNumbers, loadCommunity, resolveQr } from '../../../services/community';
import { placeOf, ScanPlace } from '../../components/scan-place';
import { currentPosition } from '../../location';
import './index.css';
import { loadMe, zonesOf } from '../../../services/session';

type Flags = { usesMaintenanceFund: boolean; touchesSharedParts: boolean; multiOrg: boolean };

const FLAG_LABELS: Record<keyof Flags, { title: string; description: string }> = {
  touchesSharedParts: { title: '涉及共用部位、公共设施设备', description: '方案须经业主大会表决' },
  usesMaintenanceFund: { title: '需动用维修资金', description: '方案须公示并报业委会' },
  multiOrg: { title: '需多个组织协同', description: '提交社区联席会议' },
};

export default function PatrolReportPage() {
  const { params } = useRouter();
  const [me, setMe] = useState<Me | null>(null);
  const [community, setCommunity] = useState<PublicCommunity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [zone, setZone] = useState('');
  const [building, setBuilding] = useState<number | null>(null);
  const [spot, setSpot] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('normal');
  const [scope, setScope] = useState<Scope>('building');
  const [flags, setFlags] = useState<Flags>({
    usesMaintenanceFund: false,
    touchesSharedParts: false,
    multiOrg: false,
  });
  const photoField = usePhotos();
  const [picker, setPicker] = useState<'zone' | 'building' | 'scope' | null>(null);
  const [sending, setSending] = useState<string[] | null>(null);
  /** The optional pin (添加位置): never required, removed with one tap. */
  const [location, setLocation] = useState<GeoPoint | null>(null);
  const [locating, setLocating] = useState(false);

  /** A scanned building or facility code fills the place (and a facility's category). */
  const applyPlace = (c: PublicCommunity, place: QrResolution) => {
    if (place.community.key !== c.key) return toast('这个二维码不属于您所在的小区', 'warn');
    setZone(place.zone.key);
    setBuilding(place.building);
    if (place.facility) setSpot((s) => s || place.facility!.name);
    if (place.category) setCategory(place.category.key);
    toast(`已填入：${placeOf(place)}`, 'success');
  };

  const addLocation = async () => {
    setLocating(true);
    try {
      setLocation(await currentPosition());
    } catch (e) {
      toast((e as Error).message, 'warn');
    } finally {
      setLocating(false);
    }
  };

  const load = async () => {
    setError(null);
    try {
      const m = await loadMe();
      if (!m.person) throw new Error('当前账号不属于任何小区');
      setMe(m);
      const c = await loadCommunity(m.person.community);
      setCommunity(c);
      const first = zonesOf(m)[0]?.zone;
      if (first) setZone(first);
      // Opened from a scanned code (上报问题): the place comes filled in.
      if (params.qr) applyPlace(c, await resolveQr(decodeURIComponent(params.qr)));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useLoad(() => void load());

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!me || !community) return <LoadingState />;

  const myZones = [...new Set(zonesOf(me).map((z) => z.zone))];
  const zoneOptions = (myZones.length ? myZones : community.zones.map((z) => z.key)).map((k) => ({
    value: k,
    label: community.zones.find((z) => z.key === k)?.name ?? k,
  }));
  const current = community.zones.find((z) => z.key === zone);
  const buildings = buildingNumbers(current?.buildings ?? []);

  const submit = async () => {
    if (!category) return toast('请选择问题类别', 'warn');
    if (!zone) return toast('请选择责任区域', 'warn');
    const body = {
      community: community.key,
      ...(building !== null ? { building } : { zone }),
      ...(spot.trim() ? { spot: spot.trim() } : {}),
      category,
      description: description.trim(),
      urgency,
      scope,
      ...flags,
      ...(location ? { location } : {}),
    };
    const check = CreateIssueInput.safeParse(body);
    if (!check.success) return toast(check.error.issues[0]?.message ?? '请检查填写内容', 'warn');
    if (building === null && !spot.trim()) return toast('没有楼号时请填写具体位置', 'warn');
    // A photo still being compressed goes with the report: wait for it rather than leave it out.
    if (sending) return;
    setSending(photoField.latest.current);
    const photos = await photoField.settled();
    const id = newIdempotencyKey();
    const catName = community.categories.find((c) => c.key === category)?.name ?? category;
    await outbox.add({
      id,
      kind: 'issue',
      idempotencyKey: id,
      body,
      photos: photos.map((local) => ({ local })),
      label: `${current?.name ?? ''}${building !== null ? ` · ${building} 号楼` : ''} · ${catName}`,
    });
    setSending(photos);
    try {
      const r = await outbox.flush((i) => i.id === id);
      const sent = r.sent.find((s) => s.item.id === id);
      if (sent && sent.result.kind === 'issue') {
        toast('已上报', 'success');
        await Taro.redirectTo({ url: `/inspector/pages/issue/index?id=${sent.result.issue.id}` });
        return;
      }
      const refused = r.failed.find((f) => f.id === id);
      if (refused) {
        await outbox.remove(id, { keepPhotos: true });
        return toast(refused.lastError ?? '上报失败', 'fail');
      }
      const reason = waitingReason(r.kept.find((k) => k.id === id));
      toast(
        reason
          ? `暂未受理：${reason}。已保存在本机，稍后自动重新上报`
          : '暂无网络，已保存在本机，联网后自动上报',
        'warn',
      );
      setTimeout(() => Taro.navigateBack().catch(() => undefined), 1500);
    } finally {
      setSending(null);
    }
  };

  return (
    <Page>
      <PageToast />
      <ScanPlace onReport={(_, place) => applyPlace(community, place)} />
      <CellGroup title="地点">
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
      <Card>
        <Input
          placeholder="具体位置，如：3 单元门口、南门绿地"
          value={spot}
          onChange={setSpot}
          maxLength={100}
        />
        {location ? (
          <View className="gz-row gz-location">
            <Text className="gz-muted" data-testid="report-location">
              已添加位置：{formatPoint(location)}
            </Text>
            <Button size="small" fill="outline" onClick={() => setLocation(null)}>
              移除位置
            </Button>
          </View>
        ) : (
          <Button block fill="outline" loading={locating} onClick={addLocation}>
            添加位置（选填）
          </Button>
        )}
      </Card>
      <Card title="问题类别">
        <CategoryGrid categories={community.categories} value={category} onChange={setCategory} />
      </Card>
      <DescriptionCard
        placeholder="看到了什么、影响到谁、是否需要立即处置"
        description={description}
        onDescription={setDescription}
        urgency={urgency}
        onUrgency={setUrgency}
      />
      <CellGroup title="影响范围与程序">
        <Cell title="影响范围" extra={SCOPE_NAMES[scope]} clickable onClick={() => setPicker('scope')} />
        {(Object.keys(FLAG_LABELS) as (keyof Flags)[]).map((k) => (
          <Cell
            key={k}
            title={FLAG_LABELS[k].title}
            description={FLAG_LABELS[k].description}
            extra={<Switch checked={flags[k]} onChange={(v) => setFlags((f) => ({ ...f, [k]: v }))} />}
          />
        ))}
      </CellGroup>
      <Card title="现场照片">
        <PhotoField field={photoField} />
        {sending && <UploadProgress locals={sending} />}
      </Card>
      <Button block type="primary" size="large" loading={sending !== null} onClick={submit}>
        {sending ? '正在上报…' : '上报'}
      </Button>

      <Picker
        title="责任区域"
        visible={picker === 'zone'}
        options={[zoneOptions]}
        value={[zone]}
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
      <Picker
        title="影响范围"
        visible={picker === 'scope'}
        options={[SCOPES.map((s) => ({ value: s, label: SCOPE_NAMES[s] }))]}
        value={[scope]}
        onConfirm={(_, v) => setScope(v[0] as Scope)}
        onClose={() => setPicker(null)}
      />
    </Page>
  );
}
