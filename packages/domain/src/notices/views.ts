import { z } from 'zod';
import { QuarterKey } from '../archive/quarter';
import { Instant, requiredText } from '../meetings/parse';
import { Cursor } from '../text';
import { mayHavePeriod, NOTICE_VIEW_ACTIONS, NoticeKind, NoticeStatus } from './lifecycle';

/**
 * What the notices API accepts and answers. A notice is written by hand, or generated from a
 * source the product records; either way it starts as a draft.
 */

const CommunityKey = z.string('请指定小区').min(1, '请指定小区').max(64);
const ZoneKey = z.string('区域无效').min(1, '区域无效').max(32, '区域键最多 32 个字符');
const Limit = z.coerce
  .number('每页条数应为数字')
  .int('每页条数应为整数')
  .min(1, '每页至少 1 条')
  .max(100, '每页最多 100 条')
  .default(20);

/**
 * The sources a notice can be generated from, one per generated kind, each with one generator in
 * the API's registry (services/notices/generators.ts).
 */
export const NoticeSource = z.discriminatedUnion(
  'kind',
  [
    /** One zone's roster, or (no zone) every zone's in one notice. */
    z.strictObject({ kind: z.literal('zone_roster'), zone: ZoneKey.optional() }),
    /** A joint-meeting resolution. */
    z.strictObject({ kind: z.literal('joint_decision'), resolution: z.uuid('决议编号无效') }),
    /** The maintenance-fund use of an issue, with its notice period. */
    z.strictObject({ kind: z.literal('fund_notice'), issue: z.uuid('问题编号无效') }),
    /** One zone's complaint-handling summary of a quarter, from the KPIs. */
    z.strictObject({ kind: z.literal('quarterly_summary'), quarter: QuarterKey, zone: ZoneKey }),
    /** A closed residents' evaluation campaign's results. */
    z.strictObject({ kind: z.literal('evaluation_results'), campaign: z.uuid('评议活动编号无效') }),
    /** Red and black list entries (红黑榜) recorded by the Party branch or the 业委会. */
    z.strictObject({
      kind: z.literal('honor_roll'),
      entries: z
        .array(z.uuid('榜单条目编号无效'), '请选择要公布的榜单条目')
        .min(1, '请至少选择一条榜单条目')
        .max(50, '一次最多公布 50 条'),
    }),
  ],
  '请选择生成来源：zone_roster（区域责任名单）、joint_decision（联席会议决议）、fund_notice（维修资金公示）、quarterly_summary（季度投诉处理情况）、evaluation_results（评议结果）或 honor_roll（红黑榜）',
);
export type NoticeSource = z.infer<typeof NoticeSource>;
export type GeneratedNoticeKind = NoticeSource['kind'];

export const NoticePeriodInput = z
  .strictObject({ start: Instant, end: Instant })
  .refine((p) => new Date(p.end).getTime() > new Date(p.start).getTime(), {
    message: '公示期的结束时间应晚于开始时间',
    path: ['end'],
  });

const Title = requiredText('请填写标题', 100);
const Body = requiredText('请填写正文', 10000);
const PeriodDays = z
  .number('公示天数应为整数')
  .int('公示天数应为整数')
  .min(1, '公示至少 1 天')
  .max(90, '公示最多 90 天');

export const CreateNoticeBody = z
  .strictObject({
    community: CommunityKey,
    /** Generate the draft from this source… */
    source: NoticeSource.optional(),
    /** …or write it: kind, title and body. */
    kind: NoticeKind.optional(),
    title: Title.optional(),
    body: Body.optional(),
    /** The zone a written notice concerns; none for the whole community. */
    zone: ZoneKey.optional(),
    /** A written fund notice's period: explicit, or so many days from publication. */
    period: NoticePeriodInput.optional(),
    periodDays: PeriodDays.optional(),
    /** A correction: the published notice it replaces once it is published itself. */
    supersedes: z.uuid('被更正的公告编号无效').optional(),
  })
  .superRefine((b, ctx) => {
    const add = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (b.source) {
      for (const k of ['kind', 'title', 'body', 'zone', 'period', 'periodDays'] as const)
        if (b[k] !== undefined) add(k, '按来源生成的公告由来源决定此项，生成后可修改草稿');
      return;
    }
    if (!b.kind) add('kind', '请选择公告类别，或指定生成来源（source）');
    if (b.title === undefined) add('title', '请填写标题');
    if (b.body === undefined) add('body', '请填写正文');
    const periodic = b.kind === 'fund_notice';
    if (periodic && !b.period && b.periodDays === undefined)
      add('period', '维修资金公示须写明公示期（period 起止时间，或 periodDays 自发布起的天数）');
    if (b.period && b.periodDays !== undefined) add('periodDays', '公示期起止时间与天数只能填一项');
    if (b.kind && !mayHavePeriod(b.kind) && (b.period || b.periodDays !== undefined))
      add('period', '只有维修资金公示（公示期）和通知公告（有效期）可以填写期限');
  });
