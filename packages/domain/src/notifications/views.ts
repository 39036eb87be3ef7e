import { z } from 'zod';
import { Cursor } from '../text';

export const NotificationView = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  issueId: z.string().nullable(),
  letterId: z.string().nullable(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const NotificationPage = z.object({
  items: z.array(NotificationView),
  nextCursor: z.string().nullable(),
  unread: z.number(),
});
export type NotificationPage = z.infer<typeof NotificationPage>;

export const ListNotificationsQuery = z.strictObject({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  cursor: Cursor,
  limit: z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(20),
});
export type ListNotificationsQuery = z.infer<typeof ListNotificationsQuery>;

export const UnreadCount = z.object({ unread: z.number() });

/** `skipped`: a WeChat message the person had no subscription left for (the inbox has it anyway). */
export const OUTBOX_STATUSES = ['pending', 'delivered', 'dead', 'skipped'] as const;
export const OutboxStatus = z.enum(OUTBOX_STATUSES);
export const OutboxItemView = z.object({
  id: z.number(),
  channel: z.string(),
  kind: z.string(),
  recipient: z.string(),
  status: OutboxStatus,
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export const OutboxPage = z.object({ items: z.array(OutboxItemView) });
export const ListOutboxQuery = z.strictObject({
  status: z.enum(['failing', 'dead', 'pending', 'delivered', 'skipped']).default('failing'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListOutboxQuery = z.infer<typeof ListOutboxQuery>;

/**
 * WeChat one-time subscription messages (一次性订阅消息): each "允许" in the mini-program's
 * requestSubscribeMessage lets the server send that person one message of that template.
 */
export const SubscriptionGrant = z.strictObject({
  /** The template ids the person accepted in this request (others are ignored). */
  accepted: z
    .array(z.string().trim().min(1, '模板编号不能为空').max(128, '模板编号过长'))
    .max(20, '一次最多 20 个模板'),
});
export type SubscriptionGrant = z.infer<typeof SubscriptionGrant>;
export const SubscriptionQuota = z.object({
  /** The templates the app asks for (empty: WeChat messages are off, the inbox is all). */
  templateIds: z.array(z.string()),
  /** Messages each template may still carry to this person. */
  remaining: z.record(z.string(), z.number().int()),
});
export type SubscriptionQuota = z.infer<typeof SubscriptionQuota>;

/** Most one-time grants a person can bank per template (WeChat's own accumulation is similar). */
export const MAX_SUBSCRIPTION_QUOTA = 50;
