import {
  assertFundWorkMayStart,
  assertProcedureAllows,
  type Community,
  type FundUseOptions,
  type FundUseView,
  type FundUseViewer,
  fundUseActions,
  fundUseGate,
  needsProcedure,
  orgMembersOf,
  PROCEDURE_GATED_ACTIONS,
  type ProcedureState,
  procedureRefusal,
} from '@gongzhi/domain';
import { and, desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { fundUsesTable, type issuesTable, noticesTable, ownersAssembliesTable } from '../../db/schema';

type IssueRow = typeof issuesTable.$inferSelect;

/** The community's rules for the maintenance fund: notice days (routing), the assembly, the time zone. */
export const fundOptionsOf = (community: Community): FundUseOptions => ({
  noticeDays: community.config.routing.publicNoticeDays,
  requireAssembly: community.config.meetings.fundUse.requireAssembly,
  timezone: community.config.timezone,
});

/** Where an issue's maintenance-fund procedure stands: the latest use_fund vote, the notice, the report. */
export async function fundUseStateOf(db: Db | Tx, issueId: string): Promise<FundProcedureState> {
  const [fund] = await db
    .select({ fund: fundUsesTable, noticeNumber: noticesTable.number })
    .from(fundUsesTable)
    .leftJoin(noticesTable, eq(noticesTable.id, fundUsesTable.noticeId))
    .where(eq(fundUsesTable.issueId, issueId));
  const latest = (matter?: 'use_fund') =>
    db
      .select({ passed: ownersAssembliesTable.passed })
      .from(ownersAssembliesTable)
      .where(
        and(
          eq(ownersAssembliesTable.issueId, issueId),
          matter ? eq(ownersAssembliesTable.matter, matter) : undefined,
        ),
      )
      .orderBy(desc(ownersAssembliesTable.seq))
      .limit(1);
  const [[fundVote], [anyVote]] = await Promise.all([latest('use_fund'), latest()]);
  return {
    assemblyPassed: fundVote?.passed ?? null,
    latestAssemblyPassed: anyVote?.passed ?? null,
    noticeStartedAt: fund?.fund.noticeStartedAt ?? null,
    noticeId: fund?.fund.noticeId ?? null,
    noticeNumber: fund?.noticeNumber ?? null,
    reportedToOcAt: fund?.fund.reportedToOcAt ?? null,
    reportedBy: fund?.fund.reportedBy ?? null,
    ocAcknowledgedAt: fund?.fund.ocAcknowledgedAt ?? null,
    ocAcknowledgedBy: fund?.fund.ocAcknowledgedBy ?? null,
  };
}

/** The procedure's state as stored, with what the views name (the notice, who reported and received). */
export interface FundProcedureState extends ProcedureState {
  noticeId: string | null;
  noticeNumber: string | null;
  reportedBy: string | null;
  ocAcknowledgedBy: string | null;
}

/** The procedure state of an issue that needs one, or null (nothing to load). */
export async function procedureStateOf(
  db: Db | Tx,
  issue: Pick<IssueRow, 'id' | 'usesMaintenanceFund' | 'touchesSharedParts'>,
) {
  return needsProcedure(issue) ? fundUseStateOf(db, issue.id) : null;
}

/** The capabilities' side of the gate: which steps the procedure lets fire now (all, for a plain issue). */
export async function procedureAllowsOf(
  db: Db | Tx,
  issue: Pick<IssueRow, 'id' | 'usesMaintenanceFund' | 'touchesSharedParts'>,
  community: Community,
  now: Date,
): Promise<(action: string) => boolean> {
  const state = await procedureStateOf(db, issue);
  if (!state) return () => true;
  const options = fundOptionsOf(community);
  return (action) => procedureRefusal(action, issue, state, now, options) === null;
}

/**
 * The issue write path's check (writeIssue): a step that dispatches, resolves or closes the work of
 * an issue whose procedure is not complete is refused (procedureRefusal, 409 fund_use_not_ready /
 * owners_assembly_required). Issues without shared parts or the fund pass without a query.
 */
export async function assertProcedureAllowsStep(
  tx: Tx,
  issue: Pick<IssueRow, 'id' | 'usesMaintenanceFund' | 'touchesSharedParts'>,
  community: Community,
  action: string,
  now: Date,
) {
  if (!needsProcedure(issue) || !(PROCEDURE_GATED_ACTIONS as readonly string[]).includes(action)) return;
  assertProcedureAllows(action, issue, await fundUseStateOf(tx, issue.id), now, fundOptionsOf(community));
}

const personOf = (community: Community, key: string) => ({
  key,
  name: community.people.get(key)?.name ?? key,
});

/** Who looks at the fund procedure, for its `allowedActions`. */
export type FundViewer = FundUseViewer;

export async function fundUseViewOf(
  db: Db | Tx,
  community: Community,
  issueId: string,
  now: Date,
  viewer?: FundViewer,
): Promise<FundUseView> {
  const state = await fundUseStateOf(db, issueId);
  const options = fundOptionsOf(community);
  const gate = fundUseGate(state, now, options);
  const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
  return {
    issue: issueId,
    canStart: gate.canStart,
    noticeDays: options.noticeDays ?? 7,
    noticeStartedAt: iso(state.noticeStartedAt),
    noticeEndsAt: gate.noticeEndsAt,
    notice: state.noticeId ? { id: state.noticeId, number: state.noticeNumber } : null,
    reportedToOcAt: iso(state.reportedToOcAt),
    reportedBy: state.reportedBy ? personOf(community, state.reportedBy) : null,
    ocAcknowledgedAt: iso(state.ocAcknowledgedAt),
    ocAcknowledgedBy: state.ocAcknowledgedBy ? personOf(community, state.ocAcknowledgedBy) : null,
    steps: gate.steps,
    missing: gate.missing,
    allowedActions: viewer ? fundUseActions(viewer, state, orgMembersOf(community, 'oc'), now, options) : [],
  };
}

/**
 * Work on an issue paid from the maintenance fund may be dispatched only once its procedure is
 * complete (seed 000: 公示、公告，并上报业委会): 409 fund_use_not_ready naming each missing step.
 * Issues that do not use the fund pass.
 */
export async function assertFundWorkMayStartFor(
  tx: Tx,
  issue: Pick<IssueRow, 'id' | 'usesMaintenanceFund'>,
  community: Community,
  now: Date,
) {
  if (!issue.usesMaintenanceFund) return;
  assertFundWorkMayStart(await fundUseStateOf(tx, issue.id), now, fundOptionsOf(community));
}

/** The same check without throwing: whether the fund's procedure lets work be dispatched now. */
export async function fundWorkMayStart(
  tx: Tx,
  issue: Pick<IssueRow, 'id' | 'usesMaintenanceFund'>,
  community: Community,
  now: Date,
) {
  if (!issue.usesMaintenanceFund) return { ok: true as const, missing: [] as string[] };
  const gate = fundUseGate(await fundUseStateOf(tx, issue.id), now, fundOptionsOf(community));
  return { ok: gate.canStart, missing: gate.missing };
}

/** Whether an issue's facts impose the owners' procedure (shared parts, the fund). */
export const needsProcedureOf = (issue: Pick<IssueRow, 'usesMaintenanceFund' | 'touchesSharedParts'>) =>
  needsProcedure(issue);
