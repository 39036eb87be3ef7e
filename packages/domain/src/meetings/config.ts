import { z } from 'zod';
import type { Org } from '../community/orgs';

/**
 * The four organisations of the joint meeting (四位一体). Declared here, not imported as a value
 * from community/schema, so that schema.ts can embed MeetingConfig without an import cycle.
 */
export const JOINT_ORGS = ['party', 'rc', 'oc', 'property'] as const satisfies readonly Org[];
export const JointOrg = z.enum(JOINT_ORGS, '联席会议成员单位应为 party、rc、oc 或 property');
export type JointOrg = z.infer<typeof JointOrg>;

export const JOINT_CADENCES = ['monthly', 'bimonthly', 'quarterly'] as const;
export const JointCadence = z.enum(JOINT_CADENCES);
export type JointCadence = z.infer<typeof JointCadence>;

export const CADENCE_MONTHS: Record<JointCadence, number> = { monthly: 1, bimonthly: 2, quarterly: 3 };
export const CADENCE_NAMES: Record<JointCadence, string> = {
  monthly: '每月一次',
  bimonthly: '每两个月一次',
  quarterly: '每季度一次',
};

const Percent = z.number().int('应为整数百分比').min(0).max(99);

/**
 * The seeds fix the cadence (seed 001: 会议每月召开一次，也可根据工作需要随时召开) and the chair, but
 * state NO quorum and NO pass threshold for the joint meeting: only 个别酝酿、共同协商、民主表决.
 * The defaults below are this product's choice, configurable per community:
 * - quorum: every one of the four organisations has someone present, AND more than half of the
 *   invited members are present (the usual 过半数出席 rule of Chinese collective bodies);
 * - a motion passes with votes in favour from more than half of the members PRESENT (not of the
 *   votes cast), so abstaining counts like voting against, as 民主集中制 bodies usually decide.
 */
export const JointQuorumConfig = z.strictObject({
  /** Organisations that must each have at least one member present. */
  requiredOrgs: z.array(JointOrg).default([...JOINT_ORGS]),
  /** More than this percentage of the invited members must be present. */
  presentOverPercent: Percent.default(50),
});
export type JointQuorumConfig = z.infer<typeof JointQuorumConfig>;

export const JointMeetingConfig = z.strictObject({
  cadence: JointCadence.default('monthly'),
  quorum: JointQuorumConfig.default({ requiredOrgs: [...JOINT_ORGS], presentOverPercent: 50 }),
  /** A motion passes when votes for exceed this percentage of the members present. */
  passOverPercentOfPresent: Percent.default(50),
});
export type JointMeetingConfig = z.infer<typeof JointMeetingConfig>;

export const FundUseConfig = z.strictObject({
  /**
   * Whether work paid from the maintenance fund also needs an owners'-assembly decision
   * (art. 278 item 5). True by law; false only where the community uses the emergency procedure
   * (应急使用) of its fund rules for every case, which is rare.
   */
  requireAssembly: z.boolean().default(true),
});
export type FundUseConfig = z.infer<typeof FundUseConfig>;

/**
 * The `meetings:` section of a community config. The public-notice period of a maintenance-fund
 * plan is NOT here: it is `routing.publicNoticeDays` (default 7), which routing already uses.
 */
export const MeetingConfig = z.strictObject({
  jointMeeting: JointMeetingConfig.default({
    cadence: 'monthly',
    quorum: { requiredOrgs: [...JOINT_ORGS], presentOverPercent: 50 },
    passOverPercentOfPresent: 50,
  }),
  fundUse: FundUseConfig.default({ requireAssembly: true }),
});
export type MeetingConfig = z.infer<typeof MeetingConfig>;

export const DEFAULT_MEETING_CONFIG: MeetingConfig = MeetingConfig.parse({});
