import {
  type Community,
  type DayKind,
  type DutyConfig,
  type DutyPools,
  type DutyShiftDef,
  dayKind,
  dayNumber,
  dutyPoolsOf,
  Forbidden,
  Invalid,
  isDateText,
  isPublicDate,
  localDateOf,
  managesRota,
  ORG_NAMES,
  ORGS,
  type PersonConfig,
  type RotaShift,
  rotaMonthsOf,
  type ShiftView,
  shiftActions,
  shiftInterval,
} from '@gongzhi/domain';
import { and, asc, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import {
  communitiesTable,
  type DutyShiftRow,
  dutyMonthsTable,
  dutyPreferencesTable,
  dutyShiftsTable,
  peopleTable,
} from '../../db/schema';
import { actorIn, calendarOf, callerOf, type ServiceContext } from '../context';

/** Everything the duty rules need about one community, built once per request. */
export interface DutySetup {
  community: Community;
  config: DutyConfig;
  timezone: string;
  dayKind: (date: string) => DayKind;
  defs: Map<string, DutyShiftDef>;
  pools: DutyPools;
  /** When the shift of a date runs, cached per (date, shift): time-zone arithmetic is not free. */
  interval: (date: string, shift: string) => { start: Date; end: Date } | null;
}

export function dutySetupOf(ctx: Pick<ServiceContext, 'calendars'>, community: Community): DutySetup {
  const config = community.config.duty;
  const timezone = community.config.timezone;
  const cal = calendarOf(ctx, community);
  const defs = new Map(config.shifts.map((d) => [d.key, d]));
  const intervals = new Map<string, { start: Date; end: Date } | null>();
  return {
    community,
    config,
    timezone,
    dayKind: (date) => dayKind(cal, date),
    defs,
    pools: dutyPoolsOf(community, config),
    interval: (date, shift) => {
      const key = `${date}|${shift}`;
      let iv = intervals.get(key);
      if (iv === undefined) {
        const def = defs.get(shift);
        iv = def ? shiftInterval(date, def, timezone) : null;
        intervals.set(key, iv);
      }
      return iv;
    },
  };
}

/** A shift whose definition left the config has no hours; it counts as started once its day has begun. */
export function startOf(setup: DutySetup, s: Pick<RotaShift, 'date' | 'shift'>): Date {
  return setup.interval(s.date, s.shift)?.start ?? new Date(`${s.date}T00:00:00Z`);
}
export function endOf(setup: DutySetup, s: Pick<RotaShift, 'date' | 'shift'>): Date {
  return setup.interval(s.date, s.shift)?.end ?? new Date(`${s.date}T23:59:59Z`);
}

export const toRotaShift = (r: DutyShiftRow): RotaShift => ({
  date: r.date,
  shift: r.shift,
  org: r.org,
  person: r.person,
});

const nameOf = (community: Community, key: string) => community.people.get(key)?.name ?? key;

/** Who is looking at a shift: their config person (if any) and whether they manage the rota. */
export interface ShiftViewer {
  person: string | null;
  managesRota: boolean;
  now: Date;
}

/** The viewer of shifts for the caller in this community. */
export function shiftViewerOf(ctx: ServiceContext, community: Community): ShiftViewer {
  const actor = actorIn(callerOf(ctx), community);
  return { person: actor.roles?.person ?? null, managesRota: managesRota(actor), now: ctx.now() };
}

export function toShiftView(setup: DutySetup, r: DutyShiftRow, viewer: ShiftViewer): ShiftView {
  const def = setup.defs.get(r.shift);
  const start = startOf(setup, r);
  return {
    id: r.id,
    date: r.date,
    dayKind: setup.dayKind(r.date),
    shift: r.shift,
    shiftName: def?.name ?? r.shift,
    start: start.toISOString(),
    end: endOf(setup, r).toISOString(),
    org: r.org,
    orgName: ORG_NAMES[r.org],
    person: { key: r.person, name: nameOf(setup.community, r.person) },
    source: r.source,
    allowedActions: shiftActions({ person: r.person, start }, viewer, viewer.now),
  };
}

/** Rota order: date, the config's shift order, organisation order, person key. */
export function sortShiftRows<T extends Pick<DutyShiftRow, 'date' | 'shift' | 'org' | 'person'>>(
  setup: DutySetup,
  rows: T[],
): T[] {
  const shiftPos = new Map(setup.config.shifts.map((d, i) => [d.key, i]));
  const orgPos = new Map(ORGS.map((o, i) => [o, i]));
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort(
    (a, b) =>
      cmp(a.date, b.date) ||
      (shiftPos.get(a.shift) ?? 99) - (shiftPos.get(b.shift) ?? 99) ||
      orgPos.get(a.org)! - orgPos.get(b.org)! ||
      cmp(a.person, b.person),
  );
}

/** The stored rota of [from, to], by date; only one person's shifts when `person` is given. */
export async function loadShiftRows(db: Db | Tx, cid: string, from: string, to: string, person?: string) {
  return db
    .select()
    .from(dutyShiftsTable)
    .where(
      and(
        eq(dutyShiftsTable.communityId, cid),
        gte(dutyShiftsTable.date, from),
        lte(dutyShiftsTable.date, to),
        person === undefined ? undefined : eq(dutyShiftsTable.person, person),
      ),
    )
    .orderBy(asc(dutyShiftsTable.date));
}

/**
 * Rota changes of one community run one at a time: generation, swaps and overrides each lock the
 * community's row first, so two of them never decide on the same stale rota.
 */
export async function lockRota(tx: Tx, cid: string) {
  await tx
    .select({ id: communitiesTable.id })
    .from(communitiesTable)
    .where(eq(communitiesTable.id, cid))
    .for('update');
}

export const todayIn = (setup: Pick<DutySetup, 'timezone'>, now: Date) => localDateOf(now, setup.timezone);

/**
 * A [from, to] range of a request, or a 400 naming the field: `to` before `from`, or longer than
 * `maxDays`. Formats are checked by the route's schema already.
 */
export function requireRange(from: string, to: string, maxDays: number, part: 'body' | 'querystring') {
  if (!isDateText(from) || !isDateText(to)) {
    throw Invalid('invalid_date', '日期应写成 YYYY-MM-DD', [{ path: `${part}.from`, message: '日期无效' }]);
  }
  if (to < from) {
    throw Invalid('range_end_before_start', `结束日期 ${to} 早于开始日期 ${from}`, [
      { path: `${part}.to`, message: '结束日期不能早于开始日期' },
    ]);
  }
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days > maxDays) {
    throw Invalid('range_too_long', `一次最多 ${maxDays} 天，所选范围为 ${days} 天`, [
      { path: `${part}.to`, message: `范围不能超过 ${maxDays} 天` },
    ]);
  }
  return { from, to };
}

