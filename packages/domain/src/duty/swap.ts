import { dayNumber } from '../calendar/days';
import { ORG_NAMES } from '../community/schema';
import { Conflict, Forbidden, Invalid } from '../errors';
import type { Actor } from '../issues/access';
import { DAY_KIND_NAMES, type DayKindOf, type DutyConfig, type DutyShiftDef } from './config';
import { parseDateSpan, shiftSpan } from './dates';
import type { RotaShift } from './generate-rota';
import type { DutyPools } from './pools';

export interface CheckSwapInput {
  /** The shift handed over; it belongs to `from`. */
  shift: RotaShift;
  /** Who asks (the shift's holder). */
  from: string;
  /** Who takes the shift. */
  to: string;
  /** For an exchange: the shift of `to` that `from` takes in return. Without it, `to` simply stands in. */
  inReturn?: RotaShift;
  pools: DutyPools;
  config: DutyConfig;
  dayKind: DayKindOf;
  /** Unavailable days known besides the config's own (leave recorded elsewhere); same format. */
  unavailable?: Record<string, readonly string[]>;
  /** The published rota around the dates concerned, the swapped shifts included. */
  rota: readonly RotaShift[];
  /** For names in messages; a Community's `people` fits. Keys are shown without it. */
  people?: ReadonlyMap<string, { name: string }>;
}

/** The shifts as they would stand once the swap takes effect. */
export interface SwapOutcome {
  shift: RotaShift;
  inReturn?: RotaShift;
}

const sameShift = (a: RotaShift, b: RotaShift) =>
  a.date === b.date && a.shift === b.shift && a.org === b.org && a.person === b.person;

/**
 * Whether a swap may happen: the taker belongs to the duty pool of the shift's organisation, is
 * not unavailable that day, and has no other shift overlapping it. For an exchange the same rules
 * hold the other way round. Returns the shifts after the swap, or a 400 naming the broken rule
 * (swap_not_eligible, swap_unavailable, swap_double_booked). Run it again when the counterpart
 * accepts: the rota may have changed since the request.
 */
export function checkSwap(input: CheckSwapInput): SwapOutcome {
  const { shift, from, to, inReturn, rota } = input;
  const name = (key: string) => input.people?.get(key)?.name ?? key;
  if (from === to) {
    throw Invalid('swap_same_person', '不能与自己换班', [{ path: 'to', message: '请选择另一位值班人员' }]);
  }
  if (shift.person !== from) {
    throw Invalid('swap_not_own_shift', `${shift.date} 的这个班次不是${name(from)}的，不能由其发起换班`, [
      { path: 'shift', message: `该班次的值班人员是 ${shift.person}` },
    ]);
  }
  if (inReturn && inReturn.person !== to) {
    throw Invalid('swap_not_own_shift', `${inReturn.date} 的交换班次不是${name(to)}的`, [
      { path: 'inReturn', message: `该班次的值班人员是 ${inReturn.person}` },
    ]);
  }

  const defs = new Map(input.config.shifts.map((d) => [d.key, d]));
  const unavailableDays = (person: string) => [
    ...(input.config.unavailable[person] ?? []),
    ...(input.unavailable?.[person] ?? []),
  ];
  const untouched = rota.filter((s) => !sameShift(s, shift) && !(inReturn && sameShift(s, inReturn)));

  const takeOver = (taken: RotaShift, taker: string, path: string) => {
    const orgName = ORG_NAMES[taken.org];
    const when = `${taken.date} ${DAY_KIND_NAMES[input.dayKind(taken.date)]}`;
    if (!(input.pools.get(taken.org) ?? []).includes(taker)) {
      throw Invalid(
        'swap_not_eligible',
        `${name(taker)}不属于${orgName}值班人员，不能替换${orgName}班次（${when}）`,
        [{ path, message: `只有${orgName}值班人员可以承担${orgName}的班次`, rule: 'same_org_pool' }],
      );
    }
    const blocked = unavailableDays(taker).find((span) => {
      const [a, b] = parseDateSpan(span);
      return a <= taken.date && taken.date <= b;
    });
    if (blocked) {
      throw Invalid(
        'swap_unavailable',
        `${name(taker)} ${taken.date} 不可值班（已登记：${blocked}），不能接替该班次`,
        [{ path, message: `${taken.date} 已登记为不可值班`, rule: 'unavailable' }],
      );
    }
    const clash = untouched.find((s) => s.person === taker && overlaps(s, taken, defs));
    if (clash) {
      throw Invalid(
        'swap_double_booked',
        `${name(taker)}在 ${clash.date} 已有${ORG_NAMES[clash.org]}班次，与要接替的 ${taken.date} 班次时间重叠，不能同时值班`,
        [{ path, message: '同一时段不能安排同一人两个班次', rule: 'no_double_booking', clash }],
      );
    }
  };

  takeOver(shift, to, 'to');
  if (inReturn) takeOver(inReturn, from, 'from');
  return {
    shift: { ...shift, person: to },
    ...(inReturn ? { inReturn: { ...inReturn, person: from } } : {}),
  };
}

