import {
  checkPublish,
  monthBounds,
  type PublishRotaInput,
  type RotaView,
  rotaGaps,
  rotaMonthStatus,
  shiftLabel,
} from '@gongzhi/domain';
import { and, eq } from 'drizzle-orm';
import { dutyMonthsTable, dutyShiftChangesTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { actorKeyOf, getCommunity, type ServiceContext } from '../context';
import { notify } from '../notifications/notify';
import {
  dutySetupOf,
  loadMonthRows,
  loadShiftRows,
  lockRota,
  requireRotaManager,
  sortShiftRows,
  toRotaShift,
} from './duty-setup';
import { rotaChanged, rotaViewOf } from './read-duty';

/**
 * The secretary publishes a draft month (checkPublish: generated, gaps acknowledged). From then
 * on its shifts show to residents, in feeds, on the printed notice and in people's own lists;
 * everyone on it is told how many shifts they have and the first one. Recorded in the change log.
 */
export async function publishRota(
  ctx: ServiceContext,
  key: string,
  input: PublishRotaInput,
): Promise<RotaView> {
  const community = getCommunity(ctx, key);
  const { principal } = requireRotaManager(ctx, community);
  const setup = dutySetupOf(ctx, community);
  const cid = await communityId(ctx.db, key);
  const now = ctx.now();
  const { from, to } = monthBounds(input.month);
  const result = await ctx.db.transaction(async (tx) => {
    await lockRota(tx, cid);
    const rows = sortShiftRows(setup, await loadShiftRows(tx, cid, from, to));
    const record = (await loadMonthRows(tx, cid, from, to)).get(input.month);
    const shifts = rows.map(toRotaShift);
    const gaps = rotaGaps({ from, to, config: setup.config, dayKind: setup.dayKind, shifts });
    checkPublish({
      month: input.month,
      status: rotaMonthStatus(record, rows.length > 0),
      shiftCount: rows.length,
      gaps,
      acceptGaps: input.acceptGaps,
    });
    const by = actorKeyOf(principal);
    await tx
      .update(dutyMonthsTable)
      .set({ publishedAt: now, publishedByAccountId: principal.accountId, publishedBy: by })
      .where(and(eq(dutyMonthsTable.communityId, cid), eq(dutyMonthsTable.month, input.month)));
    await tx.insert(dutyShiftChangesTable).values({
      communityId: cid,
      kind: 'publish',
      actorAccountId: principal.accountId,
      actor: by,
      reason: `发布 ${input.month} 值班表${gaps.length ? `（确认缺岗 ${gaps.length} 个）` : ''}`,
      data: { month: input.month, shifts: rows.length, gaps: gaps.length },
      createdAt: now,
    });
    const label = `${Number(input.month.slice(0, 4))}年${Number(input.month.slice(5, 7))}月`;
    const byPerson = new Map<string, typeof rows>();
    for (const r of rows) byPerson.set(r.person, [...(byPerson.get(r.person) ?? []), r]);
    for (const [person, mine] of byPerson) {
      const first = mine[0]!;
      await notify(
        tx,
        now,
        `dutypublish:${cid}:${input.month}:${person}`,
        { communityId: cid, persons: [person] },
        {
          kind: 'duty_rota_published',
          month: label,
          shifts: mine.length,
          first: shiftLabel(first.date, setup.defs.get(first.shift), first.org),
        },
      );
    }
    return rotaViewOf(ctx, tx, setup, cid, from, to);
  });
  rotaChanged(ctx.db, key);
  return result;
}
