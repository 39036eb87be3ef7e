import { Invalid, NotFound } from '../errors';
import { keptFor } from '../kept';
import type { Org, ZoneConfig } from './schema';
import type { Community } from './validate';

/** Building number → its zone, or undefined when no zone covers it. Ranges are sorted and disjoint. */
export function zoneForBuilding(community: Community, building: number): ZoneConfig | undefined {
  let lo = 0;
  let hi = community.ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = community.ranges[mid]!;
    if (building < r.from) hi = mid - 1;
    else if (building > r.to) lo = mid + 1;
    else return community.zones.get(r.zone);
  }
  return undefined;
}

export interface LocationInput {
  building?: number | undefined;
  zone?: string | undefined;
}

/**
 * Where an issue is: a building gives its zone; a zone may be named directly for places without a
 * number (the commercial street, a green). Both given must agree.
 */
export function resolveZone(community: Community, loc: LocationInput, pathPrefix = ''): ZoneConfig {
  if (loc.building !== undefined) {
    const zone = zoneForBuilding(community, loc.building);
    if (!zone) {
      throw Invalid('building_not_in_zone', `${loc.building} 号楼不属于任何责任区域，请核对楼号`, [
        { path: `${pathPrefix}building`, message: `${loc.building} 号楼不在任何区域的楼号范围内` },
      ]);
    }
    if (loc.zone !== undefined && loc.zone !== zone.key) {
      throw Invalid('building_zone_mismatch', `${loc.building} 号楼属于${zone.name}，与所选区域不符`, [
        { path: `${pathPrefix}zone`, message: `${loc.building} 号楼属于 ${zone.key}，不属于 ${loc.zone}` },
      ]);
    }
    return zone;
  }
  if (loc.zone !== undefined) {
    const zone = community.zones.get(loc.zone);
    if (!zone) {
      throw Invalid('unknown_zone', `区域 "${loc.zone}" 不存在`, [
        { path: `${pathPrefix}zone`, message: `可选区域：${[...community.zones.keys()].join('、')}` },
      ]);
    }
    return zone;
  }
  throw Invalid('location_required', '请选择楼号或区域', [
    { path: `${pathPrefix}building`, message: '楼号和区域至少填写一项' },
  ]);
}

export function getZone(community: Community, key: string): ZoneConfig {
  const zone = community.zones.get(key);
  if (!zone) throw NotFound('zone_not_found', `区域 "${key}" 不存在`);
  return zone;
}

/** What one person is in a community: the input of every permission and routing rule. */
export interface PersonRoles {
  person: string;
  /** Zone memberships, leader included (a leader is an oc member of the zone). */
  zones: { zone: string; org: Org; leader: boolean }[];
  linesLed: string[];
  secretary: boolean;
  leadership: boolean;
  propertyManager: boolean;
  /** A member of the supervisory committee (监督委员会): reads and comments, never acts. */
  supervisor?: boolean;
}

export function rolesOf(community: Community, person: string): PersonRoles {
  // Asked on every authenticated request (actorIn): worked out once per config object and person
  // (a config change brings a new Community object), frozen because every caller shares it. A key
  // that is not a person of the config is worked out each time, so the cache stays bounded.
  if (!community.people.has(person)) return rolesFromConfig(community, person);
  return keptFor(rolesCache, community, person, () => {
    const roles = rolesFromConfig(community, person);
    for (const z of roles.zones) Object.freeze(z);
    Object.freeze(roles.zones);
    Object.freeze(roles.linesLed);
    return Object.freeze(roles);
  });
}

const rolesCache = new WeakMap<Community, Map<string, PersonRoles>>();

function rolesFromConfig(community: Community, person: string): PersonRoles {
  const c = community.config;
  const zones: PersonRoles['zones'] = [];
  for (const z of c.zones) {
    if (z.leader.person === person) zones.push({ zone: z.key, org: z.leader.org, leader: true });
    for (const m of z.members)
      if (m.person === person) zones.push({ zone: z.key, org: m.org, leader: false });
  }
  return {
    person,
    zones,
    linesLed: c.lines.filter((l) => l.leader === person).map((l) => l.key),
    secretary: c.secretary === person,
    leadership: c.leadershipGroup.leader === person || c.leadershipGroup.members.includes(person),
    propertyManager: c.propertyManager === person,
    supervisor: c.supervisoryCommittee.members.includes(person),
  };
}

/** The zone's property specialist(s) (物业公司专员). */
export const propertyStaffOf = (zone: ZoneConfig) =>
  zone.members.filter((m) => m.org === 'property').map((m) => m.person);

/** A category of the community, or a 400 that lists the valid ones. */
export function requireCategory(community: Community, key: string, pathPrefix = '') {
  const category = community.categories.get(key);
  if (!category) {
    const valid = [...community.categories.values()].map((c) => `${c.key}（${c.name}）`).join('、');
    throw Invalid('unknown_category', `问题类别 "${key}" 不存在。可选类别：${valid}`, [
      { path: `${pathPrefix}category`, message: '未知类别', valid: [...community.categories.keys()] },
    ]);
  }
  return category;
}

/**
 * The people who speak for an organisation in a community: they receive its letters and may
 * acknowledge them, and one of them may be made answerable for a joint-meeting resolution.
 * Property: the manager, every property member of a zone and the line leaders (the lines are the
 * property company's, as task letters count them); the Party organisation: the leadership group's
 * leader; others: zone members and leaders of that org.
 */
export function orgMembersOf(community: Community, org: Org): string[] {
  return [...orgMemberSet(community, org)];
}

/**
 * Whether a person speaks for an organisation (one of `orgMembersOf`). Asked for every
 * organisation on each `/api/me` (the work menu's letters entry), so the members are worked out
 * once per community config: a config change brings a new Community object, and with it new sets.
 */
export function isOrgMember(community: Community, org: Org, person: string): boolean {
  return orgMemberSet(community, org).has(person);
}

const orgMemberSets = new WeakMap<Community, Map<Org, ReadonlySet<string>>>();

function orgMemberSet(community: Community, org: Org): ReadonlySet<string> {
  return keptFor(orgMemberSets, community, org, () => new Set(membersOf(community, org)));
}

/** orgMembersOf worked out from the config, sorted. */
function membersOf(community: Community, org: Org): string[] {
  const out = new Set<string>();
  if (org === 'property') {
    if (community.config.propertyManager) out.add(community.config.propertyManager);
    for (const l of community.config.lines) if (l.leader) out.add(l.leader);
  }
  if (org === 'party') out.add(community.config.leadershipGroup.leader);
  for (const z of community.zones.values()) {
    if (z.leader.org === org) out.add(z.leader.person);
    for (const m of z.members) if (m.org === org) out.add(m.person);
  }
  return [...out].sort();
}
