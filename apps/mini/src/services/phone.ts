import { MyPhone } from '@gongzhi/domain';
import { api } from './http';

/** The caller's own phone as WeChat vouched for it (whole: it is theirs). */
export const ownPhone = () => api(MyPhone, '/api/me/phone', { auth: true });

/** The getPhoneNumber button's code, exchanged by the server with WeChat; answers the number. */
export const giveWechatPhone = (code: string) =>
  api(MyPhone, '/api/me/phone', { method: 'POST', data: { code }, auth: true });

export const forgetOwnPhone = () => api(MyPhone, '/api/me/phone', { method: 'DELETE', auth: true });
