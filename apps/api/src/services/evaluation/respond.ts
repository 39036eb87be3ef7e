import { randomUUID } from 'node:crypto';
import {
  assertTakesResponses,
  Conflict,
  DomainError,
  householdLabel,
  NotFound,
  RESPONSE_CHANNEL_NAMES,
  type RespondentView,
  type RespondInput,
  type ResponseReceipt,
  respondentHousehold,
  validateAnswers,
} from '@gongzhi/domain';
import { and, eq, isNull } from 'drizzle-orm';
import { evaluationCodesTable, evaluationResponsesTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { callerOf, type ServiceContext } from '../context';
import { loadCampaign, loadVisibleCampaign, toCampaignView } from './campaign-store';
import { codeNotFound, findCode } from './codes';
import { activeHome, toHomeView } from './homes';
import { receiptOf } from './receipt';

const alreadyResponded = () => Conflict('already_responded', '该户已参加本次评议，每户只能评议一次');

/**
 * Record one household's answers. The household comes from the credential (a one-time code, or
 * the signed-in resident's verified binding: `respondentHousehold`); the unique index on
 * (campaign, building, room) refuses a second response from the household whichever credential
 * it uses, also when two arrive at once. A code is spent in the same transaction, so a refused
 * response leaves it usable.
 */
export async function respond(
  ctx: ServiceContext,
  id: string,
  input: RespondInput,
): Promise<ResponseReceipt> {
  return ctx.db.transaction(async (tx) => {
    // FOR SHARE: responses run side by side, but a close waits for those in flight (and vice versa).
    const { row: campaign, community } = await loadCampaign(tx, ctx, id, 'share');
    if (campaign.status === 'draft') throw NotFound('campaign_not_found', '评议活动不存在');
    assertTakesResponses(campaign.status);

    const code = input.code !== undefined ? await findCode(tx, input.code) : null;
    if (input.code !== undefined && (!code || code.campaignId !== id)) throw codeNotFound();
    const principal = ctx.principal;
    const home =
      !code && principal
        ? await activeHome(tx, principal.accountId, await communityId(ctx.db, community.key))
        : null;
    const { channel, household } = respondentHousehold({
      code: code ? { household: code, used: code.usedAt !== null } : null,
      account: principal ? { kind: principal.kind, home } : null,
    });
    const answers = validateAnswers(campaign.questionnaire, input.answers);

    const now = ctx.now();
    if (code) {
      const spent = await tx
        .update(evaluationCodesTable)
        .set({ usedAt: now })
        .where(and(eq(evaluationCodesTable.id, code.id), isNull(evaluationCodesTable.usedAt)))
        .returning({ id: evaluationCodesTable.id });
      if (spent.length === 0) throw alreadyResponded();
    }
    const responseId = randomUUID();
    const receipt = receiptOf(responseId, campaign.questionnaire, answers);
    const inserted = await tx
      .insert(evaluationResponsesTable)
      .values({
        id: responseId,
        campaignId: id,
        building: household.building,
        room: household.room,
        zone: code ? code.zone : home!.zone,
        channel,
        homeId: channel === 'account' ? home!.id : null,
        codeId: code?.id ?? null,
        answers,
        receipt,
        createdAt: now,
      })
      .onConflictDoNothing({
        target: [
          evaluationResponsesTable.campaignId,
          evaluationResponsesTable.building,
          evaluationResponsesTable.room,
        ],
      })
      .returning({ id: evaluationResponsesTable.id });
    if (inserted.length === 0) throw alreadyResponded();
    return {
      receipt,
      household: householdLabel(household),
      channel,
      channelName: RESPONSE_CHANNEL_NAMES[channel],
      at: now.toISOString(),
    };
  });
}

/** What a signed-in resident sees before answering: the questionnaire, their household, and whether they may. */
export async function respondentView(ctx: ServiceContext, id: string): Promise<RespondentView> {
  const principal = callerOf(ctx);
  const { row: campaign, community } = await loadVisibleCampaign(ctx, id);
  const home = await activeHome(ctx.db, principal.accountId, await communityId(ctx.db, community.key));
  let household: string | null = null;
  let reason: string | null = null;
  let answered = false;
  try {
    assertTakesResponses(campaign.status);
    const h = respondentHousehold({ code: null, account: { kind: principal.kind, home } }).household;
    household = householdLabel(h);
    const [found] = await ctx.db
      .select({ id: evaluationResponsesTable.id })
      .from(evaluationResponsesTable)
      .where(
        and(
          eq(evaluationResponsesTable.campaignId, id),
          eq(evaluationResponsesTable.building, h.building),
          eq(evaluationResponsesTable.room, h.room),
        ),
      );
    answered = !!found;
    if (answered) reason = '您家已参加本次评议，每户只能评议一次';
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    reason = err.message;
  }
  return {
    campaign: await toCampaignView(ctx, campaign, community),
    home: home ? toHomeView(home, community) : null,
    household,
    answered,
    reason,
  };
}
