import {
  ComplaintInput,
  type ComplaintReceipt,
  type PublicCommunity,
  type QrResolution,
  type Urgency,
} from '@gongzhi/domain';
import { Button, Input } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { CategoryGrid } from '../../components/category-grid';
import { Card, Page } from '../../components/page';
import { PhotoField, UploadProgress, usePhotos } from '../../components/photo-field';
import { type PlaceChoice, PlacePicker, placeBody } from '../../components/place-picker';
import { SimilarIssues } from '../../components/similar-issues';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { PageToast, toast } from '../../components/toast';
import { WechatPhoneButton } from '../../components/wechat-phone';
import { outbox, waitingReason } from '../../offline/outbox';
import { newIdempotencyKey } from '../../services/action-key';
import { loadCommunity, resolveQr } from '../../services/community';
import { qrCodeFromParams } from '../../services/qr-link';
import { signInWithWechatSilently } from '../../services/resident-session';
import { loadMe } from '../../services/session';
import { askForSubscriptions, loadSubscriptionTemplates } from '../../services/subscriptions';
import './index.css';
import { DescriptionCard } from '../../components/description-card';
import { FieldError } from '../../components/field-error';

/** With a QR code the code says where (`place`); without one (`place` null) the resident chooses. */
type Loaded = { place: QrResolution | null; community: PublicCommunity };
type Outcome =
  | { kind: 'sent'; receipt: ComplaintReceipt }
  /** Kept on the phone: for lack of network (`reason` null), or with the server's answer. */
  | { kind: 'queued'; reason: string | null };

const placeLine = (p: QrResolution) =>
  [p.community.name, p.zone.name, p.building !== null ? `${p.building} 号楼` : null, p.facility?.name]
    .filter(Boolean)
    .join(' · ');

/** The place a resident chose without a QR code, for the outbox label. */
const chosenLine = (c: PublicCommunity, p: PlaceChoice) =>
  [
    c.name,
    p.building.trim()
      ? `${p.building.trim()} 号楼`
      : (c.zones.find((z) => z.key === p.zone)?.name ?? '地点待确定'),
  ].join(' · ');

