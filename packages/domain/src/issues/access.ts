import type { PersonRoles } from '../community/lookup';
import { Forbidden } from '../errors';
import type { IssueRelation } from './lifecycle';
import type { Channel } from './schema';

/** Who is acting: a staff account bound to a config person, a resident, or an administrator. */
export interface Actor {
  accountId: string;
  /** Roles in the community of the issue; null for a resident or an admin with no person. */
  roles: PersonRoles | null;
  admin: boolean;
}

/** The parts of an issue that permissions look at. */
export interface IssueAccessFacts {
  zone: string;
  line: string | null;
  owner: string | null;
  assignees: readonly string[];
  reporterAccountId: string | null;
}

export function relationsTo(actor: Actor, issue: IssueAccessFacts): IssueRelation[] {
  const out: IssueRelation[] = [];
  const r = actor.roles;
  if (actor.admin) out.push('admin');
  if (issue.reporterAccountId !== null && issue.reporterAccountId === actor.accountId) out.push('reporter');
  if (!r) return out;
  if (issue.owner !== null && issue.owner === r.person) out.push('owner');
  if (issue.assignees.includes(r.person)) out.push('assignee');
  if (r.zones.some((z) => z.zone === issue.zone && z.org === 'grid')) out.push('zone_inspector');
  if (r.propertyManager) out.push('property_manager');
  if (r.secretary || r.leadership) out.push('joint_meeting');
  if (r.zones.some((z) => z.zone === issue.zone && z.leader)) out.push('zone_leader');
  if (r.secretary) out.push('secretary');
  if (r.leadership) out.push('leadership');
  return out;
}

/**
 * docs/domain.md §12: secretary, leadership, property manager, supervisory committee and admin read everything; zone members
 * read their zones; a line leader reads the line; owner, assignee and reporter read their own.
 */
export function canReadIssue(actor: Actor, issue: IssueAccessFacts): boolean {
  if (actor.admin) return true;
  if (issue.reporterAccountId !== null && issue.reporterAccountId === actor.accountId) return true;
  const r = actor.roles;
  if (!r) return false;
  if (r.secretary || r.leadership || r.propertyManager || r.supervisor) return true;
  if (r.zones.some((z) => z.zone === issue.zone)) return true;
  if (issue.line !== null && r.linesLed.includes(issue.line)) return true;
  return issue.owner === r.person || issue.assignees.includes(r.person);
}

/**
 * Everyone who reads all issues of a community, whatever the zone (the supervisory committee reads
 * them to oversee complaint handling; reading gives it no action).
 */
export const readsAllIssues = (actor: Actor) =>
  actor.admin ||
  !!(
    actor.roles &&
    (actor.roles.secretary || actor.roles.leadership || actor.roles.propertyManager || actor.roles.supervisor)
  );

/** Only those handling an issue see the reporter's phone unmasked. */
export function seesReporterPhone(actor: Actor, issue: IssueAccessFacts): boolean {
  const rel = relationsTo(actor, issue);
  return rel.some(
    (x) => x === 'admin' || x === 'owner' || x === 'assignee' || x === 'reporter' || x === 'property_manager',
  );
}

/**
 * May this person file an issue in this zone, and through which channel? Zone members file in
 * their zones; line leaders, secretary, leadership, manager and admin anywhere. The channel follows
 * from the role unless a permitted one is asked for.
 */
export function intakeChannel(actor: Actor, zone: string, requested?: Channel): Channel {
  const r = actor.roles;
  const inZone = r?.zones.filter((z) => z.zone === zone) ?? [];
  const anywhere =
    actor.admin || !!(r && (r.linesLed.length || r.secretary || r.leadership || r.propertyManager));
  if (inZone.length === 0 && !anywhere) {
    throw Forbidden('not_zone_member', '您不是该责任区域的成员，不能在此区域上报问题');
  }
  const permitted = new Set<Channel>(['staff_on_behalf']);
  for (const z of inZone) {
    if (z.org === 'grid') permitted.add('patrol');
    if (z.org === 'property') permitted.add('property_patrol');
    if (z.org === 'rc') permitted.add('duty_desk');
  }
  if (r?.propertyManager) permitted.add('property_patrol');
  if (requested) {
    if (requested === 'resident_qr' || !permitted.has(requested)) {
      throw Forbidden('channel_not_permitted', `您不能通过“${requested}”渠道上报问题`);
    }
    return requested;
  }
  for (const preferred of ['patrol', 'property_patrol', 'duty_desk'] as const) {
    if (permitted.has(preferred)) return preferred;
  }
  return 'staff_on_behalf';
}
