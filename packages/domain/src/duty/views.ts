import { z } from 'zod';
import { Org, Urgency } from '../community/schema';
import { PersonRef } from '../issues/person-ref';
import { Phone } from '../issues/schema';
import { Cursor } from '../text';
import { DAY_KINDS, DateText } from './config';
import { ROTA_ACTIONS, ROTA_MONTH_STATUSES } from './publish';
import { SHIFT_ACTIONS, SWAP_ACTIONS, SWAP_STATUSES } from './swap';

// What the duty API takes and returns (issue 7). The client parses responses with these.

const PersonKey = z.string().trim().min(1, '请选择人员').max(32, '人员编号无效');
const Text = (what: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, min > 1 ? `请填写${what}，至少 ${min} 个字` : `请填写${what}`)
    .max(max, `${what}最多 ${max} 字`);
const Id = (what: string) => z.string().uuid(`${what}编号无效`);

/** A date range of the rota, both ends inclusive. The service checks that `to` is not before `from`. */
export const DutyRangeQuery = z.strictObject({ from: DateText, to: DateText });
export type DutyRangeQuery = z.infer<typeof DutyRangeQuery>;

export const GenerateDutyInput = DutyRangeQuery.extend({
  /**
   * Generate a draft: months not yet planned stay hidden from residents, feeds and people's own
   * lists until published (POST /duty/publish). Without it the rota is live at once, as before.
   */
  draft: z.boolean({ error: 'draft 应为 true 或 false' }).optional(),
});
export type GenerateDutyInput = z.infer<typeof GenerateDutyInput>;

/** My shifts: from today for 60 days unless given. */
export const MyShiftsQuery = z.strictObject({ from: DateText.optional(), to: DateText.optional() });
export type MyShiftsQuery = z.infer<typeof MyShiftsQuery>;

export const SHIFT_SOURCES = ['generated', 'override', 'swap'] as const;
export const ShiftSource = z.enum(SHIFT_SOURCES);
export type ShiftSource = z.infer<typeof ShiftSource>;
export const SHIFT_SOURCE_NAMES: Record<ShiftSource, string> = {
  generated: '排班生成',
  override: '管理员调整',
  swap: '换班',
};

export const ShiftView = z.object({
  id: z.string(),
  date: z.string(),
  dayKind: z.enum(DAY_KINDS),
  /** Key and name of the shift definition (白班, 夜班, 值班). */
  shift: z.string(),
  shiftName: z.string(),
  /** When the shift runs, as instants (a night shift ends the next day). */
  start: z.string(),
  end: z.string(),
  org: Org,
  orgName: z.string(),
  person: PersonRef,
  source: ShiftSource,
  /** What the caller may do to this shift (`shiftActions`). */
  allowedActions: z.array(z.enum(SHIFT_ACTIONS)),
});
export type ShiftView = z.infer<typeof ShiftView>;

/** A place the rules ask for that nobody holds. */
export const DutyGap = z.object({
  date: z.string(),
  shift: z.string(),
  org: Org,
  needed: z.number(),
  assigned: z.number(),
  reason: z.string(),
});
export type DutyGap = z.infer<typeof DutyGap>;

/** One month of the range: draft, published or not planned yet. */
export const RotaMonthView = z.object({
  month: z.string(),
  status: z.enum(ROTA_MONTH_STATUSES),
  statusName: z.string(),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
});
export type RotaMonthView = z.infer<typeof RotaMonthView>;

export const RotaView = z.object({
  community: z.string(),
  from: z.string(),
  to: z.string(),
  shifts: z.array(ShiftView),
  /** Places not filled in the range (days short), so a gap is never silent. */
  gaps: z.array(DutyGap),
  /** The months the range touches, each with its publication status. */
  months: z.array(RotaMonthView),
  /** What the caller may do with this rota (`rotaActions`). */
  allowedActions: z.array(z.enum(ROTA_ACTIONS)),
});
export type RotaView = z.infer<typeof RotaView>;

export const GenerateDutyResult = RotaView.extend({
  /** Shifts written by this generation. */
  generated: z.number(),
  /** Shifts kept as they were: started or past, admin overrides and accepted swaps. */
  kept: z.number(),
  /** Generated shifts that were replaced. */
  replaced: z.number(),
  /** Pending swap requests on replaced shifts, now void. */
  voidedSwaps: z.number(),
  /**
   * What this generation could not staff (among shifts not yet ended), each with the reason:
   * nobody in the pool, people unavailable, or already on an overlapping shift.
   */
  shortfalls: z.array(DutyGap),
});
export type GenerateDutyResult = z.infer<typeof GenerateDutyResult>;

/** Publish one month: `acceptGaps` confirms publishing with places nobody holds. */
export const PublishRotaInput = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应写成 YYYY-MM，例如 2026-12'),
  acceptGaps: z.boolean({ error: 'acceptGaps 应为 true 或 false' }).default(false),
});
export type PublishRotaInput = z.infer<typeof PublishRotaInput>;

export const MyShiftsView = z.object({ from: z.string(), to: z.string(), shifts: z.array(ShiftView) });
export type MyShiftsView = z.infer<typeof MyShiftsView>;

