import { type Community, NotFound, readsAllIssues } from '@gongzhi/domain';
import { actorIn, type Principal, type ServiceContext } from '../context';

/**
 * The config person the caller acts as in this community. An administrator without a person, or
 * someone of another community, acts as nobody: every meeting rule then refuses them (403) by name.
 */
export function meetingActor(principal: Principal, community: Community): string {
  return principal.personKey !== null && principal.communityKey === community.key ? principal.personKey : '';
}

/** The caller's person key in a community for the capability fields of a view (null: nobody). */
export const viewerIn = (ctx: ServiceContext, community: Community): string | null =>
  ctx.principal ? meetingActor(ctx.principal, community) || null : null;

/** Joint-meeting records and resolutions are read by the community's staff and by administrators. */
export function assertReadsJointRecords(principal: Principal, community: Community, what = '会议记录') {
  if (principal.kind === 'admin' || meetingActor(principal, community) !== '') return;
  throw NotFound('not_found', `${what}不存在或您无权查看`);
}

/** A zone meeting is read by the zone's people, and by those who read every zone. */
export function readsZone(principal: Principal, community: Community, zone: string): boolean {
  const actor = actorIn(principal, community);
  if (readsAllIssues(actor)) return true;
  return !!actor.roles?.zones.some((z) => z.zone === zone);
}
