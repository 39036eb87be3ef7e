import {
  addDays,
  Conflict,
  checkSwap,
  Invalid,
  NotFound,
  type OverrideShiftInput,
  type ShiftView,
  shiftLabel,
} from '@gongzhi/domain';
import { and, eq } from 'drizzle-orm';
import { communitiesTable, dutyShiftChangesTable, dutyShiftsTable } from '../../db/schema';
import { actorKeyOf, getCommunity, type ServiceContext } from '../context';
import { notify } from '../notifications/notify';
import {
  dutySetupOf,
  endOf,
  loadShiftRows,
  lockRota,
  requirePersonOf,
  requireRotaManager,
  shiftViewerOf,
  toRotaShift,
  toShiftView,
} from './duty-setup';
import { rotaChanged } from './read-duty';
import { voidSwapsOn, withPaths } from './swaps';

/**
 * A rota manager puts someone else on one shift. The same rules as a swap hold (the person serves
 * for that organisation, is available that day, is not on an overlapping shift), so an override
 * cannot produce a rota the generator would refuse. A shift that has ended is history and stays.
 * Recorded with who and why; both people are told; open swap requests on the shift are void.
 */
export async function overrideShift(
  ctx: ServiceContext,
  id: string,
  input: OverrideShiftInput,
): Promise<ShiftView> {
  const now = ctx.now();
  let changed: string | undefined;
  const result = await ctx.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ row: dutyShiftsTable, community: communitiesTable.key })
      .from(dutyShiftsTable)
      .innerJoin(communitiesTable, eq(communitiesTable.id, dutyShiftsTable.communityId))
      .where(eq(dutyShiftsTable.id, id));
    if (!found) throw NotFound('shift_not_found', '班次不存在');
    const community = getCommunity(ctx, found.community);
    const { principal } = requireRotaManager(ctx, community);
    changed = community.key;
    requirePersonOf(community, input.person, 'body.person');
    const setup = dutySetupOf(ctx, community);
    const cid = found.row.communityId;
    await lockRota(tx, cid);
    const [row] = await tx
      .select()
      .from(dutyShiftsTable)
      .where(and(eq(dutyShiftsTable.id, id), eq(dutyShiftsTable.communityId, cid)));
    if (!row) throw NotFound('shift_not_found', '班次不存在');
    const before = toRotaShift(row);
    const label = shiftLabel(row.date, setup.defs.get(row.shift), row.org);
    if (endOf(setup, row) <= now) {
      throw Conflict('shift_ended', `${label} 已结束，不能再调整`, [
        { path: 'params.id', message: '只能调整尚未结束的班次' },
      ]);
    }
    if (row.person === input.person) {
      throw Invalid('override_same_person', `${label} 已由该人员值班，无需调整`, [
        { path: 'body.person', message: '请选择另一位人员' },
      ]);
    }
    const rota = (await loadShiftRows(tx, cid, addDays(row.date, -1), addDays(row.date, 1))).map(toRotaShift);
    withPaths(
      () =>
        checkSwap({
          shift: before,
          from: row.person,
          to: input.person,
          pools: setup.pools,
          config: setup.config,
          dayKind: setup.dayKind,
          rota,
          people: community.people,
        }),
      { to: 'body.person' },
    );
    const [after] = await tx
      .update(dutyShiftsTable)
      .set({ person: input.person, source: 'override', updatedAt: now })
      .where(eq(dutyShiftsTable.id, id))
      .returning();
    const [change] = await tx
      .insert(dutyShiftChangesTable)
      .values({
        communityId: cid,
        kind: 'override',
        shiftId: id,
        actorAccountId: principal.accountId,
        actor: actorKeyOf(principal),
        reason: input.reason,
        before,
        after: toRotaShift(after!),
        createdAt: now,
      })
      .returning({ id: dutyShiftChangesTable.id });
    await voidSwapsOn(tx, setup, cid, [id], now, '班次已由管理员调整');
    const name = (k: string) => community.people.get(k)?.name ?? k;
    const message = {
      kind: 'duty_shift_overridden',
      shift: label,
      from: name(row.person),
      to: name(input.person),
      reason: input.reason,
    } as const;
    const key = `dutychange:${change!.id}`;
    await notify(
      tx,
      now,
      `${key}:old`,
      { communityId: cid, persons: [row.person] },
      { ...message, forNewPerson: false },
    );
    await notify(
      tx,
      now,
      `${key}:new`,
      { communityId: cid, persons: [input.person] },
      { ...message, forNewPerson: true },
    );
    return toShiftView(setup, after!, shiftViewerOf(ctx, community));
  });
  if (changed) rotaChanged(ctx.db, changed);
  return result;
}