export default function ComplainPage() {
  const { params } = useRouter();
  const qr = qrCodeFromParams(params);
  // Without a QR code (from the home page): the community, and the place the resident chooses.
  const communityKey = qr ? null : (params.community ?? null);
  const [chosen, setChosen] = useState<PlaceChoice>({ building: '', zone: null });
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [spot, setSpot] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('normal');
  const [phone, setPhone] = useState('');
  const photoField = usePhotos();
  const [sending, setSending] = useState<string[] | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  /** Signed in as a resident (weapp: WeChat, silently): the complaint is sent as theirs. */
  const [asResident, setAsResident] = useState(false);
  /** What the API refused, by field (content_refused at body.description…), until that field is edited. */
  const [refusedAt, setRefusedAt] = useState<Record<string, string>>({});

  const load = useCallback(async () => {
    setError(null);
    try {
      // weapp: the complaint will belong to this WeChat user (我的投诉 on any phone); H5: anonymous.
      void signInWithWechatSilently().then(async (ok) => {
        if (!ok) return;
        void loadSubscriptionTemplates();
        const me = await loadMe().catch(() => null);
        setAsResident(me?.account.kind === 'resident');
      });
      if (!qr) {
        setLoaded({ place: null, community: await loadCommunity(communityKey!) });
        return;
      }
      const place = await resolveQr(qr);
      const community = await loadCommunity(place.community.key);
      setLoaded({ place, community });
      if (place.category) setCategory(place.category.key);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [qr, communityKey]);

  useEffect(() => {
    if (qr || communityKey) void load();
  }, [qr, communityKey, load]);

  if (!qr && !communityKey) {
    return (
      <Page>
        <EmptyState title="请扫描楼道或设施上张贴的二维码来反映问题" />
      </Page>
    );
  }
  if (error) {
    return (
      <Page>
        <ErrorState message={error} onRetry={load} />
      </Page>
    );
  }
  if (!loaded) {
    return (
      <Page>
        <LoadingState />
      </Page>
    );
  }
  if (outcome) return <Outcome outcome={outcome} />;

  const submit = async () => {
    // In the tap itself, as WeChat requires: may we tell you about progress? (weapp only)
    askForSubscriptions();
    const body = {
      ...(qr ? { qr } : { community: communityKey!, ...placeBody(chosen) }),
      ...(category ? { category } : {}),
      description: description.trim(),
      ...(spot.trim() ? { spot: spot.trim() } : {}),
      urgency,
      ...(phone.trim() ? { phone: phone.trim() } : {}),
    };
    // The same schema the API validates with: the person hears about a mistake before sending.
    const check = ComplaintInput.safeParse(body);
    if (!category) return toast('请选择问题类别', 'warn');
    if (!check.success) return toast(check.error.issues[0]?.message ?? '请检查填写内容', 'warn');
    // A photo still being compressed goes with the report: wait for it rather than leave it out.
    if (sending) return;
    setSending(photoField.latest.current);
    const photos = await photoField.settled();
    const id = newIdempotencyKey();
    const categoryName = loaded.community.categories.find((c) => c.key === category)?.name ?? '';
    await outbox.add({
      id,
      kind: 'complaint',
      // Each tap on 提交 is a new action: after a refusal, the edited text goes with a fresh key.
      idempotencyKey: id,
      withLogin: asResident,
      body,
      photos: photos.map((local) => ({ local })),
      label: `${loaded.place ? placeLine(loaded.place) : chosenLine(loaded.community, chosen)} · ${categoryName}`,
    });
    setSending(photos);
    try {
      const r = await outbox.flush((i) => i.id === id);
      const sent = r.sent.find((s) => s.item.id === id);
      if (sent && sent.result.kind === 'complaint')
        return setOutcome({ kind: 'sent', receipt: sent.result.receipt });
      const refused = r.failed.find((f) => f.id === id);
      if (refused) {
        // Refused, not lost: the form keeps what was typed and the photos, to correct and send again.
        await outbox.remove(id, { keepPhotos: true });
        const fields = Object.fromEntries((refused.lastErrorFields ?? []).map((f) => [f.path, f.message]));
        setRefusedAt(fields);
        return toast(refused.lastError ?? '提交失败', 'fail');
      }
      setOutcome({ kind: 'queued', reason: waitingReason(r.kept.find((k) => k.id === id)) });
    } finally {
      setSending(null);
    }
  };

  const { place, community } = loaded;
  return (
    <Page className="gz-complain">
      <PageToast />
      <Card title="问题地点">
        {place ? (
          <Text className="gz-complain__place">{placeLine(place)}</Text>
        ) : (
          <PlacePicker community={community} value={chosen} onChange={setChosen} />
        )}
        <Input
          className="gz-input"
          placeholder="具体位置（选填），如：3 单元门口"
          value={spot}
          onChange={(v) => {
            setSpot(v);
            setRefusedAt(({ 'body.spot': _, ...rest }) => rest);
          }}
          maxLength={100}
        />
        {refusedAt['body.spot'] && <FieldError message={refusedAt['body.spot']} />}
      </Card>
      <Card title="问题类别">
        <CategoryGrid categories={community.categories} value={category} onChange={setCategory} />
      </Card>
      <SimilarIssues
        where={
          !category
            ? null
            : qr
              ? { qr, category }
              : { community: communityKey!, ...placeBody(chosen), category }
        }
      />
      <DescriptionCard
        placeholder="请描述看到的情况，例如：什么问题、从什么时候开始、影响到谁"
        description={description}
        onDescription={(v) => {
          setDescription(v);
          setRefusedAt(({ 'body.description': _, ...rest }) => rest);
        }}
        error={refusedAt['body.description']}
        urgency={urgency}
        onUrgency={setUrgency}
      />
      <Card title="照片（选填，最多 9 张）">
        <PhotoField field={photoField} />
        {sending && <UploadProgress locals={sending} />}
      </Card>
      <Card title="联系电话（选填）">
        <Input
          className="gz-input"
          type="number"
          placeholder="留下手机号，便于工作人员联系您"
          value={phone}
          onChange={setPhone}
          maxLength={11}
        />
        <WechatPhoneButton onPhone={setPhone} />
        <Text className="gz-muted">号码仅处理人员可见，其他人看到的是 138****1234 的形式。</Text>
      </Card>
      <Button block type="primary" size="large" loading={sending !== null} onClick={submit}>
        {sending ? '正在提交…' : '提交'}
      </Button>
    </Page>
  );
}

/** What the copy button puts on the clipboard: both halves, labelled, to paste into a note. */
const trackingText = (r: ComplaintReceipt) => `投诉查询码：${r.trackingCode}\n查询密钥：${r.secret}`;

function Outcome({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === 'queued') {
    return (
      <Page>
        <Card title="已保存在本机">
          {outcome.reason ? (
            <Text>
              暂未受理：{outcome.reason}
              。您反映的问题和照片已保存在本机，稍后会自动重新提交（不会重复提交）。可在“我的投诉”中查看。
            </Text>
          ) : (
            <Text>
              当前没有网络，您反映的问题和照片已保存在本机，联网后会自动提交（不会重复提交）。可在“我的投诉”中查看。
            </Text>
          )}
        </Card>
        <Button block type="primary" onClick={() => Taro.switchTab({ url: '/pages/mine/index' })}>
          查看我的投诉
        </Button>
      </Page>
    );
  }
  const { receipt } = outcome;
  return (
    <Page>
      <Card title="提交成功">
        <Text className="gz-muted">请保存查询码和查询密钥，凭它们查看处理进度</Text>
        <View className="gz-complain__keys">
          <Text className="gz-label">查询码</Text>
          <Text className="gz-code" data-testid="tracking-code">
            {receipt.trackingCode}
          </Text>
          <Text className="gz-label">查询密钥</Text>
          <Text className="gz-code gz-code--secret" data-testid="tracking-secret" userSelect>
            {receipt.secret}
          </Text>
        </View>
        <Button
          block
          fill="outline"
          type="primary"
          // WeChat (and Taro on H5) says 内容已复制 itself.
          onClick={() => void Taro.setClipboardData({ data: trackingText(receipt) })}
        >
          复制查询码和密钥
        </Button>
        <Text className="gz-muted">
          本机的“我的投诉”已记下它们。换了手机或清除了微信数据后，在首页“用查询码查询”中输入查询码和密钥即可继续查看。密钥只在这里显示这一次，请截图或复制保存，不要告诉他人。
        </Text>
      </Card>
      <Card title="接下来会怎样">
        <Text className="gz-tier">
          由<Text className="gz-strong">{receipt.complaint.tierName}</Text>负责处理
        </Text>
        {receipt.complaint.responsible.map((r) => (
          <Text key={r} className="gz-reason">
            · {r}
          </Text>
        ))}
      </Card>
      <PageToast />
      <Button
        block
        type="primary"
        onClick={() => Taro.navigateTo({ url: `/pages/track/index?code=${receipt.trackingCode}` })}
      >
        查看处理进度
      </Button>
    </Page>
  );
}