/** Staff of this community (any role in its config) or an administrator. */
export function requireStaff(ctx: ServiceContext, community: Community) {
  const principal = callerOf(ctx);
  const actor = actorIn(principal, community);
  if (!actor.admin && !actor.roles) throw Forbidden('staff_only', '仅本小区工作人员可以查看值班安排');
  return { principal, actor };
}

/** Who publishes and changes the rota: the secretary, the leadership group, administrators. */
export function requireRotaManager(ctx: ServiceContext, community: Community) {
  const { principal, actor } = requireStaff(ctx, community);
  if (!managesRota(actor)) {
    throw Forbidden('rota_manager_only', '只有四位一体秘书、领导小组成员或管理员可以排班和调整班次');
  }
  return { principal, actor };
}

/** The config person behind the caller in this community, or 403. */
export function requireDutyPerson(ctx: ServiceContext, community: Community) {
  const principal = callerOf(ctx);
  if (!principal.personKey || principal.communityKey !== community.key) {
    throw Forbidden('not_duty_person', '只有本小区的值班人员可以操作自己的班次');
  }
  return { principal, person: principal.personKey };
}

/** The caller's own community and person (staff bound to a config person), or 403. */
export function myCommunity(ctx: ServiceContext) {
  const principal = callerOf(ctx);
  const community = principal.communityKey ? ctx.communities.get(principal.communityKey) : undefined;
  if (!community || !principal.personKey) {
    throw Forbidden('not_duty_person', '只有小区工作人员有自己的班次和值班记录');
  }
  return { principal, community, person: principal.personKey };
}

export function requirePersonOf(community: Community, key: string, path: string): PersonConfig {
  const person = community.people.get(key);
  if (!person) {
    throw Invalid('unknown_person', `人员 "${key}" 不是${community.name}的人员`, [
      { path, message: '未知人员' },
    ]);
  }
  return person;
}

export interface ContactChoice {
  showContact: boolean;
  phone: string | null;
}

/**
 * The people of a community with each one's own choice applied: whether residents see a phone
 * while they are on duty, and which one. The config's `showContact` and `phone` are the defaults.
 */
export async function peopleWithChoices(
  db: Db | Tx,
  community: Community,
  cid: string,
  keys?: readonly string[],
): Promise<Map<string, PersonConfig>> {
  if (keys && keys.length === 0) return new Map(community.people);
  const rows = await db
    .select({
      key: peopleTable.key,
      show: dutyPreferencesTable.showContact,
      phone: dutyPreferencesTable.phone,
    })
    .from(dutyPreferencesTable)
    .innerJoin(peopleTable, eq(peopleTable.id, dutyPreferencesTable.personId))
    .where(and(eq(peopleTable.communityId, cid), keys ? inArray(peopleTable.key, [...keys]) : undefined));
  const people = new Map(community.people);
  for (const r of rows) {
    const base = people.get(r.key);
    if (!base) continue;
    people.set(r.key, {
      ...base,
      showContact: r.show ?? base.showContact,
      ...(r.phone ? { phone: r.phone } : {}),
    });
  }
  return people;
}

/** What residents may see of a person's contact: a phone only if they chose to show one. */
export const publicContactOf = (p: PersonConfig | undefined) => (p?.showContact && p.phone ? p.phone : null);

/** The publication records of the months a range touches, by month. */
export async function loadMonthRows(db: Db | Tx, cid: string, from: string, to: string) {
  const months = rotaMonthsOf(from, to);
  const rows = await db
    .select()
    .from(dutyMonthsTable)
    .where(and(eq(dutyMonthsTable.communityId, cid), inArray(dutyMonthsTable.month, months)));
  return new Map(rows.map((r) => [r.month, r]));
}

/** The months of [from, to] still drafts: their shifts are the rota managers' working copy. */
export async function draftMonthsIn(db: Db | Tx, cid: string, from: string, to: string) {
  const rows = await loadMonthRows(db, cid, from, to);
  return new Set([...rows.values()].filter((r) => r.publishedAt === null).map((r) => r.month));
}

/**
 * The rota of [from, to] as everyone outside the rota page sees it: shifts of draft months left
 * out (residents, feeds, the printed notice, people's own shifts, who is on duty now).
 */
export async function loadPublishedShiftRows(
  db: Db | Tx,
  cid: string,
  from: string,
  to: string,
  person?: string,
) {
  const drafts = await draftMonthsIn(db, cid, from, to);
  const rows = await loadShiftRows(db, cid, from, to, person);
  return drafts.size === 0 ? rows : rows.filter((r) => isPublicDate(r.date, drafts));
}
