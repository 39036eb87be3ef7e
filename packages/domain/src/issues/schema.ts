import { z } from 'zod';
import { Scope, Urgency } from '../community/schema';
import { line, text, Uuid } from '../text';

/** Lifecycle states (docs/domain.md §6). */
/** The longest description of a problem, in characters (the form tells when a paste reaches it). */
export const DESCRIPTION_MAX = 2000;

export const ISSUE_STATUSES = [
  'submitted',
  'dispatched',
  'accepted',
  'in_progress',
  'resolved',
  'closed',
  'reopened',
  'escalated',
  'merged',
  'rejected',
  /** 挂账: cannot be solved now; parked with a reason until its review date (not overdue). */
  'parked',
] as const;
export const IssueStatus = z.enum(ISSUE_STATUSES);
export type IssueStatus = z.infer<typeof IssueStatus>;

export const STATUS_NAMES: Record<IssueStatus, string> = {
  submitted: '已提交',
  dispatched: '已派单',
  accepted: '已接单',
  in_progress: '处理中',
  resolved: '已办结',
  closed: '已关闭',
  reopened: '已重开',
  escalated: '已上报联席会议',
  merged: '已合并',
  rejected: '已驳回',
  parked: '已挂账',
};

/** States in which nothing more happens. */
export const FINAL_STATUSES = ['closed', 'merged', 'rejected'] as const satisfies readonly IssueStatus[];

/** `triage`: routing could not place it; it waits on the triage desk (兜底) to be placed by hand. */
export const TIERS = ['zone', 'line', 'joint_meeting', 'triage'] as const;
export const Tier = z.enum(TIERS);
export type Tier = z.infer<typeof Tier>;

export const TIER_NAMES: Record<Tier, string> = {
  zone: '责任区域',
  line: '专业条线',
  joint_meeting: '社区联席会议',
  triage: '兜底分拨',
};

/** How an issue came in (docs/domain.md §4). */
export const CHANNELS = [
  'patrol',
  'resident_qr',
  'duty_desk',
  'property_patrol',
  'staff_on_behalf',
  /** A resident without a QR code, who chose the building or zone (or neither) on the home page. */
  'resident_app',
  /** Orders handed over from the 12345 hotline or the street office (external orders, docs/domain.md §4). */
  'hotline_12345',
  'street_office',
  /** Submitted by a district platform or another system through Open311 GeoReport v2 (its API key). */
  'open311',
] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const CHANNEL_NAMES: Record<Channel, string> = {
  patrol: '网格巡查',
  resident_qr: '居民扫码投诉',
  duty_desk: '值班接待',
  property_patrol: '物业巡查',
  staff_on_behalf: '工作人员代报',
  resident_app: '居民自选地点投诉',
  hotline_12345: '12345热线转办',
  street_office: '街道转办',
  open311: 'Open311 接口',
};

export const MAX_PHOTOS = 9;

/** Digits only, 11 long, starting with 1: mainland mobile numbers. */
export const Phone = z.string().regex(/^1\d{10}$/, '请输入 11 位手机号码');

/** A place on the map in degrees (GCJ-02 on weapp, WGS-84 from a browser). */
export const GeoPoint = z.strictObject({
  lat: z.number().min(-90, '纬度须在 -90 到 90 之间').max(90, '纬度须在 -90 到 90 之间'),
  lng: z.number().min(-180, '经度须在 -180 到 180 之间').max(180, '经度须在 -180 到 180 之间'),
});
export type GeoPoint = z.infer<typeof GeoPoint>;

/**
 * What a reporter says about a problem. Staff create with this on patrol or on behalf of a
 * resident; the resident QR form uses the same fields minus staff-only ones.
 */
export const CreateIssueInput = z.strictObject({
  community: line().min(1, '请指定小区').max(50),
  /** Building number; its zone follows. */
  building: z.number().int('楼号必须是整数').positive('楼号必须大于 0').optional(),
  /** A zone named directly, for places without a building number (the commercial street). */
  zone: line().min(1).max(50).optional(),
  /** Unit, room or a free-text spot ("3 单元门口", "南门绿地"). */
  spot: line().trim().max(100, '位置描述最多 100 字').optional(),
  category: line().min(1, '请选择问题类别').max(50),
  description: text()
    .trim()
    .min(2, '请描述问题，至少 2 个字')
    .max(DESCRIPTION_MAX, `问题描述最多 ${DESCRIPTION_MAX} 字`),
  urgency: Urgency.default('normal'),
  scope: Scope.default('building'),
  usesMaintenanceFund: z.boolean().default(false),
  touchesSharedParts: z.boolean().default(false),
  /** The matter needs several organisations at once (seed 001 → joint meeting). */
  multiOrg: z.boolean().default(false),
  channel: Channel.optional(),
  /** On behalf of a resident: their name and phone (masked for everyone not handling it). */
  reporterName: line().trim().max(50).optional(),
  reporterPhone: Phone.optional(),
  /** An optional pin at the scene (staff's 添加位置); never required. */
  location: GeoPoint.optional(),
  photoIds: z.array(Uuid('照片编号无效')).max(MAX_PHOTOS, `最多 ${MAX_PHOTOS} 张照片`).default([]),
});
export type CreateIssueInput = z.infer<typeof CreateIssueInput>;

/** `138****1234`: a reporter's phone as shown to people who are not handling the issue. */
export const maskPhone = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;
