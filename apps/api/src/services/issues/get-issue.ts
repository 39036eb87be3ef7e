import { canReadIssue, NotFound, Unauthorized } from '@gongzhi/domain';
import { asc, eq } from 'drizzle-orm';
import { communitiesTable, issueEventsTable, issuesTable, photosTable } from '../../db/schema';
import { actorIn, getCommunity, type ServiceContext } from '../context';
import { accessFacts, toDetail } from './to-view';

const notFound = () => NotFound('issue_not_found', '问题不存在或您无权查看');

/** One issue with its full timeline. Not readable and not there look the same (404). */
export async function getIssue(ctx: ServiceContext, id: string) {
  const principal = ctx.principal;
  if (!principal) throw Unauthorized('token_missing', '请先登录');
  const [found] = await ctx.db
    .select({ issue: issuesTable, communityKey: communitiesTable.key })
    .from(issuesTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, issuesTable.communityId))
    .where(eq(issuesTable.id, id));
  if (!found) throw notFound();
  const community = getCommunity(ctx, found.communityKey);
  const actor = actorIn(principal, community);
  if (!canReadIssue(actor, accessFacts(found.issue))) throw notFound();
  if (found.issue.hidden && !actor.admin) throw notFound();
  const events = await ctx.db
    .select()
    .from(issueEventsTable)
    .where(eq(issueEventsTable.issueId, id))
    .orderBy(asc(issueEventsTable.id));
  const photos = await ctx.db
    .select()
    .from(photosTable)
    .where(eq(photosTable.issueId, id))
    .orderBy(asc(photosTable.createdAt), asc(photosTable.id));
  return toDetail(community, found.issue, events, photos, actor);
}
