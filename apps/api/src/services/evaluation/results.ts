import {
  type AuditPage,
  assertResultsReadable,
  assertRunsEvaluation,
  CAMPAIGN_STATUS_NAMES,
  type CampaignResults,
  householdLabel,
  localDateOf,
  NotFound,
  RESPONSE_CHANNEL_NAMES,
  runsEvaluation,
  tallyAnswers,
} from '@gongzhi/domain';
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import {
  communitiesTable,
  evaluationCampaignsTable,
  evaluationCodesTable,
  evaluationResponsesTable,
  residentHomesTable,
} from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { communityId } from '../communities/community-id';
import { callerOf, type ServiceContext } from '../context';
import { loadVisibleCampaign, rolesIn } from './campaign-store';
import { receiptOf } from './receipt';

/**
 * The tally of a campaign: per target, per question, the count, mean, distribution and share
 * satisfied, plus how many households answered through each channel. Aggregates only: nothing
 * in it names a household.
 *
 * For other parts of the product (the published results notice, the property company's credit
 * file). It checks no permission and counts whatever the status: a caller that shows results to
 * the public must check `campaign.status === 'published'`. A campaign has at most a few thousand
 * households, so the answers are tallied in memory by the domain's `tallyAnswers`.
 */
export async function campaignResults(db: Db | Tx, campaignId: string): Promise<CampaignResults> {
  const [found] = await db
    .select({ campaign: evaluationCampaignsTable, communityKey: communitiesTable.key })
    .from(evaluationCampaignsTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, evaluationCampaignsTable.communityId))
    .where(eq(evaluationCampaignsTable.id, campaignId));
  if (!found) throw NotFound('campaign_not_found', '评议活动不存在');
  const c = found.campaign;
  const rows = await db
    .select({ channel: evaluationResponsesTable.channel, answers: evaluationResponsesTable.answers })
    .from(evaluationResponsesTable)
    .where(eq(evaluationResponsesTable.campaignId, campaignId));
  const tally = tallyAnswers(
    c.questionnaire,
    rows.map((r) => r.answers),
  );
  return {
    campaign: {
      id: c.id,
      community: found.communityKey,
      quarter: c.quarter,
      title: c.title,
      status: c.status,
      statusName: CAMPAIGN_STATUS_NAMES[c.status],
      closedAt: c.closedAt?.toISOString() ?? null,
      publishedAt: c.publishedAt?.toISOString() ?? null,
    },
    responses: tally.responses,
    byChannel: {
      account: rows.filter((r) => r.channel === 'account').length,
      code: rows.filter((r) => r.channel === 'code').length,
    },
    targets: tally.targets,
  };
}

/** A community's campaign of a quarter ("2026Q4"), or null: with campaignResults, for other parts. */
export async function campaignIdFor(db: Db, communityKey: string, quarter: string): Promise<string | null> {
  const [row] = await db
    .select({ id: evaluationCampaignsTable.id })
    .from(evaluationCampaignsTable)
    .where(
      and(
        eq(evaluationCampaignsTable.communityId, await communityId(db, communityKey)),
        eq(evaluationCampaignsTable.quarter, quarter),
      ),
    );
  return row?.id ?? null;
}

/** Results through the API: the leadership once closed, everyone once published. */
export async function readResults(ctx: ServiceContext, id: string): Promise<CampaignResults> {
  const { row, community } = await loadVisibleCampaign(ctx, id);
  assertResultsReadable(row.status, runsEvaluation(rolesIn(ctx, community)));
  return campaignResults(ctx.db, id);
}

const pages = keyset(evaluationResponsesTable.createdAt, evaluationResponsesTable.id);

/**
 * The audit list (leadership): every response's household, channel, credential and time, with
 * its receipt and whether the stored answers still match it. Never the answers: the audit shows
 * that each response came from a valid credential, the results show what was said, and no API
 * joins the two.
 */
export async function auditResponses(
  ctx: ServiceContext,
  id: string,
  q: { cursor?: string | undefined; limit: number },
): Promise<AuditPage> {
  callerOf(ctx);
  const { row: campaign, community } = await loadVisibleCampaign(ctx, id);
  assertRunsEvaluation(rolesIn(ctx, community));
  const rows = await ctx.db
    .select({
      response: evaluationResponsesTable,
      verifiedBy: residentHomesTable.decidedBy,
      verifiedAt: residentHomesTable.decidedAt,
      batch: evaluationCodesTable.batch,
    })
    .from(evaluationResponsesTable)
    .leftJoin(residentHomesTable, eq(residentHomesTable.id, evaluationResponsesTable.homeId))
    .leftJoin(evaluationCodesTable, eq(evaluationCodesTable.id, evaluationResponsesTable.codeId))
    .where(and(eq(evaluationResponsesTable.campaignId, id), pages.after(q.cursor)))
    .orderBy(...pages.orderBy)
    .limit(q.limit + 1);
  const page = pages.page(
    rows.map((r) => ({ ...r, createdAt: r.response.createdAt, id: r.response.id })),
    q.limit,
  );
  const tz = community.config.timezone;
  return {
    items: page.items.map(({ response: r, verifiedBy, verifiedAt, batch }) => ({
      id: r.id,
      household: householdLabel(r),
      building: r.building,
      room: r.room,
      zone: r.zone,
      zoneName: community.zones.get(r.zone)?.name ?? r.zone,
      channel: r.channel,
      channelName: RESPONSE_CHANNEL_NAMES[r.channel],
      credential:
        r.channel === 'account'
          ? `住户账号，${verifiedBy ?? '区域人员'}于 ${verifiedAt ? localDateOf(verifiedAt, tz) : '—'} 认证`
          : `评议码，第 ${batch ?? '?'} 批`,
      at: r.createdAt.toISOString(),
      receipt: r.receipt,
      intact: receiptOf(r.id, campaign.questionnaire, r.answers) === r.receipt,
    })),
    nextCursor: page.nextCursor,
  };
}
