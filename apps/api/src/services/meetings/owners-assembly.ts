import {
  Art278Input,
  assertMayRecordAssembly,
  assertNewAssemblyAttempt,
  type Community,
  Conflict,
  decideArt278,
  Forbidden,
  type IssueRelation,
  type OwnersAssemblyBody,
  type OwnersAssemblyView,
  orgMembersOf,
} from '@gongzhi/domain';
import { and, asc, count, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { type issuesTable, ownersAssembliesTable } from '../../db/schema';
import { actorKeyOf, type ServiceContext } from '../context';
import { recordIdempotentCommit } from '../idempotency';
import { type FundViewer, fundUseViewOf } from './fund-use-state';
import { fundViewerOf, loadProcedureIssue } from './procedure-access';
import { recordOnIssue } from './record-on-issue';

type IssueRow = typeof issuesTable.$inferSelect;
type AssemblyRow = typeof ownersAssembliesTable.$inferSelect;

/** Owners' votes and the fund's procedure are recorded by the issue's owner, the secretary or leadership (joint meeting), or an admin. */
export function assertMayRecordProcedure(relations: readonly IssueRelation[], what: string) {
  if (relations.some((r) => r === 'owner' || r === 'joint_meeting' || r === 'admin')) return;
  throw Forbidden('not_procedure_recorder', `只有问题负责人、联席会议秘书或领导小组成员才能${what}`);
}

/** Whether a person may record an assembly vote (the owners' committee), without throwing. */
export function mayRecordAssembly(person: string | null, ocMembers: readonly string[]) {
  return person !== null && ocMembers.includes(person);
}

export function assertNeedsAssembly(issue: IssueRow) {
  if (issue.touchesSharedParts || issue.usesMaintenanceFund) return;
  throw Conflict(
    'assembly_not_required',
    '该问题不涉及住宅共用部位、公共设施设备或维修资金，无需业主大会表决',
  );
}

async function toView(
  db: Db | Tx,
  community: Community,
  issue: IssueRow,
  row: AssemblyRow,
  now: Date,
  attempt: number,
  viewer?: FundViewer,
): Promise<OwnersAssemblyView> {
  return {
    id: row.id,
    issue: row.issueId,
    matter: row.matter,
    passed: row.passed,
    result: row.result,
    votes: row.votes,
    recordedBy: { key: row.recordedBy, name: community.people.get(row.recordedBy)?.name ?? row.recordedBy },
    createdAt: row.createdAt.toISOString(),
    heldOn: row.heldOn,
    attempt,
    fundUse: issue.usesMaintenanceFund ? await fundUseViewOf(db, community, issue.id, now, viewer) : null,
  };
}

/**
 * Record an owners' assembly vote on an issue that touches shared parts or uses the maintenance
 * fund, and decide it by Civil Code art. 278 (decideArt278: exact arithmetic, each check in words).
 * A failed vote is recorded too: it is part of the record, and for the fund it blocks the work.
 */
export async function recordOwnersAssembly(ctx: ServiceContext, issueId: string, body: OwnersAssemblyBody) {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const found = await loadProcedureIssue(ctx, tx, issueId, { lock: true });
    const { issue, community, principal } = found;
    assertMayRecordAssembly(found.actor.roles?.person ?? null, orgMembersOf(community, 'oc'));
    assertNeedsAssembly(issue);
    const { heldOn, ...sheet } = body;
    const result = decideArt278(sheet);
    // decideArt278 accepted the sheet, so it parses: keep the vote sheet as the owners cast it.
    const votes = Art278Input.parse(sheet).votes ?? null;
    const earlier = await tx
      .select({ heldOn: ownersAssembliesTable.heldOn })
      .from(ownersAssembliesTable)
      .where(
        and(eq(ownersAssembliesTable.issueId, issueId), eq(ownersAssembliesTable.matter, result.matter)),
      );
    assertNewAssemblyAttempt(heldOn, earlier, now, community.config.timezone);
    const [row] = await tx
      .insert(ownersAssembliesTable)
      .values({
        communityId: issue.communityId,
        issueId,
        matter: result.matter,
        passed: result.passed,
        votes,
        result,
        recordedBy: actorKeyOf(principal),
        recordedByAccountId: principal.accountId,
        createdAt: now,
        heldOn,
      })
      .returning();
    await recordOnIssue(ctx, tx, issueId, {
      action: 'owners_assembly',
      actor: actorKeyOf(principal),
      note: result.summary,
      data: { assembly: row!.id, matter: result.matter, passed: result.passed },
    });
    await recordIdempotentCommit(tx, ctx.idempotency, row!.id);
    const [{ n } = { n: 1 }] = await tx
      .select({ n: count() })
      .from(ownersAssembliesTable)
      .where(eq(ownersAssembliesTable.issueId, issueId));
    return toView(tx, community, issue, row!, now, n, fundViewerOf(found, issue, community));
  });
}

/** The owners' assembly decisions on an issue, oldest first. */
export async function listOwnersAssemblies(ctx: ServiceContext, issueId: string) {
  const found = await loadProcedureIssue(ctx, ctx.db, issueId);
  const { issue, community } = found;
  const viewer = fundViewerOf(found, issue, community);
  const rows = await ctx.db
    .select()
    .from(ownersAssembliesTable)
    .where(eq(ownersAssembliesTable.issueId, issueId))
    .orderBy(asc(ownersAssembliesTable.seq));
  const now = ctx.now();
  return {
    items: await Promise.all(rows.map((r, i) => toView(ctx.db, community, issue, r, now, i + 1, viewer))),
    mayRecord: mayRecordAssembly(found.actor.roles?.person ?? null, orgMembersOf(community, 'oc')),
    fundUse: issue.usesMaintenanceFund ? await fundUseViewOf(ctx.db, community, issue.id, now, viewer) : null,
  };
}

/** One decision, for the idempotent replay of its creation. */
export async function getOwnersAssembly(ctx: ServiceContext, issueId: string, id: string) {
  const { items } = await listOwnersAssemblies(ctx, issueId);
  const found = items.find((i) => i.id === id);
  if (!found) throw new Error(`owners assembly ${id} of ${issueId} is missing`);
  return found;
}