/** Who is on duty now, as residents see it: no keys, a phone only if the person chose to show it. */
export const OnDutyPerson = z.object({
  name: z.string(),
  org: Org,
  orgName: z.string(),
  shiftName: z.string(),
  start: z.string(),
  end: z.string(),
  contact: z.string().nullable(),
});
export const OnDutyNowView = z.object({
  community: z.string(),
  communityName: z.string(),
  at: z.string(),
  onDuty: z.array(OnDutyPerson),
});
export type OnDutyNowView = z.infer<typeof OnDutyNowView>;

// ---- swaps ----

export const RequestSwapInput = z.strictObject({
  shiftId: Id('班次'),
  /** Who takes the shift. */
  counterpart: PersonKey,
  /** For an exchange: the counterpart's shift the requester takes in return. */
  inReturnShiftId: Id('交换班次').optional(),
  reason: Text('换班原因', 2, 500),
});
export type RequestSwapInput = z.infer<typeof RequestSwapInput>;

export const SwapAnswerInput = z.strictObject({ note: Text('说明', 1, 500).optional() });
export type SwapAnswerInput = z.infer<typeof SwapAnswerInput>;

export const SwapShiftRef = z.object({
  /** Null once the shift is gone (a regeneration replaced it). */
  id: z.string().nullable(),
  date: z.string(),
  shift: z.string(),
  shiftName: z.string(),
  org: Org,
  orgName: z.string(),
});
export const SwapView = z.object({
  id: z.string(),
  community: z.string(),
  status: z.enum(SWAP_STATUSES),
  statusName: z.string(),
  requester: PersonRef,
  counterpart: PersonRef,
  shift: SwapShiftRef,
  inReturn: SwapShiftRef.nullable(),
  reason: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
  answeredAt: z.string().nullable(),
  /** What the caller may do to this request now (`swapActions`). */
  allowedActions: z.array(z.enum(SWAP_ACTIONS)),
});
export type SwapView = z.infer<typeof SwapView>;

export const ListSwapsQuery = z.strictObject({
  status: z.enum([...SWAP_STATUSES, 'all']).default('requested'),
});
export type ListSwapsQuery = z.infer<typeof ListSwapsQuery>;
export const SwapList = z.object({ items: z.array(SwapView) });
export type SwapList = z.infer<typeof SwapList>;

export const OverrideShiftInput = z.strictObject({
  person: PersonKey,
  reason: Text('调整原因', 2, 500),
});
export type OverrideShiftInput = z.infer<typeof OverrideShiftInput>;

// ---- the duty log (接待记录) ----

export const DutyLogInput = z.strictObject({
  /** Who asked: a name, "3号楼住户", or "匿名". */
  askedBy: Text('来访人', 1, 50),
  topic: Text('咨询事项', 2, 200),
  answer: Text('答复内容', 2, 2000),
});
export type DutyLogInput = z.infer<typeof DutyLogInput>;

export const DutyLogQuery = z.strictObject({
  from: DateText.optional(),
  to: DateText.optional(),
  cursor: Cursor,
  limit: z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(20),
});
export type DutyLogQuery = z.infer<typeof DutyLogQuery>;

export const DutyLogView = z.object({
  id: z.string(),
  community: z.string(),
  person: PersonRef,
  org: Org.nullable(),
  shiftId: z.string().nullable(),
  askedBy: z.string(),
  topic: z.string(),
  answer: z.string(),
  issueId: z.string().nullable(),
  issueCode: z.string().nullable(),
  createdAt: z.string(),
});
export type DutyLogView = z.infer<typeof DutyLogView>;
export const DutyLogPage = z.object({ items: z.array(DutyLogView), nextCursor: z.string().nullable() });
export type DutyLogPage = z.infer<typeof DutyLogPage>;

/** Turn a log entry into an issue: where and what; the description defaults to the entry. */
export const DutyLogIssueInput = z.strictObject({
  category: z.string().min(1, '请选择问题类别'),
  building: z.number().int('楼号必须是整数').positive('楼号必须大于 0').optional(),
  zone: z.string().min(1).optional(),
  spot: z.string().trim().max(100, '位置描述最多 100 字').optional(),
  description: Text('问题描述', 2, 2000).optional(),
  urgency: Urgency.default('normal'),
});
export type DutyLogIssueInput = z.infer<typeof DutyLogIssueInput>;

// ---- the person's own settings: contact shown to residents, calendar feed ----

export const DutyPreferencesInput = z.strictObject({
  showContact: z.boolean({ error: '请选择是否公开联系电话' }),
  /** The phone residents see; without it, the one in the community config. */
  phone: Phone.nullable().optional(),
});
export type DutyPreferencesInput = z.infer<typeof DutyPreferencesInput>;
export const DutyPreferencesView = z.object({
  showContact: z.boolean(),
  phone: z.string().nullable(),
  /** What residents see on the duty page while this person is on duty. */
  publicContact: z.string().nullable(),
});
export type DutyPreferencesView = z.infer<typeof DutyPreferencesView>;

export const DutyFeedView = z.object({
  /** Subscribe to this in a calendar app. Anyone holding it reads the rota: reset it if it leaks. */
  url: z.string(),
  webcalUrl: z.string(),
  /** The same token opens the community feed and the printable notice (`?feed=`). */
  token: z.string(),
});
export type DutyFeedView = z.infer<typeof DutyFeedView>;

export const FeedQuery = z.strictObject({
  feed: z.string().max(100).optional(),
  from: DateText.optional(),
  to: DateText.optional(),
});
export const PrintQuery = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应写成 YYYY-MM，例如 2026-12'),
  feed: z.string().max(100).optional(),
});
