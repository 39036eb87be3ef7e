import { z } from 'zod';
import { PersonRef } from '../issues/person-ref';
import { IssueStatus } from '../issues/schema';
import { Cursor } from '../text';
import { ART278_CHECKS, Art278Input, Art278Matter, OwnerVote } from './art278';
import { JointOrg } from './config';
import { FUND_USE_ACTIONS, FUND_USE_STEPS } from './fund-use';
import {
  AGENDA_ITEM_ACTIONS,
  AgendaItemDraft,
  AgendaItemStatus,
  JOINT_LIST_ACTIONS,
  JOINT_MEETING_ACTIONS,
  JointAgendaItem,
  JointMeeting,
  ScheduleJointMeetingInput,
  SecretaryAgendaItemInput,
} from './joint-meeting';
import { PersonKey, requiredText } from './parse';
import { RESOLUTION_ACTIONS, TrackedAction } from './resolution';
import {
  ConveneZoneMeetingInput,
  ZONE_MEETING_VIEW_ACTIONS,
  ZoneMeeting,
  ZoneMinutesInput,
  ZoneOutcome,
} from './zone-meeting';

/**
 * What the meetings API accepts and answers. The bodies are the domain's inputs plus what the API
 * needs besides (the community; issue ids as UUIDs; who a zone plan is dispatched to), so a route
 * refuses bad input with the same Chinese messages the rules use.
 */

const CommunityKey = z.string('请指定小区').min(1, '请指定小区').max(64);
const IssueId = z.uuid('问题编号无效');
const OptionalText = (max: number) => z.string().trim().max(max, `最多 ${max} 字`).optional();

// ── zone meetings ───────────────────────────────────────────────────────────────────────────────

export const ConveneZoneMeetingBody = ConveneZoneMeetingInput.extend({
  community: CommunityKey,
  agenda: z.array(IssueId, '请选择议题').min(1, '请至少选择一个议题').max(50, '一次会议最多 50 个议题'),
});
export type ConveneZoneMeetingBody = z.infer<typeof ConveneZoneMeetingBody>;

export const ZoneMinutesBody = ZoneMinutesInput.extend({
  outcomes: z.array(
    z.strictObject({
      issue: IssueId,
      outcome: ZoneOutcome,
      /**
       * Resolve in zone only: dispatch the plan to this person now (the owner's dispatch path, with
       * the plan as the note). Without it the plan is recorded and the tasks in hand carry on.
       */
      assignee: PersonKey.optional(),
    }),
    '请填写每个议题的处理意见',
  ),
});
export type ZoneMinutesBody = z.infer<typeof ZoneMinutesBody>;

export const ZoneMeetingView = ZoneMeeting.extend({
  community: z.string(),
  zoneName: z.string(),
  statusName: z.string(),
  convenedByName: z.string(),
  agenda: z.array(z.object({ issue: z.string(), title: z.string().optional(), code: z.string() })),
  outcomes: z.array(z.object({ issue: z.string(), outcome: ZoneOutcome, assignee: z.string().nullable() })),
  createdAt: z.string(),
  /** What the caller may do to the meeting now (`zoneMeetingActions`). */
  allowedActions: z.array(z.enum(ZONE_MEETING_VIEW_ACTIONS)),
});
export type ZoneMeetingView = z.infer<typeof ZoneMeetingView>;

export const ZoneMeetingPage = z.object({
  items: z.array(ZoneMeetingView),
  nextCursor: z.string().nullable(),
  /** The zones whose meetings the caller may convene (`conveneZones`). */
  conveneZones: z.array(z.string()),
});
export type ZoneMeetingPage = z.infer<typeof ZoneMeetingPage>;

const Limit = z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(20);

export const ListZoneMeetingsQuery = z.strictObject({
  community: CommunityKey,
  zone: z.string().max(64).optional(),
  cursor: Cursor,
  limit: Limit,
});
export type ListZoneMeetingsQuery = z.infer<typeof ListZoneMeetingsQuery>;

export const EscalateIssueBody = z.strictObject({
  /** The zone meeting whose escalation resolution goes up; the latest one that decided on the issue when omitted. */
  zoneMeeting: z.uuid('区域会议编号无效').optional(),
});
export type EscalateIssueBody = z.infer<typeof EscalateIssueBody>;

// ── joint meetings ──────────────────────────────────────────────────────────────────────────────

export const ScheduleJointMeetingBody = ScheduleJointMeetingInput.extend({ community: CommunityKey });
export type ScheduleJointMeetingBody = z.infer<typeof ScheduleJointMeetingBody>;

