import { NotFound } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { communitiesTable, issuesTable } from '../../db/schema';
import { secretMatches } from '../../lib/secrets';
import { getCommunity, type ServiceContext } from '../context';
import { loadIssueWork } from '../issues/get-issue';
import { mergedIntoOf } from '../issues/merged-into';
import { toComplaintView } from './to-complaint-view';

const notFound = () => NotFound('complaint_not_found', '查询码或密钥不正确，请核对后再试');

/** The issue behind a tracking code, if the secret is its own. A wrong secret and an unknown code look the same. */
export async function findTracked(ctx: Pick<ServiceContext, 'db'>, code: string, secret: string) {
  const [found] = await ctx.db
    .select({ issue: issuesTable, communityKey: communitiesTable.key })
    .from(issuesTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, issuesTable.communityId))
    .where(eq(issuesTable.code, code.trim().toUpperCase()));
  if (!found || !secretMatches(secret, found.issue.trackingSecretHash)) throw notFound();
  return found;
}

/** A complaint by tracking code + secret. */
export async function trackComplaint(ctx: ServiceContext, code: string, secret: string) {
  const found = await findTracked(ctx, code, secret);
  const community = getCommunity(ctx, found.communityKey);
  const work = await loadIssueWork(ctx.db, found.issue.id);
  const view = toComplaintView(community, found.issue, work);
  // A duplicate follows the issue it was merged into (a chain of merges, to its end).
  let into = found.issue.status === 'merged' ? mergedIntoOf(work.events) : null;
  for (let hop = 0; into && hop < 10; hop++) {
    const [survivor] = await ctx.db.select().from(issuesTable).where(eq(issuesTable.id, into.id));
    if (!survivor) break;
    const survivorWork = await loadIssueWork(ctx.db, survivor.id);
    const next = survivor.status === 'merged' ? mergedIntoOf(survivorWork.events) : null;
    if (!next) {
      const s = toComplaintView(community, survivor, survivorWork);
      return {
        ...view,
        mergedInto: { code: s.code, status: s.status, statusName: s.statusName, timeline: s.timeline },
      };
    }
    into = next;
  }
  return { ...view, mergedInto: null };
}
