import {
  ACCOUNT_EVENT_NAMES,
  ACCOUNT_KIND_NAMES,
  type AccountEventView,
  type AccountView,
} from '@gongzhi/domain';
import { Button } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Card } from '../components/page';
import { toast } from '../components/toast';
import { formatTime } from '../services/format';

/** Who an account is, in one line: the person (or kind) and the phone. */
export const accountTitle = (a: AccountView) =>
  `${a.person?.name ?? a.displayName}${a.phone ? ` · ${a.phone}` : ''}`;

export function accountTags(a: AccountView) {
  return (
    <View className="gz-row gz-accounts__filters">
      <Text className="gz-tag">{ACCOUNT_KIND_NAMES[a.kind]}</Text>
      {a.disabledAt && <Text className="gz-tag gz-accounts__off">已停用</Text>}
      {a.mustChangePassword && <Text className="gz-tag">待修改初始密码</Text>}
      {a.wechatOpenid && <Text className="gz-tag">已绑定微信</Text>}
    </View>
  );
}

/** A one-time password, shown once, to be handed over in person or by phone. */
export function OneTimePasswordCard({ name, password }: { name: string; password: string }) {
  return (
    <Card title={`${name}的一次性密码`}>
      <Text className="gz-accounts__otp" userSelect>
        {password}
      </Text>
      <Text className="gz-muted gz-accounts__line">
        只显示这一次。请当面或电话告知本人；本人用它登录后须立即设置新密码。
      </Text>
      <Button
        className="gz-submit"
        block
        fill="outline"
        onClick={() =>
          Taro.setClipboardData({ data: password }).then(
            () => toast('已复制', 'success'),
            () => toast('复制失败，请手动抄写', 'fail'),
          )
        }
      >
        复制密码
      </Button>
    </Card>
  );
}

const DETAIL_NAMES: Record<string, string> = {
  sessionsEnded: '结束登录',
  otherSessionsEnded: '结束其他登录',
  oneTime: '一次性密码',
  openid: 'openid',
  replaced: '原 openid',
  sessionId: '登录编号',
  phone: '手机号',
  person: '人员',
  community: '小区',
  kind: '类型',
};

const detailText = (detail: Record<string, unknown>) =>
  Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${DETAIL_NAMES[k] ?? k}：${typeof v === 'boolean' ? (v ? '是' : '否') : String(v)}`)
    .join('，');

/** The account log's entries: when, what, by whom, to whom, and the request id to find it in the logs. */
export function EventItems({ events, showAccount }: { events: AccountEventView[]; showAccount: boolean }) {
  return (
    <View>
      {events.map((e) => (
        <View key={e.id} className="gz-accounts__event">
          <Text className="gz-accounts__line">
            {formatTime(e.at)} · {ACCOUNT_EVENT_NAMES[e.action]}
            {showAccount ? ` · ${e.account.name}${e.account.phone ? `（${e.account.phone}）` : ''}` : ''}
          </Text>
          <Text className="gz-muted gz-accounts__line">
            操作人：{e.actor.name}
            {e.source === 'cli' ? '（服务器命令行）' : ''}
          </Text>
          {Object.keys(e.detail).length > 0 && (
            <Text className="gz-muted gz-accounts__line">{detailText(e.detail)}</Text>
          )}
          {e.requestId && <Text className="gz-muted gz-accounts__mono">请求编号 {e.requestId}</Text>}
        </View>
      ))}
    </View>
  );
}
