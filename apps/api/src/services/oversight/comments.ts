import {
  assertMayComment,
  checkSubjectRef,
  Forbidden,
  NotFound,
  OVERSIGHT_SUBJECT_NAMES,
  type OversightCommentBody,
  type OversightCommentsView,
  type OversightCommentView,
  type OversightSubjectRef,
  oversightActions,
} from '@gongzhi/domain';
import { and, asc, eq } from 'drizzle-orm';
import { lettersTable, oversightCommentsTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { readableOrgs } from '../followup/letters';
import { recordIdempotentCommit } from '../idempotency';
import { loadReadableIssue } from '../issues/load-readable-issue';

type CommentRow = typeof oversightCommentsTable.$inferSelect;

const toView = (r: CommentRow): OversightCommentView => ({
  id: r.id,
  subject: r.subject,
  subjectName: OVERSIGHT_SUBJECT_NAMES[r.subject],
  ref: r.ref,
  text: r.text,
  by: r.byName,
  byPerson: r.person,
  at: r.createdAt.toISOString(),
});

/**
 * The gate of a comment's subject: the caller reads it (an issue, its fund use, a letter of an
 * organisation they read, a credit file they read) in this community, else 404 (403 for a credit
 * file, whose organisations are public). Returns the community, its id and the ref as stored.
 */
async function readableSubject(ctx: ServiceContext, key: string, s: OversightSubjectRef, at = 'query.') {
  const community = getCommunity(ctx, key);
  const ref = checkSubjectRef(s, at);
  const cid = await communityId(ctx.db, community.key);
  if (s.subject === 'issue' || s.subject === 'fund_use') {
    const { issue } = await loadReadableIssue(ctx, ctx.db, ref);
    if (issue.communityId !== cid) throw NotFound('issue_not_found', '问题不存在或您无权查看');
    if (s.subject === 'fund_use' && !issue.usesMaintenanceFund) {
      throw NotFound('fund_use_not_found', '该问题不使用维修资金');
    }
  } else if (s.subject === 'letter') {
    const [letter] = await ctx.db
      .select({ org: lettersTable.org })
      .from(lettersTable)
      .where(and(eq(lettersTable.id, ref), eq(lettersTable.communityId, cid)));
    const orgs = readableOrgs(ctx, community);
    if (!letter || (orgs !== 'all' && !orgs.includes(letter.org))) {
      throw NotFound('letter_not_found', '函件不存在或您无权查看');
    }
  } else {
    const orgs = readableOrgs(ctx, community);
    if (orgs !== 'all' && !(orgs as string[]).includes(ref)) {
      throw Forbidden(
        'credit_not_permitted',
        '只有社区领导小组、秘书、监督委员会和本单位人员可以查看该单位的诚信档案',
      );
    }
  }
  return { community, cid, ref };
}

/** The comments on one subject, oldest first, with whether the caller may add one. */
export async function listOversightComments(
  ctx: ServiceContext,
  key: string,
  q: OversightSubjectRef,
): Promise<OversightCommentsView> {
  const principal = callerOf(ctx);
  const { community, cid, ref } = await readableSubject(ctx, key, q);
  const rows = await ctx.db
    .select()
    .from(oversightCommentsTable)
    .where(
      and(
        eq(oversightCommentsTable.communityId, cid),
        eq(oversightCommentsTable.subject, q.subject),
        eq(oversightCommentsTable.ref, ref),
      ),
    )
    .orderBy(asc(oversightCommentsTable.createdAt), asc(oversightCommentsTable.id))
    .limit(500);
  return { items: rows.map(toView), allowedActions: oversightActions(actorIn(principal, community)) };
}

export async function getOversightComment(ctx: ServiceContext, key: string, id: string) {
  const [row] = await ctx.db.select().from(oversightCommentsTable).where(eq(oversightCommentsTable.id, id));
  if (!row) throw NotFound('comment_not_found', '监督意见不存在');
  await readableSubject(ctx, key, { subject: row.subject, ref: row.ref });
  return toView(row);
}

/** A committee member comments on the record: kept as written, with who and when, never changed. */
export async function addOversightComment(
  ctx: ServiceContext,
  key: string,
  body: OversightCommentBody,
): Promise<OversightCommentView> {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, key);
  const actor = actorIn(principal, community);
  assertMayComment(actor);
  const { cid, ref } = await readableSubject(ctx, key, body, 'body.');
  const person = actor.roles!.person;
  const chair = community.config.supervisoryCommittee.chair === person;
  const byName = `${community.people.get(person)?.name ?? person}（监督委员会${chair ? '主任' : '委员'}）`;
  const row = await ctx.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(oversightCommentsTable)
      .values({
        communityId: cid,
        subject: body.subject,
        ref,
        text: body.text,
        person,
        byName,
        accountId: principal.accountId,
        createdAt: ctx.now(),
      })
      .returning();
    await recordIdempotentCommit(tx, ctx.idempotency, inserted!.id);
    return inserted!;
  });
  return toView(row);
}