export const AddAgendaItemBody = SecretaryAgendaItemInput.extend({
  community: CommunityKey,
  issues: z.array(IssueId).max(20, '一个议题最多关联 20 个问题').default([]),
  /** A meeting whose minutes are still open; the next meeting (or the waiting list) when omitted. */
  meeting: z.uuid('会议编号无效').optional(),
});
export type AddAgendaItemBody = z.infer<typeof AddAgendaItemBody>;

export const QuorumView = z.object({
  met: z.boolean(),
  invited: z.number(),
  present: z.number(),
  byOrg: z.array(
    z.object({
      org: JointOrg,
      orgName: z.string(),
      invited: z.number(),
      present: z.number(),
      required: z.boolean(),
    }),
  ),
  missingOrgs: z.array(JointOrg),
  text: z.array(z.string()),
});

export const JointAgendaItemView = JointAgendaItem.extend({
  id: z.string(),
  /** The tracked action this item's resolution became. */
  resolutionId: z.string().nullable(),
  /** What the caller may do to this item now (`agendaItemActions`). */
  allowedActions: z.array(z.enum(AGENDA_ITEM_ACTIONS)),
});
export type JointAgendaItemView = z.infer<typeof JointAgendaItemView>;

export const JointMeetingView = JointMeeting.extend({
  community: z.string(),
  chairName: z.string(),
  /** The chair is only proposed: they chair once the Party secretary designates them. */
  chairPending: z.boolean(),
  /** The names of the chair and every invitee, by person key (the public roster has only zone people). */
  names: z.record(z.string(), z.string()),
  agenda: z.array(JointAgendaItemView),
  quorum: QuorumView,
  createdAt: z.string(),
  /** What the caller may do to the meeting now (`jointMeetingActions`). */
  allowedActions: z.array(z.enum(JOINT_MEETING_ACTIONS)),
});
export type JointMeetingView = z.infer<typeof JointMeetingView>;

export const JointMeetingPage = z.object({
  items: z.array(JointMeetingView),
  nextCursor: z.string().nullable(),
  /** What the caller may do on the list (`jointListActions`): arrange a meeting, list an item. */
  allowedActions: z.array(z.enum(JOINT_LIST_ACTIONS)),
});
export type JointMeetingPage = z.infer<typeof JointMeetingPage>;

export const ListJointMeetingsQuery = z.strictObject({
  community: CommunityKey,
  cursor: Cursor,
  limit: Limit,
});
export type ListJointMeetingsQuery = z.infer<typeof ListJointMeetingsQuery>;

/** An agenda item where it stands: waiting for the next meeting, or placed on one. */
export const AgendaPlacementView = AgendaItemDraft.extend({
  id: z.string(),
  community: z.string(),
  meeting: z.string().nullable(),
  no: z.number().nullable(),
  status: AgendaItemStatus,
  createdAt: z.string(),
});
export type AgendaPlacementView = z.infer<typeof AgendaPlacementView>;

export const WaitingAgendaQuery = z.strictObject({ community: CommunityKey });
export const WaitingAgenda = z.object({ items: z.array(AgendaPlacementView) });
export type WaitingAgenda = z.infer<typeof WaitingAgenda>;

export const JointMinutesBody = z.strictObject({ text: requiredText('请填写会议纪要', 20000) });
export const DeferItemBody = z.strictObject({ reason: requiredText('请填写暂缓审议的原因', 1000) });

// ── resolutions (tracked actions) ───────────────────────────────────────────────────────────────

