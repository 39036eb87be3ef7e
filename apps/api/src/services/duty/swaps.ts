import {
  addDays,
  applySwapAction,
  Conflict,
  checkSwap,
  DomainError,
  type ListSwapsQuery,
  NotFound,
  ORG_NAMES,
  type RequestSwapInput,
  type RotaShift,
  SWAP_STATUS_NAMES,
  type SwapAction,
  type SwapAnswerInput,
  type SwapView,
  shiftLabel,
  swapActions,
} from '@gongzhi/domain';
import { and, desc, eq, inArray, or } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import {
  type DutyShiftRow,
  type DutySwapRow,
  dutyShiftChangesTable,
  dutyShiftsTable,
  dutySwapsTable,
} from '../../db/schema';
import { communityId } from '../communities/community-id';
import { actorKeyOf, type ServiceContext } from '../context';
import { recordIdempotentCommit } from '../idempotency';
import { notify } from '../notifications/notify';
import {
  type DutySetup,
  dutySetupOf,
  loadShiftRows,
  lockRota,
  myCommunity,
  requirePersonOf,
  startOf,
  toRotaShift,
} from './duty-setup';
import { rotaChanged } from './read-duty';

/** A rule broken by checkSwap, with its field paths renamed to the request's fields. */
export function withPaths<T>(fn: () => T, paths: Record<string, string>): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof DomainError) || !err.details) throw err;
    throw new DomainError(
      err.kind,
      err.code,
      err.message,
      err.details.map((d) => ({ ...d, path: d.path && paths[d.path] ? paths[d.path] : d.path })),
    );
  }
}

const shiftRefOf = (setup: DutySetup, id: string | null, s: RotaShift) => ({
  id,
  date: s.date,
  shift: s.shift,
  shiftName: setup.defs.get(s.shift)?.name ?? s.shift,
  org: s.org,
  orgName: ORG_NAMES[s.org],
});

/** A swap request as `viewer` (a config person) sees it, with what they may do to it now. */
export function toSwapView(setup: DutySetup, s: DutySwapRow, viewer: string): SwapView {
  const name = (k: string) => setup.community.people.get(k)?.name ?? k;
  return {
    id: s.id,
    community: setup.community.key,
    status: s.status,
    statusName: SWAP_STATUS_NAMES[s.status],
    requester: { key: s.requester, name: name(s.requester) },
    counterpart: { key: s.counterpart, name: name(s.counterpart) },
    shift: shiftRefOf(setup, s.shiftId, s.shiftSnapshot),
    inReturn: s.inReturnSnapshot ? shiftRefOf(setup, s.inReturnShiftId, s.inReturnSnapshot) : null,
    reason: s.reason,
    note: s.note,
    createdAt: s.createdAt.toISOString(),
    answeredAt: s.answeredAt?.toISOString() ?? null,
    allowedActions: swapActions(s.status, {
      actor: viewer,
      requester: s.requester,
      counterpart: s.counterpart,
    }),
  };
}

const labelOf = (setup: DutySetup, s: RotaShift) => shiftLabel(s.date, setup.defs.get(s.shift), s.org);

/** A shift row of this community that has not started, or the reason it cannot be swapped. */
async function swappableShift(
  tx: Tx,
  setup: DutySetup,
  cid: string,
  id: string,
  path: string,
  now: Date,
): Promise<DutyShiftRow> {
  const [row] = await tx
    .select()
    .from(dutyShiftsTable)
    .where(and(eq(dutyShiftsTable.id, id), eq(dutyShiftsTable.communityId, cid)));
  if (!row) {
    throw NotFound('shift_not_found', `班次不存在（${path}）`);
  }
  if (startOf(setup, row) <= now) {
    throw Conflict('shift_started', `${labelOf(setup, toRotaShift(row))} 已开始或已结束，不能再换班`, [
      { path, message: '只能调换尚未开始的班次' },
    ]);
  }
  return row;
}

/** The rota around the dates of a swap: enough to see any overlapping shift of either person. */
async function rotaAround(tx: Tx, cid: string, shifts: RotaShift[]) {
  const dates = shifts.map((s) => s.date).sort();
  return (await loadShiftRows(tx, cid, addDays(dates[0]!, -1), addDays(dates.at(-1)!, 1))).map(toRotaShift);
}

function check(
  setup: DutySetup,
  shift: DutyShiftRow,
  inReturn: DutyShiftRow | null,
  from: string,
  to: string,
  rota: RotaShift[],
) {
  return checkSwap({
    shift: toRotaShift(shift),
    from,
    to,
    ...(inReturn ? { inReturn: toRotaShift(inReturn) } : {}),
    pools: setup.pools,
    config: setup.config,
    dayKind: setup.dayKind,
    rota,
    people: setup.community.people,
  });
}

/**
 * Ask someone to take one of my shifts (and, for an exchange, give me one of theirs). Checked now
 * (pool, unavailability, double booking → 400 naming the rule) and again when they accept. The
 * rota does not change until then.
 */
