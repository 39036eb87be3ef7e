import { z } from 'zod';
import { Scope, Urgency } from '../community/schema';
import { RouteDecision } from '../routing/decide-route';
import { ReportBackView, TaskView } from '../tasks/views';
import { Cursor } from '../text';
import { ReporterContactView } from './callback';
import { CASE_STEPS, CaseHandlingView } from './case-handling';
import { ISSUE_ACTIONS } from './lifecycle';
import { PersonRef } from './person-ref';
import { PhotoView } from './photos';
import { RatingView } from './rating';
import { Channel, IssueStatus, Tier } from './schema';

export { PersonRef } from './person-ref';

export const IssueEventView = z.object({
  id: z.number(),
  action: z.string(),
  fromStatus: IssueStatus.nullable(),
  toStatus: IssueStatus,
  actor: z.string(),
  actorName: z.string(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
});
export type IssueEventView = z.infer<typeof IssueEventView>;

export const IssueSummary = z.object({
  id: z.string(),
  code: z.string(),
  community: z.string(),
  zone: z.string(),
  zoneName: z.string(),
  building: z.number().nullable(),
  spot: z.string().nullable(),
  category: z.string(),
  categoryName: z.string(),
  description: z.string(),
  urgency: Urgency,
  scope: Scope,
  status: IssueStatus,
  tier: Tier,
  line: z.string().nullable(),
  owner: PersonRef.nullable(),
  assignees: z.array(PersonRef),
  channel: Channel,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type IssueSummary = z.infer<typeof IssueSummary>;

export const IssueDetail = IssueSummary.extend({
  usesMaintenanceFund: z.boolean(),
  touchesSharedParts: z.boolean(),
  multiOrg: z.boolean(),
  reporter: z.object({ name: z.string().nullable(), phone: z.string().nullable() }),
  route: RouteDecision,
  events: z.array(IssueEventView),
  /** Intake photos and after-photos of a fix, oldest first. */
  photos: z.array(PhotoView),
  /** Every task ever opened on the issue, oldest first. */
  tasks: z.array(TaskView),
  /** An emergency's report-backs to the zone and line leaders, and whether each is done. */
  reportBacks: z.array(ReportBackView),
  /** Lifecycle actions the caller may fire now (the client shows only these buttons). */
  allowedActions: z.array(z.enum(ISSUE_ACTIONS)),
  /** The reporter's rating, once given. */
  rating: RatingView.nullable(),
  /** The caller is the reporter and may rate now (resolved or closed, not yet rated). */
  canRate: z.boolean(),
  /** Who the caller may (re-)dispatch or reassign to; empty unless one of those actions is allowed. */
  candidates: z.array(z.object({ key: z.string(), name: z.string(), roleName: z.string() })),
  /** A duplicate merged into another issue: the surviving issue. */
  mergedInto: z.object({ id: z.string(), code: z.string() }).nullable(),
  /** Staff's optional pin at the scene (添加位置), null when none was dropped. */
  location: z.object({ lat: z.number(), lng: z.number() }).nullable(),
  /** Case steps (extension, dispute, urging) the caller may take now (issue 17). */
  caseActions: z.array(z.enum(CASE_STEPS)),
  caseHandling: CaseHandlingView,
  /** 响应 and 回访 (issue 17 item 6): the contact deadline, the first contact, what the caller may record. */
  reporterContact: ReporterContactView.default({
    dueAt: null,
    firstAt: null,
    canRecord: false,
    canCallback: false,
  }),
  /** Residents who said "这也是我的问题" (followers), the reporter not counted. */
  interest: z.number(),
});
export type IssueDetail = z.infer<typeof IssueDetail>;

export const IssuePage = z.object({ items: z.array(IssueSummary), nextCursor: z.string().nullable() });
export type IssuePage = z.infer<typeof IssuePage>;

export const ListIssuesQuery = z.strictObject({
  community: z.string().min(1, '请指定小区'),
  zone: z.string().optional(),
  tier: Tier.optional(),
  status: IssueStatus.optional(),
  category: z.string().optional(),
  /** One building's issues (an inspector scanned its code). */
  building: z.coerce
    .number('楼号必须是数字')
    .int('楼号必须是整数')
    .min(1, '楼号必须大于 0')
    .max(9999, '楼号无效')
    .optional(),
  /** `true`: only issues not yet concluded (not closed, merged or rejected) — 未办结. */
  open: z.enum(['true', 'false'], '只能是 true 或 false').optional(),
  q: z.string().trim().max(100, '搜索词最多 100 字').optional(),
  cursor: Cursor,
  limit: z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(20),
});
export type ListIssuesQuery = z.infer<typeof ListIssuesQuery>;
