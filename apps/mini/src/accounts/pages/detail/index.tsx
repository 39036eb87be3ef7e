import type { AccountDetail } from '@gongzhi/domain';
import { Button, Dialog, Input } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { formatTime } from '../../../services/format';
import { loadMe } from '../../../services/session';
import { accountTags, accountTitle, EventItems, OneTimePasswordCard } from '../../parts';
import { bindWechat, endSession, getAccount, resetPassword, setDisabled, unbindWechat } from '../../services';
import '../../accounts.css';

type Asking = 'disable' | 'enable' | 'reset' | 'unbind' | null;

const QUESTIONS: Record<Exclude<Asking, null>, { title: string; text: string; confirm: string }> = {
  disable: {
    title: '停用账号',
    text: '停用后该账号立即退出所有设备，无法再登录，直到重新启用。',
    confirm: '停用',
  },
  enable: { title: '重新启用', text: '启用后该账号可以再次登录。', confirm: '启用' },
  reset: {
    title: '重置密码',
    text: '将生成一次性密码，原密码立即失效，该账号退出所有设备；本人登录后须设置新密码。',
    confirm: '重置',
  },
  unbind: {
    title: '解除微信绑定',
    text: '解除后该微信不能再登录此账号，该账号退出所有设备。',
    confirm: '解除',
  },
};

/** One account: state, reset password, disable / enable, WeChat binding, sessions, its log. */
export default function AccountDetailPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [data, setData] = useState<AccountDetail | null>(null);
  const [selfId, setSelfId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<Asking>(null);
  const [busy, setBusy] = useState(false);
  const [openid, setOpenid] = useState('');
  const [oneTime, setOneTime] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setSelfId((await loadMe()).account.id);
      setData(await getAccount(id));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id]);
  useReload(load);

  const act = async (what: () => Promise<unknown>, done: string) => {
    setAsking(null);
    setBusy(true);
    try {
      await what();
      toast(done, 'success');
      await load();
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  const confirm = () => {
    if (asking === 'disable') void act(() => setDisabled(id, true), '已停用');
    if (asking === 'enable') void act(() => setDisabled(id, false), '已启用');
    if (asking === 'unbind') void act(() => unbindWechat(id), '已解除绑定');
    if (asking === 'reset')
      void act(async () => setOneTime((await resetPassword(id)).oneTimePassword), '密码已重置');
  };

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!data) return <LoadingState />;
  const a = data.account;
  const name = a.person?.name ?? a.displayName;
  const live = data.sessions.filter((s) => s.live);
  return (
    <Page>
      <PageToast />
      <Card title={accountTitle(a)}>
        {accountTags(a)}
        <Text className="gz-muted gz-accounts__line">创建于 {formatTime(a.createdAt)}</Text>
        {a.disabledAt && (
          <Text className="gz-accounts__off gz-accounts__line">停用于 {formatTime(a.disabledAt)}</Text>
        )}
        <View className="gz-row gz-accounts__actions">
          {a.kind !== 'resident' && (
            <Button type="primary" disabled={busy} onClick={() => setAsking('reset')}>
              重置密码
            </Button>
          )}
          {a.disabledAt ? (
            <Button type="primary" fill="outline" disabled={busy} onClick={() => setAsking('enable')}>
              重新启用
            </Button>
          ) : (
            a.id !== selfId && (
              <Button type="danger" fill="outline" disabled={busy} onClick={() => setAsking('disable')}>
                停用账号
              </Button>
            )
          )}
        </View>
      </Card>
      {oneTime && <OneTimePasswordCard name={name} password={oneTime} />}
      <Card title="微信登录">
        {a.wechatOpenid ? (
          <>
            <Text className="gz-accounts__line">已绑定 openid：</Text>
            <Text className="gz-accounts__mono" userSelect>
              {a.wechatOpenid}
            </Text>
            <Button className="gz-submit" fill="outline" disabled={busy} onClick={() => setAsking('unbind')}>
              解除绑定
            </Button>
          </>
        ) : (
          <>
            <Text className="gz-muted gz-accounts__line">
              未绑定。绑定后本人可用微信直接登录此账号（openid
              可在账号列表中搜索本人的居民账号找到，须先在那里解除绑定）。
            </Text>
            <Input
              className="gz-input"
              name="openid"
              placeholder="openid"
              value={openid}
              onChange={setOpenid}
            />
            <Button
              className="gz-submit"
              type="primary"
              fill="outline"
              disabled={busy || !openid.trim()}
              onClick={() => void act(() => bindWechat(id, openid.trim()), '已绑定微信')}
            >
              绑定微信
            </Button>
          </>
        )}
      </Card>
      <Card title={`登录中的设备（${live.length}）`}>
        {live.length === 0 ? (
          <Text className="gz-muted">没有登录中的设备</Text>
        ) : (
          live.map((s) => (
            <View key={s.id} className="gz-accounts__event gz-row gz-accounts__session">
              <View>
                <Text className="gz-accounts__line">登录于 {formatTime(s.createdAt)}</Text>
                <Text className="gz-muted gz-accounts__line">最近活动 {formatTime(s.lastActiveAt)}</Text>
              </View>
              <Button
                size="small"
                fill="outline"
                disabled={busy}
                onClick={() => void act(() => endSession(id, s.id), '已结束该登录')}
              >
                结束登录
              </Button>
            </View>
          ))
        )}
      </Card>
      <Card title="账号日志（最近 20 条）">
        {data.events.length === 0 ? (
          <EmptyState title="还没有记录" />
        ) : (
          <EventItems events={data.events} showAccount={false} />
        )}
      </Card>
      <Dialog
        visible={asking !== null}
        title={asking ? QUESTIONS[asking].title : ''}
        confirmText={asking ? QUESTIONS[asking].confirm : '确定'}
        cancelText="取消"
        onConfirm={confirm}
        onCancel={() => setAsking(null)}
        onClose={() => setAsking(null)}
      >
        <Text>{asking ? `${name}：${QUESTIONS[asking].text}` : ''}</Text>
      </Dialog>
    </Page>
  );
}
