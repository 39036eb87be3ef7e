import {
  assertKeepsExternalOrders,
  Conflict,
  type CreateExternalOrderInput,
  decideIntake,
  decideRoute,
  EXTERNAL_SOURCE_NAMES,
  Invalid,
  requireCategory,
  triageRoute,
} from '@gongzhi/domain';
import { and, eq } from 'drizzle-orm';
import { isUniqueViolation } from '../../db/errors';
import { externalOrdersTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { actorIn, actorKeyOf, callerOf, type ServiceContext } from '../context';
import { persistIssue, photoOwnedBy } from '../issues/persist-issue';
import { getExternalOrder } from './list-external-orders';

const duplicate = (input: CreateExternalOrderInput) =>
  Conflict(
    'duplicate_external_no',
    `${EXTERNAL_SOURCE_NAMES[input.source]}工单 ${input.externalNo} 已登记，不能重复登记`,
    [{ path: 'body.externalNo', message: '该编号已登记' }],
  );

/**
 * Staff enter an order handed over by the 12345 hotline or the street office: an issue (channel =
 * the source) routed as any complaint — what routing cannot place goes to the triage desk — and its
 * external record (number, handling deadline, reply deadline), both in one transaction.
 */
export async function createExternalOrder(ctx: ServiceContext, input: CreateExternalOrderInput) {
  const principal = callerOf(ctx);
  const community = ctx.communities.get(input.community);
  if (!community) {
    throw Invalid('unknown_community', `小区 "${input.community}" 不存在`, [
      { path: 'body.community', message: `可选：${[...ctx.communities.keys()].join(', ')}` },
    ]);
  }
  assertKeepsExternalOrders(actorIn(principal, community), community);
  requireCategory(community, input.category, 'body.');
  const intake = decideIntake(community, input, 'body.');
  const externalDueAt = new Date(input.externalDueAt);
  const replyDueAt = input.replyDueAt ? new Date(input.replyDueAt) : externalDueAt;
  const cid = await communityId(ctx.db, community.key);
  const [taken] = await ctx.db
    .select({ id: externalOrdersTable.id })
    .from(externalOrdersTable)
    .where(
      and(
        eq(externalOrdersTable.communityId, cid),
        eq(externalOrdersTable.source, input.source),
        eq(externalOrdersTable.externalNo, input.externalNo),
      ),
    );
  if (taken) throw duplicate(input);
  const facts = {
    zone: intake.zone,
    category: input.category,
    urgency: input.urgency,
    scope: 'building' as const,
    usesMaintenanceFund: false,
    touchesSharedParts: false,
    multiOrg: false,
  };
  const route = intake.placed
    ? decideRoute(facts, community)
    : triageRoute(community, intake.zone, intake.reasons);
  let orderId = '';
  try {
    await persistIssue(
      ctx,
      ctx.now(),
      {
        community: community.key,
        zone: intake.zone,
        building: intake.building,
        spot: input.spot ?? null,
        category: input.category,
        description: input.description,
        urgency: input.urgency,
        scope: 'building',
        usesMaintenanceFund: false,
        touchesSharedParts: false,
        multiOrg: false,
        channel: input.source,
        route,
        // The reporter is the caller of the hotline, not the staff member who enters the order.
        reporterAccountId: null,
        reporterActor: actorKeyOf(principal),
        reporterName: input.reporterName ?? null,
        reporterPhone: input.reporterPhone ?? null,
        photoIds: [],
        photoOwner: photoOwnedBy(principal.accountId, []),
        photoPath: 'body.photoIds',
        intakeData: {
          external: { source: input.source, externalNo: input.externalNo },
          ...(intake.placed ? {} : { triage: intake.reasons }),
        },
        onCreated: async (tx, issueId) => {
          const [row] = await tx
            .insert(externalOrdersTable)
            .values({
              communityId: cid,
              issueId,
              source: input.source,
              externalNo: input.externalNo,
              externalDueAt,
              replyDueAt,
              createdBy: principal.accountId,
              createdAt: ctx.now(),
            })
            .returning({ id: externalOrdersTable.id });
          orderId = row!.id;
        },
      },
      ctx.idempotency,
    );
  } catch (e) {
    // Two entries of the same number raced: the unique index refused the second.
    if (isUniqueViolation(e)) throw duplicate(input);
    throw e;
  }
  return getExternalOrder(ctx, { id: orderId });
}