export async function requestSwap(ctx: ServiceContext, input: RequestSwapInput): Promise<SwapView> {
  const { principal, community, person } = myCommunity(ctx);
  requirePersonOf(community, input.counterpart, 'body.counterpart');
  const setup = dutySetupOf(ctx, community);
  const cid = await communityId(ctx.db, community.key);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    await lockRota(tx, cid);
    const shift = await swappableShift(tx, setup, cid, input.shiftId, 'body.shiftId', now);
    const inReturn = input.inReturnShiftId
      ? await swappableShift(tx, setup, cid, input.inReturnShiftId, 'body.inReturnShiftId', now)
      : null;
    // The swap rules first (the shift must be the caller's): someone else's shift tells them
    // nothing, not even that its holder has a swap pending.
    const rota = await rotaAround(tx, cid, [shift, ...(inReturn ? [inReturn] : [])]);
    withPaths(() => check(setup, shift, inReturn, person, input.counterpart, rota), {
      to: 'body.counterpart',
      from: 'body.inReturnShiftId',
      inReturn: 'body.inReturnShiftId',
      shift: 'body.shiftId',
    });
    const [pending] = await tx
      .select({ id: dutySwapsTable.id })
      .from(dutySwapsTable)
      .where(and(eq(dutySwapsTable.shiftId, shift.id), eq(dutySwapsTable.status, 'requested')));
    if (pending) {
      throw Conflict('swap_pending', '该班次已有待对方确认的换班申请，请先撤回', [
        { path: 'body.shiftId', message: '已有待确认的换班申请', swapId: pending.id },
      ]);
    }
    const [swap] = await tx
      .insert(dutySwapsTable)
      .values({
        communityId: cid,
        shiftId: shift.id,
        inReturnShiftId: inReturn?.id ?? null,
        shiftSnapshot: toRotaShift(shift),
        inReturnSnapshot: inReturn ? toRotaShift(inReturn) : null,
        requester: person,
        counterpart: input.counterpart,
        status: 'requested',
        reason: input.reason,
        createdAt: now,
      })
      .returning();
    await notify(
      tx,
      now,
      `swap:${swap!.id}:requested`,
      { communityId: cid, persons: [input.counterpart], exceptAccountId: principal.accountId },
      {
        kind: 'duty_swap_requested',
        shift: labelOf(setup, toRotaShift(shift)),
        by: community.people.get(person)?.name ?? person,
        inReturn: inReturn ? labelOf(setup, toRotaShift(inReturn)) : null,
        reason: input.reason,
      },
    );
    await recordIdempotentCommit(tx, ctx.idempotency, swap!.id);
    return toSwapView(setup, swap!, person);
  });
}

/**
 * The counterpart accepts or declines; the requester cancels. Accepting re-checks the swap on the
 * rota as it stands now, moves the shift(s), records each change with the reason, and tells both
 * people. Declining or cancelling changes nothing on the rota.
 */
