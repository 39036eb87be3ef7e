import type { CommunityPeopleView } from '@gongzhi/domain';
import { NotFound } from '@gongzhi/domain';
import { refreshCommunityConfigs, servedVersion } from '../communities/refresh-community-configs';
import type { ServiceContext } from '../context';
import { peopleViewOf } from './people-view';

/**
 * A community's people and roles at its latest version. Catches this instance up first, so the
 * version an administrator bases the next edit on is the latest one, not up to one poll behind.
 */
export async function readCommunityPeople(ctx: ServiceContext, key: string): Promise<CommunityPeopleView> {
  await refreshCommunityConfigs(ctx.db, ctx.communities);
  const community = ctx.communities.get(key);
  if (!community) throw NotFound('community_not_found', `小区 "${key}" 不存在`);
  return peopleViewOf(community, servedVersion(ctx.communities, key));
}
