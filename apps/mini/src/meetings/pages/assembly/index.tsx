import type { OwnersAssemblyView } from '@gongzhi/domain';
import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { formatTime } from '../../../services/format';
import { listOwnersAssemblies } from '../../services';

/** The owners' assembly decisions on an issue, each with art. 278's arithmetic, one sentence per check. */
export default function AssemblyPage() {
  const { params } = useRouter();
  const issue = params.issue ?? '';
  const [items, setItems] = useState<OwnersAssemblyView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setItems((await listOwnersAssemblies(issue)).items);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [issue]);
  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!items) return <LoadingState />;
  if (items.length === 0) return <EmptyState title="这个问题还没有业主大会表决" />;
  return (
    <Page>
      {items.map((a) => (
        <Card
          key={a.id}
          title={a.result.matterName}
          extra={
            <Text className={a.passed ? 'gz-ok' : 'gz-bad'}>{a.passed ? '表决通过' : '表决未通过'}</Text>
          }
        >
          <Text className="gz-item__line gz-muted">
            《民法典》第二百七十八条 · {a.result.rule === 'three_quarters' ? '双四分之三' : '双过半'} ·{' '}
            {formatTime(a.createdAt)} 由{a.recordedBy.name}录入
          </Text>
          {a.result.checks.map((c) => (
            <View key={c.key} className="gz-row gz-check-line">
              <Text className={c.met ? 'gz-ok' : 'gz-bad'}>{c.met ? '✓' : '✗'}</Text>
              <Text className="gz-item__line">{c.text}</Text>
            </View>
          ))}
          <Text className="gz-item__line">{a.result.summary}</Text>
          {a.fundUse && (
            <View>
              <Text className="gz-label">维修资金使用程序</Text>
              {a.fundUse.steps.map((s) => (
                <Text key={s.step} className="gz-item__line">
                  {s.done ? '✓ ' : '○ '}
                  {s.text}
                </Text>
              ))}
            </View>
          )}
        </Card>
      ))}
    </Page>
  );
}