export const ResolutionView = TrackedAction.extend({
  id: z.string(),
  community: z.string(),
  title: z.string(),
  meetingAt: z.string(),
  responsibleOrgName: z.string(),
  responsiblePersonName: z.string(),
  overdue: z.boolean(),
  /** The newer resolution of a re-deliberation; this one stays on record. */
  supersededBy: z.string().nullable(),
  issueRefs: z.array(z.object({ id: z.string(), code: z.string(), status: IssueStatus })),
  reconsiderations: z.array(
    z.object({
      item: z.string(),
      meeting: z.string().nullable(),
      no: z.number().nullable(),
      status: AgendaItemStatus,
      reason: z.string(),
      requestedBy: z.string(),
      requestedAt: z.string(),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** What the caller may do to it now (`resolutionActions`). */
  allowedActions: z.array(z.enum(RESOLUTION_ACTIONS)),
});
export type ResolutionView = z.infer<typeof ResolutionView>;

export const ResolutionPage = z.object({ items: z.array(ResolutionView), nextCursor: z.string().nullable() });
export type ResolutionPage = z.infer<typeof ResolutionPage>;

export const ListResolutionsQuery = z.strictObject({
  community: CommunityKey,
  open: z
    .enum(['true', 'false'], 'open 应为 true 或 false')
    .transform((v) => v === 'true')
    .optional(),
  cursor: Cursor,
  limit: Limit,
});
export type ListResolutionsQuery = z.infer<typeof ListResolutionsQuery>;

// ── owners' assembly and the maintenance fund ───────────────────────────────────────────────────

export const OwnersAssemblyBody = Art278Input.extend({
  /** The day the owners' assembly was held: each vote is its own assembly, entered once. */
  heldOn: z.iso.date('请填写业主大会召开日期（YYYY-MM-DD）'),
});
export type OwnersAssemblyBody = z.input<typeof OwnersAssemblyBody>;

const ThresholdView = z.object({ num: z.number(), den: z.number(), strict: z.boolean() });

export const Art278ResultView = z.object({
  matter: Art278Matter,
  matterName: z.string(),
  rule: z.enum(['three_quarters', 'more_than_half']),
  passed: z.boolean(),
  checks: z.array(
    z.object({
      key: z.enum(ART278_CHECKS),
      unit: z.enum(['人', 'm²']),
      numerator: z.number(),
      denominator: z.number(),
      threshold: ThresholdView,
      met: z.boolean(),
      text: z.string(),
    }),
  ),
  tally: z.object({
    totalOwners: z.number(),
    totalArea: z.number(),
    participatingOwners: z.number(),
    participatingArea: z.number(),
    consentingOwners: z.number(),
    consentingArea: z.number(),
    againstOwners: z.number().nullable(),
    abstainingOwners: z.number().nullable(),
  }),
  summary: z.string(),
});

export const FundUseView = z.object({
  issue: z.string(),
  canStart: z.boolean(),
  noticeDays: z.number(),
  noticeStartedAt: z.string().nullable(),
  noticeEndsAt: z.string().nullable(),
  /** The published fund notice whose period is the 公示. */
  notice: z.object({ id: z.string(), number: z.string().nullable() }).nullable(),
  reportedToOcAt: z.string().nullable(),
  reportedBy: PersonRef.nullable(),
  /** When and by which owners'-committee member the report was received. */
  ocAcknowledgedAt: z.string().nullable(),
  ocAcknowledgedBy: PersonRef.nullable(),
  steps: z.array(z.object({ step: z.enum(FUND_USE_STEPS), done: z.boolean(), text: z.string() })),
  missing: z.array(z.string()),
  allowedActions: z.array(z.enum(FUND_USE_ACTIONS)),
});
export type FundUseView = z.infer<typeof FundUseView>;

export const OwnersAssemblyView = z.object({
  id: z.string(),
  issue: z.string(),
  matter: Art278Matter,
  passed: z.boolean(),
  result: Art278ResultView,
  votes: z.array(OwnerVote).nullable(),
  recordedBy: PersonRef,
  createdAt: z.string(),
  /** The day the assembly was held (null on votes recorded before it was asked); 第 `attempt` 次表决 of the issue. */
  heldOn: z.string().nullable(),
  attempt: z.number().int(),
  /** For an issue that uses the maintenance fund: where its procedure stands after this vote. */
  fundUse: FundUseView.nullable(),
});
export type OwnersAssemblyView = z.infer<typeof OwnersAssemblyView>;

export const OwnersAssemblyList = z.object({
  /** Every vote, oldest first (append-only: a failed vote stays on record). */
  items: z.array(OwnersAssemblyView),
  /** Whether the caller may enter a vote (a member of the owners' committee). */
  mayRecord: z.boolean(),
  /** For an issue that uses the maintenance fund: its procedure, with what the caller may do. */
  fundUse: FundUseView.nullable(),
});
export type OwnersAssemblyList = z.infer<typeof OwnersAssemblyList>;

/** The published fund notice (notices, kind fund_notice, of this issue) whose period is the 公示. */
export const FundNoticeBody = z.strictObject({
  notice: z.uuid('请指定已发布的维修资金公示公告'),
});
export type FundNoticeBody = z.infer<typeof FundNoticeBody>;

export const FundOcReportBody = z.strictObject({ note: OptionalText(2000) });
export const FundOcAckBody = z.strictObject({ note: OptionalText(2000) });
export type FundOcAckBody = z.infer<typeof FundOcAckBody>;
export type FundOcReportBody = z.infer<typeof FundOcReportBody>;
