import { eq } from 'drizzle-orm';
import { communitiesTable, issuesTable } from '../../db/schema';
import { getCommunity, type ServiceContext } from '../context';
import { loadIssueWork } from '../issues/get-issue';
import { mergedIntoOf } from '../issues/merged-into';
import { toComplaintView } from './to-complaint-view';
import { opensTracked, requireTrackingCredential, trackedNotFound } from './tracked-access';

/** The issue behind a tracking code, if the caller may open it (see opensTracked). */
export async function findTracked(ctx: ServiceContext, code: string, secret: string | undefined) {
  requireTrackingCredential(secret, ctx.principal);
  const [found] = await ctx.db
    .select({ issue: issuesTable, communityKey: communitiesTable.key })
    .from(issuesTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, issuesTable.communityId))
    .where(eq(issuesTable.code, code.trim().toUpperCase()));
  if (!found || !opensTracked(found.issue, secret, ctx.principal)) throw trackedNotFound();
  return found;
}

/** A complaint by tracking code + secret (or its reporter's login). */
export async function trackComplaint(ctx: ServiceContext, code: string, secret: string | undefined) {
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
