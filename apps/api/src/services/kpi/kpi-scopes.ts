import { type KpiScopeOption, kpiReach, kpiScopeOptions } from '@gongzhi/domain';
import { actorIn, type Principal, type ServiceContext } from '../context';

/**
 * The KPI scopes the caller may read in their own community (`GET /api/me`'s `kpiScopes`): the
 * domain's `kpiScopeOptions` over `kpiReach` — the reach `assertKpiAccess` checks on every KPI read.
 */
export function kpiScopesOf(communities: ServiceContext['communities'], p: Principal): KpiScopeOption[] {
  const community = p.communityKey ? communities.get(p.communityKey) : undefined;
  if (!community) return [];
  return kpiScopeOptions(kpiReach(actorIn(p, community)), {
    name: community.name,
    zones: community.config.zones,
    lines: community.config.lines,
  });
}
