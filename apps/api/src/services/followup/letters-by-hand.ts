import {
  type Community,
  Conflict,
  Forbidden,
  Invalid,
  type IssueLetterInput,
  issuesLetters,
  LETTER_KIND_NAMES,
  LETTER_PROPOSAL_STATUS_NAMES,
  type ListLetterProposalsQuery,
  letterProposalActions,
  NotFound,
  ORG_NAMES,
} from '@gongzhi/domain';
import { and, eq, inArray } from 'drizzle-orm';
import { communitiesTable, issuesTable, letterProposalsTable, lettersTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { communityId } from '../communities/community-id';
import { actorIn, actorKeyOf, callerOf, getCommunity, type ServiceContext } from '../context';
import { recordIdempotentCommit } from '../idempotency';
import { appendEvent } from '../issues/append-event';
import { issueCodesOf, issueLetter, toLetterViews } from './letters';

type ProposalRow = typeof letterProposalsTable.$inferSelect;
const proposalPages = keyset(letterProposalsTable.createdAt, letterProposalsTable.id);

function requireIssuer(ctx: ServiceContext, community: Community) {
  const principal = callerOf(ctx);
  const actor = actorIn(principal, community);
  if (!issuesLetters(actor)) {
    throw Forbidden('letters_issue_not_permitted', '只有社区领导小组可以发出提示函、警示函');
  }
  return { principal, actor };
}

/** One letter by id, as the caller sees it (for an idempotent replay). */
export async function getLetter(ctx: ServiceContext, id: string) {
  const [found] = await ctx.db
    .select({ letter: lettersTable, key: communitiesTable.key })
    .from(lettersTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, lettersTable.communityId))
    .where(eq(lettersTable.id, id));
  if (!found) throw NotFound('letter_not_found', '函件不存在或您无权查看');
  return (await toLetterViews(ctx, getCommunity(ctx, found.key), [found.letter]))[0]!;
}

/** Every cited issue must be of this community (and not hidden). */
async function checkCited(ctx: ServiceContext, cid: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  const rows = await ctx.db
    .select({ id: issuesTable.id, hidden: issuesTable.hidden })
    .from(issuesTable)
    .where(and(eq(issuesTable.communityId, cid), inArray(issuesTable.id, [...ids])));
  const problems = ids.flatMap((id, i) =>
    rows.some((r) => r.id === id && !r.hidden)
      ? []
      : [{ path: `issues[${i}]`, message: `问题 ${id} 不存在` }],
  );
  if (problems.length) throw Invalid('invalid_letter_issues', '引用的问题有误：问题不存在', problems);
}

/**
 * The leadership issues a 提示函 or 警示函 by hand to any of the four organisations, citing issues
 * (seed 001 §七.3). Numbered and worded as the clock's letters; each cited issue records it.
 */
export async function issueLetterByHand(ctx: ServiceContext, input: IssueLetterInput) {
  const community = getCommunity(ctx, input.community);
  const { principal } = requireIssuer(ctx, community);
  const cid = await communityId(ctx.db, community.key);
  await checkCited(ctx, cid, input.issues);
  const by = actorKeyOf(principal);
  const id = await ctx.db.transaction(async (tx) => {
    const letter = await issueLetter(tx, {
      community,
      communityId: cid,
      kind: input.kind,
      org: input.org,
      reason: input.reason,
      issueIds: input.issues,
      now: ctx.now(),
      issuedBy: by,
    });
    await recordLetterOnIssues(tx, letter, by, ctx.now(), principal.accountId);
    await recordIdempotentCommit(tx, ctx.idempotency, letter.id);
    return letter.id;
  });
  return getLetter(ctx, id);
}

async function recordLetterOnIssues(
  tx: Parameters<typeof issueLetter>[0],
  letter: typeof lettersTable.$inferSelect,
  by: string,
  now: Date,
  accountId: string,
) {
  if (letter.issueIds.length === 0) return;
  const issues = await tx
    .select({ id: issuesTable.id, status: issuesTable.status })
    .from(issuesTable)
    .where(inArray(issuesTable.id, letter.issueIds));
  for (const issue of issues) {
    await appendEvent(tx, {
      issueId: issue.id,
      action: 'letter_issued',
      fromStatus: issue.status,
      toStatus: issue.status,
      actorAccountId: accountId,
      actor: by,
      note: `社区领导小组向${ORG_NAMES[letter.org]}发出${LETTER_KIND_NAMES[letter.kind]} ${letter.number}`,
      data: { letterId: letter.id },
      at: now,
    });
  }
}