export type CreateNoticeBody = z.infer<typeof CreateNoticeBody>;

export const EditNoticeBody = z
  .strictObject({
    title: Title.optional(),
    body: Body.optional(),
    zone: ZoneKey.nullable().optional(),
    period: NoticePeriodInput.optional(),
    periodDays: PeriodDays.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), '请至少修改一项')
  .refine((b) => !(b.period && b.periodDays !== undefined), {
    message: '公示期起止时间与天数只能填一项',
    path: ['periodDays'],
  });
export type EditNoticeBody = z.infer<typeof EditNoticeBody>;

export const WithdrawNoticeBody = z.strictObject({ reason: requiredText('请填写撤回原因', 500) });
export type WithdrawNoticeBody = z.infer<typeof WithdrawNoticeBody>;

export const NoticeSummary = z.object({
  id: z.string(),
  community: z.string(),
  kind: NoticeKind,
  kindName: z.string(),
  status: NoticeStatus,
  statusName: z.string(),
  /** 夏朵园居民区公告〔2026〕3号, given on publication. */
  number: z.string().nullable(),
  title: z.string(),
  zone: z.string().nullable(),
  zoneName: z.string().nullable(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  /** A period counted from publication, while not yet published. */
  periodDays: z.number().nullable(),
  /** The period in words, in the community's time zone. */
  periodText: z.string().nullable(),
  /** 公示中: published and within its notice period now. */
  inNoticePeriod: z.boolean(),
  supersedes: z.string().nullable(),
  supersededBy: z.string().nullable(),
});
export type NoticeSummary = z.infer<typeof NoticeSummary>;

const Step = z.object({ by: z.string(), at: z.string() }).nullable();

export const NoticeView = NoticeSummary.extend({
  body: z.string(),
  communityName: z.string(),
  /** What it was generated from, if anything (e.g. { kind: 'fund_notice', issue }). */
  source: NoticeSource.nullable(),
  drafted: z.object({ by: z.string(), at: z.string() }),
  approved: Step,
  published: Step,
  withdrawn: z.object({ by: z.string(), at: z.string(), reason: z.string() }).nullable(),
  /** Relative URL of the printable page. */
  printPath: z.string(),
  /** What the caller may do now (`noticeActions`: the checks each step runs). */
  allowedActions: z.array(z.enum(NOTICE_VIEW_ACTIONS)),
});
export type NoticeView = z.infer<typeof NoticeView>;

export const NoticePage = z.object({ items: z.array(NoticeSummary), nextCursor: z.string().nullable() });
export type NoticePage = z.infer<typeof NoticePage>;

/** Residents: published notices, newest first; a zone shows its own and the community-wide ones. */
export const PublicNoticesQuery = z.strictObject({
  zone: ZoneKey.optional(),
  kind: NoticeKind.optional(),
  cursor: Cursor,
  limit: Limit,
});
export type PublicNoticesQuery = z.infer<typeof PublicNoticesQuery>;

/** Staff: every notice of the community, drafts too, newest first. */
export const StaffNoticesQuery = z.strictObject({
  community: CommunityKey,
  status: NoticeStatus.optional(),
  kind: NoticeKind.optional(),
  zone: ZoneKey.optional(),
  cursor: Cursor,
  limit: Limit,
});
export type StaffNoticesQuery = z.infer<typeof StaffNoticesQuery>;
