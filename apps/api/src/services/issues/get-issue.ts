import { asc, eq } from 'drizzle-orm';
import { issueEventsTable, photosTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { loadReadableIssue } from './load-readable-issue';
import { toDetail } from './to-view';

/** One issue with its full timeline and photos. */
export async function getIssue(ctx: ServiceContext, id: string) {
  const { issue, community, actor } = await loadReadableIssue(ctx, ctx.db, id);
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
  return toDetail(community, issue, events, photos, actor);
}
