import { z } from 'zod';
import { dayNumberOf } from '../calendar/days';
import type { Org } from '../community/orgs';

// This file must not import anything at run time from ../community: the community schema embeds
// DutyConfig, so a run-time import back would be a cycle in which ORGS is still undefined when
// this module evaluates. The organisation list is repeated here and checked against Org below.
const DUTY_ORGS = ['party', 'rc', 'oc', 'grid', 'property'] as const satisfies readonly Org[];
type Holds<T extends true> = T;
/** Fails to compile if ORGS gains an organisation that DUTY_ORGS does not list. */
export type DutyOrgsCoverAllOrgs = Holds<Org extends (typeof DUTY_ORGS)[number] ? true : false>;

const ORG_CHOICES =
  'party（居民区党总支）、rc（居委会）、oc（业委会）、grid（网格巡查）、property（物业公司）';

/** What a calendar day is, as the holiday calendar says. Make-up workdays (调休) count as weekdays. */
export const DAY_KINDS = ['workday', 'weekend', 'holiday', 'makeup_workday'] as const;
export type DayKind = (typeof DAY_KINDS)[number];
export type DayKindOf = (date: string) => DayKind;

/** Weekends and public holidays add oc and property staff to the rota (docs/domain.md §9). */
export const isOffDay = (kind: DayKind) => kind === 'weekend' || kind === 'holiday';

export const DAY_KIND_NAMES: Record<DayKind, string> = {
  workday: '工作日',
  weekend: '周末',
  holiday: '法定节假日',
  makeup_workday: '调休工作日',
};

const Key = z
  .string()
  .max(32, '键最多 32 个字符')
  .regex(/^[a-z0-9][a-z0-9_-]*$/, '只能使用小写字母、数字、连字符和下划线，例如 zone-1');

/** "08:30": 24-hour clock, minutes required. */
export const ClockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间应写成 24 小时制 "HH:mm"，例如 08:30');

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export const isDateText = (text: string): boolean => dayNumberOf(text) !== null;

export const DateText = z
  .string()
  .refine(isDateText, '日期应写成 YYYY-MM-DD，例如 2026-10-01，且须是真实日期');

/** One day ("2026-10-01") or an inclusive span ("2026-10-01..2026-10-05"). */
export const DateSpanText = z.string().superRefine((text, ctx) => {
  const [from, to, extra] = text.split('..');
  if (extra !== undefined || !isDateText(from!.trim()) || (to !== undefined && !isDateText(to.trim()))) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" 不是有效日期：应写成 2026-10-01 或 2026-10-01..2026-10-05`,
    });
  } else if (to !== undefined && to.trim() < from!.trim()) {
    ctx.addIssue({ code: 'custom', message: `日期范围 "${text}" 的结束日期早于开始日期` });
  }
});

export const DutyOrg = z.enum(DUTY_ORGS);

/** People needed per organisation per shift per day. Orgs left out need nobody. */
export const DutyCounts = z.partialRecord(DutyOrg, z.number().int().min(0).max(50), {
  // zod types this callback without `unrecognized_keys`, yet that is what an unknown org key raises.
  error: (iss) => {
    const { code, keys } = iss as { code: string; keys?: string[] };
    return code === 'unrecognized_keys' ? `未知组织 ${keys?.join('、')}；可选：${ORG_CHOICES}` : undefined;
  },
});
export type DutyCounts = z.infer<typeof DutyCounts>;

export const DEFAULT_WEEKDAY_COUNTS: DutyCounts = { rc: 1, grid: 1 };
export const DEFAULT_OFF_DAY_COUNTS: DutyCounts = { rc: 1, grid: 1, oc: 1, property: 1 };

export const DutyShiftDef = z.strictObject({
  key: Key,
  /** What people read: 白班, 夜班, 值班. */
  name: z.string().min(1),
  start: ClockTime,
  /** An end at or before the start means the shift runs past midnight (17:00–08:30). */
  end: ClockTime,
  /** Per-shift counts, replacing the community-wide `weekday` / `offDay` for this shift only. */
  weekday: DutyCounts.optional(),
  offDay: DutyCounts.optional(),
});
export type DutyShiftDef = z.infer<typeof DutyShiftDef>;

export const DEFAULT_SHIFTS: DutyShiftDef[] = [{ key: 'day', name: '值班', start: '08:30', end: '17:00' }];

/**
 * The duty rota rules of one community (docs/domain.md §9). Every field has a default, so a community
 * without a `duty` section still gets the seed's rota: one day shift, rc and grid on weekdays,
 * rc, grid, oc and property on weekends and holidays.
 */
export const DutyConfig = z.strictObject({
  shifts: z
    .array(DutyShiftDef)
    .min(1, '至少需要一个班次')
    .max(16, '班次最多 16 个')
    // No structuredClone: the mini-program runtime lacks it.
    .default(() => DEFAULT_SHIFTS.map((s) => ({ ...s }))),
  /** Weekdays and make-up workdays (调休). */
  weekday: DutyCounts.default(() => ({ ...DEFAULT_WEEKDAY_COUNTS })),
  /** Weekends and public holidays. */
  offDay: DutyCounts.default(() => ({ ...DEFAULT_OFF_DAY_COUNTS })),
  /**
   * Explicit duty staff per organisation, replacing the ones derived from zone memberships for
   * that organisation only.
   */
  pools: z.partialRecord(DutyOrg, z.array(Key)).default(() => ({})),
  /** Days a person cannot be on duty: person key → ["2026-10-01", "2026-10-03..2026-10-05"]. */
  unavailable: z.record(Key, z.array(DateSpanText)).default(() => ({})),
});
export type DutyConfig = z.infer<typeof DutyConfig>;
export type DutyConfigInput = z.input<typeof DutyConfig>;

/** Counts for one shift on one kind of day: the shift's own, else the community-wide ones. */
export const countsFor = (config: DutyConfig, def: DutyShiftDef, kind: DayKind): DutyCounts =>
  isOffDay(kind) ? (def.offDay ?? config.offDay) : (def.weekday ?? config.weekday);
