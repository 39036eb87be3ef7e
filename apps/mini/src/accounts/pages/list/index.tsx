import type { AccountView } from '@gongzhi/domain';
import { Button, Cell, CellGroup, Input } from '@nutui/nutui-react-taro';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { NavCell } from '../../../components/nav-cell';
import { Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { accountTags, accountTitle } from '../../parts';
import { type AccountFilter, listAccounts } from '../../services';
import '../../accounts.css';

const FILTERS: [AccountFilter, string][] = [
  ['staff', '工作人员与管理员'],
  ['disabled', '已停用'],
  ['resident', '居民'],
];

/** 账号与人员: the accounts the caller manages, searchable, a page at a time; new account; the log. */
export default function AccountListPage() {
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState<AccountFilter>('staff');
  const [items, setItems] = useState<AccountView[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const page = await listAccounts(q.trim(), filter);
      setItems(page.items);
      setNext(page.nextCursor);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [q, filter]);
  useReload(load);

  const more = async () => {
    if (!next) return;
    setBusy(true);
    try {
      const page = await listAccounts(q.trim(), filter, next);
      setItems((old) => [...(old ?? []), ...page.items]);
      setNext(page.nextCursor);
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page>
      <PageToast />
      <View className="gz-row gz-accounts__search">
        <Input
          name="q"
          placeholder="手机号、姓名或 openid"
          value={q}
          onChange={setQ}
          onConfirm={() => void load()}
          clearable
        />
        <Button size="small" type="primary" onClick={() => void load()}>
          搜索
        </Button>
      </View>
      <View className="gz-row gz-accounts__filters">
        {FILTERS.map(([key, label]) => (
          <Button
            key={key}
            size="small"
            type={filter === key ? 'primary' : 'default'}
            onClick={() => setFilter(key)}
          >
            {label}
          </Button>
        ))}
      </View>
      <CellGroup>
        <NavCell
          title="新建账号"
          description="为小区配置中的人员创建工作人员账号"
          url="/accounts/pages/create/index"
        />
        <NavCell
          title="账号日志"
          description="创建、停用、重置密码、结束登录、绑定微信的全部记录"
          url="/accounts/pages/log/index"
        />
      </CellGroup>
      {error ? (
        <ErrorState message={error} onRetry={load} />
      ) : !items ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title={q ? '没有找到匹配的账号' : '还没有账号'} />
      ) : (
        <CellGroup title="账号">
          {items.map((a) => (
            <Cell
              key={a.id}
              title={accountTitle(a)}
              description={accountTags(a)}
              clickable
              onClick={() => Taro.navigateTo({ url: `/accounts/pages/detail/index?id=${a.id}` })}
            />
          ))}
        </CellGroup>
      )}
      {next && (
        <Button className="gz-submit" block fill="outline" loading={busy} onClick={more}>
          加载更多
        </Button>
      )}
    </Page>
  );
}
