import { dateOfDayNumber, dayNumber } from '../calendar/days';
import { ORG_NAMES, ORGS, type Org } from '../community/schema';
import { Invalid } from '../errors';
import { countsFor, type DayKindOf, type DutyConfig, type DutyShiftDef, isOffDay } from './config';
import { parseDateSpan, requireDate, shiftSpan } from './dates';
import { type DutyCommunity, type DutyPools, dutyPoolsOf } from './pools';

/** One person on one shift of one day, serving for one organisation. */
export interface RotaShift {
  date: string;
  /** Key of the shift definition in the duty config. */
  shift: string;
  org: Org;
  person: string;
}

/** A shift that could not be staffed as the config asks, and why, so that nobody has to guess. */
export interface RotaShortfall {
  date: string;
  shift: string;
  org: Org;
  needed: number;
  assigned: number;
  reason: string;
}

export interface Rota {
  /** The fixed shifts inside the range (unchanged) and the generated ones, in date, shift, org, person order. */
  shifts: RotaShift[];
  shortfalls: RotaShortfall[];
}

interface RotaInputBase {
  /** First day, inclusive, YYYY-MM-DD. */
  from: string;
  /** Last day, inclusive. */
  to: string;
  config: DutyConfig;
  dayKind: DayKindOf;
  /**
   * Shifts to keep as they are: past ones, admin overrides, accepted swaps. Those inside the range
   * fill their places and count towards fairness; those just outside it still stop anyone from
   * being booked twice at once across the boundary.
   */
  fixed?: readonly RotaShift[];
}
export type GenerateRotaInput = RotaInputBase & ({ community: DutyCommunity } | { pools: DutyPools });

/** Two years: enough for any real planning, small enough that a typo in a year cannot hang a request. */
export const MAX_ROTA_DAYS = 731;

const MINUTES_PER_DAY = 24 * 60;
// Scores pack (primary count, secondary count, "works next to this day") into one number.
// A person holds at most one place per shift per day, so a count stays below MAX_ROTA_DAYS × 16
// shifts < 2^14 and the fields cannot spill into each other.
const COUNT_SPAN = 1 << 14;

/**
 * Generate the duty rota for [from, to] (docs/domain.md §9, issue 7).
 *
 * - Deterministic: no randomness; every tie goes to the smaller person key.
 * - Fair: weekend and holiday shifts are handed out first, each to the available pool member with
 *   the fewest such shifts; then weekday shifts, each to the one with the fewest shifts overall.
 *   Both passes always raise a minimum, so when nobody is unavailable the per-person counts within
 *   an organisation's pool differ by at most one, for all shifts and for off-day shifts alike.
 *   Unavailable days can make that impossible; the counts then come as close as the days allow.
 * - Never books an unavailable person, or one person on two shifts that overlap in time (a person
 *   may serve several organisations).
 * - A place nobody can fill is reported as a shortfall with the reason, never left silently empty.
 *
 * Cost: O(days × shifts × orgs × pool size) with typed arrays in the inner loop; no per-day scan
 * of earlier assignments.
 */
