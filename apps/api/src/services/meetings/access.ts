import { type Community, NotFound, readsAllIssues, Unauthorized } from '@gongzhi/domain';
import { actorIn, type Principal, type ServiceContext } from '../context';

export function principalOf(ctx: ServiceContext): Principal {
  if (!ctx.principal) throw Unauthorized('token_missing', '请先登录');
  return ctx.principal;
}

/**
 * The config person the caller acts as in this community. An administrator without a person, or
 * someone of another community, acts as nobody: every meeting rule then refuses them (403) by name.
 */
export function meetingActor(principal: Principal, community: Community): string {
  return principal.personKey !== null && principal.communityKey === community.key ? principal.personKey : '';
}

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
