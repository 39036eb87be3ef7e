import { randomInt } from 'node:crypto';
import {
  applyTransition,
  type CreateIssueInput,
  decideRoute,
  Invalid,
  intakeChannel,
  requireCategory,
  resolveZone,
  Unauthorized,
} from '@gongzhi/domain';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { issueEventsTable, issuesTable, photosTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { actorIn, type ServiceContext } from '../context';
import { getIssue } from './get-issue';

// No 0/O, 1/I/L: codes are read aloud and typed from paper.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const newIssueCode = () =>
  Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

/**
 * Staff file an issue (on patrol, or on behalf of a resident). Permission → facts → routing →
 * one transaction: the issue, its intake event and its routing event, and its photos attached.
 */
export async function createIssue(ctx: ServiceContext, input: CreateIssueInput) {
  const principal = ctx.principal;
  if (!principal) throw Unauthorized('token_missing', '请先登录');
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
  const status = applyTransition('submitted', route.tier === 'joint_meeting' ? 'refer' : 'dispatch', [
    'system',
  ]);
  const reporter = principal.personKey ?? 'system';
  const now = ctx.now();

  const id = await ctx.db.transaction(async (tx) => {
    const [issue] = await tx
      .insert(issuesTable)
      .values({
        communityId: await communityId(ctx.db, community.key),
        code: newIssueCode(),
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
        status,
        tier: route.tier,
        line: route.line,
        owner: route.owner,
        assignees: [...new Set(route.tasks.map((t) => t.assignee))],
        route,
        reporterAccountId: principal.accountId,
        reporterName: input.reporterName ?? principal.displayName,
        reporterPhone: input.reporterPhone ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: issuesTable.id });
    const issueId = issue!.id;
    await tx.insert(issueEventsTable).values([
      {
        issueId,
        action: 'submit',
        fromStatus: null,
        toStatus: 'submitted',
        actorAccountId: principal.accountId,
        actor: reporter,
        note: null,
        data: { channel },
        createdAt: now,
      },
      {
        issueId,
        action: route.tier === 'joint_meeting' ? 'refer' : 'dispatch',
        fromStatus: 'submitted',
        toStatus: status,
        actorAccountId: null,
        actor: 'system',
        note: route.reasons.map((r) => r.text).join('\n'),
        data: { tier: route.tier, owner: route.owner, tasks: route.tasks, procedures: route.procedures },
        createdAt: now,
      },
    ]);
    if (input.photoIds.length > 0) {
      const attached = await tx
        .update(photosTable)
        .set({ issueId })
        .where(
          and(
            inArray(photosTable.id, input.photoIds),
            isNull(photosTable.issueId),
            eq(photosTable.uploaderAccountId, principal.accountId),
          ),
        )
        .returning({ id: photosTable.id });
      if (attached.length !== new Set(input.photoIds).size) {
        // Throwing rolls the whole issue back: nothing half-made is left behind.
        throw Invalid('photo_not_found', '有照片不存在、已被使用或不是您上传的，请重新上传', [
          { path: 'body.photoIds', message: '照片无效' },
        ]);
      }
    }
    return issueId;
  });
  return getIssue(ctx, id);
}
