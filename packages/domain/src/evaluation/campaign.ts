import { z } from 'zod';
import { parseQuarter, quarterBounds, quarterLabel } from '../archive/quarter';
import type { PersonRoles } from '../community/lookup';
import { Conflict, Forbidden } from '../errors';

/** A campaign's life: prepared, answered, counted, made public. Each step is one way. */
export const CAMPAIGN_STATUSES = ['draft', 'open', 'closed', 'published'] as const;
export const CampaignStatus = z.enum(CAMPAIGN_STATUSES);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

export const CAMPAIGN_STATUS_NAMES: Record<CampaignStatus, string> = {
  draft: '准备中',
  open: '评议中',
  closed: '已结束',
  published: '已公布',
};

export const CAMPAIGN_ACTIONS = ['open', 'close', 'publish'] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

/** The transition table: each action from exactly one status to the next. */
export const CAMPAIGN_TRANSITIONS: Record<
  CampaignAction,
  { from: CampaignStatus; to: CampaignStatus; name: string }
> = {
  open: { from: 'draft', to: 'open', name: '开始评议' },
  close: { from: 'open', to: 'closed', name: '结束评议' },
  publish: { from: 'closed', to: 'published', name: '公布结果' },
};

/** Seed 000: the leadership group (领导小组) organises the evaluation. Nobody else runs it. */
export const runsEvaluation = (roles: PersonRoles | null) => !!roles?.leadership;

export function assertRunsEvaluation(roles: PersonRoles | null) {
  if (!runsEvaluation(roles)) {
    throw Forbidden('evaluation_leadership_only', '只有领导小组成员可以组织居民评议');
  }
}

/** The next status, or a 409 that says where the campaign stands. */
export function applyCampaignAction(status: CampaignStatus, action: CampaignAction): CampaignStatus {
  const t = CAMPAIGN_TRANSITIONS[action];
  if (status !== t.from) {
    throw Conflict(
      `campaign_not_${t.from}`,
      `评议当前为“${CAMPAIGN_STATUS_NAMES[status]}”，不能${t.name}（须为“${CAMPAIGN_STATUS_NAMES[t.from]}”）`,
    );
  }
  return t.to;
}

/**
 * A quarter's work is evaluated once the quarter has begun: a campaign may be prepared ahead as a
 * draft, but residents are asked (the campaign opened) only from the quarter's first day on
 * (409 quarter_not_started).
 */
export function assertQuarterBegun(quarter: string, now: Date, timeZone: string) {
  const q = parseQuarter(quarter);
  const { start } = quarterBounds(q, timeZone);
  if (now.getTime() < start.getTime()) {
    throw Conflict(
      'quarter_not_started',
      `${quarterLabel(q)}尚未开始，不能开始评议；可先准备评议内容，季度开始后再开始评议`,
    );
  }
}

/** Responses are taken only while the campaign is open. */
export function assertTakesResponses(status: CampaignStatus) {
  if (status !== 'open') {
    throw Conflict('campaign_not_open', `本次评议${CAMPAIGN_STATUS_NAMES[status]}，现在不能提交评议`);
  }
}

/** Codes are printed before and during the campaign, never after it closed. */
export function assertIssuesCodes(status: CampaignStatus) {
  if (status !== 'draft' && status !== 'open') {
    throw Conflict('campaign_closed', `本次评议${CAMPAIGN_STATUS_NAMES[status]}，不能再生成评议码`);
  }
}

/** Who sees a campaign at all: the leadership always; everyone else once it is open. */
export const campaignVisible = (status: CampaignStatus, leadership: boolean) =>
  leadership || status !== 'draft';

/**
 * Results: nobody while answers are still coming in (so they cannot sway the rest); the
 * leadership once closed, to check before publishing; everyone once published.
 */
export function resultsAccess(
  status: CampaignStatus,
  leadership: boolean,
): 'ok' | 'not_yet' | 'not_published' {
  if (status === 'published') return 'ok';
  if (status === 'closed') return leadership ? 'ok' : 'not_published';
  return 'not_yet';
}

export function assertResultsReadable(status: CampaignStatus, leadership: boolean) {
  const access = resultsAccess(status, leadership);
  if (access === 'not_yet') {
    throw Conflict('results_not_ready', `评议${CAMPAIGN_STATUS_NAMES[status]}，结束后才能统计结果`);
  }
  if (access === 'not_published') throw Forbidden('results_not_published', '评议结果尚未公布');
}

export const defaultCampaignTitle = (communityName: string, quarter: string) =>
  `${communityName}${quarterLabel(parseQuarter(quarter))}居民评议`;

/** What a campaign view may offer: its steps, printing codes, reading results, the audit list. */
export const CAMPAIGN_VIEW_ACTIONS = [...CAMPAIGN_ACTIONS, 'codes', 'results', 'audit'] as const;
export type CampaignViewAction = (typeof CAMPAIGN_VIEW_ACTIONS)[number];

/**
 * What the caller may do to a campaign now (the campaign view's `allowedActions`), by the rules the
 * actions check: the leadership steps it along its table and issues codes while it is prepared or
 * open (`assertIssuesCodes`); results follow `resultsAccess`; the audit list is the leadership's
 * once responses can exist (from opening on).
 */
export function campaignActions(roles: PersonRoles | null, status: CampaignStatus): CampaignViewAction[] {
  const runs = runsEvaluation(roles);
  const out: CampaignViewAction[] = [];
  if (runs) out.push(...CAMPAIGN_ACTIONS.filter((a) => CAMPAIGN_TRANSITIONS[a].from === status));
  if (runs && (status === 'draft' || status === 'open')) out.push('codes');
  if (resultsAccess(status, runs) === 'ok') out.push('results');
  if (runs && status !== 'draft') out.push('audit');
  return out;
}
