import {
  decideIntake,
  FINAL_STATUSES,
  requireCategory,
  SIMILAR_LIMIT,
  type SimilarIssues,
  type SimilarQuery,
  STATUS_NAMES,
  zoneNameOf,
} from '@gongzhi/domain';
import { and, desc, eq, isNull, notInArray, sql } from 'drizzle-orm';
import { issueFollowersTable, issuesTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { getCommunity, type ServiceContext } from '../context';
import { resolveQrCode } from '../qr/resolve-qr-code';

const dayIn = (d: Date, tz: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);

/**
 * Open issues like the one a resident is about to file (docs/domain.md §9): same building (or, for a
 * place without a number, same zone) and category, most recent first, safe fields only. A place
 * routing cannot place has none.
 */
export async function similarIssues(
  ctx: ServiceContext,
  qrSecret: string,
  q: SimilarQuery,
): Promise<SimilarIssues> {
  const place = q.qr
    ? (() => {
        const r = resolveQrCode({ ctx, secret: qrSecret, code: q.qr });
        return { community: r.community.key, zone: r.zone.key, building: r.building ?? undefined };
      })()
    : { community: q.community!, zone: q.zone, building: q.building };
  const community = getCommunity(ctx, place.community);
  requireCategory(community, q.category, 'querystring.');
  const intake = decideIntake(community, { ...place, category: q.category }, 'querystring.');
  if (!intake.placed && intake.reasons.some((r) => r !== 'unowned_category')) return { items: [] };
  const i = issuesTable;
  const interest = sql<number>`(select count(*)::int from ${issueFollowersTable} f where f.issue_id = ${i.id})`;
  const rows = await ctx.db
    .select({
      id: i.id,
      zone: i.zone,
      building: i.building,
      category: i.category,
      status: i.status,
      createdAt: i.createdAt,
      interest,
    })
    .from(i)
    .where(
      and(
        eq(i.communityId, await communityId(ctx.db, community.key)),
        eq(i.category, q.category),
        eq(i.hidden, false),
        notInArray(i.status, [...FINAL_STATUSES]),
        intake.building !== null
          ? eq(i.building, intake.building)
          : and(eq(i.zone, intake.zone), isNull(i.building)),
      ),
    )
    .orderBy(desc(i.createdAt), desc(i.id))
    .limit(SIMILAR_LIMIT);
  const tz = community.config.timezone;
  return {
    items: rows.map((r) => ({
      id: r.id,
      categoryName: community.categories.get(r.category)?.name ?? r.category,
      zoneName: zoneNameOf(community, r.zone),
      building: r.building,
      statusName: STATUS_NAMES[r.status],
      filedOn: dayIn(r.createdAt, tz),
      interest: Number(r.interest),
    })),
  };
}
