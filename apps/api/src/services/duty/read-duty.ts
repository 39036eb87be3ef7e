import {
  addDays,
  type DutyRangeQuery,
  type MyShiftsQuery,
  type OnDutyNowView,
  ORG_NAMES,
  onDutyAt,
  type RotaView,
  rotaGaps,
} from '@gongzhi/domain';
import { communityId } from '../communities/community-id';
import { getCommunity, type ServiceContext } from '../context';
import {
  dutySetupOf,
  endOf,
  loadShiftRows,
  myCommunity,
  peopleWithChoices,
  publicContactOf,
  requireRange,
  requireStaff,
  sortShiftRows,
  startOf,
  todayIn,
  toRotaShift,
  toShiftView,
} from './duty-setup';

/** The longest range one read returns: a year and a day. */
export const MAX_READ_DAYS = 366;
/** My shifts without a range: from today for this many days. */
const MY_SHIFTS_DAYS = 60;

/** The published rota of [from, to] with the places still unfilled (staff only). */
export async function getRota(ctx: ServiceContext, key: string, q: DutyRangeQuery): Promise<RotaView> {
  const community = getCommunity(ctx, key);
  requireStaff(ctx, community);
  const { from, to } = requireRange(q.from, q.to, MAX_READ_DAYS, 'querystring');
  const setup = dutySetupOf(ctx, community);
  const rows = sortShiftRows(setup, await loadShiftRows(ctx.db, await communityId(ctx.db, key), from, to));
  return {
    community: key,
    from,
    to,
    shifts: rows.map((r) => toShiftView(setup, r)),
    gaps: rotaGaps({ from, to, config: setup.config, dayKind: setup.dayKind, shifts: rows.map(toRotaShift) }),
  };
}

/** The caller's own shifts, from today for 60 days unless a range is given. */
export async function myShifts(ctx: ServiceContext, q: MyShiftsQuery) {
  const { community, person } = myCommunity(ctx);
  const setup = dutySetupOf(ctx, community);
  const today = todayIn(setup, ctx.now());
  const from = q.from ?? today;
  const to = q.to ?? addDays(from, MY_SHIFTS_DAYS - 1);
  requireRange(from, to, MAX_READ_DAYS, 'querystring');
  const cid = await communityId(ctx.db, community.key);
  const rows = await loadShiftRows(ctx.db, cid, from, to, person);
  return { from, to, shifts: sortShiftRows(setup, rows).map((r) => toShiftView(setup, r)) };
}

/**
 * Who is on duty now (public, no login): the shifts covering this instant in the community's time
 * zone — at a handover only the incoming one, after midnight still last night's. Residents see a
 * name, the organisation and a phone only if the person chose to show it.
 */
export async function onDutyNow(ctx: ServiceContext, key: string): Promise<OnDutyNowView> {
  const community = getCommunity(ctx, key);
  const setup = dutySetupOf(ctx, community);
  const now = ctx.now();
  const today = todayIn(setup, now);
  const cid = await communityId(ctx.db, key);
  const rows = await loadShiftRows(ctx.db, cid, addDays(today, -1), today);
  const on = sortShiftRows(
    setup,
    onDutyAt(
      rows.map((r) => ({ ...toRotaShift(r), row: r })),
      setup.config.shifts,
      now,
      setup.timezone,
    ),
  );
  const people = await peopleWithChoices(
    ctx.db,
    community,
    cid,
    on.map((s) => s.person),
  );
  return {
    community: key,
    communityName: community.name,
    at: now.toISOString(),
    onDuty: on.map((s) => ({
      name: people.get(s.person)?.name ?? s.person,
      org: s.org,
      orgName: ORG_NAMES[s.org],
      shiftName: setup.defs.get(s.shift)?.name ?? s.shift,
      start: startOf(setup, s).toISOString(),
      end: endOf(setup, s).toISOString(),
      contact: publicContactOf(people.get(s.person)),
    })),
  };
}