export async function answerSwap(
  ctx: ServiceContext,
  id: string,
  action: SwapAction,
  input: SwapAnswerInput,
): Promise<SwapView> {
  const { principal, community, person } = myCommunity(ctx);
  const setup = dutySetupOf(ctx, community);
  const cid = await communityId(ctx.db, community.key);
  const now = ctx.now();
  const result = await ctx.db.transaction(async (tx) => {
    await lockRota(tx, cid);
    const [swap] = await tx
      .select()
      .from(dutySwapsTable)
      .where(and(eq(dutySwapsTable.id, id), eq(dutySwapsTable.communityId, cid)))
      .for('update');
    // Only the two people involved know the request exists.
    if (!swap || (swap.requester !== person && swap.counterpart !== person)) {
      throw NotFound('swap_not_found', '换班申请不存在');
    }
    const status = applySwapAction(swap.status, action, {
      actor: person,
      requester: swap.requester,
      counterpart: swap.counterpart,
    });
    const name = (k: string) => community.people.get(k)?.name ?? k;
    const label = labelOf(setup, swap.shiftSnapshot);
    const inReturnLabel = swap.inReturnSnapshot ? labelOf(setup, swap.inReturnSnapshot) : null;

    if (status === 'accepted') {
      if (!swap.shiftId || (swap.inReturnSnapshot && !swap.inReturnShiftId)) {
        throw Conflict('swap_shift_gone', '换班涉及的班次已不存在（值班表已重新生成），请重新申请');
      }
      const shift = await swappableShift(tx, setup, cid, swap.shiftId, 'shiftId', now);
      const inReturn = swap.inReturnShiftId
        ? await swappableShift(tx, setup, cid, swap.inReturnShiftId, 'inReturnShiftId', now)
        : null;
      // The rota may have changed since the request: the same rules, on the rota of now.
      if (shift.person !== swap.requester || (inReturn && inReturn.person !== swap.counterpart)) {
        throw Conflict('swap_shift_changed', '换班涉及的班次已被调整，请重新申请');
      }
      const rota = await rotaAround(tx, cid, [shift, ...(inReturn ? [inReturn] : [])]);
      check(setup, shift, inReturn, swap.requester, swap.counterpart, rota);
      const moves: [DutyShiftRow, string][] = [[shift, swap.counterpart]];
      if (inReturn) moves.push([inReturn, swap.requester]);
      for (const [row, to] of moves) {
        await tx
          .update(dutyShiftsTable)
          .set({ person: to, source: 'swap', updatedAt: now })
          .where(eq(dutyShiftsTable.id, row.id));
        await tx.insert(dutyShiftChangesTable).values({
          communityId: cid,
          kind: 'swap',
          shiftId: row.id,
          swapId: swap.id,
          actorAccountId: principal.accountId,
          actor: actorKeyOf(principal),
          reason: swap.reason,
          before: toRotaShift(row),
          after: { ...toRotaShift(row), person: to },
          createdAt: now,
        });
      }
    }
    const [after] = await tx
      .update(dutySwapsTable)
      .set({ status, note: input.note ?? null, answeredAt: now })
      .where(eq(dutySwapsTable.id, swap.id))
      .returning();

    const to = { communityId: cid };
    const key = `swap:${swap.id}:${status}`;
    if (status === 'accepted') {
      // Both are told: the rota changed for each of them, and the message is their record of it.
      await notify(
        tx,
        now,
        key,
        { ...to, persons: [swap.requester, swap.counterpart] },
        {
          kind: 'duty_swap_accepted',
          shift: label,
          requester: name(swap.requester),
          counterpart: name(swap.counterpart),
          inReturn: inReturnLabel,
        },
      );
    } else if (status === 'declined') {
      await notify(
        tx,
        now,
        key,
        { ...to, persons: [swap.requester] },
        { kind: 'duty_swap_declined', shift: label, by: name(swap.counterpart), note: input.note ?? null },
      );
    } else if (status === 'cancelled') {
      await notify(
        tx,
        now,
        key,
        { ...to, persons: [swap.counterpart] },
        { kind: 'duty_swap_cancelled', shift: label, by: name(swap.requester) },
      );
    }
    return toSwapView(setup, after!, person);
  });
  rotaChanged(ctx.db, community.key);
  return result;
}

/** One swap request of mine (asked or asked of me), or 404. */
export async function getMySwap(ctx: ServiceContext, id: string): Promise<SwapView> {
  const { community, person } = myCommunity(ctx);
  const setup = dutySetupOf(ctx, community);
  const [row] = await ctx.db
    .select()
    .from(dutySwapsTable)
    .where(
      and(
        eq(dutySwapsTable.id, id),
        eq(dutySwapsTable.communityId, await communityId(ctx.db, community.key)),
        or(eq(dutySwapsTable.requester, person), eq(dutySwapsTable.counterpart, person)),
      ),
    );
  if (!row) throw NotFound('swap_not_found', '换班申请不存在');
  return toSwapView(setup, row, person);
}

/** Swap requests I asked for or was asked, newest first. */
export async function listMySwaps(ctx: ServiceContext, q: ListSwapsQuery) {
  const { community, person } = myCommunity(ctx);
  const setup = dutySetupOf(ctx, community);
  const cid = await communityId(ctx.db, community.key);
  const rows = await ctx.db
    .select()
    .from(dutySwapsTable)
    .where(
      and(
        eq(dutySwapsTable.communityId, cid),
        or(eq(dutySwapsTable.requester, person), eq(dutySwapsTable.counterpart, person)),
        q.status === 'all' ? undefined : eq(dutySwapsTable.status, q.status),
      ),
    )
    .orderBy(desc(dutySwapsTable.createdAt), desc(dutySwapsTable.id))
    .limit(200);
  return { items: rows.map((r) => toSwapView(setup, r, person)) };
}

/** Void the open requests on shifts an override takes away (in the override's transaction). */
export async function voidSwapsOn(
  tx: Tx,
  setup: DutySetup,
  cid: string,
  shiftIds: string[],
  now: Date,
  note: string,
) {
  const voided = await tx
    .update(dutySwapsTable)
    .set({ status: 'cancelled', note, answeredAt: now })
    .where(
      and(
        eq(dutySwapsTable.status, 'requested'),
        or(inArray(dutySwapsTable.shiftId, shiftIds), inArray(dutySwapsTable.inReturnShiftId, shiftIds)),
      ),
    )
    .returning();
  for (const s of voided) {
    await notify(
      tx,
      now,
      `swap:${s.id}:void`,
      { communityId: cid, persons: [s.requester, s.counterpart] },
      { kind: 'duty_swap_voided', shift: labelOf(setup, s.shiftSnapshot), why: note },
    );
  }
  return voided.length;
}
