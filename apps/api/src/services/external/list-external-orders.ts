import {
  type Community,
  EXTERNAL_SOURCE_NAMES,
  type ExternalOrdersQuery,
  type ExternalOrderView,
  externalLapses,
  Forbidden,
  keepsExternalOrders,
  NotFound,
  REPLYABLE_STATUSES,
  readsAllIssues,
  STATUS_NAMES,
  zoneNameOf,
} from '@gongzhi/domain';
import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import { communitiesTable, externalOrdersTable, issuesTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';

type Joined = { order: typeof externalOrdersTable.$inferSelect; issue: typeof issuesTable.$inferSelect };

const nameOf = (community: Community, key: string | null) =>
  key ? (community.people.get(key)?.name ?? (key === 'admin' ? '管理员' : key)) : '';

export function toExternalView(
  community: Community,
  r: Joined,
  mayReply: boolean,
  now: Date,
): ExternalOrderView {
  const { order: o, issue: i } = r;
  return {
    id: o.id,
    source: o.source,
    sourceName: EXTERNAL_SOURCE_NAMES[o.source],
    externalNo: o.externalNo,
    externalDueAt: o.externalDueAt.toISOString(),
    replyDueAt: o.replyDueAt.toISOString(),
    issue: {
      id: i.id,
      code: i.code,
      status: i.status,
      statusName: STATUS_NAMES[i.status],
      zoneName: zoneNameOf(community, i.zone),
      categoryName: community.categories.get(i.category)?.name ?? i.category,
      description: i.description,
    },
    reply:
      o.repliedAt && o.replyText
        ? { text: o.replyText, at: o.repliedAt.toISOString(), by: nameOf(community, o.repliedByName) }
        : null,
    ...externalLapses({ ...o, handledAt: i.handledAt }, now),
    canReply: mayReply && o.repliedAt === null && REPLYABLE_STATUSES.includes(i.status),
    createdAt: o.createdAt.toISOString(),
  };
}

/** Who may read external orders: their keepers, and everyone who reads every issue. */
function assertReads(ctx: ServiceContext, community: Community) {
  const actor = actorIn(callerOf(ctx), community);
  const keeps = keepsExternalOrders(actor, community);
  if (!keeps && !readsAllIssues(actor))
    throw Forbidden('not_external_desk', '只有社区秘书、居委会接待人员可以查看外部转办工单');
  return keeps;
}

async function selectOrders(ctx: ServiceContext, where: SQL[]) {
  return ctx.db
    .select({ order: externalOrdersTable, issue: issuesTable, communityKey: communitiesTable.key })
    .from(externalOrdersTable)
    .innerJoin(issuesTable, eq(issuesTable.id, externalOrdersTable.issueId))
    .innerJoin(communitiesTable, eq(communitiesTable.id, externalOrdersTable.communityId))
    .where(and(...where))
    .orderBy(desc(externalOrdersTable.createdAt), desc(externalOrdersTable.id));
}

/** GET /api/external-orders: newest first (at most 200), optionally one source or the unreplied. */
export async function listExternalOrders(ctx: ServiceContext, q: ExternalOrdersQuery) {
  const community = getCommunity(ctx, q.community);
  const keeps = assertReads(ctx, community);
  const cid = await communityId(ctx.db, community.key);
  const rows = await selectOrders(ctx, [
    eq(externalOrdersTable.communityId, cid),
    ...(q.source ? [eq(externalOrdersTable.source, q.source)] : []),
    ...(q.unreplied ? [isNull(externalOrdersTable.repliedAt)] : []),
  ]);
  const now = ctx.now();
  return { items: rows.slice(0, 200).map((r) => toExternalView(community, r, keeps, now)) };
}

/** One external order by its id, or by its issue's (an idempotent replay knows the issue). */
export async function getExternalOrder(ctx: ServiceContext, ref: { id: string } | { issueId: string }) {
  const [row] = await selectOrders(ctx, [
    'id' in ref ? eq(externalOrdersTable.id, ref.id) : eq(externalOrdersTable.issueId, ref.issueId),
  ]);
  if (!row) throw NotFound('external_order_not_found', '外部转办工单不存在');
  const c = getCommunity(ctx, row.communityKey);
  const keeps = assertReads(ctx, c);
  return toExternalView(c, row, keeps, ctx.now());
}
