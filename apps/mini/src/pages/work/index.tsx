import { type Me, ORG_NAMES, type PublicCommunity, UnreadCount, type WorkMenuKey } from '@gongzhi/domain';
import { Button, Cell, CellGroup, Input } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { type ReactNode, useCallback, useState } from 'react';
import { Card, Page } from '../../components/page';
import { ErrorState, LoadingState } from '../../components/states';
import { PageToast, toast } from '../../components/toast';
import { outbox } from '../../offline/outbox';
import { loadCommunity } from '../../services/community';
import { api } from '../../services/http';
import { takeLoginReturn } from '../../services/login-return';
import { bindOwnWechat, wechatSignIn } from '../../services/resident-session';
import { isLoggedIn, loadMe, login, logout, zonesOf } from '../../services/session';
import { refreshUnreadBadge } from '../../services/work';
import './index.css';
import { NavCell } from '../../components/nav-cell';
import { OwnPhoneCard } from '../../components/own-phone-card';

/** What each work desk entry is called and opens; `variant` is the form the server offers. */
const ENTRIES: Record<
  Exclude<WorkMenuKey, 'inbox'>,
  (variant: string | null) => { title: string; description?: string; url: string }
> = {
  patrol_report: () => ({
    title: '巡查上报',
    description: '拍照上报巡查中发现的问题',
    url: '/inspector/pages/report/index',
  }),
  rounds: () => ({
    title: '两巡两访',
    description: '登记巡查、走访（未发现问题也登记），每月统计',
    url: '/oversight/pages/rounds/index',
  }),
  zone_issues: () => ({
    title: '区域问题',
    description: '我所在区域的问题、进度与处理记录',
    url: '/inspector/pages/zone/index',
  }),
  dispatch_desk: () => ({
    title: '调度台',
    description: '退单、待派单、超时、待验收：重新派单、改派、合并、驳回',
    url: '/inspector/pages/desk/index',
  }),
  callbacks: () => ({
    title: '回访',
    description: '已结案的问题：致电反映人，记录“解决了吗”“满意吗”',
    url: '/inspector/pages/callbacks/index',
  }),
  triage_desk: () => ({
    title: '兜底分拨',
    description: '无法自动分派的投诉：确定楼栋或区域后按规则派单',
    url: '/inspector/pages/triage/index',
  }),
  external_orders: () => ({
    title: '12345 与街道转办',
    description: '登记外部工单、办结后回复、查看期限',
    url: '/intake/pages/external/index',
  }),
  monthly_topics: () => ({
    title: '每月一题',
    description: '高频问题提交联席会议，查看之后的变化',
    url: '/intake/pages/topics/index',
  }),
  my_tasks: () => ({
    title: '我的任务',
    description: '派给我的任务：接单、退单、开始处理、办结',
    url: '/staff/pages/tasks/index?tab=mine',
  }),
  overdue_tasks: () => ({
    title: '超时督办',
    description: '我负责的问题中已超时的任务',
    url: '/staff/pages/tasks/index?tab=overdue',
  }),
  letters: () => ({
    title: '提示函与警示函',
    description: '发给所在组织的函件，须签收',
    url: '/staff/pages/letters/index',
  }),
  credit: (org) => ({
    title: '诚信档案',
    description: '各单位的函件、失职、按时办结率、满意率、评议和信用得分',
    url: `/kpi/pages/credit/index?org=${org ?? 'property'}`,
  }),
  oversight: () => ({
    title: '监督委员会',
    description: '查阅投诉处理、维修资金、函件与诚信档案，发表监督意见',
    url: '/oversight/pages/index/index',
  }),
  reports: () => ({
    title: '评估报告',
    description: '四方季度、年度评估报告与联席会议执行情况，可打印',
    url: '/kpi/pages/report/index',
  }),
  my_shifts: () => ({
    title: '我的班次',
    description: '我的值班安排，可申请换班',
    url: '/duty/pages/shifts/index',
  }),
  rota: () => ({ title: '月度值班表', url: '/duty/pages/rota/index' }),
  swaps: () => ({
    title: '换班',
    description: '发起换班，答复别人的换班申请',
    url: '/duty/pages/swaps/index',
  }),
  duty_log: () => ({
    title: '接待记录',
    description: '值班时登记来访咨询，可转为问题',
    url: '/duty/pages/log/index',
  }),
  zone_meetings: (variant) => ({
    title: variant === 'leader' ? '区域会议' : '区域会议记录',
    description: variant === 'leader' ? '召集会议、登记出席、纪要与处理意见' : '所在区域的会议',
    url: '/meetings/pages/index/index?tab=zone',
  }),
  joint_meetings: (variant) => ({
    title: '联席会议',
    description:
      variant === 'secretary' ? '待上会议题、安排会议、出席与表决、纪要' : '议程、出席、表决与决议',
    url: '/meetings/pages/index/index?tab=joint',
  }),
  resolutions: () => ({
    title: '决议跟踪',
    description: '决议落实进度、申请复议',
    url: '/meetings/pages/index/index?tab=resolutions',
  }),
  notices: () => ({
    title: '公告管理',
    description: '起草（按名单、决议、维修资金生成）、审核、发布、撤回',
    url: '/notices/pages/manage/index',
  }),
  honor_roll: () => ({
    title: '红黑榜',
    description: '居民公约履约情况：记录红榜、黑榜，生成公告经审核后公布',
    url: '/notices/pages/honor-roll/index',
  }),
  ledger: () => ({
    title: '工单台账',
    description: '按月份、区域、类别、状态导出 Excel 或 CSV，用于月度报送',
    url: '/kpi/pages/ledger/index',
  }),
  archive: () => ({
    title: '季度归档',
    description: '归档已结束的季度（问题、会议、值班、函件），下载归档包',
    url: '/archive/pages/index/index',
  }),
  evaluation_admin: () => ({
    title: '评议管理',
    description: '季度评议：创建、开始、结束、公布，打印评议码，核查记录',
    url: '/evaluation/pages/admin/index',
  }),
  verify_homes: () => ({
    title: '住户认证审核',
    description: '核实本区域居民绑定的房屋',
    url: '/evaluation/pages/verify/index',
  }),
  kpis: () => ({
    title: '考核指标',
    description: '调处率、处置有效率、满意率、按时办结率，可导出',
    url: '/kpi/pages/dashboard/index',
  }),
  accounts: (variant) => ({
    title: '账号与人员',
    description:
      variant === 'all'
        ? '创建账号、重置密码、停用与启用、登录设备、微信绑定、账号日志'
        : '本小区工作人员的账号：创建、重置密码、停用与启用、账号日志',
    url: '/accounts/pages/list/index',
  }),
  password: () => ({
    title: '修改密码',
    description: '修改后其他设备上的登录会退出',
    url: '/accounts/pages/password/index',
  }),
  people: () => ({
    title: '人员与网格',
    description: '人员、区域成员与组长、条线负责人、秘书、领导小组；版本记录',
    url: '/people/pages/index/index',
  }),
  rollup: () => ({
    title: '区域汇总',
    description: '多个小区按季度或月份的问题数、处理、按时率、满意率',
    url: '/accounts/pages/rollup/index',
  }),
  open311_keys: () => ({
    title: 'Open311 接入密钥',
    description: '为区城运中心、12345 等外部系统生成、吊销提交问题的密钥',
    url: '/accounts/pages/open311-keys/index',
  }),
  bans: () => ({
    title: '封禁名单',
    description: '恶意投诉的手机号或微信账号：投诉保留但不显示、不派单',
    url: '/accounts/pages/bans/index',
  }),
};

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
      // A one-time password opens nothing but the page that replaces it.
      if (m.passwordChangeRequired) {
        setState('loading');
        return void Taro.navigateTo({ url: '/accounts/pages/password/index' });
      }
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
  // The server says which entries this person may open (`me.menu`); the page only names them.
  const offered = new Map(me.menu.map((e) => [e.key, e.variant]));
  const entry = (key: WorkMenuKey) => {
    if (!offered.has(key)) return null;
    if (key === 'inbox') {
      return (
        <Cell
          key={key}
          title="消息通知"
          extra={unread > 0 ? <Text className="gz-work__badge">{unread}</Text> : undefined}
          clickable
          onClick={() => Taro.navigateTo({ url: '/staff/pages/inbox/index' })}
        />
      );
    }
    const e = ENTRIES[key](offered.get(key) ?? null);
    return <NavCell key={key} title={e.title} description={e.description} url={e.url} />;
  };
  const section = (title: string, keys: readonly WorkMenuKey[], extra?: ReactNode) =>
    keys.some((k) => offered.has(k)) || extra ? (
      <CellGroup title={title}>
        {keys.map(entry)}
        {extra}
      </CellGroup>
    ) : null;

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
        {me.roles?.supervisor && <Text className="gz-tag gz-work__role">监督委员会</Text>}
      </Card>
      {section('监督', ['oversight'])}
      {section(
        '巡查',
        ['patrol_report', 'rounds', 'zone_issues'],
        pendingCount > 0 && (
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
        ),
      )}
      {section('任务与督办', [
        'dispatch_desk',
        'callbacks',
        'triage_desk',
        'external_orders',
        'my_tasks',
        'overdue_tasks',
        'inbox',
        'letters',
        'credit',
        'reports',
      ])}
      {section('值班', ['my_shifts', 'rota', 'swaps', 'duty_log'])}
      {section('会议与决议', ['zone_meetings', 'joint_meetings', 'resolutions', 'monthly_topics'])}
      {section('公告公示', ['notices', 'honor_roll'])}
      {section('档案', ['archive'])}
      {section('居民评议', ['evaluation_admin', 'verify_homes'])}
      {section('考核与台账', ['kpis', 'ledger', 'rollup'])}
      {section('账号', ['accounts', 'password'])}
      {section('管理', ['people', 'open311_keys', 'bans'])}
      <OwnPhoneCard />
      {process.env.TARO_ENV === 'weapp' && me.account.kind !== 'resident' && (
        <Button
          block
          fill="outline"
          type="primary"
          onClick={() =>
            bindOwnWechat().then(
              () => toast('已绑定微信，下次可用“微信登录”', 'success'),
              (e: Error) => toast(e.message, 'fail'),
            )
          }
        >
          绑定微信（下次免密码登录）
        </Button>
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
  /** One login attempt: the form is busy meanwhile; once in, back to the page that asked for it. */
  const attempt = async (signIn: () => Promise<boolean>) => {
    setBusy(true);
    try {
      if (!(await signIn())) return;
      onDone();
      const back = takeLoginReturn();
      if (back) await Taro.navigateTo({ url: back });
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };
  const submit = () => {
    if (!/^1\d{10}$/.test(phone)) return toast('请输入 11 位手机号码', 'warn');
    if (!password) return toast('请输入密码', 'warn');
    return attempt(async () => {
      await login(phone, password);
      return true;
    });
  };
  const signInByWechat = () =>
    attempt(async () => {
      await wechatSignIn();
      if ((await loadMe()).account.kind !== 'resident') return true;
      // This WeChat is not bound to a staff account: WeChat signed in a resident instead.
      await logout();
      toast('该微信尚未绑定工作人员账号：请先用手机号和密码登录，再在工作台点“绑定微信”', 'warn');
      return false;
    });
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
        {process.env.TARO_ENV === 'weapp' && (
          <Button block fill="outline" type="primary" disabled={busy} onClick={signInByWechat}>
            微信登录（已绑定微信的工作人员）
          </Button>
        )}
      </Card>
      <Text className="gz-muted">居民反映问题无需登录：扫描楼道里的二维码即可。</Text>
    </Page>
  );
}
