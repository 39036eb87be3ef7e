import { Tokens } from '@gongzhi/domain';
import Taro from '@tarojs/taro';
import { z } from 'zod';
import { api, saveTokens } from './http';
import { isLoggedIn } from './session';

/** weapp: WeChat's one-time code → our own session for this WeChat user (a resident account). */
export async function wechatSignIn(): Promise<void> {
  const { code } = await Taro.login();
  saveTokens(await api(Tokens, '/api/auth/wechat', { method: 'POST', data: { code }, auth: false }));
}

/**
 * On weapp, sign the resident in with WeChat without asking (wx.login needs no consent), so each
 * complaint belongs to their WeChat identity and 我的投诉 follows them to a new phone. Someone
 * already signed in stays as they are; on H5, or when WeChat or the network says no, the resident
 * simply goes on anonymously with the tracking code and secret. Never throws.
 */
export async function signInWithWechatSilently(): Promise<boolean> {
  if (isLoggedIn()) return true;
  if (process.env.TARO_ENV !== 'weapp') return false;
  try {
    await wechatSignIn();
    return true;
  } catch {
    return false;
  }
}

/** weapp, staff after a password login: bind this WeChat, so that "微信登录" signs them in next time. */
export async function bindOwnWechat(): Promise<void> {
  const { code } = await Taro.login();
  await api(z.object({ wechatBound: z.literal(true) }), '/api/me/wechat', {
    method: 'POST',
    data: { code },
    auth: true,
  });
}
