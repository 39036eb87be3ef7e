import {
  type GeoRequest,
  type GeoRequestsQuery,
  geoWindow,
  Invalid,
  NotFound,
  statusesOf,
  toGeoRequest,
} from '@gongzhi/domain';
import { and, desc, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import { issuesTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import type { ServiceContext } from '../context';
import { jurisdictionOf } from './jurisdiction';

const columns = {
  code: issuesTable.code,
  status: issuesTable.status,
  category: issuesTable.category,
  description: issuesTable.description,
  zone: issuesTable.zone,
  building: issuesTable.building,
  latitude: issuesTable.latitude,
  longitude: issuesTable.longitude,
  tier: issuesTable.tier,
  line: issuesTable.line,
  createdAt: issuesTable.createdAt,
  updatedAt: issuesTable.updatedAt,
  resolveDueAt: issuesTable.resolveDueAt,
};

/**
 * GET requests: a community's requests, newest first. A list of service_request_id overrides the
 * other filters (the spec); otherwise the window (90 days by default), service_code and status
 * filter, page_size (at most 1,000) a page. Hidden issues (banned reporters) are never listed.
 */
export async function listServiceRequests(ctx: ServiceContext, q: GeoRequestsQuery): Promise<GeoRequest[]> {
  const community = jurisdictionOf(ctx, q.jurisdiction_id);
  const where: SQL[] = [
    eq(issuesTable.communityId, await communityId(ctx.db, community.key)),
    eq(issuesTable.hidden, false),
  ];
  if (q.service_request_id) {
    where.push(
      inArray(
        issuesTable.code,
        q.service_request_id.map((c) => c.toUpperCase()),
      ),
    );
  } else {
    const window = geoWindow(q, ctx.now());
    if ('error' in window)
      throw Invalid('bad_date_range', window.error, [{ path: 'start_date', message: window.error }]);
    where.push(gte(issuesTable.createdAt, window.from), lte(issuesTable.createdAt, window.to));
    if (q.service_code) where.push(inArray(issuesTable.category, q.service_code));
    if (q.status) where.push(inArray(issuesTable.status, q.status.flatMap(statusesOf)));
  }
  const rows = await ctx.db
    .select(columns)
    .from(issuesTable)
    .where(and(...where))
    .orderBy(desc(issuesTable.createdAt), desc(issuesTable.id))
    .limit(q.page_size)
    .offset((q.page - 1) * q.page_size);
  return rows.map((r) => toGeoRequest(community, r));
}

/** GET requests/<id>: one request, as a list of one (the spec's shape), or 404. */
export async function getServiceRequest(
  ctx: ServiceContext,
  jurisdiction: string | undefined,
  code: string,
): Promise<GeoRequest[]> {
  const community = jurisdictionOf(ctx, jurisdiction);
  const [row] = await ctx.db
    .select(columns)
    .from(issuesTable)
    .where(
      and(
        eq(issuesTable.communityId, await communityId(ctx.db, community.key)),
        eq(issuesTable.code, code.trim().toUpperCase()),
        eq(issuesTable.hidden, false),
      ),
    );
  if (!row)
    throw NotFound(
      'request_not_found',
      `没有这个 service_request_id："${code}" / unknown service_request_id`,
    );
  return [toGeoRequest(community, row)];
}
