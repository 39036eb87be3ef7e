import { CONFIG_SOURCE_NAMES, type ConfigVersionView } from '@gongzhi/domain';
import { Button } from '@nutui/nutui-react-taro';
import { Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { formatTime } from '../../../services/format';
import { listVersions } from '../../services';
import '../../people.css';

/** 配置版本记录 (administrators): every version, newest first: who, when, why, and what changed. */
export default function VersionsPage() {
  const community = useRouter().params.community ?? '';
  const [items, setItems] = useState<ConfigVersionView[] | null>(null);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const page = await listVersions(community);
      setItems(page.items);
      setNextBefore(page.nextBefore);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [community]);
  useReload(load);

  const more = async () => {
    if (nextBefore === null) return;
    setBusy(true);
    try {
      const page = await listVersions(community, nextBefore);
      setItems((list) => [...(list ?? []), ...page.items]);
      setNextBefore(page.nextBefore);
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!items) return <LoadingState />;
  if (items.length === 0) return <EmptyState title="还没有配置版本" />;
  return (
    <Page>
      <PageToast />
      {items.map((v) => (
        <Card
          key={v.version}
          title={`第 ${v.version} 版`}
          extra={<Text className="gz-tag">{CONFIG_SOURCE_NAMES[v.source]}</Text>}
        >
          <Text className="gz-muted" style={{ display: 'block' }}>
            {formatTime(v.createdAt)} · {v.author ?? '系统（读取配置文件）'}
          </Text>
          <Text style={{ display: 'block', margin: '6px 0' }}>原因：{v.reason}</Text>
          {v.diff.length === 0 ? (
            <Text className="gz-muted">没有改动</Text>
          ) : (
            v.diff.map((d) => (
              <Text key={`${d.path}-${d.change}-${d.text}`} className="gz-people__diff">
                {d.text}
              </Text>
            ))
          )}
        </Card>
      ))}
      {nextBefore !== null && (
        <Button block fill="outline" loading={busy} onClick={more}>
          更早的版本
        </Button>
      )}
    </Page>
  );
}
