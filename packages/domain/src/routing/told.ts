import type { Community } from '../community/validate';
import type { RouteDecision } from './decide-route';

/**
 * Who is told of a new issue besides those it gives a task (docs/domain.md §5, plan §五.2): the
 * leader of its zone, who answers for everything in the zone, and the line's leader for a line
 * issue. Never the reporter, never twice. (An issue referred to the joint meeting goes on its
 * waiting agenda, and the agenda tells the secretary.)
 */
export function toldOfNewIssue(
  community: Community,
  issue: { zone: string; reporter: string | null },
  route: Pick<RouteDecision, 'line' | 'tasks'>,
): string[] {
  const told = new Set<string>();
  const zone = community.zones.get(issue.zone);
  if (zone) told.add(zone.leader.person);
  if (route.line) {
    const leader = community.lines.get(route.line)?.leader;
    if (leader) told.add(leader);
  }
  for (const t of route.tasks) told.delete(t.assignee);
  if (issue.reporter) told.delete(issue.reporter);
  return [...told];
}