async function toProposalViews(ctx: ServiceContext, community: Community, rows: ProposalRow[]) {
  const actor = actorIn(callerOf(ctx), community);
  const codes = await issueCodesOf(
    ctx.db,
    rows.flatMap((r) => r.issueIds),
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    kindName: LETTER_KIND_NAMES[r.kind],
    org: r.org,
    orgName: ORG_NAMES[r.org],
    reason: r.reason,
    issues: r.issueIds.map((id) => ({ id, code: codes.get(id) ?? '' })),
    status: r.status,
    statusName: LETTER_PROPOSAL_STATUS_NAMES[r.status],
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decidedBy: r.decidedBy ? (community.people.get(r.decidedBy)?.name ?? r.decidedBy) : null,
    decisionNote: r.decisionNote,
    letterId: r.letterId,
    allowedActions: letterProposalActions(actor, r.status),
  }));
}

/** The clock's proposals, newest first: the leadership decides on them. */
export async function listLetterProposals(ctx: ServiceContext, q: ListLetterProposalsQuery) {
  const community = getCommunity(ctx, q.community);
  requireIssuer(ctx, community);
  const rows = await ctx.db
    .select()
    .from(letterProposalsTable)
    .where(
      and(
        eq(letterProposalsTable.communityId, await communityId(ctx.db, community.key)),
        q.status ? eq(letterProposalsTable.status, q.status) : undefined,
        proposalPages.after(q.cursor),
      ),
    )
    .orderBy(...proposalPages.orderBy)
    .limit(q.limit + 1);
  const page = proposalPages.page(rows, q.limit);
  return { items: await toProposalViews(ctx, community, page.items), nextCursor: page.nextCursor };
}

/** The leadership confirms a proposal (the letter is issued) or dismisses it, once. */
export async function decideLetterProposal(
  ctx: ServiceContext,
  id: string,
  decision: 'confirm' | 'dismiss',
  input: { note?: string | undefined },
) {
  const notFound = () => NotFound('letter_proposal_not_found', '发函建议不存在');
  const result = await ctx.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ p: letterProposalsTable, key: communitiesTable.key })
      .from(letterProposalsTable)
      .innerJoin(communitiesTable, eq(communitiesTable.id, letterProposalsTable.communityId))
      .where(eq(letterProposalsTable.id, id))
      .for('update', { of: letterProposalsTable });
    if (!found) throw notFound();
    const community = ctx.communities.get(found.key);
    if (!community) throw notFound();
    const { principal } = requireIssuer(ctx, community);
    if (found.p.status !== 'pending') {
      throw Conflict(
        'letter_proposal_decided',
        `此建议已处理（${LETTER_PROPOSAL_STATUS_NAMES[found.p.status]}）`,
      );
    }
    const by = actorKeyOf(principal);
    const now = ctx.now();
    let letterId: string | null = null;
    if (decision === 'confirm') {
      const letter = await issueLetter(tx, {
        community,
        communityId: found.p.communityId,
        kind: found.p.kind,
        org: found.p.org,
        reason: found.p.reason,
        issueIds: found.p.issueIds,
        now,
        issuedBy: by,
      });
      await recordLetterOnIssues(tx, letter, by, now, principal.accountId);
      letterId = letter.id;
    }
    const [updated] = await tx
      .update(letterProposalsTable)
      .set({
        status: decision === 'confirm' ? 'confirmed' : 'dismissed',
        decidedAt: now,
        decidedBy: by,
        decisionNote: input.note ?? null,
        letterId,
      })
      .where(eq(letterProposalsTable.id, id))
      .returning();
    return { row: updated!, community };
  });
  return (await toProposalViews(ctx, result.community, [result.row]))[0]!;
}
