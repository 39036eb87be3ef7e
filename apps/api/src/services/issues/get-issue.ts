import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  issueEventsTable,
  issueFollowersTable,
  issueRatingsTable,
  issueRequestsTable,
  photosTable,
  reportBacksTable,
  tasksTable,
} from '../../db/schema';
import { photoShown } from '../content-security/photo-checks';
import type { ServiceContext } from '../context';
import { procedureAllowsOf } from '../meetings/fund-use-state';
import { loadReadableIssue } from './load-readable-issue';
import { toDetail } from './to-view';

/** Everything recorded about one issue: timeline, photos, tasks and report-backs, oldest first. */
export async function loadIssueWork(db: Db, id: string) {
  const [events, photos, tasks, reportBacks, ratings, requests] = await Promise.all([
    db
      .select()
      .from(issueEventsTable)
      .where(eq(issueEventsTable.issueId, id))
      .orderBy(asc(issueEventsTable.id)),
    db
      .select()
      .from(photosTable)
      // A photo WeChat's content security found risky is hidden (content-security/photo-checks.ts).
      .where(and(eq(photosTable.issueId, id), photoShown()))
      .orderBy(asc(photosTable.createdAt), asc(photosTable.id)),
    db.select().from(tasksTable).where(eq(tasksTable.issueId, id)).orderBy(asc(tasksTable.seq)),
    db
      .select()
      .from(reportBacksTable)
      .where(eq(reportBacksTable.issueId, id))
      .orderBy(asc(reportBacksTable.toPerson)),
    db.select().from(issueRatingsTable).where(eq(issueRatingsTable.issueId, id)),
    db
      .select()
      .from(issueRequestsTable)
      .where(and(eq(issueRequestsTable.issueId, id), eq(issueRequestsTable.status, 'pending'))),
  ]);
  return { events, photos, tasks, reportBacks, rating: ratings[0] ?? null, requests };
}

/** How many residents follow an issue ("这也是我的问题"). */
export async function interestOf(db: Db, issueId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(issueFollowersTable)
    .where(eq(issueFollowersTable.issueId, issueId));
  return Number(row?.n ?? 0);
}

/** One issue with its full timeline, photos, tasks and report-backs. */
export async function getIssue(ctx: ServiceContext, id: string) {
  const { issue, community, actor } = await loadReadableIssue(ctx, ctx.db, id);
  const now = ctx.now();
  return {
    ...toDetail(
      community,
      issue,
      await loadIssueWork(ctx.db, id),
      actor,
      now,
      await procedureAllowsOf(ctx.db, issue, community, now),
    ),
    interest: await interestOf(ctx.db, id),
  };
}
