import { z } from 'zod';
import { Urgency } from '../community/schema';
import { Cursor, line, text, Uuid } from '../text';
import { PhotoView } from './photos';
import { RatingView } from './rating';
import { DESCRIPTION_MAX, IssueStatus, MAX_PHOTOS, Phone, Tier } from './schema';

/** A photo to attach: its id, and for an anonymous upload the token the upload returned. */
export const PhotoAttachment = z.strictObject({
  id: Uuid('照片编号无效'),
  uploadToken: line().min(10).max(100).optional(),
});

/**
 * What a resident sends from the complaint form; no account needed. The QR code says where; without
 * one (from the home page) the resident names the community and chooses a building or a zone — or
 * neither, when not sure: the triage desk places it (docs/domain.md §5).
 */
export const ComplaintInput = z
  .strictObject({
    qr: line().min(1, '缺少二维码').max(200).optional(),
    /** Without a QR code: the community, and the building or zone the resident chose. */
    community: line().min(1, '请指定小区').max(50).optional(),
    building: z.number().int('楼号必须是整数').positive('楼号必须大于 0').optional(),
    zone: line().min(1).max(50).optional(),
    /** Optional when the QR code is a facility's, which carries its category. */
    category: line().min(1).max(50).optional(),
    description: text()
      .trim()
      .min(2, '请描述问题，至少 2 个字')
      .max(DESCRIPTION_MAX, `问题描述最多 ${DESCRIPTION_MAX} 字`),
    spot: line().trim().max(100, '位置描述最多 100 字').optional(),
    urgency: Urgency.default('normal'),
    phone: Phone.optional(),
    photos: z.array(PhotoAttachment).max(MAX_PHOTOS, `最多 ${MAX_PHOTOS} 张照片`).default([]),
  })
  .superRefine((v, ctx) => {
    if (v.qr === undefined && v.community === undefined)
      ctx.addIssue({ code: 'custom', path: ['qr'], message: '缺少二维码' });
    if (v.qr !== undefined && (v.community !== undefined || v.building !== undefined || v.zone !== undefined))
      ctx.addIssue({ code: 'custom', path: ['community'], message: '扫码上报时地点由二维码确定，不能另选' });
  });
export type ComplaintInput = z.infer<typeof ComplaintInput>;

export const ComplaintEvent = z.object({
  action: z.string(),
  actionName: z.string(),
  toStatus: IssueStatus,
  statusName: z.string(),
  actorName: z.string(),
  note: z.string().nullable(),
  at: z.string(),
});

/** What a resident sees of their complaint: status, who is responsible and why, the timeline. */
export const ComplaintView = z.object({
  code: z.string(),
  status: IssueStatus,
  statusName: z.string(),
  tier: Tier,
  tierName: z.string(),
  community: z.string(),
  zoneName: z.string(),
  building: z.number().nullable(),
  spot: z.string().nullable(),
  categoryName: z.string(),
  description: z.string(),
  /** Plain-Chinese reasons from routing: which tier, who is responsible. */
  responsible: z.array(z.string()),
  createdAt: z.string(),
  timeline: z.array(ComplaintEvent),
  /** Resolved: the resident may confirm the fix or say it is not fixed (with a reason). */
  canVerify: z.boolean(),
  /** Resolved or closed and not yet rated: the resident is asked to rate it (1–5, fixed or not). */
  canRate: z.boolean(),
  rating: RatingView.nullable(),
  /** Photos of the complaint and of the fix. */
  photos: z.array(PhotoView),
  /**
   * Merged as a duplicate (已合并): the surviving issue's progress, which this complaint now follows.
   */
  mergedInto: z
    .object({
      code: z.string(),
      status: IssueStatus,
      statusName: z.string(),
      timeline: z.array(ComplaintEvent),
    })
    .nullable()
    .optional(),
});
export type ComplaintView = z.infer<typeof ComplaintView>;

export const ComplaintReceipt = z.object({
  /** Short code to quote and to track with. */
  trackingCode: z.string(),
  /** Shown once: with the code it opens the complaint; keep it. */
  secret: z.string(),
  complaint: ComplaintView,
});
export type ComplaintReceipt = z.infer<typeof ComplaintReceipt>;

/** One of the complaints a signed-in resident filed, as 我的投诉 lists it (opened by their login). */
export const MyComplaint = z.object({
  code: z.string(),
  status: IssueStatus,
  statusName: z.string(),
  zoneName: z.string(),
  categoryName: z.string(),
  description: z.string(),
  createdAt: z.string(),
});
export type MyComplaint = z.infer<typeof MyComplaint>;
export const MyComplaintPage = z.object({ items: z.array(MyComplaint), nextCursor: z.string().nullable() });
export type MyComplaintPage = z.infer<typeof MyComplaintPage>;
export const MyComplaintsQuery = z.strictObject({
  cursor: Cursor,
  limit: z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(20),
});
export type MyComplaintsQuery = z.infer<typeof MyComplaintsQuery>;
