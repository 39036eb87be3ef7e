import { bindsHome, type Community, keptFor, Me } from '@gongzhi/domain';
import { actorIn, type Principal, type ServiceContext } from '../context';
import { kpiScopesOf } from '../kpi/kpi-scopes';
import { reachOfPrincipal } from './account-access';
import { workMenuOf } from './work-menu';

/** `GET /api/me`: who the caller is — account, person, roles, work menu, KPI scopes. */
export function whoAmI(communities: ServiceContext['communities'], p: Principal): Me {
  const community = p.communityKey ? communities.get(p.communityKey) : undefined;
  const roles = community ? actorIn(p, community).roles : null;
  return {
    account: { id: p.accountId, kind: p.kind, displayName: p.displayName },
    person:
      community && p.personKey
        ? {
            key: p.personKey,
            name: community.people.get(p.personKey)?.name ?? p.displayName,
            community: community.key,
          }
        : null,
    passwordChangeRequired: p.mustChangePassword ?? false,
    accountAdmin: reachOfPrincipal(communities, p)?.scope ?? null,
    menu: workMenuOf(communities, p),
    kpiScopes: kpiScopesOf(communities, p),
    bindsHome: bindsHome(p.kind),
    roles: roles && {
      zones: roles.zones,
      linesLed: roles.linesLed,
      secretary: roles.secretary,
      leadership: roles.leadership,
      propertyManager: roles.propertyManager,
      supervisor: !!roles.supervisor,
    },
  };
}

/** Answers kept per owner (a community's config, or the set of communities for callers of none). */
const answers = new WeakMap<object, Map<string, string>>();

/** How many callers' answers are kept per owner (the oldest dropped first). */
const KEPT_ANSWERS = 1_000;

/**
 * `whoAmI` checked against `Me` and serialized, once per caller and configuration: the answer is
 * a function of the principal's fields (the session aside) and the caller's community's config
 * alone, so it is kept with that config object — an edited config is a new object and starts
 * afresh — under the principal's fields, and the same text is sent until either changes. A
 * principal's fields come from the session check of each request, so a renamed account or a
 * changed password flag is a new key, never a stale answer.
 */
export function whoAmIText(communities: ServiceContext['communities'], p: Principal): string {
  const owner: Community | ServiceContext['communities'] =
    (p.communityKey ? communities.get(p.communityKey) : undefined) ?? communities;
  const key = JSON.stringify([
    p.accountId,
    p.kind,
    p.displayName,
    p.personKey,
    p.communityKey,
    p.mustChangePassword ?? false,
  ]);
  const kept = answers.get(owner);
  if (kept && kept.size >= KEPT_ANSWERS && !kept.has(key)) kept.delete(kept.keys().next().value!);
  return keptFor(answers, owner, key, () => JSON.stringify(Me.parse(whoAmI(communities, p))));
}
