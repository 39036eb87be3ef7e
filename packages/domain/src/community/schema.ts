import { z } from 'zod';
import { CreditConfig } from '../credit/score';
import { DutyConfig } from '../duty/config';
import { MeetingConfig } from '../meetings/config';
import { FollowUpConfig, SlaConfig } from '../sla/schema';
import { Org } from './orgs';

// The vocabulary lives in a leaf module (the config parts import it without a cycle).
export { ORG_NAMES, ORGS, Org, URGENCIES, Urgency } from './orgs';

/** Seed 004's five kinds of matters, smallest to largest. */
export const SCOPES = ['neighbour', 'unit', 'building', 'estate', 'community'] as const;
export const Scope = z.enum(SCOPES);
export type Scope = z.infer<typeof Scope>;

// Short keys keep QR codes small (a code carries the community and facility or zone key; a
// shorter code prints as larger, easier-to-scan modules) and URLs readable.
export const ConfigKey = z
  .string()
  .max(32, '键最多 32 个字符')
  .regex(/^[a-z0-9][a-z0-9_-]*$/, '只能使用小写字母、数字、连字符和下划线，例如 zone-1');

/** "12" or "1-42": one building number or an inclusive range. */
export const BuildingRangeText = z
  .string()
  .regex(/^\s*\d+\s*(-\s*\d+\s*)?$/, '楼号范围应写成 "1-42" 或 "12"');

export const PersonConfig = z.strictObject({
  key: ConfigKey,
  name: z.string().min(1),
  /** Contact shown to residents only if the person chose to show it. */
  phone: z
    .string()
    .regex(/^1\d{10}$/, '手机号应为 11 位数字')
    .optional(),
  showContact: z.boolean().default(false),
  /**
   * False once the person has left: kept (never deleted) so that issues, tasks and meetings of the
   * past still name them, but they may hold no role.
   */
  active: z.boolean().default(true),
});
export type PersonConfig = z.infer<typeof PersonConfig>;

export const MemberRef = z.strictObject({ person: ConfigKey, org: Org });
export type MemberRef = z.infer<typeof MemberRef>;

export const ZoneConfig = z.strictObject({
  key: ConfigKey,
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
  key: ConfigKey,
  name: z.string().min(1),
  /** Person key of the line leader (条线负责人). Required: a line without a leader is refused. */
  leader: ConfigKey.optional(),
  /**
   * Optional: property staff the line designates to do the work. Without it the task goes to the
   * line leader.
   */
  assignee: ConfigKey.optional(),
  duty: z.string().optional(),
});
export type LineConfig = z.infer<typeof LineConfig>;

export const CategoryConfig = z.strictObject({
  key: ConfigKey,
  name: z.string().min(1),
  /** Key of the specialist line that owns this category, if any. */
  line: ConfigKey.optional(),
  icon: z.string().optional(),
  /**
   * Mediation (调解): a dispute between residents (邻里纠纷) that the zone's residents' committee
   * (居委会) members may take on as a task, besides the property staff.
   */
  mediation: z.boolean().optional(),
  /**
   * No one owns this category (e.g. 其他): its complaints go to the triage desk (兜底), whose owner
   * places them by hand (docs/domain.md §5, triage).
   */
  triage: z.boolean().optional(),
});
export type CategoryConfig = z.infer<typeof CategoryConfig>;

/**
 * A facility with its own QR code (a lift car, a pump room): scanning it files the complaint with
 * the category already chosen. It stands in one numbered building, or in a zone without a number.
 */
export const FacilityConfig = z.strictObject({
  key: ConfigKey,
  name: z.string().min(1),
  building: z.number().int().positive().optional(),
  zone: ConfigKey.optional(),
  /** The category a scan of this facility preselects, e.g. elevator for a lift car. */
  category: ConfigKey,
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

/**
 * Case handling to the national standard (issue 17; docs/domain.md §6). `verification`: the
 * categories whose fix is checked on site (核查) before the case closes, by whom (relations to the
 * issue: the zone's grid inspector by default; never the person who resolved it), and whether the
 * reporter's own confirmation still closes it. `parking`: who parks (挂账) an issue — its owner,
 * the zone's leader, or the joint meeting (the secretary or the leadership group) — and who must
 * approve it first (`approval`: none, the zone leader or the joint meeting; then `by` requests).
 */
export const VERIFIER_ROLES = ['zone_inspector', 'zone_leader', 'owner', 'secretary', 'leadership'] as const;
export const PARKING_BY = ['owner', 'zone_leader', 'joint_meeting'] as const;
/** Who must agree before `parking.by` parks (挂账 "with the zone leader or the joint meeting"); none: it parks directly. */
export const PARKING_APPROVAL = ['none', 'zone_leader', 'joint_meeting'] as const;
export const CaseHandlingConfig = z.strictObject({
  verification: z
    .strictObject({
      categories: z.array(ConfigKey).default([]),
      by: z.array(z.enum(VERIFIER_ROLES)).min(1).default(['zone_inspector']),
      reporterCounts: z.boolean().default(false),
    })
    .prefault({}),
  parking: z
    .strictObject({
      by: z.enum(PARKING_BY).default('owner'),
      approval: z.enum(PARKING_APPROVAL).default('none'),
    })
    .prefault({}),
});
export type CaseHandlingConfig = z.infer<typeof CaseHandlingConfig>;

export const CommunityConfig = z.strictObject({
  key: ConfigKey,
  name: z.string().min(1),
  timezone: z.string().default('Asia/Shanghai'),
  principle: z.string().optional(),
  people: z.array(PersonConfig).min(1),
  leadershipGroup: z.strictObject({ leader: ConfigKey, members: z.array(ConfigKey).default([]) }),
  /** Secretary for meeting notices, minutes and archives (四位一体秘书). */
  secretary: ConfigKey.optional(),
  /**
   * Intake (docs/domain.md §4–5): `triageOwner` is the person who keeps the triage desk (兜底) —
   * the secretary or the residents' committee desk (居委会接待); without it, the secretary.
   */
  intake: z.strictObject({ triageOwner: ConfigKey.optional() }).prefault({}),
  /** Property manager (物业经理): acts first in emergencies. Optional: the source names none. */
  propertyManager: ConfigKey.optional(),
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
  calendar: ConfigKey.default('cn-mainland'),
  /** Deadlines per urgency, with per-category overrides (docs/domain.md §8). */
  sla: SlaConfig.prefault({}),
  followUp: FollowUpConfig.prefault({}),
  /** On-site verification before closing, and parking (issue 17). */
  caseHandling: CaseHandlingConfig.prefault({}),
  /** The duty rota (全岗通值班): shifts, how many per organisation, pools, unavailable dates. */
  duty: DutyConfig.prefault({}),
  /** Joint-meeting quorum and pass rule, maintenance-fund order. */
  meetings: MeetingConfig.prefault({}),
  /** The property-service credit file's score formula (诚信档案). */
  credit: CreditConfig.prefault({}),
  /**
   * Account administration (账号与人员). Administrators manage every account; with
   * `leadershipManages: true` the leadership group also manages this community's staff accounts.
   */
  accounts: z.strictObject({ leadershipManages: z.boolean().default(false) }).prefault({}),
  /**
   * The supervisory committee (监督委员会, seed 004): elected by the owners' assembly, it reads
   * complaint handling, fund use, letters and the credit file, and comments on the record.
   */
  supervisoryCommittee: z
    .strictObject({ chair: ConfigKey.optional(), members: z.array(ConfigKey).default([]) })
    .prefault({}),
});
export type CommunityConfig = z.infer<typeof CommunityConfig>;
