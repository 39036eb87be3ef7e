import { z } from 'zod';
import { propertyStaffOf, requireCategory } from '../community/lookup';
import type { Scope, Urgency } from '../community/schema';
import type { Community } from '../community/validate';
import { Invalid } from '../errors';
import { Tier } from '../issues/schema';

/** The facts routing looks at. Routing runs again whenever one of them changes. */
export interface RouteFacts {
  zone: string;
  category: string;
  urgency: Urgency;
  scope: Scope;
  usesMaintenanceFund: boolean;
  touchesSharedParts: boolean;
  multiOrg: boolean;
}

export const ROUTE_RULES = [
  'emergency_line',
  'line_category',
  'joint_meeting_scope',
  'joint_meeting_multi_org',
  'zone_default',
  'shared_parts',
  'maintenance_fund',
  /** Routing could not place the complaint: the triage desk (兜底) places it by hand (triage.ts). */
  'triage',
] as const;
export const RouteRule = z.enum(ROUTE_RULES);
export type RouteRule = z.infer<typeof RouteRule>;

export const TASK_ROLES = [
  'line_leader',
  'line_assignee',
  'property_manager',
  'property_specialist',
  'zone_leader',
  /** A residents' committee (居委会) member of the zone mediating a dispute (mediation categories). */
  'rc_mediator',
] as const;
export const TaskRole = z.enum(TASK_ROLES);
export type TaskRole = z.infer<typeof TaskRole>;

export const RouteTask = z.object({ assignee: z.string(), role: TaskRole });
export type RouteTask = z.infer<typeof RouteTask>;

export const Procedure = z.discriminatedUnion('kind', [
  /** Emergency: the property company reports back to every person listed, within the deadline. */
  z.object({ kind: z.literal('dual_report_back'), to: z.array(z.string()), withinMinutes: z.number() }),
  /** Shared parts: the plan goes through the owners' assembly (Civil Code art. 278). */
  z.object({ kind: z.literal('owners_assembly') }),
  /** Maintenance fund: the plan is publicly noticed for `days` days ... */
  z.object({ kind: z.literal('public_notice'), days: z.number() }),
  /** ... and reported to the owners' committee before work starts. */
  z.object({ kind: z.literal('report_to_oc') }),
]);
export type Procedure = z.infer<typeof Procedure>;

export const RouteReason = z.object({ rule: RouteRule, text: z.string() });
export type RouteReason = z.infer<typeof RouteReason>;

export const RouteDecision = z.object({
  tier: Tier,
  zone: z.string(),
  line: z.string().nullable(),
  /** Person who owns the issue at this tier; for the joint meeting, the secretary who keeps its agenda. */
  owner: z.string().nullable(),
  tasks: z.array(RouteTask),
  procedures: z.array(Procedure),
  reasons: z.array(RouteReason),
});
export type RouteDecision = z.infer<typeof RouteDecision>;

/**
 * Where an issue goes (docs/domain.md §5). Pure: the same facts and config give the same decision.
 * The rules are read from config (category → line, line → leader, zone → leader and staff,
 * joint-meeting scopes); nothing here names a particular community.
 */
