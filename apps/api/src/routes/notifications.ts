import {
  AcknowledgeLetterInput,
  IdParams,
  LetterPage,
  LetterView,
  ListLettersQuery,
  ListNotificationsQuery,
  ListOutboxQuery,
  NotificationPage,
  OutboxItemView,
  OutboxPage,
  SubscriptionGrant,
  SubscriptionQuota,
  UnreadCount,
} from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BEARER } from '../plugins/auth';
import { acknowledgeLetter, listLetters } from '../services/followup/letters';
import { listOutbox, retryOutbox } from '../services/notifications/admin-outbox';
import { getUnreadCount, listNotifications, markAllRead, markRead } from '../services/notifications/inbox';
import { getSubscriptionQuota, grantSubscriptions } from '../services/notifications/subscriptions';

/** The in-app inbox, letters to organisations, and the administrators' view of deliveries. */
export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = { onRequest: [app.authenticate] };
  app.get(
    '/api/me/notifications',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listNotifications',
        summary: 'My inbox, newest first, with the unread count',
        tags: ['notifications'],
        querystring: ListNotificationsQuery,
        response: { 200: NotificationPage },
      },
    },
    async (req) => listNotifications(app.ctx(req), req.query),
  );
  // WeChat one-time subscriptions: which templates to ask for, and what the person accepted.
  const subscriptionTemplates = () => {
    const s = app.deps.settings;
    return s.WECHAT_SUBSCRIBE_TEMPLATE_ID && s.WECHAT_APPID && s.WECHAT_SECRET
      ? [s.WECHAT_SUBSCRIBE_TEMPLATE_ID]
      : [];
  };
  app.get(
    '/api/me/wechat-subscriptions',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'getWechatSubscriptions',
        summary:
          'The subscription-message templates to ask for, and how many messages each may still carry to me',
        tags: ['notifications'],
        response: { 200: SubscriptionQuota },
      },
    },
    async (req) => getSubscriptionQuota(app.ctx(req), subscriptionTemplates()),
  );
  app.post(
    '/api/me/wechat-subscriptions',
    {
      // An array of its own: the rate limiter appends its hook to this route's onRequest array, and
      // the shared `auth.onRequest` would carry it into every route declared after this one.
      onRequest: [app.authenticate],
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        security: BEARER,
        operationId: 'grantWechatSubscriptions',
        summary: 'What I accepted in requestSubscribeMessage: one more message for each accepted template',
        tags: ['notifications'],
        body: SubscriptionGrant,
        response: { 200: SubscriptionQuota },
      },
    },
    async (req) => grantSubscriptions(app.ctx(req), subscriptionTemplates(), req.body),
  );
  app.get(
    '/api/me/notifications/unread-count',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'unreadCount',
        summary: 'Unread count for the tab badge',
        tags: ['notifications'],
        response: { 200: UnreadCount },
      },
    },
    async (req) => getUnreadCount(app.ctx(req)),
  );
  app.post(
    '/api/me/notifications/:id/read',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'markNotificationRead',
        summary: 'Mark one of my notifications read',
        tags: ['notifications'],
        params: IdParams('消息'),
        response: { 200: UnreadCount },
      },
    },
    async (req) => markRead(app.ctx(req), req.params.id),
  );
  app.post(
    '/api/me/notifications/read-all',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'markAllNotificationsRead',
        summary: 'Mark all my notifications read',
        tags: ['notifications'],
        response: { 200: UnreadCount },
      },
    },
    async (req) => markAllRead(app.ctx(req)),
  );

  app.get(
    '/api/letters',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listLetters',
        summary: '提示函 / 警示函 to the organisations the caller speaks for',
        tags: ['letters'],
        querystring: ListLettersQuery,
        response: { 200: LetterPage },
      },
    },
    async (req) => listLetters(app.ctx(req), req.query),
  );
  app.post(
    '/api/letters/:id/acknowledge',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'acknowledgeLetter',
        summary: 'The organisation acknowledges (签收) a letter',
        tags: ['letters'],
        params: IdParams('函件'),
        body: AcknowledgeLetterInput.nullish(),
        response: { 200: LetterView },
      },
    },
    async (req) => acknowledgeLetter(app.ctx(req), req.params.id, req.body ?? {}),
  );

  app.get(
    '/api/admin/outbox',
    {
      onRequest: [app.requireAdmin],
      schema: {
        security: BEARER,
        operationId: 'listOutbox',
        summary: 'Notification deliveries: failing (retrying), dead, pending or delivered',
        tags: ['admin'],
        querystring: ListOutboxQuery,
        response: { 200: OutboxPage },
      },
    },
    async (req) => listOutbox(app.ctx(req), req.query),
  );
  app.post(
    '/api/admin/outbox/:id/retry',
    {
      onRequest: [app.requireAdmin],
      schema: {
        security: BEARER,
        operationId: 'retryOutbox',
        summary: 'Deliver a failing or dead notification again now',
        tags: ['admin'],
        params: z.strictObject({ id: z.coerce.number().int().positive('投递编号无效') }),
        response: { 200: OutboxItemView },
      },
    },
    async (req) => retryOutbox(app.ctx(req), req.params.id),
  );
};
