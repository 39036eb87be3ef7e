import {
  type Community,
  type CommunityConfig,
  DomainError,
  decideRoute,
  type Procedure,
  ROUTE_RULES,
  type RouteFacts,
  type RouteRule,
  type RouteTask,
  resolveZone,
  type Tier,
  validateCommunityConfig,
} from '../../packages/domain/src';
import { expectValid, loadXiaduoyuan, shippedConfig } from './fixtures';

const shipped = loadXiaduoyuan();

/** The shipped config changed by `mutate`, validated again (a variant must itself be valid). */
function variant(mutate: (c: CommunityConfig) => void): Community {
  const config = shippedConfig();
  mutate(config);
  return expectValid(validateCommunityConfig(config));
}

const MANAGER = { key: 'wang-jingli', name: '王经理', showContact: false, active: true };

/** A property manager who is nobody else. */
const withManager = variant((c) => {
  c.people.push(MANAGER);
  c.propertyManager = MANAGER.key;
});
/** The zone-1 property specialist is also the manager. */
const managerIsSpecialist = variant((c) => {
  c.propertyManager = 'zhang-lifen';
});
/** The elevator line designates property staff to do its work. */
const elevatorWithAssignee = variant((c) => {
  c.lines[0]!.assignee = 'zhang-lifen';
});
/** Zone 2 has no property member; zone 3 has two. */
const staffingVariant = variant((c) => {
  c.zones[1]!.members = c.zones[1]!.members.filter((m) => m.org !== 'property');
  c.zones[2]!.members.push({ person: 'shen-xuli', org: 'property' });
});
/** Non-default routing numbers, and estate-wide matters also go to the joint meeting. */
const customRouting = variant((c) => {
  c.routing = {
    jointMeetingScopes: ['estate', 'community'],
    emergencyReportBackMinutes: 15,
    publicNoticeDays: 10,
  };
});
/** No secretary: the joint meeting has nobody keeping its agenda. */
const noSecretary = variant((c) => {
  delete c.secretary;
});

const facts = (over: Partial<RouteFacts> = {}): RouteFacts => ({
  zone: 'zone-1',
  category: 'sanitation',
  urgency: 'normal',
  scope: 'building',
  usesMaintenanceFund: false,
  touchesSharedParts: false,
  multiOrg: false,
  ...over,
});

const task = (assignee: string, role: RouteTask['role']): RouteTask => ({ assignee, role });
const reportBack = (to: string[], withinMinutes = 30): Procedure => ({
  kind: 'dual_report_back',
  to,
  withinMinutes,
});

interface RouteCase {
  name: string;
  community?: Community;
  facts: Partial<RouteFacts>;
  tier: Tier;
  line: string | null;
  owner: string | null;
  tasks: RouteTask[];
  procedures: Procedure[];
  rules: RouteRule[];
  /** Substrings every one of which must appear in the joined reasons. */
  says?: string[];
}

// Written independently of the config: docs/domain.md §4's category → line mapping and §1's leaders.
const LINE_CATEGORIES: [category: string, line: string, leader: string][] = [
  ['elevator', 'elevator', 'zhou-jianping'],
  ['fire_safety', 'fire', 'he-xianyang'],
  ['fire_equipment', 'fire', 'he-xianyang'],
  ['escape_route', 'fire', 'he-xianyang'],
  ['water_pump', 'pump', 'he-xianyang'],
  ['secondary_water', 'pump', 'he-xianyang'],
  ['water_pressure', 'pump', 'he-xianyang'],
];
const ZONE_CATEGORIES = [
  'sanitation',
  'greening',
  'parking',
  'public_facility',
  'shared_leak',
  'noise',
  'illegal_construction',
  'neighbour_dispute',
  'property_service',
  'security',
  'other',
];
const ZONES: [zone: string, leader: string, specialist: string][] = [
  ['zone-1', 'wu-wenjie', 'zhang-lifen'],
  ['zone-2', 'hu-shengjia', 'shen-xuli'],
  ['zone-3', 'li-gang', 'tang-wangwei'],
  ['zone-4', 'ni-qiong', 'guo-honghui'],
  ['commercial', 'zhou-jianguang', 'cao-zulu'],
];