export function generateRota(input: GenerateRotaInput): Rota {
  const from = requireDate(input.from, 'from');
  const to = requireDate(input.to, 'to');
  if (to < from) {
    throw Invalid('range_end_before_start', `结束日期 ${to} 早于开始日期 ${from}`, [
      { path: 'to', message: '结束日期不能早于开始日期' },
    ]);
  }
  const base = dayNumber(from);
  const days = dayNumber(to) - base + 1;
  if (days > MAX_ROTA_DAYS) {
    throw Invalid('range_too_long', `一次最多生成 ${MAX_ROTA_DAYS} 天的值班表，所选范围为 ${days} 天`, [
      { path: 'to', message: `范围不能超过 ${MAX_ROTA_DAYS} 天` },
    ]);
  }

  const { config, dayKind } = input;
  const fixed = input.fixed ?? [];
  const pools = 'pools' in input ? input.pools : dutyPoolsOf(input.community, config);
  const defs = config.shifts;
  const defIndex = new Map(defs.map((d, i) => [d.key, i]));

  // Everyone gets a small integer; per-person state lives in typed arrays indexed by it.
  const personIndex = new Map<string, number>();
  const keys: string[] = [];
  const indexOf = (key: string) => {
    let i = personIndex.get(key);
    if (i === undefined) {
      i = keys.length;
      personIndex.set(key, i);
      keys.push(key);
    }
    return i;
  };
  const poolOf = new Map<Org, Int32Array>();
  // Deduplicated and sorted here too: pools passed in directly may be neither, and a person listed
  // twice could otherwise be picked twice for one place.
  for (const org of ORGS) poolOf.set(org, Int32Array.from([...new Set(pools.get(org))].sort(), indexOf));
  for (const f of fixed) indexOf(f.person);
  const people = keys.length;

  const dates = Array.from({ length: days }, (_, d) => dateOfDayNumber(base + d));
  const kinds = dates.map((date) => dayKind(date));
  const offDay = kinds.map(isOffDay);

  // unavailable[p * days + d]: person p cannot serve on day d of the range.
  const unavailable = new Uint8Array(people * days);
  for (const [person, spans] of Object.entries(config.unavailable)) {
    const p = personIndex.get(person);
    if (p === undefined) continue;
    for (const span of spans) {
      const [a, b] = parseDateSpan(span);
      const first = Math.max(0, dayNumber(a) - base);
      const last = Math.min(days - 1, dayNumber(b) - base);
      for (let d = first; d <= last; d++) unavailable[p * days + d] = 1;
    }
  }

  // busy[p * (days + 2) + d + 1]: bit i set when p works shift i on day d; one margin day each
  // side for fixed shifts that reach across the range boundary.
  const width = days + 2;
  const busy = new Uint32Array(people * width);
  const conflicts = conflictMasks(defs);

  // filled[(d * shifts + s) * orgs + o]: places already taken by fixed shifts.
  const orgPos = new Map(ORGS.map((o, i) => [o, i]));
  const filled = new Int32Array(days * defs.length * ORGS.length);
  const poolPos = new Map<Org, Map<number, number>>(
    ORGS.map((o) => [o, new Map(Array.from(poolOf.get(o)!, (p, i) => [p, i]))]),
  );
  const total = new Map<Org, Int32Array>(ORGS.map((o) => [o, new Int32Array(poolOf.get(o)!.length)]));
  const offTotal = new Map<Org, Int32Array>(ORGS.map((o) => [o, new Int32Array(poolOf.get(o)!.length)]));

  const shifts: RotaShift[] = [];
  for (const f of fixed) {
    const d = dayNumber(f.date) - base;
    const s = defIndex.get(f.shift);
    const p = personIndex.get(f.person)!;
    if (s !== undefined && d >= -1 && d <= days) busy[p * width + d + 1]! |= 1 << s;
    if (d < 0 || d >= days) continue;
    shifts.push(f);
    if (s !== undefined) filled[(d * defs.length + s) * ORGS.length + orgPos.get(f.org)!]!++;
    const pos = poolPos.get(f.org)?.get(p);
    if (pos !== undefined) {
      total.get(f.org)![pos]!++;
      if (offDay[d]) offTotal.get(f.org)![pos]!++;
    }
  }

  const shortfalls: RotaShortfall[] = [];
  const fill = (d: number) => {
    const off = offDay[d]!;
    const kind = kinds[d]!;
    for (let s = 0; s < defs.length; s++) {
      const def = defs[s]!;
      const counts = countsFor(config, def, kind);
      const [before, same, after] = conflicts[s]!;
      for (let o = 0; o < ORGS.length; o++) {
        const org = ORGS[o]!;
        const needed = counts[org] ?? 0;
        const already = filled[(d * defs.length + s) * ORGS.length + o]!;
        const wanted = needed - already;
        if (wanted <= 0) continue;

        const pool = poolOf.get(org)!;
        const totals = total.get(org)!;
        const offs = offTotal.get(org)!;
        // The `wanted` best candidates so far, best first (insertion into a tiny sorted array).
        const bestPos: number[] = [];
        const bestScore: number[] = [];
        let unavailableCount = 0;
        let busyCount = 0;
        for (let i = 0; i < pool.length; i++) {
          const p = pool[i]!;
          if (unavailable[p * days + d]) {
            unavailableCount++;
            continue;
          }
          const row = p * width + d + 1;
          const prev = busy[row - 1]!;
          const cur = busy[row]!;
          const next = busy[row + 1]!;
          if ((prev & before) | (cur & same) | (next & after)) {
            busyCount++;
            continue;
          }
          const primary = off ? offs[i]! : totals[i]!;
          const secondary = off ? totals[i]! : 0;
          // Among equals, prefer someone not already working that day or the days around it.
          const near = prev | cur | next ? 1 : 0;
          const score = (primary * COUNT_SPAN + secondary) * 2 + near;
          if (bestPos.length === wanted && score >= bestScore[wanted - 1]!) continue;
          let at = bestPos.length === wanted ? wanted - 1 : bestPos.length;
          while (at > 0 && bestScore[at - 1]! > score) {
            bestScore[at] = bestScore[at - 1]!;
            bestPos[at] = bestPos[at - 1]!;
            at--;
          }
          bestScore[at] = score;
          bestPos[at] = i;
        }
        for (const i of bestPos) {
          const p = pool[i]!;
          busy[p * width + d + 1]! |= 1 << s;
          totals[i]!++;
          if (off) offs[i]!++;
          shifts.push({ date: dates[d]!, shift: def.key, org, person: keys[p]! });
        }
        if (bestPos.length < wanted) {
          const assigned = already + bestPos.length;
          const orgName = ORG_NAMES[org];
          const detail =
            pool.length === 0
              ? `没有${orgName}值班人员`
              : `${orgName}值班人员共 ${pool.length} 人` +
                (unavailableCount ? `，其中 ${unavailableCount} 人当天不可值班` : '') +
                (busyCount ? `，${busyCount} 人同一时段已有其他班次` : '');
          shortfalls.push({
            date: dates[d]!,
            shift: def.key,
            org,
            needed,
            assigned,
            reason: `${dates[d]} ${def.name}需要${orgName} ${needed} 人，只能安排 ${assigned} 人：${detail}`,
          });
        }
      }
    }
  };
  // Off days first, so that their scarcer shifts are spread evenly before weekdays even out the totals.
  for (let d = 0; d < days; d++) if (offDay[d]) fill(d);
  for (let d = 0; d < days; d++) if (!offDay[d]) fill(d);

  const shiftOrder = (key: string) => defIndex.get(key) ?? defs.length;
  shifts.sort(
    (a, b) =>
      (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
      shiftOrder(a.shift) - shiftOrder(b.shift) ||
      orgPos.get(a.org)! - orgPos.get(b.org)! ||
      (a.person < b.person ? -1 : a.person > b.person ? 1 : 0),
  );
  shortfalls.sort(
    (a, b) =>
      (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
      shiftOrder(a.shift) - shiftOrder(b.shift) ||
      orgPos.get(a.org)! - orgPos.get(b.org)!,
  );
  return { shifts, shortfalls };
}

/**
 * For each shift i: bit masks of the shifts j that overlap it when j lies on the day before, the
 * same day, or the day after. Computed once per rota, so the inner loop tests overlap with three ANDs.
 */
function conflictMasks(defs: readonly Pick<DutyShiftDef, 'start' | 'end'>[]): [number, number, number][] {
  const spans = defs.map(shiftSpan);
  return spans.map(
    (a) =>
      ([-1, 0, 1] as const).map((offset) =>
        spans.reduce((mask, b, j) => {
          const start = b.start + offset * MINUTES_PER_DAY;
          const end = b.end + offset * MINUTES_PER_DAY;
          return a.start < end && start < a.end ? mask | (1 << j) : mask;
        }, 0),
      ) as [number, number, number],
  );
}
