import type { PublicCommunity, TriageItem, TriagePage } from '@gongzhi/domain';
import { Button, Input } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
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
import { loadMe } from '../../../services/session';
import { listTriage, placeIssue } from '../../../services/triage';
import './index.css';

/**
 * The triage desk (兜底分拨): complaints routing could not place — a building in no zone, a resident
 * not sure where, a category no one owns. Its keeper chooses the building or zone (and a better
 * category if needed); the server then routes it as usual. Whether the caller may place is the
 * server's answer (`canPlace`); others who read every issue only look.
 */
export default function TriagePageView() {
  const [page, setPage] = useState<TriagePage | null>(null);
  const [community, setCommunity] = useState<PublicCommunity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const key = (await loadMe()).person?.community;
      if (!key) throw new Error('当前账号不属于任何小区');
      const [p, c] = await Promise.all([listTriage(key), loadCommunity(key)]);
      setPage(p);
      setCommunity(c);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);

  if (error) {
    return (
      <Page>
        <ErrorState message={error} onRetry={load} />
      </Page>
    );
  }
  if (!page || !community) {
    return (
      <Page>
        <LoadingState />
      </Page>
    );
  }
  return (
    <Page>
      <PageToast />
      <Text className="gz-muted gz-triage__intro">
        以下投诉无法自动分派，已受理，等待{page.owner ? `${page.owner.name}` : '负责人'}
        确定责任区域。确定后按规则派单，居民凭原查询码查看进度。
      </Text>
      {page.items.length === 0 ? (
        <EmptyState title="没有待分拨的投诉" />
      ) : (
        page.items.map((item) => (
          <TriageCard
            key={item.issue.id}
            item={item}
            community={community}
            canPlace={page.canPlace}
            open={open === item.issue.id}
            onOpen={() => setOpen(open === item.issue.id ? null : item.issue.id)}
            onPlaced={() => {
              setOpen(null);
              void load();
            }}
          />
        ))
      )}
    </Page>
  );
}

function TriageCard({
  item,
  community,
  canPlace,
  open,
  onOpen,
  onPlaced,
}: {
  item: TriageItem;
  community: PublicCommunity;
  canPlace: boolean;
  open: boolean;
  onOpen: () => void;
  onPlaced: () => void;
}) {
  const { issue } = item;
  const [place, setPlace] = useState<PlaceChoice>({
    building: issue.building !== null ? String(issue.building) : '',
    zone: issue.zone.startsWith('_') ? null : issue.zone,
  });
  const [category, setCategory] = useState<string>(issue.category);
  const [note, setNote] = useState('');
  const placing = useAction(
    (input: { place: PlaceChoice; category: string; note: string }, key: string) =>
      placeIssue(
        issue.id,
        {
          ...placeBody(input.place),
          ...(input.category !== issue.category ? { category: input.category } : {}),
          ...(input.note.trim() ? { note: input.note.trim() } : {}),
        },
        key,
      ),
    { done: '已分拨，已按规则派单' },
  );
  const submit = async () => {
    if (!place.building.trim() && !place.zone) return toast('请填写楼号或选择区域', 'warn');
    const placed = await placing.run({ place, category, note });
    if (placed) onPlaced();
  };
  return (
    <Card title={`${issue.categoryName} · ${issue.code}`}>
      <View className="gz-triage__reasons">
        {item.reasons.map((r) => (
          <Text key={r} className="gz-tag gz-triage__reason">
            {r}
          </Text>
        ))}
      </View>
      <Text className="gz-triage__desc">{issue.description}</Text>
      <Text className="gz-muted">
        {issue.zoneName}
        {issue.building !== null ? ` · 居民填写 ${issue.building} 号楼` : ''}
        {issue.spot ? ` · ${issue.spot}` : ''} · {formatTime(issue.createdAt)}
      </Text>
      <View className="gz-row gz-triage__actions">
        <Button
          size="small"
          fill="outline"
          onClick={() => Taro.navigateTo({ url: `/inspector/pages/issue/index?id=${issue.id}` })}
        >
          查看详情
        </Button>
        {canPlace && (
          <Button size="small" type="primary" onClick={onOpen}>
            {open ? '收起' : '分拨'}
          </Button>
        )}
      </View>
      {canPlace && open && (
        <View className="gz-triage__form">
          <Text className="gz-label">确定地点</Text>
          <PlacePicker community={community} value={place} onChange={setPlace} unsure={false} />
          <Text className="gz-label">问题类别（可更正）</Text>
          <CategoryGrid categories={community.categories} value={category} onChange={setCategory} />
          <Input
            className="gz-input"
            placeholder="说明（选填），如：已电话联系居民确认楼号"
            value={note}
            onChange={setNote}
            maxLength={500}
          />
          <Button block type="primary" loading={placing.busy} onClick={submit}>
            确定分拨
          </Button>
        </View>
      )}
    </Card>
  );
}
