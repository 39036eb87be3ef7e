import { SubscriptionQuota } from '@gongzhi/domain';
import Taro from '@tarojs/taro';
import { api } from './http';
import { isLoggedIn } from './session';

/** The subscription-message templates the server sends with (none: WeChat messages are off). */
let templates: string[] = [];

/** weapp, signed in: learn (once per launch) which templates to ask the person for. Never throws. */
export async function loadSubscriptionTemplates(): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp' || !isLoggedIn() || templates.length) return;
  try {
    templates = (await api(SubscriptionQuota, '/api/me/wechat-subscriptions', { auth: true })).templateIds;
  } catch {
    // Without them the person is simply not asked: the in-app inbox still has every message.
  }
}

/**
 * Called first thing in a tap (提交 a complaint, 接单): WeChat allows requestSubscribeMessage only
 * there. Each template the person accepts lets the server send them one message; the server is
 * told, and only what is covered is sent. Does not wait and never throws: the tap's own work goes on.
 */
export function askForSubscriptions(): void {
  if (process.env.TARO_ENV !== 'weapp' || templates.length === 0) return;
  const tmplIds = templates;
  Taro.requestSubscribeMessage({ tmplIds, entityIds: [] })
    .then((res) => {
      const answers = res as unknown as Record<string, string>;
      const accepted = tmplIds.filter((id) => answers[id] === 'accept');
      if (accepted.length === 0) return;
      return api(SubscriptionQuota, '/api/me/wechat-subscriptions', {
        method: 'POST',
        data: { accepted },
        auth: true,
      });
    })
    .catch(() => undefined);
}