export function decideRoute(facts: RouteFacts, community: Community): RouteDecision {
  const zone = community.zones.get(facts.zone);
  if (!zone)
    throw Invalid('unknown_zone', `区域 "${facts.zone}" 不存在`, [{ path: 'zone', message: '未知区域' }]);
  const category = requireCategory(community, facts.category);
  const name = (key: string) => community.people.get(key)?.name ?? key;
  const names = (keys: string[]) => keys.map(name).join('、');
  const routing = community.config.routing;
  const zoneLeader = zone.leader.person;
  const specialists = propertyStaffOf(zone);
  const line = category.line ? community.lines.get(category.line) : undefined;

  const reasons: RouteReason[] = [];
  const procedures: Procedure[] = [];
  let tier: Tier;
  let owner: string | null;
  let tasks: RouteTask[];

  if (line && facts.urgency === 'emergency') {
    // Seed 000 应急处置: the property company acts first and reports to zone and line leaders.
    const manager = community.config.propertyManager;
    tier = 'line';
    owner = line.leader ?? null;
    tasks = [
      ...(manager ? [{ assignee: manager, role: 'property_manager' as const }] : []),
      ...specialists
        .filter((s) => s !== manager)
        .map((s) => ({ assignee: s, role: 'property_specialist' as const })),
    ];
    // Nobody from the property company is configured: the zone leader must act rather than no one.
    if (tasks.length === 0) tasks = [{ assignee: zoneLeader, role: 'zone_leader' }];
    const to = [...new Set([zoneLeader, ...(line.leader ? [line.leader] : [])])];
    procedures.push({ kind: 'dual_report_back', to, withinMinutes: routing.emergencyReportBackMinutes });
    const who =
      specialists.length > 0 || manager
        ? names(tasks.map((t) => t.assignee))
        : `区域组长${name(zoneLeader)}（本区域未配置物业人员）`;
    reasons.push({
      rule: 'emergency_line',
      text:
        `${line.name}应急情况：物业公司先行处置，立即派单给${who}` +
        `${manager ? '' : '（未配置物业经理）'}；` +
        `处置同时须在 ${routing.emergencyReportBackMinutes} 分钟内向区域组长${name(zoneLeader)}` +
        `和${line.name}条线负责人${name(line.leader ?? '')}报备。`,
    });
  } else if (line) {
    tier = 'line';
    owner = line.leader ?? null;
    const assignee = line.assignee ?? line.leader!;
    tasks = [{ assignee, role: line.assignee ? 'line_assignee' : 'line_leader' }];
    reasons.push({
      rule: 'line_category',
      text:
        `类别“${category.name}”属于${line.name}条线，由条线负责人${name(line.leader!)}负责` +
        `${line.assignee ? `，派单给条线指定人员${name(line.assignee)}` : '并处理'}。`,
    });
  } else if (routing.jointMeetingScopes.includes(facts.scope) || facts.multiOrg) {
    tier = 'joint_meeting';
    owner = community.config.secretary ?? null;
    tasks = [];
    reasons.push(
      facts.multiOrg
        ? {
            rule: 'joint_meeting_multi_org',
            text: '需要多个组织共同处置，提交社区联席会议协商解决（列入下次联席会议议程）。',
          }
        : {
            rule: 'joint_meeting_scope',
            text: `事项范围为社区事务，提交社区联席会议协商解决（列入下次联席会议议程）。`,
          },
    );
  } else {
    tier = 'zone';
    owner = zoneLeader;
    tasks =
      specialists.length > 0
        ? specialists.map((s) => ({ assignee: s, role: 'property_specialist' as const }))
        : [{ assignee: zoneLeader, role: 'zone_leader' as const }];
    reasons.push({
      rule: 'zone_default',
      text:
        `由${zone.name}组长${name(zoneLeader)}负责，` +
        (specialists.length > 0
          ? `派单给本区域物业专员${names(specialists)}。`
          : '本区域未配置物业专员，由组长处理。'),
    });
  }

  if (facts.touchesSharedParts) {
    procedures.push({ kind: 'owners_assembly' });
    reasons.push({
      rule: 'shared_parts',
      text: '涉及住宅共用部位、公共设施设备：处置方案须按业主大会流程表决通过后执行。',
    });
  }
  if (facts.usesMaintenanceFund) {
    procedures.push({ kind: 'public_notice', days: routing.publicNoticeDays }, { kind: 'report_to_oc' });
    reasons.push({
      rule: 'maintenance_fund',
      text: `动用维修资金：方案须公示 ${routing.publicNoticeDays} 天并上报业委会后方可施工。`,
    });
  }

  return { tier, zone: zone.key, line: line?.key ?? null, owner, tasks, procedures, reasons };
}
