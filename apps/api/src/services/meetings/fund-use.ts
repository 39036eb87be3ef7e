import {
  assertMayReportToOc,
  Conflict,
  type FundNoticeBody,
  type FundOcReportBody,
  relationsTo,
} from '@gongzhi/domain';
import { fundUsesTable, type issuesTable } from '../../db/schema';
import { actorKeyOf, type ServiceContext } from '../context';
import { loadReadableIssue } from '../issues/load-readable-issue';
import { accessFacts } from '../issues/to-view';
import { fundOptionsOf, fundUseStateOf, fundUseViewOf } from './fund-use-state';
import { assertMayRecordProcedure } from './owners-assembly';
import { recordOnIssue } from './record-on-issue';

type IssueRow = typeof issuesTable.$inferSelect;

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
 * The plan goes up on public notice (公示), from now or from the moment given. Posting it again
 * (the plan changed) restarts the period, and a report to the committee made before the new period
 * ends no longer counts (fundUseGate).
 */
export async function recordFundNotice(ctx: ServiceContext, issueId: string, body: FundNoticeBody) {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const found = await loadReadableIssue(ctx, tx, issueId, { lock: true });
    const { issue, community, principal } = found;
    assertMayRecordProcedure(relationsTo(found.actor, accessFacts(issue)), '记录维修资金方案公示');
    assertUsesFund(issue);
    const startedAt = body.startedAt ? new Date(body.startedAt) : now;
    const values = {
      noticeStartedAt: startedAt,
      noticeText: body.text ?? null,
      noticeRecordedBy: actorKeyOf(principal),
      updatedAt: now,
    };
    await tx
      .insert(fundUsesTable)
      .values({ issueId, communityId: issue.communityId, ...values })
      .onConflictDoUpdate({ target: fundUsesTable.issueId, set: values });
    const view = await fundUseViewOf(tx, community, issueId, now);
    await recordOnIssue(ctx, tx, issueId, {
      action: 'fund_notice',
      actor: actorKeyOf(principal),
      note: view.steps.find((s) => s.step === 'notice_period')!.text,
      data: { startedAt: startedAt.toISOString(), endsAt: view.noticeEndsAt },
    });
    return view;
  });
}

/** The plan is reported to the owners' committee: only once the notice period is over (409 otherwise). */
export async function recordFundOcReport(ctx: ServiceContext, issueId: string, body: FundOcReportBody) {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const found = await loadReadableIssue(ctx, tx, issueId, { lock: true });
    const { issue, community, principal } = found;
    assertMayRecordProcedure(relationsTo(found.actor, accessFacts(issue)), '记录上报业委会');
    assertUsesFund(issue);
    assertMayReportToOc(await fundUseStateOf(tx, issueId), now, fundOptionsOf(community));
    const values = {
      reportedToOcAt: now,
      ocReportNote: body.note ?? null,
      reportedBy: actorKeyOf(principal),
      updatedAt: now,
    };
    await tx
      .insert(fundUsesTable)
      .values({ issueId, communityId: issue.communityId, ...values })
      .onConflictDoUpdate({ target: fundUsesTable.issueId, set: values });
    const view = await fundUseViewOf(tx, community, issueId, now);
    await recordOnIssue(ctx, tx, issueId, {
      action: 'fund_oc_report',
      actor: actorKeyOf(principal),
      note: body.note ?? view.steps.find((s) => s.step === 'oc_report')!.text,
      data: { canStart: view.canStart, missing: view.missing },
    });
    return view;
  });
}
