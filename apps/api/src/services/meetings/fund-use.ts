import {
  assertMayAcknowledgeOcReport,
  assertMayRecordAssembly,
  assertMayReportToOc,
  Conflict,
  type FundNoticeBody,
  type FundOcAckBody,
  type FundOcReportBody,
  type FundUseView,
  orgMembersOf,
  relationsTo,
} from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { fundUsesTable, type issuesTable, noticesTable } from '../../db/schema';
import { actorKeyOf, type ServiceContext } from '../context';
import { accessFacts } from '../issues/to-view';
import { fundOptionsOf, fundUseStateOf, fundUseViewOf } from './fund-use-state';
import { assertMayRecordProcedure } from './owners-assembly';
import { fundViewerOf, loadProcedureIssue } from './procedure-access';
import { recordOnIssue } from './record-on-issue';

type IssueRow = typeof issuesTable.$inferSelect;
type FundValues = Partial<Omit<typeof fundUsesTable.$inferInsert, 'issueId' | 'communityId' | 'updatedAt'>>;

function assertUsesFund(issue: IssueRow) {
  if (!issue.usesMaintenanceFund)
    throw Conflict('fund_not_used', '该问题不动用维修资金，无需公示和上报业委会');
}

/** Where an issue's maintenance-fund procedure stands: each step, what is missing, what the caller may do. */
export async function getFundUse(ctx: ServiceContext, issueId: string) {
  const found = await loadProcedureIssue(ctx, ctx.db, issueId);
  const { issue, community } = found;
  assertUsesFund(issue);
  return fundUseViewOf(ctx.db, community, issueId, ctx.now(), fundViewerOf(found, issue, community));
}

type Found = Awaited<ReturnType<typeof loadProcedureIssue>>;

/**
 * One step of the fund's procedure, on an issue that uses the fund: the step's own check (who, and
 * in what order), its columns, and an event in the issue's record, in one transaction.
 */
async function recordFundStep(
  ctx: ServiceContext,
  issueId: string,
  s: {
    action: 'fund_notice' | 'fund_oc_report' | 'fund_oc_acknowledged';
    /** Who may take the step (403 before anything about the issue's fund is said). */
    who: (found: Found) => void;
    check: (tx: Tx, found: Found, now: Date) => Promise<void>;
    values: (actor: string, now: Date) => FundValues;
    event: (view: FundUseView) => { note: string; data: Record<string, unknown> };
  },
) {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const found = await loadProcedureIssue(ctx, tx, issueId, { lock: true });
    const { issue, community, principal } = found;
    s.who(found);
    assertUsesFund(issue);
    await s.check(tx, found, now);
    const actor = actorKeyOf(principal);
    const values = { ...s.values(actor, now), updatedAt: now };
    await tx
      .insert(fundUsesTable)
      .values({ issueId, communityId: issue.communityId, ...values })
      .onConflictDoUpdate({ target: fundUsesTable.issueId, set: values });
    const view = await fundUseViewOf(tx, community, issueId, now, fundViewerOf(found, issue, community));
    await recordOnIssue(ctx, tx, issueId, { action: s.action, actor, ...s.event(view) });
    return view;
  });
}

const mayRecord = (found: Found, what: string) =>
  assertMayRecordProcedure(relationsTo(found.actor, accessFacts(found.issue)), what);

/**
 * The 公示 is a published notice: the fund notice of this issue (notices, kind fund_notice), published
 * (publishing one links it by itself; this links a later one, e.g. a correction, and restarts the
 * period from its publication). A report to the committee made before the new period ends no
 * longer counts (fundUseGate). Nothing published → 409 fund_notice_not_published.
 */
export function recordFundNotice(ctx: ServiceContext, issueId: string, body: FundNoticeBody) {
  let notice: typeof noticesTable.$inferSelect | undefined;
  return recordFundStep(ctx, issueId, {
    action: 'fund_notice',
    who: (found) => mayRecord(found, '记录维修资金方案公示'),
    check: async (tx, found) => {
      [notice] = await tx.select().from(noticesTable).where(eq(noticesTable.id, body.notice));
      if (
        !notice ||
        notice.communityId !== found.issue.communityId ||
        notice.source?.kind !== 'fund_notice' ||
        notice.source.issue !== issueId ||
        notice.status !== 'published' ||
        !notice.periodStart
      ) {
        throw Conflict(
          'fund_notice_not_published',
          '公示须以已发布的本问题维修资金公示公告为准：请先起草“维修资金公示”公告，经审核后发布',
          [{ path: 'notice', message: '不是本问题已发布的维修资金公示' }],
        );
      }
      const state = await fundUseStateOf(tx, issueId);
      if (state.ocAcknowledgedAt) throw Conflict('oc_report_acknowledged', '业委会已签收该报告，程序已完成');
    },
    values: (actor) => ({
      noticeStartedAt: notice!.periodStart!,
      noticeId: notice!.id,
      noticeText: notice!.title,
      noticeRecordedBy: actor,
    }),
    event: (view) => ({
      note: `${notice!.number ?? notice!.title}：${view.steps.find((x) => x.step === 'notice_period')!.text}`,
      data: { notice: notice!.id, startedAt: view.noticeStartedAt, endsAt: view.noticeEndsAt },
    }),
  });
}

/** The plan is reported to the owners' committee: only once the notice period is over (409 otherwise). */
export function recordFundOcReport(ctx: ServiceContext, issueId: string, body: FundOcReportBody) {
  return recordFundStep(ctx, issueId, {
    action: 'fund_oc_report',
    who: (found) => mayRecord(found, '记录上报业委会'),
    check: async (tx, found, now) => {
      const state = await fundUseStateOf(tx, issueId);
      if (state.ocAcknowledgedAt) throw Conflict('oc_report_acknowledged', '业委会已签收该报告');
      assertMayReportToOc(state, now, fundOptionsOf(found.community));
    },
    values: (actor, now) => ({ reportedToOcAt: now, ocReportNote: body.note ?? null, reportedBy: actor }),
    event: (view) => ({
      note: body.note ?? view.steps.find((x) => x.step === 'oc_report')!.text,
      data: { canStart: view.canStart, missing: view.missing },
    }),
  });
}

/**
 * A member of the owners' committee (业委会, the `oc` people of the config) receives the report:
 * never the one who reported it; once (the row is then a record, migration 0019).
 */
export function acknowledgeFundOcReport(ctx: ServiceContext, issueId: string, body: FundOcAckBody) {
  return recordFundStep(ctx, issueId, {
    action: 'fund_oc_acknowledged',
    who: (found) =>
      assertMayRecordAssembly(found.actor.roles?.person ?? null, orgMembersOf(found.community, 'oc')),
    check: async (tx, found, now) =>
      assertMayAcknowledgeOcReport(
        await fundUseStateOf(tx, issueId),
        found.actor.roles?.person ?? null,
        orgMembersOf(found.community, 'oc'),
        now,
        fundOptionsOf(found.community),
      ),
    values: (actor, now) => ({
      ocAcknowledgedAt: now,
      ocAcknowledgedBy: actor,
      ocAcknowledgedByAccountId: ctx.principal?.accountId ?? null,
    }),
    event: (view) => ({
      note: body.note ?? view.steps.find((x) => x.step === 'oc_report')!.text,
      data: { canStart: view.canStart, missing: view.missing },
    }),
  });
}
