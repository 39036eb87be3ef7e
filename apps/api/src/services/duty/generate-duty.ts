import {
  addDays,
  type GenerateDutyInput,
  type GenerateDutyResult,
  generateRota,
  MAX_ROTA_DAYS,
  monthsBecomingDrafts,
  type RotaShift,
  rotaMonthStatus,
  rotaMonthsOf,
} from '@gongzhi/domain';
import { inArray } from 'drizzle-orm';
import { dutyMonthsTable, dutyShiftChangesTable, dutyShiftsTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { actorKeyOf, getCommunity, type ServiceContext } from '../context';
import {
  dutySetupOf,
  endOf,
  loadMonthRows,
  loadShiftRows,
  lockRota,
  requireRange,
  requireRotaManager,
  startOf,
  toRotaShift,
} from './duty-setup';
import { rotaChanged, rotaViewOf } from './read-duty';
import { voidSwapsOn } from './swaps';

/**
 * A statement carries at most 65 535 parameters in the PostgreSQL protocol; two years of a large
 * rota are well past that in one insert (8 per row), so rows and ids go in slices.
 */
const CHUNK = 1000;
const chunksOf = <T>(items: T[]) =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

const placeKey = (s: RotaShift) => `${s.date}|${s.shift}|${s.org}|${s.person}`;

/**
 * Generate (publish) the rota for [from, to] with generateRota. What has started is history and
 * stays as it is, whoever holds it; overrides and accepted swaps are human decisions and stay too.
 * Only generated shifts that have not started are open to replacement, and all kept shifts are
 * passed as `fixed`, so they fill their places and count towards fairness. A replaced shift that
 * comes out the same is left alone (same row, same id); a pending swap on a shift that really goes
 * is void, and both people are told. An empty place of a shift still running is filled (the rota
 * starts now: publishing at 10:00 puts someone on today's day shift); an empty place of a shift
 * that has ended is not filled after the fact: it stays a gap.
 */
export async function generateDuty(
  ctx: ServiceContext,
  key: string,
  input: GenerateDutyInput,
): Promise<GenerateDutyResult> {
  const community = getCommunity(ctx, key);
  const { principal } = requireRotaManager(ctx, community);
  const { from, to } = requireRange(input.from, input.to, MAX_ROTA_DAYS, 'body');
  const setup = dutySetupOf(ctx, community);
  const cid = await communityId(ctx.db, community.key);
  const now = ctx.now();
  const notStarted = (s: Pick<RotaShift, 'date' | 'shift'>) => startOf(setup, s).getTime() > now.getTime();
  const notEnded = (s: Pick<RotaShift, 'date' | 'shift'>) => endOf(setup, s).getTime() > now.getTime();

  const result = await ctx.db.transaction(async (tx) => {
    await lockRota(tx, cid);
    // One day either side: a night shift before `from` still stops its holder from being booked
    // into an overlapping shift on `from`.
    const around = await loadShiftRows(tx, cid, addDays(from, -1), addDays(to, 1));
    const open = around.filter(
      (r) => r.source === 'generated' && r.date >= from && r.date <= to && notStarted(toRotaShift(r)),
    );
    if (input.draft) {
      // Months not planned yet become drafts before anything is written to them.
      const records = await loadMonthRows(tx, cid, from, to);
      const statuses = new Map(
        rotaMonthsOf(from, to).map((m) => [
          m,
          rotaMonthStatus(
            records.get(m),
            around.some((r) => r.date.startsWith(m)),
          ),
        ]),
      );
      const drafts = monthsBecomingDrafts(statuses);
      if (drafts.length) {
        await tx
          .insert(dutyMonthsTable)
          .values(drafts.map((month) => ({ communityId: cid, month, createdAt: now })))
          .onConflictDoNothing();
      }
    }
    const openIds = new Set(open.map((r) => r.id));
    const fixed = around.filter((r) => !openIds.has(r.id)).map(toRotaShift);
    const fixedSet = new Set(fixed);

    const rota = generateRota({
      from,
      to,
      config: setup.config,
      dayKind: setup.dayKind,
      pools: setup.pools,
      fixed,
    });
    const fresh = rota.shifts.filter((s) => !fixedSet.has(s) && notEnded(s));
    const freshKeys = new Set(fresh.map(placeKey));
    const openKeys = new Set(open.map((r) => placeKey(toRotaShift(r))));
    const gone = open.filter((r) => !freshKeys.has(placeKey(toRotaShift(r))));
    const added = fresh.filter((s) => !openKeys.has(placeKey(s)));

    let voidedSwaps = 0;
    if (gone.length) {
      const goneIds = gone.map((r) => r.id);
      for (const ids of chunksOf(goneIds)) {
        voidedSwaps += await voidSwapsOn(tx, setup, cid, ids, now, '值班表已重新生成，所涉班次已变更');
      }
      await tx.delete(dutyShiftsTable).where(inArray(dutyShiftsTable.id, goneIds));
    }
    if (added.length) {
      await tx.insert(dutyShiftsTable).values(
        added.map((s) => ({
          communityId: cid,
          ...s,
          source: 'generated' as const,
          createdAt: now,
          updatedAt: now,
        })),
      );
    }
    const counts = {
      generated: added.length,
      replaced: gone.length,
      kept: rota.shifts.filter((s) => fixedSet.has(s)).length,
      voidedSwaps,
    };
    await tx.insert(dutyShiftChangesTable).values({
      communityId: cid,
      kind: 'generate',
      actorAccountId: principal.accountId,
      actor: actorKeyOf(principal),
      reason: `生成 ${from} 至 ${to} 的值班表${input.draft ? '（草稿）' : ''}`,
      data: {
        from,
        to,
        ...counts,
        unchanged: fresh.length - added.length,
        shortfalls: rota.shortfalls.length,
      },
      createdAt: now,
    });

    return {
      ...(await rotaViewOf(ctx, tx, setup, cid, from, to)),
      shortfalls: rota.shortfalls.filter(notEnded),
      ...counts,
    };
  });
  rotaChanged(ctx.db, community.key);
  return result;
}
