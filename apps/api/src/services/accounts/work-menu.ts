import { type WorkMenuEntry, workMenu } from '@gongzhi/domain';
import { actorIn, type Principal, type ServiceContext } from '../context';
import { reachOfPrincipal } from './account-access';

/** The work desk entries this caller may open (the domain's `workMenu` over their own community). */
export function workMenuOf(communities: ServiceContext['communities'], p: Principal): WorkMenuEntry[] {
  const community = p.communityKey ? (communities.get(p.communityKey) ?? null) : null;
  return workMenu({
    kind: p.kind,
    actor: community
      ? actorIn(p, community)
      : { accountId: p.accountId, admin: p.kind === 'admin', roles: null },
    community,
    accountReach: reachOfPrincipal(communities, p),
  });
}
