import { type TaskView, URGENCY_NAMES } from '@gongzhi/domain';
import { Button, Tabs } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import { Page } from '../../../components/page';
import { ReasonDialog } from '../../../components/reason-dialog';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { formatTime } from '../../../services/format';
import { loadMe } from '../../../services/session';
import { askForSubscriptions, loadSubscriptionTemplates } from '../../../services/subscriptions';
import { acceptTask, listTasks, returnTask, startTask, type TaskFilter } from '../../../services/work';
import './index.css';

type Tab = 'mine' | 'mine-done' | 'owned' | 'overdue';

const TAB_FILTERS: Record<Tab, Omit<TaskFilter, 'community'>> = {
  mine: { view: 'mine', status: 'active' },
  'mine-done': { view: 'mine', status: 'done' },
  owned: { view: 'owned', status: 'active' },
  overdue: { view: 'owned', status: 'active', overdue: true },
};

/**
 * The task inbox (dispatched to me) and, for owners and the property manager, the work on their
 * issues with the overdue view. Each card offers only the steps its state allows.
 */
export default function TasksPage() {
  const { params } = useRouter();
  const [tab, setTab] = useState<Tab>((params.tab as Tab) ?? 'mine');
  const [items, setItems] = useState<TaskView[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [returning, setReturning] = useState<TaskView | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const community = useRef('');

  const load = useCallback(async (which: Tab, more?: string | null) => {
    setError(null);
    try {
      if (!community.current) community.current = (await loadMe()).person?.community ?? '';
      const page = await listTasks({
        community: community.current,
        ...TAB_FILTERS[which],
        cursor: more ?? undefined,
      });
      setItems((prev) => (more ? [...(prev ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);

  useDidShow(() => {
    void load(tab);
    void loadSubscriptionTemplates();
  });
  usePullDownRefresh(async () => {
    await load(tab);
    Taro.stopPullDownRefresh();
  });
  useReachBottom(() => {
    if (cursor) void load(tab, cursor);
  });

  const act = async (t: TaskView, fn: () => Promise<TaskView>, done: string) => {
    setBusy(t.id);
    try {
      const next = await fn();
      setItems((list) => list?.map((x) => (x.id === next.id ? next : x)) ?? null);
      toast(done, 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(null);
    }
  };

  return (
    <Page>
      <PageToast />
      <Tabs
        value={tab}
        onChange={(v) => {
          const next = v as Tab;
          setTab(next);
          setItems(null);
          void load(next);
        }}
      >
        <Tabs.TabPane title="待办" value="mine" />
        <Tabs.TabPane title="已办" value="mine-done" />
        <Tabs.TabPane title="我负责的" value="owned" />
        <Tabs.TabPane title="超时督办" value="overdue" />
      </Tabs>
      {error ? (
        <ErrorState message={error} onRetry={() => load(tab)} />
      ) : items === null ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title={tab === 'overdue' ? '没有超时的任务' : '没有任务'} />
      ) : (
        items.map((t) => (
          <View key={t.id} className={`gz-task ${t.urgency === 'emergency' ? 'gz-task--emergency' : ''}`}>
            <View
              className="gz-task__body"
              onClick={() => Taro.navigateTo({ url: `/inspector/pages/issue/index?id=${t.issueId}` })}
            >
              <View className="gz-row">
                <Text className="gz-task__cat">{t.categoryName}</Text>
                {t.urgency !== 'normal' && <Text className="gz-tag">{URGENCY_NAMES[t.urgency]}</Text>}
                {t.overdue && (
                  <Text className="gz-tag gz-task__overdue">
                    {t.overdue === 'accept' ? '接单超时' : '办结超时'}
                  </Text>
                )}
                <View style={{ flex: 1 }} />
                <Text className="gz-status">{t.statusName}</Text>
              </View>
              <Text className="gz-task__desc gz-clamp-3">{t.description}</Text>
              <Text className="gz-muted">
                {t.zoneName}
                {t.building !== null ? ` · ${t.building} 号楼` : ''}
                {t.spot ? ` · ${t.spot}` : ''} · {t.issueCode}
              </Text>
              <Text className="gz-muted">
                {tab === 'owned' || tab === 'overdue' ? `处理人：${t.assignee.name} · ` : ''}
                {t.status === 'open'
                  ? `请在 ${formatTime(t.acceptDueAt)} 前接单`
                  : `请在 ${formatTime(t.resolveDueAt)} 前办结`}
              </Text>
            </View>
            {(tab === 'mine' || tab === 'mine-done') && (
              <View className="gz-task__actions">
                {t.allowedActions.includes('return') && (
                  <Button
                    size="small"
                    fill="outline"
                    disabled={busy === t.id}
                    onClick={() => setReturning(t)}
                  >
                    退单
                  </Button>
                )}
                {t.allowedActions.includes('accept') && (
                  <Button
                    size="small"
                    type="primary"
                    loading={busy === t.id}
                    onClick={() => {
                      askForSubscriptions(); // weapp: be told of what follows on this work
                      void act(t, () => acceptTask(t.id), '已接单');
                    }}
                  >
                    接单
                  </Button>
                )}
                {t.allowedActions.includes('start') && (
                  <Button
                    size="small"
                    fill="outline"
                    type="primary"
                    loading={busy === t.id}
                    onClick={() => act(t, () => startTask(t.id), '已开始处理')}
                  >
                    开始处理
                  </Button>
                )}
                {t.allowedActions.includes('resolve') && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() =>
                      Taro.navigateTo({
                        url: `/staff/pages/resolve/index?task=${t.id}&role=${t.role}&issue=${t.issueId}`,
                      })
                    }
                  >
                    办结
                  </Button>
                )}
              </View>
            )}
          </View>
        ))
      )}
      <ReasonDialog
        visible={returning !== null}
        title="退单原因"
        placeholder="例如：不属于物业职责范围、需要其他部门配合"
        onCancel={() => setReturning(null)}
        onConfirm={(reason) => {
          const t = returning!;
          setReturning(null);
          void act(t, () => returnTask(t.id, reason), '已退回给负责人');
        }}
      />
    </Page>
  );
}
