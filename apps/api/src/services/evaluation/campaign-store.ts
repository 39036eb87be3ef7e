import {
  CAMPAIGN_STATUS_NAMES,
  type CampaignStats,
  type CampaignView,
  type Community,
  campaignActions,
  campaignVisible,
  NotFound,
  type PersonRoles,
  runsEvaluation,
} from '@gongzhi/domain';
import { and, count, eq, isNotNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import {
  communitiesTable,
  evaluationCampaignsTable,
  evaluationCodesTable,
  evaluationResponsesTable,
} from '../../db/schema';
import { actorIn, getCommunity, type ServiceContext } from '../context';

export type CampaignRow = typeof evaluationCampaignsTable.$inferSelect;

const notFound = () => NotFound('campaign_not_found', '评议活动不存在');

/** The caller's roles in the community (null for a resident, an anonymous caller or an admin). */
export const rolesIn = (ctx: ServiceContext, community: Community): PersonRoles | null =>
  ctx.principal ? actorIn(ctx.principal, community).roles : null;

/**
 * A campaign with its community. `lock` takes the row FOR UPDATE (a step, a code batch) or FOR SHARE
 * (a response: a campaign cannot close under a response being recorded, yet responses run together).
 */
export async function loadCampaign(
  db: Db | Tx,
  ctx: Pick<ServiceContext, 'communities'>,
  id: string,
  lock?: 'update' | 'share',
): Promise<{ row: CampaignRow; community: Community }> {
  const q = db
    .select({ row: evaluationCampaignsTable, communityKey: communitiesTable.key })
    .from(evaluationCampaignsTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, evaluationCampaignsTable.communityId))
    .where(eq(evaluationCampaignsTable.id, id));
  const [found] = lock ? await q.for(lock, { of: evaluationCampaignsTable }) : await q;
  if (!found) throw notFound();
  return { row: found.row, community: getCommunity(ctx, found.communityKey) };
}

/** A campaign the caller may see: drafts only for the leadership group (404 for anyone else). */
export async function loadVisibleCampaign(ctx: ServiceContext, id: string) {
  const found = await loadCampaign(ctx.db, ctx, id);
  if (!campaignVisible(found.row.status, runsEvaluation(rolesIn(ctx, found.community)))) throw notFound();
  return found;
}

export async function campaignStats(db: Db | Tx, campaignId: string): Promise<CampaignStats> {
  const byChannel = await db
    .select({ channel: evaluationResponsesTable.channel, n: count() })
    .from(evaluationResponsesTable)
    .where(eq(evaluationResponsesTable.campaignId, campaignId))
    .groupBy(evaluationResponsesTable.channel);
  const [issued] = await db
    .select({ n: count() })
    .from(evaluationCodesTable)
    .where(eq(evaluationCodesTable.campaignId, campaignId));
  const [used] = await db
    .select({ n: count() })
    .from(evaluationCodesTable)
    .where(and(eq(evaluationCodesTable.campaignId, campaignId), isNotNull(evaluationCodesTable.usedAt)));
  const of = (c: 'account' | 'code') => byChannel.find((r) => r.channel === c)?.n ?? 0;
  return {
    responses: of('account') + of('code'),
    byChannel: { account: of('account'), code: of('code') },
    codesIssued: issued?.n ?? 0,
    codesUsed: used?.n ?? 0,
  };
}

export async function toCampaignView(
  ctx: ServiceContext,
  row: CampaignRow,
  community: Community,
): Promise<CampaignView> {
  const roles = rolesIn(ctx, community);
  const manages = runsEvaluation(roles);
  return {
    id: row.id,
    community: community.key,
    quarter: row.quarter,
    title: row.title,
    status: row.status,
    statusName: CAMPAIGN_STATUS_NAMES[row.status],
    questionnaire: row.questionnaire,
    createdAt: row.createdAt.toISOString(),
    openedAt: row.openedAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    stats: manages ? await campaignStats(ctx.db, row.id) : null,
    canManage: manages,
    allowedActions: campaignActions(roles, row.status),
  };
}

export async function getCampaign(ctx: ServiceContext, id: string): Promise<CampaignView> {
  const { row, community } = await loadVisibleCampaign(ctx, id);
  return toCampaignView(ctx, row, community);
}
