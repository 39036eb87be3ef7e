import { z } from 'zod';
import { Urgency } from '../community/schema';
import type { Community } from '../community/validate';
import { Conflict, Forbidden } from '../errors';
import type { Actor } from '../issues/access';
import { DESCRIPTION_MAX, IssueStatus, Phone } from '../issues/schema';
import { triageOwnerOf } from '../routing/triage';
import { line, text } from '../text';

/**
 * External orders (外部转办, docs/domain.md §4): work handed over by the 12345 hotline or the street
 * office. Staff enter them with the outside number and deadline; each becomes an issue (its channel
 * the source) and routes as any complaint (the triage desk places what routing cannot). When the
 * issue is done, the reply sent back is recorded, with a reply deadline of its own, and listed in an
 * export for the hotline's system.
 */
export const EXTERNAL_SOURCES = ['hotline_12345', 'street_office'] as const;
export const ExternalSource = z.enum(EXTERNAL_SOURCES);
export type ExternalSource = z.infer<typeof ExternalSource>;

export const EXTERNAL_SOURCE_NAMES: Record<ExternalSource, string> = {
  hotline_12345: '12345热线',
  street_office: '街道转办',
};

/**
 * Who enters external orders and records the replies: the secretary, the triage keeper, the
 * residents' committee members of any zone (居委会接待), and administrators.
 */
export function keepsExternalOrders(actor: Actor, community: Community): boolean {
  if (actor.admin) return true;
  const r = actor.roles;
  if (!r) return false;
  return r.secretary || r.person === triageOwnerOf(community) || r.zones.some((z) => z.org === 'rc');
}

export function assertKeepsExternalOrders(actor: Actor, community: Community): void {
  if (!keepsExternalOrders(actor, community))
    throw Forbidden('not_external_desk', '只有社区秘书、居委会接待人员可以登记和回复外部转办工单');
}

const Instant = z.iso.datetime({ offset: true, message: '请填写有效的时间，如 2026-11-20T18:00:00+08:00' });

/** POST /api/external-orders */
export const CreateExternalOrderInput = z.strictObject({
  community: line().min(1, '请指定小区').max(50),
  source: ExternalSource,
  /** The order's number in the source's system (unique per source and community). */
  externalNo: line().trim().min(1, '请填写外部工单编号').max(50, '外部工单编号最多 50 字'),
  /** The source's deadline for handling. */
  externalDueAt: Instant,
  /** When the reply is due back to the source; without it, the handling deadline. */
  replyDueAt: Instant.optional(),
  building: z.number().int('楼号必须是整数').positive('楼号必须大于 0').optional(),
  zone: line().min(1).max(50).optional(),
  spot: line().trim().max(100, '位置描述最多 100 字').optional(),
  category: line().min(1, '请选择问题类别').max(50),
  description: text()
    .trim()
    .min(2, '请描述问题，至少 2 个字')
    .max(DESCRIPTION_MAX, `问题描述最多 ${DESCRIPTION_MAX} 字`),
  urgency: Urgency.default('normal'),
  reporterName: line().trim().max(50).optional(),
  reporterPhone: Phone.optional(),
});
export type CreateExternalOrderInput = z.infer<typeof CreateExternalOrderInput>;

/** POST /api/external-orders/:id/reply */
export const ExternalReplyInput = z.strictObject({
  text: text().trim().min(2, '请填写回复内容，至少 2 个字').max(1000, '回复内容最多 1000 字'),
});
export type ExternalReplyInput = z.infer<typeof ExternalReplyInput>;

/** Issue states in which the work is done, so the reply may be sent back. */
export const REPLYABLE_STATUSES: readonly IssueStatus[] = ['resolved', 'closed', 'rejected', 'merged'];

/**
 * May the reply be recorded now? Refuses (409) an issue still being worked on, and a second reply
 * (the reply is sent once; a correction is a new note on the issue).
 */
export function checkReply(status: IssueStatus, repliedAt: Date | null): void {
  if (repliedAt !== null) {
    throw Conflict('already_replied', '该工单已回复，不能重复回复', [
      { path: 'action', message: 'replied', state: 'replied', allowed: [] },
    ]);
  }
  if (!REPLYABLE_STATUSES.includes(status)) {
    throw Conflict('not_done_yet', '问题尚未办结，办结后才能回复', [
      { path: 'action', message: `state=${status}`, state: status, allowed: [] },
    ]);
  }
}

/** Where an external order stands towards its two deadlines at `now`. */
export function externalLapses(
  o: { externalDueAt: Date; replyDueAt: Date; handledAt: Date | null; repliedAt: Date | null },
  now: Date,
) {
  const handled = o.handledAt ?? null;
  return {
    handlingOverdue: handled ? handled > o.externalDueAt : now > o.externalDueAt,
    replyOverdue: o.repliedAt ? o.repliedAt > o.replyDueAt : now > o.replyDueAt,
  };
}

export const ExternalOrderView = z.object({
  id: z.string(),
  source: ExternalSource,
  sourceName: z.string(),
  externalNo: z.string(),
  externalDueAt: z.string(),
  replyDueAt: z.string(),
  issue: z.object({
    id: z.string(),
    code: z.string(),
    status: IssueStatus,
    statusName: z.string(),
    zoneName: z.string(),
    categoryName: z.string(),
    description: z.string(),
  }),
  reply: z.object({ text: z.string(), at: z.string(), by: z.string() }).nullable(),
  handlingOverdue: z.boolean(),
  replyOverdue: z.boolean(),
  /** The caller may record the reply now (the work is done, no reply yet). */
  canReply: z.boolean(),
  createdAt: z.string(),
});
export type ExternalOrderView = z.infer<typeof ExternalOrderView>;

export const ExternalOrderPage = z.object({ items: z.array(ExternalOrderView) });
export type ExternalOrderPage = z.infer<typeof ExternalOrderPage>;

export const ExternalOrdersQuery = z.strictObject({
  community: z.string().min(1, '请指定小区'),
  source: ExternalSource.optional(),
  /** Only those whose reply is still to be sent. */
  unreplied: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type ExternalOrdersQuery = z.infer<typeof ExternalOrdersQuery>;

export const ExternalExportQuery = z.strictObject({
  community: z.string().min(1, '请指定小区'),
  source: ExternalSource.default('hotline_12345'),
  format: z.enum(['csv', 'xlsx'], '格式应为 csv 或 xlsx').default('csv'),
});
export type ExternalExportQuery = z.infer<typeof ExternalExportQuery>;

/** The export for the source's system: one row per order. */
export const EXTERNAL_EXPORT_HEADER = [
  '外部工单编号',
  '来源',
  '本系统编号',
  '办理状态',
  '办结时限',
  '回复内容',
  '回复时间',
  '回复时限',
];
