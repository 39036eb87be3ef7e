import {
  type CreateIssueInput,
  decideRoute,
  Invalid,
  intakeChannel,
  requireCategory,
  resolveZone,
} from '@gongzhi/domain';
import { actorIn, actorKeyOf, callerOf, type ServiceContext } from '../context';
import { getIssue } from './get-issue';
import { persistIssue, photoOwnedBy } from './persist-issue';

/** Staff file an issue (on patrol, or on behalf of a resident); it is routed at once. */
export async function createIssue(ctx: ServiceContext, input: CreateIssueInput) {
  const principal = callerOf(ctx);
  const community = ctx.communities.get(input.community);
  if (!community) {
    throw Invalid('unknown_community', `小区 "${input.community}" 不存在`, [
      { path: 'body.community', message: `可选：${[...ctx.communities.keys()].join(', ')}` },
    ]);
  }
  const zone = resolveZone(community, input, 'body.');
  requireCategory(community, input.category, 'body.');
  const actor = actorIn(principal, community);
  const channel = intakeChannel(actor, zone.key, input.channel);
  const route = decideRoute({ ...input, zone: zone.key }, community);

  const id = await persistIssue(
    ctx,
    ctx.now(),
    {
      community: community.key,
      zone: zone.key,
      building: input.building ?? null,
      spot: input.spot ?? null,
      category: input.category,
      description: input.description,
      urgency: input.urgency,
      scope: input.scope,
      usesMaintenanceFund: input.usesMaintenanceFund,
      touchesSharedParts: input.touchesSharedParts,
      multiOrg: input.multiOrg,
      channel,
      route,
      reporterAccountId: principal.accountId,
      reporterActor: actorKeyOf(principal),
      reporterName: input.reporterName ?? principal.displayName,
      reporterPhone: input.reporterPhone ?? null,
      location: input.location ?? null,
      photoIds: input.photoIds,
      photoOwner: photoOwnedBy(principal.accountId, []),
      photoPath: 'body.photoIds',
    },
    ctx.idempotency,
  );
  return getIssue(ctx, id);
}
