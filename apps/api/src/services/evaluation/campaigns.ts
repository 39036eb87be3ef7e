import {
  applyCampaignAction,
  assertQuarterBegun,
  assertRunsEvaluation,
  buildQuestionnaire,
  type CampaignAction,
  type CampaignList,
  Conflict,
  type CreateCampaignInput,
  defaultCampaignTitle,
  parseQuarter,
  quarterLabel,
  runsEvaluation,
} from '@gongzhi/domain';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { evaluationCampaignsTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { callerOf, getCommunity, type ServiceContext } from '../context';
import { loadCampaign, rolesIn, toCampaignView } from './campaign-store';

/** The leadership group opens a quarter's campaign as a draft: one per community and quarter. */
export async function createCampaign(ctx: ServiceContext, input: CreateCampaignInput): Promise<string> {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, input.community);
  assertRunsEvaluation(rolesIn(ctx, community));
  const questionnaire = buildQuestionnaire(community, input.questions);
  const cid = await communityId(ctx.db, community.key);
  const [row] = await ctx.db
    .insert(evaluationCampaignsTable)
    .values({
      communityId: cid,
      quarter: input.quarter,
      title: input.title ?? defaultCampaignTitle(community.name, input.quarter),
      status: 'draft',
      questionnaire,
      createdByAccountId: principal.accountId,
      createdAt: ctx.now(),
    })
    .onConflictDoNothing({ target: [evaluationCampaignsTable.communityId, evaluationCampaignsTable.quarter] })
    .returning({ id: evaluationCampaignsTable.id });
  if (!row) {
    throw Conflict(
      'campaign_exists',
      `${quarterLabel(parseQuarter(input.quarter))}已有评议活动，每个季度只组织一次`,
      [{ path: 'body.quarter', message: '该季度已有评议活动' }],
    );
  }
  return row.id;
}

const STAMP: Record<CampaignAction, 'openedAt' | 'closedAt' | 'publishedAt'> = {
  open: 'openedAt',
  close: 'closedAt',
  publish: 'publishedAt',
};

/** Open, close or publish: the leadership group, one step at a time, under the campaign's row lock. */
export async function stepCampaign(ctx: ServiceContext, id: string, action: CampaignAction) {
  callerOf(ctx);
  const { row, community } = await ctx.db.transaction(async (tx) => {
    const found = await loadCampaign(tx, ctx, id, 'update');
    assertRunsEvaluation(rolesIn(ctx, found.community));
    const status = applyCampaignAction(found.row.status, action);
    if (action === 'open') assertQuarterBegun(found.row.quarter, ctx.now(), found.community.config.timezone);
    const [updated] = await tx
      .update(evaluationCampaignsTable)
      .set({ status, [STAMP[action]]: ctx.now() })
      .where(eq(evaluationCampaignsTable.id, id))
      .returning();
    return { row: updated!, community: found.community };
  });
  return toCampaignView(ctx, row, community);
}

/**
 * A community's campaigns, newest quarter first. Four a year, so one page. Residents see the open
 * and finished ones; the leadership also sees drafts.
 */
export async function listCampaigns(ctx: ServiceContext, q: { community: string }): Promise<CampaignList> {
  const community = getCommunity(ctx, q.community);
  const leadership = runsEvaluation(rolesIn(ctx, community));
  const rows = await ctx.db
    .select()
    .from(evaluationCampaignsTable)
    .where(
      and(
        eq(evaluationCampaignsTable.communityId, await communityId(ctx.db, community.key)),
        leadership ? undefined : inArray(evaluationCampaignsTable.status, ['open', 'closed', 'published']),
      ),
    )
    .orderBy(desc(evaluationCampaignsTable.quarter));
  return { items: await Promise.all(rows.map((r) => toCampaignView(ctx, r, community))) };
}
