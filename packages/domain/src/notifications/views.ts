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

export const OUTBOX_STATUSES = ['pending', 'delivered', 'dead'] as const;
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
  status: z.enum(['failing', 'dead', 'pending', 'delivered']).default('failing'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
