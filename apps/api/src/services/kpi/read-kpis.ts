import {
  assertKpiAccess,
  assertMayReadKpis,
  type KpiQuery,
  parseKpiScope,
  parsePeriod,
} from '@gongzhi/domain';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { computeKpis, type KpiRequest } from './compute-kpis';

/**
 * The caller's request, checked: whether they may read KPIs at all (403 before anything else is
 * said), the period and the scope (400 naming the field), then whether this scope is theirs (403).
 */
export async function kpiRequestOf(ctx: ServiceContext, key: string, q: KpiQuery): Promise<KpiRequest> {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, key);
  const actor = actorIn(principal, community);
  assertMayReadKpis(actor);
  const period = parsePeriod(q, 'querystring.');
  const scope = parseKpiScope(community, q, 'querystring.');
  assertKpiAccess(actor, scope);
  return { community, communityId: await communityId(ctx.db, community.key), period, scope, now: ctx.now() };
}

/** GET /api/communities/:key/kpis: the view for the caller. */
export async function readKpis(ctx: ServiceContext, key: string, q: KpiQuery) {
  return computeKpis(ctx.db, await kpiRequestOf(ctx, key, q));
}
