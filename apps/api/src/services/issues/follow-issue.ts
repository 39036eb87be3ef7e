import { checkFollow, NotFound } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { issueFollowersTable, issuesTable } from '../../db/schema';
import { audit } from '../../lib/audit';
import { callerOf, type ServiceContext } from '../context';
import { interestOf } from './get-issue';

/**
 * "这也是我的问题": a signed-in resident follows an open issue someone else filed — told what its
 * reporter is told (notify.ts), counted as interest. Following twice is the same as once. The issue
 * is found by the id the similar-issues list gave; nothing else of it is shown.
 */
export async function followIssue(ctx: ServiceContext, id: string) {
  const principal = callerOf(ctx);
  const [issue] = await ctx.db
    .select({
      status: issuesTable.status,
      reporterAccountId: issuesTable.reporterAccountId,
      hidden: issuesTable.hidden,
    })
    .from(issuesTable)
    .where(eq(issuesTable.id, id));
  if (!issue || issue.hidden) throw NotFound('issue_not_found', '问题不存在');
  checkFollow(principal, issue);
  const now = ctx.now();
  await ctx.db
    .insert(issueFollowersTable)
    .values({ issueId: id, accountId: principal.accountId, createdAt: now })
    .onConflictDoNothing();
  audit(ctx.log, {
    action: 'issue.follow',
    actor: principal.accountId,
    actorPerson: null,
    target: `issue:${id}`,
    at: now,
    requestId: ctx.requestId ?? null,
    detail: {},
  });
  return { following: true, interest: await interestOf(ctx.db, id) };
}
