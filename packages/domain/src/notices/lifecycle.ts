import { z } from 'zod';
import type { PersonRoles } from '../community/lookup';
import { Conflict, DomainError, Forbidden } from '../errors';
import { keepsHonorRoll } from './honor-keepers';

/**
 * Public notices (公告公示, docs/domain.md §10, issue 8): draft → approved → published, and kept. A
 * published notice is never edited: a correction is a new notice that supersedes it.
 */
export const NOTICE_KINDS = [
  'zone_roster',
  'quarterly_summary',
  'evaluation_results',
  'joint_decision',
  'fund_notice',
  'announcement',
  'convention',
  'honor_roll',
] as const;
export const NoticeKind = z.enum(NOTICE_KINDS, '公告类别无效');
export type NoticeKind = z.infer<typeof NoticeKind>;

export const NOTICE_KIND_NAMES: Record<NoticeKind, string> = {
  zone_roster: '区域责任名单',
  quarterly_summary: '季度投诉处理情况',
  evaluation_results: '评议结果',
  joint_decision: '联席会议决议',
  fund_notice: '维修资金公示',
  announcement: '通知公告',
  convention: '居民公约',
  honor_roll: '红黑榜',
};

/**
 * The kinds people write by hand on the compose page (a general announcement — 停水停电, 消杀,
 * 活动 — and the residents' convention); the others are generated from a source first.
 */
export const WRITTEN_NOTICE_KINDS: readonly NoticeKind[] = ['announcement', 'convention'];

/** Kinds that may carry a period: a general announcement's validity (有效期), optional. */
export const OPTIONAL_PERIOD_KINDS: readonly NoticeKind[] = ['announcement'];
export const mayHavePeriod = (kind: NoticeKind) =>
  NOTICE_PERIOD_KINDS.includes(kind) || OPTIONAL_PERIOD_KINDS.includes(kind);

/** What a kind's period is called: 公示期 for a fund notice, 有效期 for an announcement. */
export const periodLabel = (kind: NoticeKind) => (kind === 'announcement' ? '有效期' : '公示期');

/** Kinds with a notice period (公示期): listed as 公示中 from its start until it ends. */
export const NOTICE_PERIOD_KINDS: readonly NoticeKind[] = ['fund_notice'];
export const hasPeriod = (kind: NoticeKind) => NOTICE_PERIOD_KINDS.includes(kind);

export const NOTICE_STATUSES = ['draft', 'approved', 'published', 'superseded', 'withdrawn'] as const;
export const NoticeStatus = z.enum(NOTICE_STATUSES, '公告状态无效');
export type NoticeStatus = z.infer<typeof NoticeStatus>;

export const NOTICE_STATUS_NAMES: Record<NoticeStatus, string> = {
  draft: '草稿',
  approved: '已审核',
  published: '已发布',
  superseded: '已更正',
  withdrawn: '已撤回',
};

/** Statuses residents may read: what is published, and what a correction replaced (old links still lead somewhere). */
export const PUBLIC_NOTICE_STATUSES: readonly NoticeStatus[] = ['published', 'superseded'];

export const NOTICE_ACTIONS = ['draft', 'edit', 'approve', 'publish', 'withdraw'] as const;
export type NoticeAction = (typeof NOTICE_ACTIONS)[number];

/**
 * The lifecycle as a table: from which statuses each action may be taken, and where it leads.
 * Editing an approved notice sends it back to draft (the approval was of the old text). Withdrawal
 * keeps the notice (with who, when and why); superseding happens when a correction is published.
 */
export const NOTICE_TRANSITIONS: Record<
  Exclude<NoticeAction, 'draft'>,
  { from: readonly NoticeStatus[]; to: NoticeStatus }
> = {
  edit: { from: ['draft', 'approved'], to: 'draft' },
  approve: { from: ['draft'], to: 'approved' },
  publish: { from: ['approved'], to: 'published' },
  withdraw: { from: ['draft', 'approved', 'published'], to: 'withdrawn' },
};

const REFUSALS: Record<Exclude<NoticeAction, 'draft'>, (s: NoticeStatus) => [string, string]> = {
  edit: (s) =>
    s === 'published' || s === 'superseded'
      ? ['notice_published', '已发布的公告不能修改；如需更正，请起草一份更正公告']
      : ['notice_not_editable', `公告${NOTICE_STATUS_NAMES[s]}，不能修改`],
  approve: (s) => ['notice_not_draft', `只有草稿可以审核，该公告${NOTICE_STATUS_NAMES[s]}`],
  publish: (s) =>
    s === 'draft'
      ? ['notice_not_approved', '公告须经领导小组或秘书审核后才能发布']
      : ['notice_not_approved', `该公告${NOTICE_STATUS_NAMES[s]}，不能发布`],
  withdraw: (s) => ['notice_not_withdrawable', `该公告${NOTICE_STATUS_NAMES[s]}，不能撤回`],
};

