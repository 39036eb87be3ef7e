import { Button, type ButtonProps } from '@tarojs/components';
import { giveWechatPhone } from '../services/phone';
import { signInWithWechatSilently } from '../services/resident-session';
import { toast } from './toast';
import './wechat-phone.css';

/**
 * 用微信手机号: WeChat's getPhoneNumber button (weapp only; nothing on H5, where the number is
 * typed). The event's one-time code goes to the server, which asks WeChat for the number and keeps
 * it on the person's account; `onPhone` gets the number. The person may always refuse, or type.
 */
export function WechatPhoneButton({
  onPhone,
  label = '用微信手机号',
}: {
  onPhone: (phone: string) => void;
  label?: string;
}) {
  if (process.env.TARO_ENV !== 'weapp') return null;
  const got: ButtonProps['onGetPhoneNumber'] = async (e) => {
    const code = (e.detail as { code?: string }).code;
    // No code: the person said no (or their WeChat is too old); they can type the number instead.
    if (!code) return toast('未获取手机号，可直接填写', 'warn');
    try {
      if (!(await signInWithWechatSilently())) return toast('微信登录失败，请直接填写手机号', 'fail');
      const { phone } = await giveWechatPhone(code);
      if (phone) onPhone(phone);
    } catch (err) {
      toast((err as Error).message, 'fail');
    }
  };
  return (
    <Button className="gz-wechat-phone" openType="getPhoneNumber" onGetPhoneNumber={got}>
      {label}
    </Button>
  );
}
