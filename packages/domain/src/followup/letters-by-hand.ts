import { z } from 'zod';
import { ORG_NAMES, ORGS, Org } from '../community/orgs';
import type { Community } from '../community/validate';
import type { Actor } from '../issues/access';
import type { LetterTriggerConfig } from '../sla/schema';
import { Cursor } from '../text';
import { LETTER_KIND_NAMES, LetterKind } from './letters';

/**
 * Letters by hand (seed 001 §七.3, 建立警示制度): the leadership group issues a 提示函 or 警示函 to
 * any of the four organisations, citing issues; and when residents press hard (群众反映比较强烈) the
 * follow-up clock proposes one, which the leadership confirms (the letter is issued) or dismisses.
 * Nothing here issues a letter by itself.
 */

/** Who issues letters by hand and decides on proposals: the leadership group (and administrators). */
export const issuesLetters = (actor: Actor) => actor.admin || !!actor.roles?.leadership;

export const LETTER_LIST_ACTIONS = ['issue'] as const;
export type LetterListAction = (typeof LETTER_LIST_ACTIONS)[number];
/** What the caller may do on the letters page: issue a letter by hand. */
export const letterListActions = (actor: Actor): LetterListAction[] =>
  issuesLetters(actor) ? ['issue'] : [];

export const LETTER_PROPOSAL_STATUSES = ['pending', 'confirmed', 'dismissed'] as const;
export type LetterProposalStatus = (typeof LETTER_PROPOSAL_STATUSES)[number];
export const LETTER_PROPOSAL_STATUS_NAMES: Record<LetterProposalStatus, string> = {
  pending: '待决定',
  confirmed: '已发函',
  dismissed: '不发函',
};
export const LETTER_PROPOSAL_ACTIONS = ['confirm', 'dismiss'] as const;
export type LetterProposalAction = (typeof LETTER_PROPOSAL_ACTIONS)[number];

/** A pending proposal is confirmed or dismissed, once, by the leadership. */
export const letterProposalActions = (actor: Actor, status: LetterProposalStatus): LetterProposalAction[] =>
  status === 'pending' && issuesLetters(actor) ? ['confirm', 'dismiss'] : [];

/** How hard residents press on one issue: every complaint after the first report counts. */
export interface IssuePressure {
  issueId: string;
  code: string;
  /** The organisation answerable for it (its latest task's), or null when no one was given work. */
  org: Org | null;
  /** Times the reporter rejected a fix (不满意，未解决). */
  reopens: number;
  /** Ratings at or below `lowRatingAtMost`. */
  lowRatings: number;
  /** Duplicates merged into it (each a resident complaining again). */
  duplicates: number;
}

export interface OrgSatisfaction {
  org: Org;
  /** The month, YYYY-MM. */
  month: string;
  satisfied: number;
  rated: number;
}

export interface LetterProposalDraft {
  /** Unique per community: the same pressure never proposes twice. */
  key: string;
  kind: LetterKind;
  org: Org;
  reason: string;
  issueIds: string[];
}

export const complaintsOn = (p: IssuePressure) => p.reopens + p.lowRatings + p.duplicates;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The proposals the pressure calls for: a 警示函 to the answerable organisation for each issue with
 * at least `complaintsPerIssue` complaints, and for each organisation whose month's 满意率 fell below
 * `satisfactionBelow` with enough ratings. Keys make each proposal once only.
 */
export function proposeLetters(
  config: LetterTriggerConfig,
  issues: readonly IssuePressure[],
  satisfaction: readonly OrgSatisfaction[],
): LetterProposalDraft[] {
  const out: LetterProposalDraft[] = [];
  for (const p of issues) {
    const n = complaintsOn(p);
    if (p.org === null || n < config.complaintsPerIssue) continue;
    out.push({
      key: `issue:${p.issueId}`,
      kind: 'warning',
      org: p.org,
      reason: `群众反映比较强烈：问题 ${p.code} 已有 ${n} 次投诉（未解决被退回 ${p.reopens} 次、差评 ${p.lowRatings} 次、重复投诉 ${p.duplicates} 次）`,
      issueIds: [p.issueId],
    });
  }
  for (const s of satisfaction) {
    if (s.rated < config.satisfactionMinRatings) continue;
    const rate = s.satisfied / s.rated;
    if (rate >= config.satisfactionBelow) continue;
    const [y, m] = s.month.split('-').map(Number);
    out.push({
      key: `satisfaction:${s.org}:${s.month}`,
      kind: 'warning',
      org: s.org,
      reason: `群众反映比较强烈：${y}年${m}月${ORG_NAMES[s.org]}承办事项的满意率为 ${s.satisfied}/${s.rated} = ${pct(rate)}，低于 ${pct(config.satisfactionBelow)}`,
      issueIds: [],
    });
  }
  return out;
}

// ── API shapes ──────────────────────────────────────────────────────────────────────────────────

export const IssueLetterInput = z.strictObject({
  community: z.string().min(1, '请指定小区'),
  kind: z.enum(['reminder', 'warning'], '请选择函件种类：提示函（reminder）或警示函（warning）'),
  org: z.enum(ORGS, '请选择单位：party、rc、oc、grid 或 property'),
  reason: z.string().trim().min(4, '请写明发函事由（至少 4 个字）').max(500, '发函事由最多 500 字'),
  issues: z
    .array(z.string().uuid('问题编号无效'))
    .max(20, '一封函最多引用 20 个问题')
    .default([])
    .refine((ids) => new Set(ids).size === ids.length, '引用的问题重复'),
});
export type IssueLetterInput = z.infer<typeof IssueLetterInput>;

export const LetterProposalView = z.object({
  id: z.string(),
  kind: LetterKind,
  kindName: z.string(),
  org: Org,
  orgName: z.string(),
  reason: z.string(),
  issues: z.array(z.object({ id: z.string(), code: z.string() })),
  status: z.enum(LETTER_PROPOSAL_STATUSES),
  statusName: z.string(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
  /** The letter a confirmation issued. */
  letterId: z.string().nullable(),
  allowedActions: z.array(z.enum(LETTER_PROPOSAL_ACTIONS)),
});
export type LetterProposalView = z.infer<typeof LetterProposalView>;

export type LetterProposalPage = z.infer<typeof LetterProposalPage>;
export const LetterProposalPage = z.object({
  items: z.array(LetterProposalView),
  nextCursor: z.string().nullable(),
});

export const ListLetterProposalsQuery = z.strictObject({
  community: z.string().min(1, '请指定小区'),
  status: z.enum(LETTER_PROPOSAL_STATUSES, '状态应为 pending、confirmed 或 dismissed').optional(),
  cursor: Cursor,
  limit: z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(20),
});
export type ListLetterProposalsQuery = z.infer<typeof ListLetterProposalsQuery>;

export const DecideLetterProposalInput = z.strictObject({
  note: z.string().trim().max(500, '说明最多 500 字').optional(),
});

export const letterKindName = (k: LetterKind) => LETTER_KIND_NAMES[k];
/** The person keys told of a new proposal: the leadership group. */
export const leadershipOf = (community: Community) => [
  community.config.leadershipGroup.leader,
  ...community.config.leadershipGroup.members,
];
