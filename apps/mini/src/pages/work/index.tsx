import {
  kpiReach,
  type Me,
  mayReadKpis,
  mayVerifyHome,
  ORG_NAMES,
  type PublicCommunity,
  UnreadCount,
} from '@gongzhi/domain';
import { Button, Cell, CellGroup, Input } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../components/page';
import { ErrorState, LoadingState } from '../../components/states';
import { PageToast, toast } from '../../components/toast';
import { outbox } from '../../offline/outbox';
import { loadCommunity } from '../../services/community';
import { api } from '../../services/http';
import { isLoggedIn, loadMe, login, logout, zonesOf } from '../../services/session';
import { refreshUnreadBadge } from '../../services/work';
import './index.css';
import { NavCell } from '../../components/nav-cell';

export default function WorkPage() {
  const [me, setMe] = useState<Me | null>(null);
  const [community, setCommunity] = useState<PublicCommunity | null>(null);
  const [state, setState] = useState<'loading' | 'login' | 'ready' | 'error'>(
    isLoggedIn() ? 'loading' : 'login',
  );
  const [error, setError] = useState('');
  const [pendingCount, setPendingCount] = useState(0);
  const [unread, setUnread] = useState(0);

  const load = useCallback(async () => {
    if (!isLoggedIn()) return setState('login');
    try {
      const m = await loadMe();
      setMe(m);
      if (m.person) setCommunity(await loadCommunity(m.person.community));
      setPendingCount((await outbox.list()).filter((i) => i.kind === 'issue').length);
      // Offline the workbench still opens (from the cached profile); the count comes back later.
      const count = await api(UnreadCount, '/api/me/notifications/unread-count', { auth: true }).catch(
        () => null,
      );
      if (count) {
        setUnread(count.unread);
        void refreshUnreadBadge(count.unread);
      }
      setState('ready');
    } catch (e) {
      if (!isLoggedIn()) return setState('login');
      setError((e as Error).message);
      setState('error');
    }
  }, []);

  useDidShow(() => void load());

  if (state === 'login') return <LoginForm onDone={load} />;
  if (state === 'error') return <ErrorState message={error} onRetry={load} />;
  if (state === 'loading' || !me) return <LoadingState />;

  const zones = zonesOf(me);
  const zoneName = (key: string) => community?.zones.find((z) => z.key === key)?.name ?? key;
  const patrols = zones.length > 0;
  const roles = me.roles;
  const owns = !!roles && (zones.some((z) => z.leader) || roles.linesLed.length > 0 || roles.propertyManager);
  const meets = !!roles && (zones.length > 0 || roles.secretary || roles.leadership);
  const writesNotices = !!roles && (roles.secretary || roles.leadership || zones.some((z) => z.leader));
  const verifies = zones.some((z) => mayVerifyHome(roles, z.zone));
  const readsKpis = mayReadKpis(kpiReach({ admin: me.account.kind === 'admin', roles }));
  const receivesLetters =
    !!roles && (owns || roles.secretary || roles.leadership || zones.some((z) => z.org === 'property'));

  return (
    <Page>
      <PageToast />
      <Card title={me.person?.name ?? me.account.displayName}>
        {zones.map((z) => (
          <Text key={`${z.zone}-${z.org}`} className="gz-tag gz-work__role">
            {zoneName(z.zone)} · {ORG_NAMES[z.org]}
            {z.leader ? ' · 组长' : ''}
          </Text>
        ))}
        {me.roles?.linesLed.map((l) => (
          <Text key={l} className="gz-tag gz-work__role">
            条线负责人 · {community?.lines.find((x) => x.key === l)?.name ?? l}
          </Text>
        ))}
        {me.roles?.propertyManager && <Text className="gz-tag gz-work__role">物业经理</Text>}
      </Card>
      <CellGroup title="巡查">
        {patrols && (
          <NavCell
            title="巡查上报"
            description="拍照上报巡查中发现的问题"
            url={'/inspector/pages/report/index'}
          />
        )}
        <NavCell
          title="区域问题"
          description="我所在区域的问题、进度与处理记录"
          url={'/inspector/pages/zone/index'}
        />
        {pendingCount > 0 && (
          <Cell
            title={`待提交的上报 ${pendingCount} 条`}
            description="没有网络时保存在本机，联网后自动提交"
            clickable
            onClick={() =>
              outbox.flush().then((r) => {
                toast(r.sent.length ? `已提交 ${r.sent.length} 条` : '仍无法连接，稍后自动重试');
                void load();
              })
            }
          />
        )}
      </CellGroup>
      <CellGroup title="任务与督办">
        <NavCell
          title="我的任务"
          description="派给我的任务：接单、退单、开始处理、办结"
          url={'/staff/pages/tasks/index?tab=mine'}
        />
        {owns && (
          <NavCell
            title="超时督办"
            description="我负责的问题中已超时的任务"
            url={'/staff/pages/tasks/index?tab=overdue'}
          />
        )}
        <Cell
          title="消息通知"
          extra={unread > 0 ? <Text className="gz-work__badge">{unread}</Text> : undefined}
          clickable
          onClick={() => Taro.navigateTo({ url: '/staff/pages/inbox/index' })}
        />
        {receivesLetters && (
          <NavCell
            title="提示函与警示函"
            description="发给所在组织的函件，须签收"
            url={'/staff/pages/letters/index'}
          />
        )}
        {receivesLetters && (
          <Cell
            title="诚信档案"
            description="各单位的函件、失职、按时办结率、满意率、评议和信用得分"
            clickable
            onClick={() =>
              Taro.navigateTo({
                url: `/kpi/pages/credit/index?org=${roles?.secretary || roles?.leadership ? 'property' : (zones[0]?.org ?? 'property')}`,
              })
            }
          />
        )}
      </CellGroup>
      {me.person && (
        <CellGroup title="值班">
          <NavCell title="我的班次" description="我的值班安排，可申请换班" url={'/duty/pages/shifts/index'} />
          <Cell
            title="月度值班表"
            clickable
            onClick={() => Taro.navigateTo({ url: '/duty/pages/rota/index' })}
          />
          <NavCell title="换班" description="发起换班，答复别人的换班申请" url={'/duty/pages/swaps/index'} />
          <NavCell
            title="接待记录"
            description="值班时登记来访咨询，可转为问题"
            url={'/duty/pages/log/index'}
          />
        </CellGroup>
      )}
      {meets && (
        <CellGroup title="会议与决议">
          <Cell
            title={zones.some((z) => z.leader) ? '区域会议' : '区域会议记录'}
            description={
              zones.some((z) => z.leader) ? '召集会议、登记出席、纪要与处理意见' : '所在区域的会议'
            }
            clickable
            onClick={() => Taro.navigateTo({ url: '/meetings/pages/index/index?tab=zone' })}
          />
          <Cell
            title="联席会议"
            description={
              roles?.secretary ? '待上会议题、安排会议、出席与表决、纪要' : '议程、出席、表决与决议'
            }
            clickable
            onClick={() => Taro.navigateTo({ url: '/meetings/pages/index/index?tab=joint' })}
          />
          <NavCell
            title="决议跟踪"
            description="决议落实进度、申请复议"
            url={'/meetings/pages/index/index?tab=resolutions'}
          />
        </CellGroup>
      )}
      {writesNotices && (
        <CellGroup title="公告公示">
          <NavCell
            title="公告管理"
            description="起草（按名单、决议、维修资金生成）、审核、发布、撤回"
            url={'/notices/pages/manage/index'}
          />
        </CellGroup>
      )}
      {(roles?.secretary || roles?.leadership) && (
        <CellGroup title="档案">
          <NavCell
            title="季度归档"
            description="归档已结束的季度（问题、会议、值班、函件），下载归档包"
            url={'/archive/pages/index/index'}
          />
        </CellGroup>
      )}
      {(roles?.leadership || verifies) && (
        <CellGroup title="居民评议">
          {roles?.leadership && (
            <NavCell
              title="评议管理"
              description="季度评议：创建、开始、结束、公布，打印评议码，核查记录"
              url={'/evaluation/pages/admin/index'}
            />
          )}
          {verifies && (
            <NavCell
              title="住户认证审核"
              description="核实本区域居民绑定的房屋"
              url={'/evaluation/pages/verify/index'}
            />
          )}
        </CellGroup>
      )}
      {readsKpis && (
        <CellGroup title="考核">
          <NavCell
            title="考核指标"
            description="调处率、处置有效率、满意率、按时办结率，可导出"
            url={'/kpi/pages/dashboard/index'}
          />
        </CellGroup>
      )}
      <Button
        className="gz-submit"
        block
        fill="outline"
        onClick={async () => {
          void refreshUnreadBadge(0);
          await logout();
          setMe(null);
          setState('login');
        }}
      >
        退出登录
      </Button>
    </Page>
  );
}

function LoginForm({ onDone }: { onDone: () => void }) {
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!/^1\d{10}$/.test(phone)) return toast('请输入 11 位手机号码', 'warn');
    if (!password) return toast('请输入密码', 'warn');
    setBusy(true);
    try {
      await login(phone, password);
      onDone();
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page>
      <PageToast />
      <View className="gz-login__head">
        <Text className="gz-login__title">工作人员登录</Text>
        <Text className="gz-muted">网格巡查员、物业、区域组长、条线负责人等工作人员使用</Text>
      </View>
      <Card>
        <Text className="gz-label">手机号</Text>
        <Input
          name="phone"
          type="tel"
          placeholder="请输入手机号"
          value={phone}
          onChange={setPhone}
          maxLength={11}
        />
        <Text className="gz-label">密码</Text>
        <Input
          name="password"
          type="password"
          placeholder="请输入密码"
          value={password}
          onChange={setPassword}
        />
        <Button className="gz-submit" block type="primary" loading={busy} onClick={submit}>
          登录
        </Button>
      </Card>
      <Text className="gz-muted">居民反映问题无需登录：扫描楼道里的二维码即可。</Text>
    </Page>
  );
}