const cases: RouteCase[] = [
  // Rule 1: a line category goes to the line, whatever the zone, for normal and urgent matters.
  ...LINE_CATEGORIES.flatMap(([category, line, leader]) =>
    (['normal', 'urgent'] as const).flatMap((urgency) =>
      ZONES.map(
        ([zone]): RouteCase => ({
          name: `rule 1: ${category} (${urgency}) in ${zone} → line ${line}, leader ${leader}`,
          facts: { zone, category, urgency },
          tier: 'line',
          line,
          owner: leader,
          tasks: [task(leader, 'line_leader')],
          procedures: [],
          rules: ['line_category'],
        }),
      ),
    ),
  ),
  {
    name: 'rule 1: a line with an assignee → task to the assignee, the leader still owns it',
    community: elevatorWithAssignee,
    facts: { zone: 'zone-3', category: 'elevator' },
    tier: 'line',
    line: 'elevator',
    owner: 'zhou-jianping',
    tasks: [task('zhang-lifen', 'line_assignee')],
    procedures: [],
    rules: ['line_category'],
    says: ['电梯', '周建平', '张丽芬'],
  },
  {
    name: 'rule 1: the assignee of one line does not touch another line',
    community: elevatorWithAssignee,
    facts: { zone: 'zone-3', category: 'water_pump' },
    tier: 'line',
    line: 'pump',
    owner: 'he-xianyang',
    tasks: [task('he-xianyang', 'line_leader')],
    procedures: [],
    rules: ['line_category'],
  },
  // Rule 2: an emergency in a line category → the property company acts first.
  ...LINE_CATEGORIES.flatMap(([category, line, lineLeader]) =>
    ZONES.map(
      ([zone, zoneLeader, specialist]): RouteCase => ({
        name: `rule 2: emergency ${category} in ${zone} → ${specialist} acts, reports to ${zoneLeader} and ${lineLeader}`,
        facts: { zone, category, urgency: 'emergency' },
        tier: 'line',
        line,
        owner: lineLeader,
        tasks: [task(specialist, 'property_specialist')],
        procedures: [reportBack([zoneLeader, lineLeader])],
        rules: ['emergency_line'],
        says: ['物业公司先行处置', '未配置物业经理', '30 分钟'],
      }),
    ),
  ),
  {
    name: 'rule 2: with a property manager → manager first, then the zone specialist',
    community: withManager,
    facts: { zone: 'zone-2', category: 'elevator', urgency: 'emergency' },
    tier: 'line',
    line: 'elevator',
    owner: 'zhou-jianping',
    tasks: [task('wang-jingli', 'property_manager'), task('shen-xuli', 'property_specialist')],
    procedures: [reportBack(['hu-shengjia', 'zhou-jianping'])],
    rules: ['emergency_line'],
    says: ['物业公司先行处置', '王经理', '沈旭莉', '胡圣家', '周建平'],
  },
  {
    name: 'rule 2: a manager who is also the zone specialist gets one task, not two',
    community: managerIsSpecialist,
    facts: { zone: 'zone-1', category: 'fire_equipment', urgency: 'emergency' },
    tier: 'line',
    line: 'fire',
    owner: 'he-xianyang',
    tasks: [task('zhang-lifen', 'property_manager')],
    procedures: [reportBack(['wu-wenjie', 'he-xianyang'])],
    rules: ['emergency_line'],
  },
  {
    name: 'rule 2: the manager also acts first in a zone that is not theirs',
    community: managerIsSpecialist,
    facts: { zone: 'zone-3', category: 'water_pump', urgency: 'emergency' },
    tier: 'line',
    line: 'pump',
    owner: 'he-xianyang',
    tasks: [task('zhang-lifen', 'property_manager'), task('tang-wangwei', 'property_specialist')],
    procedures: [reportBack(['li-gang', 'he-xianyang'])],
    rules: ['emergency_line'],
  },
  {
    name: 'rule 2: every property specialist of the zone acts',
    community: staffingVariant,
    facts: { zone: 'zone-3', category: 'secondary_water', urgency: 'emergency' },
    tier: 'line',
    line: 'pump',
    owner: 'he-xianyang',
    tasks: [task('tang-wangwei', 'property_specialist'), task('shen-xuli', 'property_specialist')],
    procedures: [reportBack(['li-gang', 'he-xianyang'])],
    rules: ['emergency_line'],
  },
  {
    name: 'rule 2: the report-back deadline comes from config',
    community: customRouting,
    facts: { zone: 'zone-1', category: 'elevator', urgency: 'emergency' },
    tier: 'line',
    line: 'elevator',
    owner: 'zhou-jianping',
    tasks: [task('zhang-lifen', 'property_specialist')],
    procedures: [reportBack(['wu-wenjie', 'zhou-jianping'], 15)],
    rules: ['emergency_line'],
    says: ['15 分钟'],
  },
  {
    name: 'rule 2: a line assignee does not replace the property company in an emergency',
    community: elevatorWithAssignee,
    facts: { zone: 'zone-2', category: 'elevator', urgency: 'emergency' },
    tier: 'line',
    line: 'elevator',
    owner: 'zhou-jianping',
    tasks: [task('shen-xuli', 'property_specialist')],
    procedures: [reportBack(['hu-shengjia', 'zhou-jianping'])],
    rules: ['emergency_line'],
  },
  // An emergency outside the lines stays where it is.
  ...ZONE_CATEGORIES.map(
    (category): RouteCase => ({
      name: `emergency in non-line category ${category} stays in the zone tier`,
      facts: { zone: 'zone-2', category, urgency: 'emergency' },
      tier: 'zone',
      line: null,
      owner: 'hu-shengjia',
      tasks: [task('shen-xuli', 'property_specialist')],
      procedures: [],
      rules: ['zone_default'],
    }),
  ),
  // Rule 3: community matters and multi-organisation matters go to the joint meeting.
  {
    name: 'rule 3: scope community → joint meeting, kept by the secretary, no tasks',
    facts: { zone: 'zone-3', category: 'parking', scope: 'community' },
    tier: 'joint_meeting',
    line: null,
    owner: 'tu-zhongmei',
    tasks: [],
    procedures: [],
    rules: ['joint_meeting_scope'],
    says: ['联席会议'],
  },
  {
    name: 'rule 3: several organisations at once → joint meeting',
    facts: { zone: 'zone-4', category: 'illegal_construction', scope: 'building', multiOrg: true },
    tier: 'joint_meeting',
    line: null,
    owner: 'tu-zhongmei',
    tasks: [],
    procedures: [],
    rules: ['joint_meeting_multi_org'],
    says: ['多个组织', '联席会议'],
  },
  {
    name: 'rule 3: multiOrg and community scope together give one reason',
    facts: { zone: 'zone-1', category: 'other', scope: 'community', multiOrg: true },
    tier: 'joint_meeting',
    line: null,
    owner: 'tu-zhongmei',
    tasks: [],
    procedures: [],
    rules: ['joint_meeting_multi_org'],
  },
  {
    name: 'rule 3: an emergency outside the lines with community scope still goes to the joint meeting',
    facts: { zone: 'zone-1', category: 'security', scope: 'community', urgency: 'emergency' },
    tier: 'joint_meeting',
    line: null,
    owner: 'tu-zhongmei',
    tasks: [],
    procedures: [],
    rules: ['joint_meeting_scope'],
  },
  {
    name: 'rule 3: the joint-meeting scopes come from config (estate added)',
    community: customRouting,
    facts: { zone: 'commercial', category: 'noise', scope: 'estate' },
    tier: 'joint_meeting',
    line: null,
    owner: 'tu-zhongmei',
    tasks: [],
    procedures: [],
    rules: ['joint_meeting_scope'],
  },
  {
    name: 'rule 3: without a secretary the joint-meeting issue has no owner',
    community: noSecretary,
    facts: { zone: 'zone-1', category: 'other', scope: 'community' },
    tier: 'joint_meeting',
    line: null,
    owner: null,
    tasks: [],
    procedures: [],
    rules: ['joint_meeting_scope'],
  },
  // Precedence: the line (rules 1, 2) is decided before the joint meeting (rule 3).
  {
    name: 'precedence: a line category beats community scope',
    facts: { zone: 'zone-1', category: 'elevator', scope: 'community' },
    tier: 'line',
    line: 'elevator',
    owner: 'zhou-jianping',
    tasks: [task('zhou-jianping', 'line_leader')],
    procedures: [],
    rules: ['line_category'],
  },
  {
    name: 'precedence: a line category beats multiOrg',
    facts: { zone: 'zone-2', category: 'fire_safety', multiOrg: true },
    tier: 'line',
    line: 'fire',
    owner: 'he-xianyang',
    tasks: [task('he-xianyang', 'line_leader')],
    procedures: [],
    rules: ['line_category'],
  },
  {
    name: 'precedence: an emergency line category beats community scope',
    facts: { zone: 'zone-2', category: 'water_pressure', scope: 'community', urgency: 'emergency' },
    tier: 'line',
    line: 'pump',
    owner: 'he-xianyang',
    tasks: [task('shen-xuli', 'property_specialist')],
    procedures: [reportBack(['hu-shengjia', 'he-xianyang'])],
    rules: ['emergency_line'],
  },
  // Rule 4: otherwise the zone.
  ...ZONES.flatMap(([zone, leader, specialist]) =>
    (['neighbour', 'unit', 'building', 'estate'] as const).map(
      (scope): RouteCase => ({
        name: `rule 4: sanitation, scope ${scope}, in ${zone} → ${leader} owns, ${specialist} does`,
        facts: { zone, category: 'sanitation', scope },
        tier: 'zone',
        line: null,
        owner: leader,
        tasks: [task(specialist, 'property_specialist')],
        procedures: [],
        rules: ['zone_default'],
      }),
    ),
  ),
  ...ZONE_CATEGORIES.map(
    (category): RouteCase => ({
      name: `rule 4: ${category} stays in the zone`,
      facts: { zone: 'zone-4', category },
      tier: 'zone',
      line: null,
      owner: 'ni-qiong',
      tasks: [task('guo-honghui', 'property_specialist')],
      procedures: [],
      rules: ['zone_default'],
    }),
  ),
  {
    name: 'rule 4: a zone without a property member → the zone leader gets the task',
    community: staffingVariant,
    facts: { zone: 'zone-2', category: 'greening' },
    tier: 'zone',
    line: null,
    owner: 'hu-shengjia',
    tasks: [task('hu-shengjia', 'zone_leader')],
    procedures: [],
    rules: ['zone_default'],
    says: ['胡圣家', '未配置物业专员'],
  },
  {
    name: 'rule 4: a zone with two property members → a task to each',
    community: staffingVariant,
    facts: { zone: 'zone-3', category: 'greening' },
    tier: 'zone',
    line: null,
    owner: 'li-gang',
    tasks: [task('tang-wangwei', 'property_specialist'), task('shen-xuli', 'property_specialist')],
    procedures: [],
    rules: ['zone_default'],
    says: ['黎刚', '唐汪伟、沈旭莉'],
  },
  // Rule 5: shared parts → owners' assembly, in every tier.
  {
    name: 'rule 5: shared parts in the zone tier',
    facts: { zone: 'zone-1', category: 'shared_leak', touchesSharedParts: true },
    tier: 'zone',
    line: null,
    owner: 'wu-wenjie',
    tasks: [task('zhang-lifen', 'property_specialist')],
    procedures: [{ kind: 'owners_assembly' }],
    rules: ['zone_default', 'shared_parts'],
    says: ['业主大会'],
  },
  {
    name: 'rule 5: shared parts in the line tier',
    facts: { zone: 'zone-2', category: 'elevator', touchesSharedParts: true },
    tier: 'line',
    line: 'elevator',
    owner: 'zhou-jianping',
    tasks: [task('zhou-jianping', 'line_leader')],
    procedures: [{ kind: 'owners_assembly' }],
    rules: ['line_category', 'shared_parts'],
  },
  {
    name: 'rule 5: shared parts in an emergency',
    facts: { zone: 'zone-3', category: 'fire_equipment', urgency: 'emergency', touchesSharedParts: true },
    tier: 'line',
    line: 'fire',
    owner: 'he-xianyang',
    tasks: [task('tang-wangwei', 'property_specialist')],
    procedures: [reportBack(['li-gang', 'he-xianyang']), { kind: 'owners_assembly' }],
    rules: ['emergency_line', 'shared_parts'],
  },
  {
    name: 'rule 5: shared parts at the joint meeting',
    facts: { zone: 'zone-4', category: 'public_facility', scope: 'community', touchesSharedParts: true },
    tier: 'joint_meeting',
    line: null,
    owner: 'tu-zhongmei',
    tasks: [],
    procedures: [{ kind: 'owners_assembly' }],
    rules: ['joint_meeting_scope', 'shared_parts'],
  },
  // Rule 6: maintenance fund → public notice and report to the oc.
  {
    name: 'rule 6: maintenance fund → public notice for the default 7 days and report to the oc',
    facts: { zone: 'zone-2', category: 'public_facility', usesMaintenanceFund: true },
    tier: 'zone',
    line: null,
    owner: 'hu-shengjia',
    tasks: [task('shen-xuli', 'property_specialist')],
    procedures: [{ kind: 'public_notice', days: 7 }, { kind: 'report_to_oc' }],
    rules: ['zone_default', 'maintenance_fund'],
    says: ['维修资金', '公示 7 天', '业委会'],
  },
  {
    name: 'rule 6: the notice period comes from config',
    community: customRouting,
    facts: { zone: 'zone-2', category: 'public_facility', usesMaintenanceFund: true },
    tier: 'zone',
    line: null,
    owner: 'hu-shengjia',
    tasks: [task('shen-xuli', 'property_specialist')],
    procedures: [{ kind: 'public_notice', days: 10 }, { kind: 'report_to_oc' }],
    rules: ['zone_default', 'maintenance_fund'],
    says: ['公示 10 天'],
  },
  {
    name: 'rules 5 and 6 together, in a line category',
    facts: { zone: 'zone-1', category: 'water_pump', touchesSharedParts: true, usesMaintenanceFund: true },
    tier: 'line',
    line: 'pump',
    owner: 'he-xianyang',
    tasks: [task('he-xianyang', 'line_leader')],
    procedures: [{ kind: 'owners_assembly' }, { kind: 'public_notice', days: 7 }, { kind: 'report_to_oc' }],
    rules: ['line_category', 'shared_parts', 'maintenance_fund'],
  },
  {
    name: 'rule 6 in an emergency: the report-back comes first',
    facts: { zone: 'commercial', category: 'elevator', urgency: 'emergency', usesMaintenanceFund: true },
    tier: 'line',
    line: 'elevator',
    owner: 'zhou-jianping',
    tasks: [task('cao-zulu', 'property_specialist')],
    procedures: [
      reportBack(['zhou-jianguang', 'zhou-jianping']),
      { kind: 'public_notice', days: 7 },
      { kind: 'report_to_oc' },
    ],
    rules: ['emergency_line', 'maintenance_fund'],
  },
  {
    name: 'rule 6 at the joint meeting',
    facts: { zone: 'zone-1', category: 'other', multiOrg: true, usesMaintenanceFund: true },
    tier: 'joint_meeting',
    line: null,
    owner: 'tu-zhongmei',
    tasks: [],
    procedures: [{ kind: 'public_notice', days: 7 }, { kind: 'report_to_oc' }],
    rules: ['joint_meeting_multi_org', 'maintenance_fund'],
  },
];

