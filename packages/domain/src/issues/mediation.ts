import { propertyStaffOf } from '../community/lookup';
import type { Community } from '../community/validate';

/** Mediation categories (config `categories[].mediation`), e.g. 邻里纠纷. */
export const isMediationCategory = (community: Community, category: string) =>
  community.categories.get(category)?.mediation === true;

/**
 * The residents' committee (居委会) members of the issue's zone who may take on a mediation
 * category's issue as a task; none for any other category.
 */
export function mediatorsOf(community: Community, issue: { zone: string; category?: string }): string[] {
  if (!issue.category || !isMediationCategory(community, issue.category)) return [];
  const zone = community.zones.get(issue.zone);
  if (!zone) return [];
  const rc = [zone.leader, ...zone.members].filter((m) => m.org === 'rc').map((m) => m.person);
  return [...new Set(rc)].filter((p) => community.people.get(p)?.active !== false);
}

export const CANDIDATE_ROLE_NAMES = {
  property_manager: '物业经理',
  property_specialist: '物业专员',
  line_assignee: '条线专员',
  line_leader: '条线负责人',
  zone_leader: '区域组长',
  rc_mediator: '居委会（调解）',
} as const;

/**
 * Everyone an issue may be dispatched to, in the order of taskRoleFor (tasks/lifecycle.ts): the
 * property manager, the zone's property staff, the line's assignee and leader, the zone leader and,
 * for a mediation category, the zone's residents' committee members. The desk's picker offers these.
 */
export function dispatchCandidates(
  community: Community,
  issue: { zone: string; line: string | null; category: string },
): { key: string; name: string; roleName: string }[] {
  const zone = community.zones.get(issue.zone);
  const line = issue.line ? community.lines.get(issue.line) : undefined;
  const out: { key: string; role: keyof typeof CANDIDATE_ROLE_NAMES }[] = [];
  const pm = community.config.propertyManager;
  if (pm) out.push({ key: pm, role: 'property_manager' });
  if (zone) for (const p of propertyStaffOf(zone)) out.push({ key: p, role: 'property_specialist' });
  if (line?.assignee) out.push({ key: line.assignee, role: 'line_assignee' });
  if (line?.leader) out.push({ key: line.leader, role: 'line_leader' });
  if (zone) out.push({ key: zone.leader.person, role: 'zone_leader' });
  for (const p of mediatorsOf(community, issue)) out.push({ key: p, role: 'rc_mediator' });
  const seen = new Set<string>();
  return out
    .filter((c) => !seen.has(c.key) && seen.add(c.key) && community.people.get(c.key)?.active !== false)
    .map((c) => ({
      key: c.key,
      name: community.people.get(c.key)?.name ?? c.key,
      roleName: CANDIDATE_ROLE_NAMES[c.role],
    }));
}
