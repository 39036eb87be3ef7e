import {
  type IssueStatus,
  type IssueSummary,
  type Me,
  type PublicCommunity,
  STATUS_NAMES,
  URGENCY_NAMES,
} from '@gongzhi/domain';
import { Tabs } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import { Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast } from '../../../components/toast';
import { loadCommunity } from '../../../services/community';
import { formatTime } from '../../../services/format';
import { listIssues } from '../../../services/issues';
import { loadMe, zonesOf } from '../../../services/session';
import { ScanPlace } from '../../components/scan-place';
import './index.css';

const STATUS_FILTERS: { key: IssueStatus | ''; label: string }[] = [
  { key: '', label: '全部' },
  { key: 'dispatched', label: '待接单' },
  { key: 'in_progress', label: '处理中' },
  { key: 'resolved', label: '待验收' },
  { key: 'reopened', label: '已重开' },
  { key: 'closed', label: '已关闭' },
];

export default function ZoneIssuesPage() {
  const { params } = useRouter();
  /** Opened from a scanned code (查看未办结): that building's (or zone's) issues not yet concluded. */
  const scanOpen = params.open === 'true' && !!params.zone;
  const scanBuilding = params.building ? Number(params.building) : undefined;
  const scanned = scanOpen ? { building: scanBuilding, place: decodeURIComponent(params.place ?? '') } : null;
  const [me, setMe] = useState<Me | null>(null);
  const [community, setCommunity] = useState<PublicCommunity | null>(null);
  /** 'all': every zone the person may read. */
  const [zone, setZone] = useState<string>(scanned ? String(params.zone) : 'all');
  const [status, setStatus] = useState<IssueStatus | ''>('');
  const [items, setItems] = useState<IssueSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(false);

  const load = useCallback(
    async (opts: { zone: string; status: IssueStatus | ''; more?: string | null }) => {
      if (loading.current) return;
      loading.current = true;
      setError(null);
      try {
        const m = me ?? (await loadMe());
        setMe(m);
        const key = m.person?.community;
        if (!key) throw new Error('当前账号不属于任何小区');
        setCommunity(community ?? (await loadCommunity(key)));
        const page = await listIssues({
          community: key,
          zone: opts.zone === 'all' ? undefined : opts.zone,
          status: opts.status || undefined,
          ...(scanOpen ? { open: 'true' as const, building: scanBuilding } : {}),
          cursor: opts.more ?? undefined,
        });
        setItems((prev) => (opts.more ? [...(prev ?? []), ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (e) {
        setError((e as Error).message);
      } finally {
        loading.current = false;
      }
    },
    [me, community, scanOpen, scanBuilding],
  );

  useDidShow(() => void load({ zone, status }));
  usePullDownRefresh(async () => {
    await load({ zone, status });
    Taro.stopPullDownRefresh();
  });
  useReachBottom(() => {
    if (cursor) void load({ zone, status, more: cursor });
  });

  const myZones = me ? [...new Set(zonesOf(me).map((z) => z.zone))] : [];
  const zoneName = (k: string) => community?.zones.find((z) => z.key === k)?.name ?? k;

  return (
    <Page className="gz-zone">
      <PageToast />
      {scanned ? (
        <View className="gz-zone__scanned">
          <Text className="gz-strong" data-testid="scanned-place">
            {scanned.place || zoneName(zone)} · 未办结
          </Text>
        </View>
      ) : (
        <ScanPlace
          onReport={(code) =>
            Taro.navigateTo({ url: `/inspector/pages/report/index?qr=${encodeURIComponent(code)}` })
          }
        />
      )}
      {!scanned && myZones.length > 0 && (
        <Tabs
          value={zone}
          onChange={(v) => {
            const z = String(v);
            setZone(z);
            setItems(null);
            void load({ zone: z, status });
          }}
        >
          <Tabs.TabPane title="我的全部区域" value="all" />
          {myZones.map((z) => (
            <Tabs.TabPane key={z} title={zoneName(z)} value={z} />
          ))}
        </Tabs>
      )}
      <View className="gz-filters">
        {STATUS_FILTERS.filter((f) => !scanned || f.key !== 'closed').map((f) => (
          <Text
            key={f.key || 'all'}
            className={`gz-filter ${status === f.key ? 'gz-filter--on' : ''}`}
            onClick={() => {
              setStatus(f.key);
              setItems(null);
              void load({ zone, status: f.key });
            }}
          >
            {f.label}
          </Text>
        ))}
      </View>
      {error ? (
        <ErrorState message={error} onRetry={() => load({ zone, status })} />
      ) : items === null ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title="这里还没有问题" />
      ) : (
        <View>
          {items.map((i) => (
            <View
              key={i.id}
              className="gz-issue"
              onClick={() => Taro.navigateTo({ url: `/inspector/pages/issue/index?id=${i.id}` })}
            >
              <View className="gz-row gz-issue__head">
                <Text className="gz-issue__cat">{i.categoryName}</Text>
                {i.urgency !== 'normal' && <Text className="gz-tag">{URGENCY_NAMES[i.urgency]}</Text>}
                <View style={{ flex: 1 }} />
                <Text className={`gz-status gz-status--${i.status}`}>{STATUS_NAMES[i.status]}</Text>
              </View>
              <Text className="gz-issue__desc gz-clamp-3">{i.description}</Text>
              <Text className="gz-muted">
                {i.zoneName}
                {i.building !== null ? ` · ${i.building} 号楼` : ''}
                {i.spot ? ` · ${i.spot}` : ''} · {formatTime(i.createdAt)}
                {i.owner ? ` · 负责：${i.owner.name}` : ''}
              </Text>
            </View>
          ))}
          <Text className="gz-muted gz-zone__end">{cursor ? '上拉加载更多' : '没有更多了'}</Text>
        </View>
      )}
    </Page>
  );
}
