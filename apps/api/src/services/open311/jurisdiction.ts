import { type Community, Invalid, NotFound } from '@gongzhi/domain';
import type { ServiceContext } from '../context';

/**
 * The community a GeoReport call reads or writes: jurisdiction_id is the community key. The spec
 * lets an endpoint that serves one jurisdiction go without it; with several it is required.
 */
export function jurisdictionOf(ctx: Pick<ServiceContext, 'communities'>, id: string | undefined): Community {
  if (id === undefined) {
    if (ctx.communities.size === 1) return [...ctx.communities.values()][0]!;
    throw Invalid(
      'jurisdiction_required',
      `缺少 jurisdiction_id（小区 key，可选：${[...ctx.communities.keys()].join(', ')}） / jurisdiction_id is required`,
      [{ path: 'jurisdiction_id', message: '缺少 jurisdiction_id' }],
    );
  }
  const c = ctx.communities.get(id);
  if (!c)
    throw NotFound(
      'jurisdiction_not_found',
      `没有这个 jurisdiction_id（小区）："${id}" / unknown jurisdiction_id`,
    );
  return c;
}

/** A service_code of the community, or the spec's 404. */
export function serviceOf(community: Community, code: string) {
  const c = community.categories.get(code);
  if (!c)
    throw NotFound(
      'service_not_found',
      `${community.name}没有这个 service_code："${code}" / unknown service_code`,
    );
  return c;
}
