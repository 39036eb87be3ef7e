import type { SimilarIssue } from '@gongzhi/domain';
import { Button } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { useAction } from '../hooks/use-action';
import { followIssue, loadSimilar } from '../services/similar';
import { Card } from './page';
import './similar-issues.css';

type Where = Parameters<typeof loadSimilar>[0];

/**
 * Before submitting: the open issues of the same building and category (docs/domain.md §4,
 * duplicates). "这也是我的问题" follows one instead of filing it again; the server says who may (a
 * signed-in resident) and answers with the new interest count. Nothing shows when there are none.
 */
export function SimilarIssues({ where }: { where: Where | null }) {
  const [items, setItems] = useState<SimilarIssue[]>([]);
  const [followed, setFollowed] = useState<Record<string, number>>({});
  const key = where ? JSON.stringify(where) : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `where`.
  useEffect(() => {
    if (!where) return setItems([]);
    let live = true;
    // After the typing stops: a building number is typed digit by digit.
    const timer = setTimeout(() => {
      loadSimilar(where).then(
        (r) => live && setItems(r.items),
        () => live && setItems([]),
      );
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  const following = useAction((id: string) => followIssue(id), { done: '已关注，处理进展会通知您' });
  if (items.length === 0) return null;
  return (
    <Card title={`已有相同问题在处理（${items.length}）`}>
      <Text className="gz-muted">如果是同一件事，点“这也是我的问题”即可关注进展，无需重复提交。</Text>
      {items.map((i) => (
        <View key={i.id} className="gz-similar">
          <Text className="gz-similar__what">
            {i.building !== null ? `${i.building} 号楼` : i.zoneName} · {i.categoryName} · {i.statusName}
          </Text>
          <Text className="gz-muted">
            {i.filedOn} 反映 · {followed[i.id] ?? i.interest} 人关注
          </Text>
          <Button
            size="small"
            fill="outline"
            type="primary"
            disabled={followed[i.id] !== undefined}
            loading={following.busy}
            onClick={async () => {
              const r = await following.run(i.id);
              if (r) setFollowed((f) => ({ ...f, [i.id]: r.interest }));
            }}
          >
            {followed[i.id] !== undefined ? '已关注' : '这也是我的问题'}
          </Button>
        </View>
      ))}
    </Card>
  );
}