/** The status after an action, or a 409 naming why the notice's status does not allow it. */
export function noticeStep(action: Exclude<NoticeAction, 'draft'>, status: NoticeStatus): NoticeStatus {
  const t = NOTICE_TRANSITIONS[action];
  if (!t.from.includes(status)) {
    const [code, message] = REFUSALS[action](status);
    throw Conflict(code, message);
  }
  return t.to;
}

/** Who acts, as the notice rules see them (the community's roles; admin without roles). */
export interface NoticeActor {
  admin: boolean;
  roles: PersonRoles | null;
}

/** The facts of a notice that permissions look at. */
export interface NoticeFacts {
  /** The zone it concerns, or null for the whole community. */
  zone: string | null;
  /** Person key of whoever drafted it (null: an administrator). */
  author: string | null;
  /** Its kind, where a kind has drafters of its own (a 红黑榜 notice: the lists' keepers). */
  kind?: NoticeKind;
}

const approves = (a: NoticeActor) => !!a.roles && (a.roles.secretary || a.roles.leadership);
const leadsZone = (a: NoticeActor, zone: string | null) =>
  zone !== null && !!a.roles?.zones.some((z) => z.zone === zone && z.leader);

/**
 * Who may do what (docs/domain.md §12: secretary and leadership run the notices):
 * - draft and edit: the secretary, the leadership group, an administrator, and a zone leader for a
 *   notice of their own zone (the zone's roster, a fund notice of a zone issue);
 * - approve: the leadership group or the secretary, but **not the notice's author** — approval is
 *   the second pair of eyes (the secretary and six leaders mean there is always another);
 * - publish and withdraw: the leadership group or the secretary (publishing an approved notice is
 *   a matter of timing; the author may do it).
 * - a 红黑榜 notice is drafted and edited by the lists' keepers too (the Party branch, the 业委会);
 * An administrator keeps the system, not the governance: they draft but do not approve or publish.
 */
export function assertMayNotice(actor: NoticeActor, action: NoticeAction, notice: NoticeFacts) {
  switch (action) {
    case 'draft':
    case 'edit':
      if (actor.admin || approves(actor) || leadsZone(actor, notice.zone)) return;
      if (notice.kind === 'honor_roll' && keepsHonorRoll(actor)) return;
      throw Forbidden(
        'not_notice_drafter',
        notice.zone === null
          ? '只有领导小组、秘书可以起草全小区的公告'
          : '只有领导小组、秘书或该区域组长可以起草本区域的公告',
      );
    case 'approve':
      if (!approves(actor)) throw Forbidden('not_notice_approver', '只有领导小组成员或秘书可以审核公告');
      if (notice.author !== null && notice.author === actor.roles!.person)
        throw Forbidden('own_notice_approval', '不能审核自己起草的公告，请由领导小组其他成员或秘书审核');
      return;
    case 'publish':
    case 'withdraw':
      if (!approves(actor))
        throw Forbidden(
          'not_notice_publisher',
          `只有领导小组成员或秘书可以${action === 'publish' ? '发布' : '撤回'}公告`,
        );
      return;
  }
}

/** The steps a notice view may offer (drafting makes a new notice; it is a menu entry, not a button). */
export const NOTICE_VIEW_ACTIONS = ['edit', 'approve', 'publish', 'withdraw'] as const;
export type NoticeViewAction = (typeof NOTICE_VIEW_ACTIONS)[number];

/**
 * What the caller may do to a notice now (the notice view's `allowedActions`): each step its status
 * allows (`noticeStep`) and the caller may take (`assertMayNotice`) — the very checks the step runs.
 */
export function noticeActions(
  actor: NoticeActor | null,
  notice: NoticeFacts & { status: NoticeStatus },
): NoticeViewAction[] {
  if (!actor) return [];
  return NOTICE_VIEW_ACTIONS.filter((action) => {
    try {
      noticeStep(action, notice.status);
      assertMayNotice(actor, action, notice);
      return true;
    } catch (e) {
      if (e instanceof DomainError) return false;
      throw e;
    }
  });
}

/** Who reads drafts and withdrawn notices: those who may draft any notice of the community. */
export const readsNoticeDrafts = (actor: NoticeActor) =>
  actor.admin || approves(actor) || !!actor.roles?.zones.some((z) => z.leader);

/** A notice period: 公示中 from its start (inclusive) until its end (exclusive). */
export function inNoticePeriod(
  n: { status: NoticeStatus; periodStart: Date | string | null; periodEnd: Date | string | null },
  now: Date,
): boolean {
  if (n.status !== 'published' || !n.periodStart || !n.periodEnd) return false;
  const t = now.getTime();
  return new Date(n.periodStart).getTime() <= t && t < new Date(n.periodEnd).getTime();
}

/** The notice's number, given when it is published: 夏朵园居民区公告〔2026〕3号. */
export const noticeNumber = (communityName: string, year: number, seq: number) =>
  `${communityName}公告〔${year}〕${seq}号`;
