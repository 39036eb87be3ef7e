import {
  assertFundWorkMayStart,
  type Community,
  type FundUseOptions,
  type FundUseState,
  type FundUseView,
  fundUseGate,
} from '@gongzhi/domain';
import { and, desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { fundUsesTable, type issuesTable, ownersAssembliesTable } from '../../db/schema';

type IssueRow = typeof issuesTable.$inferSelect;

/** The community's rules for the maintenance fund: notice days (routing), the assembly, the time zone. */
export const fundOptionsOf = (community: Community): FundUseOptions => ({
  noticeDays: community.config.routing.publicNoticeDays,
  requireAssembly: community.config.meetings.fundUse.requireAssembly,
  timezone: community.config.timezone,
});

/** Where an issue's maintenance-fund procedure stands: the latest use_fund vote, the notice, the report. */
export async function fundUseStateOf(db: Db | Tx, issueId: string): Promise<FundUseState> {
  const [fund] = await db.select().from(fundUsesTable).where(eq(fundUsesTable.issueId, issueId));
  const [assembly] = await db
    .select({ passed: ownersAssembliesTable.passed })
    .from(ownersAssembliesTable)
    .where(and(eq(ownersAssembliesTable.issueId, issueId), eq(ownersAssembliesTable.matter, 'use_fund')))
    .orderBy(desc(ownersAssembliesTable.seq))
    .limit(1);
  return {
    assemblyPassed: assembly?.passed ?? null,
    noticeStartedAt: fund?.noticeStartedAt ?? null,
    reportedToOcAt: fund?.reportedToOcAt ?? null,
  };
}

export async function fundUseViewOf(
  db: Db | Tx,
  community: Community,
  issueId: string,
  now: Date,
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
    reportedToOcAt: iso(state.reportedToOcAt),
    steps: gate.steps,
    missing: gate.missing,
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
