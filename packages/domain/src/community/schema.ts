import { z } from 'zod';
import { CreditConfig } from '../credit/score';
import { DutyConfig } from '../duty/config';
import { MeetingConfig } from '../meetings/config';
import { FollowUpConfig, SlaConfig } from '../sla/schema';

/** The organisations a person can act for (DOMAIN.md §1). */
export const ORGS = ['party', 'rc', 'oc', 'grid', 'property'] as const;
export const Org = z.enum(ORGS);
export type Org = z.infer<typeof Org>;

export const ORG_NAMES: Record<Org, string> = {
  party: '居民区党总支',
  rc: '居委会',
  oc: '业委会',
  grid: '网格巡查',
  property: '物业公司',
};

export const URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export const Urgency = z.enum(URGENCIES);
export type Urgency = z.infer<typeof Urgency>;

/** Seed 004's five kinds of matters, smallest to largest. */
export const SCOPES = ['neighbour', 'unit', 'building', 'estate', 'community'] as const;
export const Scope = z.enum(SCOPES);
export type Scope = z.infer<typeof Scope>;

// Short keys keep QR codes small (a code carries the community and facility or zone key; a
// shorter code prints as larger, easier-to-scan modules) and URLs readable.
const Key = z
  .string()
  .max(32, '键最多 32 个字符')
  .regex(/^[a-z0-9][a-z0-9_-]*$/, '只能使用小写字母、数字、连字符和下划线，例如 zone-1');

/** "12" or "1-42": one building number or an inclusive range. */
export const BuildingRangeText = z
  .string()
  .regex(/^\s*\d+\s*(-\s*\d+\s*)?$/, '楼号范围应写成 "1-42" 或 "12"');

export const PersonConfig = z.strictObject({
  key: Key,
  name: z.string().min(1),
  /** Contact shown to residents only if the person chose to show it. */
  phone: z
    .string()
    .regex(/^1\d{10}$/, '手机号应为 11 位数字')
    .optional(),
  showContact: z.boolean().default(false),
});
export type PersonConfig = z.infer<typeof PersonConfig>;

export const MemberRef = z.strictObject({ person: Key, org: Org });
export type MemberRef = z.infer<typeof MemberRef>;

export const ZoneConfig = z.strictObject({
  key: Key,
  name: z.string().min(1),
  /**
   * Building ranges this zone covers. Empty for a named area without numbered buildings (the
   * commercial street), or for a zone whose range is not confirmed yet.
   */
  buildings: z.array(BuildingRangeText).default([]),
  note: z.string().optional(),
  leader: MemberRef,
  members: z.array(MemberRef).default([]),
});
export type ZoneConfig = z.infer<typeof ZoneConfig>;

export const LineConfig = z.strictObject({
  key: Key,
  name: z.string().min(1),
  /** Person key of the line leader (条线负责人). Required: a line without a leader is refused. */
  leader: Key.optional(),
  /**
   * Optional: property staff the line designates to do the work. Without it the task goes to the
   * line leader.
   */
  assignee: Key.optional(),
  duty: z.string().optional(),
});
export type LineConfig = z.infer<typeof LineConfig>;

export const CategoryConfig = z.strictObject({
  key: Key,
  name: z.string().min(1),
  /** Key of the specialist line that owns this category, if any. */
  line: Key.optional(),
  icon: z.string().optional(),
});
export type CategoryConfig = z.infer<typeof CategoryConfig>;

/**
 * A facility with its own QR code (a lift car, a pump room): scanning it files the complaint with
 * the category already chosen. It stands in one numbered building, or in a zone without a number.
 */
export const FacilityConfig = z.strictObject({
  key: Key,
  name: z.string().min(1),
  building: z.number().int().positive().optional(),
  zone: Key.optional(),
  /** The category a scan of this facility preselects, e.g. elevator for a lift car. */
  category: Key,
});
export type FacilityConfig = z.infer<typeof FacilityConfig>;

export const RoutingConfig = z.strictObject({
  /** Scopes that go straight to the community joint meeting (seed 001). */
  jointMeetingScopes: z.array(Scope).default(['community']),
  /** Minutes the property company has to report an emergency back to zone and line leaders. */
  emergencyReportBackMinutes: z.number().int().positive().default(30),
  /** Days a maintenance-fund plan must be publicly noticed (公示) before work starts. */
  publicNoticeDays: z.number().int().positive().default(7),
});
export type RoutingConfig = z.infer<typeof RoutingConfig>;

export const CommunityConfig = z.strictObject({
  key: Key,
  name: z.string().min(1),
  timezone: z.string().default('Asia/Shanghai'),
  principle: z.string().optional(),
  people: z.array(PersonConfig).min(1),
  leadershipGroup: z.strictObject({ leader: Key, members: z.array(Key).default([]) }),
  /** Secretary for meeting notices, minutes and archives (四位一体秘书). */
  secretary: Key.optional(),
  /** Property manager (物业经理): acts first in emergencies. Optional: the source names none. */
  propertyManager: Key.optional(),
  zones: z.array(ZoneConfig).min(1),
  lines: z.array(LineConfig).default([]),
  categories: z.array(CategoryConfig).min(1),
  facilities: z.array(FacilityConfig).default([]),
  routing: RoutingConfig.default({
    jointMeetingScopes: ['community'],
    emergencyReportBackMinutes: 30,
    publicNoticeDays: 7,
  }),
  /** Key of the holiday calendar (config/calendars/<key>.yaml) that decides working days. */
  calendar: Key.default('cn-mainland'),
  /** Deadlines per urgency, with per-category overrides (DOMAIN.md §8). */
  sla: SlaConfig.prefault({}),
  followUp: FollowUpConfig.prefault({}),
  /** The duty rota (全岗通值班): shifts, how many per organisation, pools, unavailable dates. */
  duty: DutyConfig.prefault({}),
  /** Joint-meeting quorum and pass rule, maintenance-fund order. */
  meetings: MeetingConfig.prefault({}),
  /** The property-service credit file's score formula (诚信档案). */
  credit: CreditConfig.prefault({}),
});
export type CommunityConfig = z.infer<typeof CommunityConfig>;
