import { maskPhone } from '@gongzhi/domain';
import { Button } from '@nutui/nutui-react-taro';
import { Text } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { useAction } from '../hooks/use-action';
import { forgetOwnPhone, ownPhone } from '../services/phone';
import { Card } from './page';
import { WechatPhoneButton } from './wechat-phone';

/**
 * 我的手机号（选填）: the number the person gave through WeChat, whole (it is theirs; everyone else
 * sees 138****1234), with 用微信手机号 on weapp and 删除 to take it back. For a signed-in person.
 */
export function OwnPhoneCard() {
  const [phone, setPhone] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    ownPhone().then(
      (r) => setPhone(r.phone),
      () => setPhone(null),
    );
  }, []);
  const forget = useAction(() => forgetOwnPhone(), { done: '已删除手机号' });
  // H5 has no getPhoneNumber button: the card shows only a number given earlier in WeChat.
  if (phone === undefined || (process.env.TARO_ENV !== 'weapp' && !phone)) return null;
  return (
    <Card title="我的手机号（选填）">
      <Text className="gz-muted" data-testid="own-phone">
        {phone ? `${phone}（仅您本人可见完整号码，他人看到 ${maskPhone(phone)}）` : '未留手机号'}
      </Text>
      <WechatPhoneButton label={phone ? '更换为微信手机号' : '用微信手机号'} onPhone={setPhone} />
      {phone && (
        <Button
          block
          fill="outline"
          loading={forget.busy}
          onClick={async () => {
            if (await forget.run(undefined)) setPhone(null);
          }}
        >
          删除手机号
        </Button>
      )}
    </Card>
  );
}
