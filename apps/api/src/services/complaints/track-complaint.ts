import { NotFound } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { communitiesTable, issuesTable } from '../../db/schema';
import { secretMatches } from '../../lib/secrets';
import { getCommunity, type ServiceContext } from '../context';
import { loadIssueWork } from '../issues/get-issue';
import { toComplaintView } from './to-complaint-view';

const notFound = () => NotFound('complaint_not_found', '查询码或密钥不正确，请核对后再试');

/** A complaint by tracking code + secret. A wrong secret and an unknown code look the same. */
export async function trackComplaint(ctx: ServiceContext, code: string, secret: string) {
  const [found] = await ctx.db
    .select({ issue: issuesTable, communityKey: communitiesTable.key })
    .from(issuesTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, issuesTable.communityId))
    .where(eq(issuesTable.code, code.trim().toUpperCase()));
  if (!found || !secretMatches(secret, found.issue.trackingSecretHash)) throw notFound();
  return toComplaintView(
    getCommunity(ctx, found.communityKey),
    found.issue,
    await loadIssueWork(ctx.db, found.issue.id),
  );
}
