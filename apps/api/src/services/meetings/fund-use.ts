import {
  assertMayReportToOc,
  type Community,
  Conflict,
  type FundNoticeBody,
  type FundOcReportBody,
  type FundUseView,
  relationsTo,
} from '@gongzhi/domain';
import type { Tx } from '../../db/client';
import { fundUsesTable, type issuesTable } from '../../db/schema';
import { actorKeyOf, type ServiceContext } from '../context';
import { loadReadableIssue } from '../issues/load-readable-issue';
import { accessFacts } from '../issues/to-view';
import { fundOptionsOf, fundUseStateOf, fundUseViewOf } from './fund-use-state';
import { assertMayRecordProcedure } from './owners-assembly';
import { recordOnIssue } from './record-on-issue';

type IssueRow = typeof issuesTable.$inferSelect;
type FundValues = Partial<Omit<typeof fundUsesTable.$inferInsert, 'issueId' | 'communityId' | 'updatedAt'>>;

function assertUsesFund(issue: IssueRow) {
  if (!issue.usesMaintenanceFund)
    throw Conflict('fund_not_used', '该问题不动用维修资金，无需公示和上报业委会');
}

/** Where an issue's maintenance-fund procedure stands: each step, and what is still missing. */
export async function getFundUse(ctx: ServiceContext, issueId: string) {
  const { issue, community } = await loadReadableIssue(ctx, ctx.db, issueId);
  assertUsesFund(issue);
  return fundUseViewOf(ctx.db, community, issueId, ctx.now());
}

/**
 * One step of the fund's procedure: by whoever may record it, on an issue that uses the fund; the
 * step's own check, its columns, and an event in the issue's record, in one transaction.
 */
async function recordFundStep(
  ctx: ServiceContext,
  issueId: string,
  s: {
    what: string;
    action: 'fund_notice' | 'fund_oc_report';
    check?: (tx: Tx, community: Community, now: Date) => Promise<void>;
    values: (actor: string, now: Date) => FundValues;
    event: (view: FundUseView) => { note: string; data: Record<string, unknown> };
  },
) {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const found = await loadReadableIssue(ctx, tx, issueId, { lock: true });
    const { issue, community, principal } = found;
    assertMayRecordProcedure(relationsTo(found.actor, accessFacts(issue)), s.what);
    assertUsesFund(issue);
    await s.check?.(tx, community, now);
    const actor = actorKeyOf(principal);
    const values = { ...s.values(actor, now), updatedAt: now };
    await tx
      .insert(fundUsesTable)
      .values({ issueId, communityId: issue.communityId, ...values })
      .onConflictDoUpdate({ target: fundUsesTable.issueId, set: values });
    const view = await fundUseViewOf(tx, community, issueId, now);
    await recordOnIssue(ctx, tx, issueId, { action: s.action, actor, ...s.event(view) });
    return view;
  });
}

/**
 * The plan goes up on public notice (公示), from now or from the moment given. Posting it again
 * (the plan changed) restarts the period, and a report to the committee made before the new period
 * ends no longer counts (fundUseGate).
 */
export function recordFundNotice(ctx: ServiceContext, issueId: string, body: FundNoticeBody) {
  return recordFundStep(ctx, issueId, {
    what: '记录维修资金方案公示',
    action: 'fund_notice',
    values: (actor, now) => ({
      noticeStartedAt: body.startedAt ? new Date(body.startedAt) : now,
      noticeText: body.text ?? null,
      noticeRecordedBy: actor,
    }),
    event: (view) => ({
      note: view.steps.find((x) => x.step === 'notice_period')!.text,
      data: { startedAt: view.noticeStartedAt, endsAt: view.noticeEndsAt },
    }),
  });
}

/** The plan is reported to the owners' committee: only once the notice period is over (409 otherwise). */
export function recordFundOcReport(ctx: ServiceContext, issueId: string, body: FundOcReportBody) {
  return recordFundStep(ctx, issueId, {
    what: '记录上报业委会',
    action: 'fund_oc_report',
    check: async (tx, community, now) =>
      assertMayReportToOc(await fundUseStateOf(tx, issueId), now, fundOptionsOf(community)),
    values: (actor, now) => ({ reportedToOcAt: now, ocReportNote: body.note ?? null, reportedBy: actor }),
    event: (view) => ({
      note: body.note ?? view.steps.find((x) => x.step === 'oc_report')!.text,
      data: { canStart: view.canStart, missing: view.missing },
    }),
  });
}
