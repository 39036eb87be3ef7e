import { randomInt } from 'node:crypto';
import {
  assertIssuesCodes,
  assertRunsEvaluation,
  CODE_ALPHABET,
  CODE_LENGTH,
  type CodeCheckView,
  Conflict,
  formatCode,
  type GenerateCodesInput,
  type GeneratedCodes,
  householdLabel,
  Invalid,
  NotFound,
  normalizeCode,
  resolveHousehold,
} from '@gongzhi/domain';
import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Tx } from '../../db/client';
import { evaluationCampaignsTable, evaluationCodesTable, evaluationResponsesTable } from '../../db/schema';
import { hashSecret } from '../../lib/secrets';
import { callerOf, type ServiceContext } from '../context';
import { loadCampaign, rolesIn, toCampaignView } from './campaign-store';

export const MAX_CODES_PER_BATCH = 2000;

const newCode = () =>
  Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

const householdKey = (h: { building: number; room: string }) => `${h.building}/${h.room}`;

/**
 * Print one-time codes for households of a campaign (a batch). Each household gets at most one
 * code per campaign: one that has a code is skipped (or, with `reissue`, its unused code is
 * replaced: the lost slip stops working), and one that has answered is skipped. The codes are in
 * this answer only; the database keeps their SHA-256.
 */
export async function generateCodes(
  ctx: ServiceContext,
  id: string,
  input: z.output<typeof GenerateCodesInput>,
): Promise<GeneratedCodes & { title: string; communityName: string }> {
  callerOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { row: campaign, community } = await loadCampaign(tx, ctx, id, 'update');
    assertRunsEvaluation(rolesIn(ctx, community));
    assertIssuesCodes(campaign.status);

    const total = input.households.reduce((n, b) => n + b.rooms.length, 0);
    if (total > MAX_CODES_PER_BATCH) {
      throw Invalid(
        'too_many_codes',
        `一批最多生成 ${MAX_CODES_PER_BATCH} 个评议码（本次 ${total} 个），请分批生成`,
        [{ path: 'body.households', message: `共 ${total} 户` }],
      );
    }
    const wanted = new Map<string, { building: number; room: string; zone: string; zoneName: string }>();
    const skipped: GeneratedCodes['skipped'] = [];
    input.households.forEach((b, i) => {
      b.rooms.forEach((room, j) => {
        const h = resolveHousehold(
          community,
          { building: b.building, room, zone: b.zone },
          {
            building: `body.households[${i}].building`,
            room: `body.households[${i}].rooms[${j}]`,
            zone: `body.households[${i}].zone`,
          },
        );
        const key = householdKey(h);
        if (wanted.has(key)) skipped.push({ household: householdLabel(h), reason: '本批中重复' });
        else wanted.set(key, { building: h.building, room: h.room, zone: h.zone.key, zoneName: h.zone.name });
      });
    });

    const buildings = [...new Set([...wanted.values()].map((h) => h.building))];
    const existing = await tx
      .select()
      .from(evaluationCodesTable)
      .where(and(eq(evaluationCodesTable.campaignId, id), inArray(evaluationCodesTable.building, buildings)));
    const answered = new Set(
      (
        await tx
          .select({ building: evaluationResponsesTable.building, room: evaluationResponsesTable.room })
          .from(evaluationResponsesTable)
          .where(
            and(
              eq(evaluationResponsesTable.campaignId, id),
              inArray(evaluationResponsesTable.building, buildings),
            ),
          )
      ).map(householdKey),
    );
    const codeOf = new Map(existing.map((c) => [householdKey(c), c]));

    const batch = campaign.codeBatches + 1;
    const now = ctx.now();
    const fresh: GeneratedCodes['codes'] = [];
    const inserts: (typeof evaluationCodesTable.$inferInsert)[] = [];
    for (const [key, h] of wanted) {
      const label = householdLabel(h);
      if (answered.has(key)) {
        skipped.push({ household: label, reason: '该户已评议' });
        continue;
      }
      const old = codeOf.get(key);
      if (old && !input.reissue) {
        skipped.push({ household: label, reason: '已有评议码（遗失可选择补发）' });
        continue;
      }
      const code = newCode();
      if (old) {
        await tx
          .update(evaluationCodesTable)
          .set({ codeHash: hashSecret(code), batch, createdAt: now })
          .where(eq(evaluationCodesTable.id, old.id));
      } else {
        inserts.push({
          campaignId: id,
          codeHash: hashSecret(code),
          building: h.building,
          room: h.room,
          zone: h.zone,
          batch,
          createdAt: now,
        });
      }
      fresh.push({ ...h, household: label, code: formatCode(code) });
    }
    for (let i = 0; i < inserts.length; i += 500) {
      await tx.insert(evaluationCodesTable).values(inserts.slice(i, i + 500));
    }
    if (fresh.length) {
      await tx
        .update(evaluationCampaignsTable)
        .set({ codeBatches: batch })
        .where(eq(evaluationCampaignsTable.id, id));
    }
    return {
      campaign: id,
      batch: fresh.length ? batch : campaign.codeBatches,
      codes: fresh,
      skipped,
      title: campaign.title,
      communityName: community.name,
    };
  });
}

/** The code row a presented code names, or null (unknown, mistyped, or replaced by a reissue). */
export async function findCode(db: Db | Tx, text: string) {
  const code = normalizeCode(text);
  if (!code) return null;
  const [row] = await db
    .select()
    .from(evaluationCodesTable)
    .where(eq(evaluationCodesTable.codeHash, hashSecret(code)));
  return row ?? null;
}

export const codeNotFound = () =>
  NotFound('code_not_found', '评议码无效，请核对后重新输入（字母不区分大小写，没有数字 0 和 1）');

/** A resident types the code from their slip: which campaign and household it is for, if it may still answer. */
export async function checkCode(ctx: ServiceContext, text: string): Promise<CodeCheckView> {
  const row = await findCode(ctx.db, text);
  if (!row) throw codeNotFound();
  const { row: campaign, community } = await loadCampaign(ctx.db, ctx, row.campaignId);
  if (campaign.status === 'draft') throw codeNotFound();
  // Said now rather than after the whole questionnaire is filled in.
  const [answered] = await ctx.db
    .select({ id: evaluationResponsesTable.id })
    .from(evaluationResponsesTable)
    .where(
      and(
        eq(evaluationResponsesTable.campaignId, row.campaignId),
        eq(evaluationResponsesTable.building, row.building),
        eq(evaluationResponsesTable.room, row.room),
      ),
    );
  if (row.usedAt || answered) throw Conflict('already_responded', '该户已参加本次评议，每户只能评议一次');
  return { campaign: await toCampaignView(ctx, campaign, community), household: householdLabel(row) };
}