describe('decideRoute (docs/domain.md §5)', () => {
  it.each(cases)('$name', ({ community, facts: over, tier, line, owner, tasks, procedures, rules, says }) => {
    const input = facts(over);
    const decision = decideRoute(input, community ?? shipped);
    expect(decision).toEqual({
      tier,
      zone: input.zone,
      line,
      owner,
      tasks,
      procedures,
      reasons: expect.any(Array),
    });
    expect(decision.reasons.map((r) => r.rule)).toEqual(rules);
    for (const reason of decision.reasons) {
      expect(ROUTE_RULES).toContain(reason.rule);
      expect(reason.text.trim().length).toBeGreaterThan(5);
      expect(reason.text).toMatch(/[\u4e00-\u9fff]/);
    }
    const text = decision.reasons.map((r) => r.text).join('\n');
    for (const s of says ?? []) expect(text).toContain(s);
  });

  it('covers every routing rule somewhere in the table', () => {
    const fired = new Set(cases.flatMap((c) => c.rules));
    // 'triage' is the triage desk's own rule (triageRoute, tests/domain/triage.test.ts).
    expect([...fired].sort()).toEqual(ROUTE_RULES.filter((r) => r !== 'triage').sort());
  });

  it('never gives the same person two tasks', () => {
    for (const c of cases) {
      const decision = decideRoute(facts(c.facts), c.community ?? shipped);
      const people = decision.tasks.map((t) => t.assignee);
      expect(new Set(people).size).toBe(people.length);
    }
  });

  describe('the emergency reason names both leaders', () => {
    it.each(ZONES)('in %s', (zone, zoneLeader) => {
      const decision = decideRoute(facts({ zone, category: 'fire_safety', urgency: 'emergency' }), shipped);
      const text = decision.reasons[0]!.text;
      expect(text).toContain('物业公司先行处置');
      expect(text).toContain(shipped.people.get(zoneLeader)!.name);
      expect(text).toContain('贺贤洋');
    });

    it('and does not claim a missing manager when one is set', () => {
      const text = decideRoute(facts({ category: 'elevator', urgency: 'emergency' }), withManager).reasons[0]!
        .text;
      expect(text).not.toContain('未配置物业经理');
      expect(text).toContain('王经理');
    });
  });

  it('an emergency in a zone with no property staff falls to the zone leader, reports back to both leaders, and says so', () => {
    const decision = decideRoute(
      facts({ zone: 'zone-2', category: 'elevator', urgency: 'emergency' }),
      staffingVariant,
    );
    expect(decision.tier).toBe('line');
    expect(decision.procedures).toEqual([reportBack(['hu-shengjia', 'zhou-jianping'])]);
    expect(decision.reasons[0]!.text).toContain('本区域未配置物业人员');
    expect(decision.tasks).toEqual([{ assignee: 'hu-shengjia', role: 'zone_leader' }]);
  });

  it('the CLI acceptance case: building 12 + elevator + emergency', () => {
    const zone = resolveZone(shipped, { building: 12 });
    expect(zone.key).toBe('zone-1');
    const decision = decideRoute(
      facts({ zone: zone.key, category: 'elevator', urgency: 'emergency' }),
      shipped,
    );
    const text = decision.reasons.map((r) => r.text).join('\n');
    expect(text).toContain('周建平');
    expect(text).toContain('吴文杰');
    expect(text).toContain('物业公司先行处置');
    expect(decision.tier).toBe('line');
    expect(decision.procedures).toContainEqual(reportBack(['wu-wenjie', 'zhou-jianping']));
  });

  it('an unknown category → unknown_category listing every valid category', () => {
    let err: unknown;
    try {
      decideRoute(facts({ category: 'lift' }), shipped);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    const e = err as DomainError;
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe('unknown_category');
    expect(e.message).toContain('lift');
    for (const key of [...LINE_CATEGORIES.map(([c]) => c), ...ZONE_CATEGORIES]) {
      expect(e.message).toContain(key);
    }
    expect(e.message).toContain('电梯故障');
    expect(e.details?.[0]?.path).toBe('category');
  });

  it('an unknown zone → unknown_zone', () => {
    expect(() => decideRoute(facts({ zone: 'zone-9' }), shipped)).toThrow(
      expect.objectContaining({ kind: 'invalid', code: 'unknown_zone' }),
    );
  });

  it('is pure: the same facts give the same decision and the config is untouched', () => {
    const before = structuredClone(shipped.config);
    const input = facts({ category: 'elevator', urgency: 'emergency', usesMaintenanceFund: true });
    const a = decideRoute(input, shipped);
    const b = decideRoute({ ...input }, shipped);
    expect(b).toEqual(a);
    expect(b).not.toBe(a);
    expect(shipped.config).toEqual(before);
  });
});