/** Whether two shifts overlap in wall-clock time. A shift whose definition is gone only clashes with its own kind that day. */
function overlaps(a: RotaShift, b: RotaShift, defs: Map<string, DutyShiftDef>): boolean {
  const da = defs.get(a.shift);
  const db = defs.get(b.shift);
  if (!da || !db) return a.date === b.date && a.shift === b.shift;
  const sa = shiftSpan(da);
  const sb = shiftSpan(db);
  const offset = (dayNumber(b.date) - dayNumber(a.date)) * 24 * 60;
  return sa.start < sb.end + offset && sb.start + offset < sa.end;
}

// ---- The swap request as a tiny state machine. Only an accepted swap changes the rota. ----

export const SWAP_STATUSES = ['requested', 'accepted', 'declined', 'cancelled'] as const;
export type SwapStatus = (typeof SWAP_STATUSES)[number];

export const SWAP_STATUS_NAMES: Record<SwapStatus, string> = {
  requested: '待对方确认',
  accepted: '已同意',
  declined: '已拒绝',
  cancelled: '已撤回',
};

export const SWAP_ACTIONS = ['accept', 'decline', 'cancel'] as const;
export type SwapAction = (typeof SWAP_ACTIONS)[number];

export const SWAP_ACTION_NAMES: Record<SwapAction, string> = {
  accept: '同意换班',
  decline: '拒绝换班',
  cancel: '撤回换班申请',
};

export interface SwapTransition {
  action: SwapAction;
  from: readonly SwapStatus[];
  to: SwapStatus;
  /** The counterpart answers the request; the requester may withdraw it. */
  by: 'requester' | 'counterpart';
}

export const SWAP_TRANSITIONS: readonly SwapTransition[] = [
  { action: 'accept', from: ['requested'], to: 'accepted', by: 'counterpart' },
  { action: 'decline', from: ['requested'], to: 'declined', by: 'counterpart' },
  { action: 'cancel', from: ['requested'], to: 'cancelled', by: 'requester' },
];

/** Both people agreed: the only status in which a swap changes the rota. */
export const swapTakesEffect = (status: SwapStatus) => status === 'accepted';

export interface SwapParties {
  actor: string;
  requester: string;
  counterpart: string;
}

const partyMay = (t: SwapTransition, parties: SwapParties) =>
  parties.actor === (t.by === 'requester' ? parties.requester : parties.counterpart);

/** What the caller may do to a swap request now (the swap view's `allowedActions`). */
export function swapActions(status: SwapStatus, parties: SwapParties): SwapAction[] {
  return SWAP_TRANSITIONS.filter((t) => t.from.includes(status) && partyMay(t, parties)).map((t) => t.action);
}

/**
 * One step of a swap request. Refuses an action the state does not allow (409 naming the state),
 * then a person who may not take it (403). Returns the new status.
 */
export function applySwapAction(status: SwapStatus, action: SwapAction, parties: SwapParties): SwapStatus {
  const t = SWAP_TRANSITIONS.find((x) => x.action === action)!;
  if (!t.from.includes(status)) {
    throw Conflict(
      'swap_invalid_transition',
      `换班申请当前状态为“${SWAP_STATUS_NAMES[status]}”，不能${SWAP_ACTION_NAMES[action]}`,
      [{ path: 'status', message: `state=${status}`, state: status }],
    );
  }
  if (!partyMay(t, parties)) {
    throw Forbidden(
      'swap_not_permitted',
      t.by === 'requester' ? '只有发起人可以撤回换班申请' : '只有被邀请换班的人可以同意或拒绝',
    );
  }
  return t.to;
}

/** Who publishes and changes the rota: the secretary, the leadership group, administrators. */
export const managesRota = (actor: Pick<Actor, 'admin' | 'roles'>) =>
  actor.admin || !!(actor.roles && (actor.roles.secretary || actor.roles.leadership));

export const SHIFT_ACTIONS = ['request_swap', 'override'] as const;
export type ShiftAction = (typeof SHIFT_ACTIONS)[number];

/**
 * What the caller may do to one shift (the shift view's `allowedActions`): its holder asks someone
 * to take it while it has not started; a rota manager changes who holds it.
 */
export function shiftActions(
  shift: { person: string; start: Date },
  viewer: { person: string | null; managesRota: boolean },
  now: Date,
): ShiftAction[] {
  const out: ShiftAction[] = [];
  if (viewer.person !== null && viewer.person === shift.person && shift.start > now) out.push('request_swap');
  if (viewer.managesRota) out.push('override');
  return out;
}
