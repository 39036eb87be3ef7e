import {
  type Actor,
  type Channel,
  type Community,
  canReadIssue,
  DomainError,
  decideRoute,
  type IssueAccessFacts,
  type IssueRelation,
  intakeChannel,
  readsAllIssues,
  relationsTo,
  rolesOf,
  type Scope,
  seesReporterPhone,
  validateCommunityConfig,
} from '../../packages/domain/src';
import { expectValid, loadXiaduoyuan, shippedConfig } from './fixtures';

const community = loadXiaduoyuan();
/** The same community with a property manager who is nobody else. */
const withManager: Community = (() => {
  const config = shippedConfig();
  config.people.push({ key: 'wang-jingli', name: '王经理', showContact: false, active: true });
  config.propertyManager = 'wang-jingli';
  return expectValid(validateCommunityConfig(config));
})();

const staff = (person: string, c: Community = community): Actor => ({
  accountId: `acct-${person}`,
  roles: rolesOf(c, person),
  admin: false,
});
const resident = (accountId: string): Actor => ({ accountId, roles: null, admin: false });

const actors = {
  inspector1: staff('yang-chenyi'), // grid, zone-1
  inspector23: staff('zhuang-yongliang'), // grid, zone-2 and zone-3
  rc1: staff('zhang-nen'), // rc, zone-1
  specialist1: staff('zhang-lifen'), // property, zone-1
  leader1: staff('wu-wenjie'), // oc leader, zone-1
  leader2: staff('hu-shengjia'), // oc leader, zone-2
  elevatorLead: staff('zhou-jianping'),
  firePumpLead: staff('he-xianyang'),
  secretary: staff('tu-zhongmei'),
  leadership: staff('wen-liang'),
  manager: staff('wang-jingli', withManager),
  resident: resident('resident-1'),
  otherResident: resident('resident-2'),
  admin: { accountId: 'admin-1', roles: null, admin: true } satisfies Actor,
};
type ActorName = keyof typeof actors;

/** An issue routed the way decideRoute routes it, so access is tested on real routings. */
function routed(zone: string, category: string, reporterAccountId: string | null, scope: Scope = 'building') {
  const d = decideRoute(
    {
      zone,
      category,
      urgency: 'normal',
      scope,
      usesMaintenanceFund: false,
      touchesSharedParts: false,
      multiOrg: false,
    },
    community,
  );
  return {
    zone: d.zone,
    line: d.line,
    owner: d.owner,
    assignees: d.tasks.map((t) => t.assignee),
    reporterAccountId,
  } satisfies IssueAccessFacts;
}

const issues = {
  zone1Sanitation: routed('zone-1', 'sanitation', 'resident-1'),
  zone2Sanitation: routed('zone-2', 'sanitation', 'resident-2'),
  zone1Elevator: routed('zone-1', 'elevator', null),
  zone3Elevator: routed('zone-3', 'elevator', null),
  zone4Pump: routed('zone-4', 'water_pump', 'resident-2'),
  commercialFire: routed('commercial', 'escape_route', null),
  zone3Community: routed('zone-3', 'parking', null, 'community'),
  /** A line issue whose owner and assignee are not the line leader (e.g. reassigned by hand). */
  zone2ElevatorReassigned: {
    zone: 'zone-2',
    line: 'elevator',
    owner: null,
    assignees: ['shen-xuli'],
    reporterAccountId: null,
  } satisfies IssueAccessFacts,
};
type IssueName = keyof typeof issues;

describe('the fixtures are routed as expected', () => {
  it('owners and assignees come from routing', () => {
    expect(issues.zone1Sanitation).toMatchObject({ owner: 'wu-wenjie', assignees: ['zhang-lifen'] });
    expect(issues.zone3Elevator).toMatchObject({ line: 'elevator', owner: 'zhou-jianping' });
    expect(issues.zone4Pump).toMatchObject({ line: 'pump', owner: 'he-xianyang' });
    expect(issues.commercialFire).toMatchObject({ line: 'fire', owner: 'he-xianyang' });
    expect(issues.zone3Community).toMatchObject({ line: null, owner: 'tu-zhongmei', assignees: [] });
  });
});

describe('relationsTo', () => {
  it.each<[ActorName, IssueName, IssueRelation[]]>([
    ['inspector1', 'zone1Sanitation', ['zone_inspector']],
    ['inspector1', 'zone1Elevator', ['zone_inspector']],
    ['inspector1', 'zone2Sanitation', []],
    ['inspector23', 'zone2Sanitation', ['zone_inspector']],
    ['inspector23', 'zone3Elevator', ['zone_inspector']],
    ['inspector23', 'zone1Sanitation', []],
    ['rc1', 'zone1Sanitation', []],
    ['specialist1', 'zone1Sanitation', ['assignee']],
    ['specialist1', 'zone2Sanitation', []],
    ['leader1', 'zone1Sanitation', ['owner', 'zone_leader']],
    ['leader1', 'zone1Elevator', ['zone_leader']],
    ['leader1', 'zone2Sanitation', []],
    ['leader2', 'zone2Sanitation', ['owner', 'zone_leader']],
    ['elevatorLead', 'zone3Elevator', ['owner', 'assignee']],
    ['elevatorLead', 'zone2ElevatorReassigned', []],
    ['firePumpLead', 'zone4Pump', ['owner', 'assignee']],
    ['firePumpLead', 'zone3Elevator', []],
    ['secretary', 'zone1Sanitation', ['joint_meeting', 'secretary']],
    ['secretary', 'zone3Community', ['owner', 'joint_meeting', 'secretary']],
    ['leadership', 'zone2Sanitation', ['joint_meeting', 'leadership']],
    ['manager', 'zone1Sanitation', ['property_manager']],
    ['resident', 'zone1Sanitation', ['reporter']],
    ['resident', 'zone2Sanitation', []],
    ['admin', 'zone2Sanitation', ['admin']],
  ])('%s on %s → %j', (actor, issue, expected) => {
    expect([...relationsTo(actors[actor], issues[issue])].sort()).toEqual([...expected].sort());
  });

  it('a staff member who reported the issue is also its reporter', () => {
    const issue = { ...issues.zone1Sanitation, reporterAccountId: actors.inspector1.accountId };
    expect([...relationsTo(actors.inspector1, issue)].sort()).toEqual(['reporter', 'zone_inspector']);
  });

  it('an anonymous issue (no reporter account) has no reporter, even for an actor without an account id', () => {
    const nobody: Actor = { accountId: '', roles: null, admin: false };
    expect(relationsTo(nobody, { ...issues.zone1Sanitation, reporterAccountId: null })).toEqual([]);
  });
});

describe('canReadIssue', () => {
  const everyIssue = Object.keys(issues) as IssueName[];
  const readable: Record<ActorName, IssueName[]> = {
    // zone members read their zones, whatever the category
    inspector1: ['zone1Sanitation', 'zone1Elevator'],
    inspector23: ['zone2Sanitation', 'zone3Elevator', 'zone3Community', 'zone2ElevatorReassigned'],
    rc1: ['zone1Sanitation', 'zone1Elevator'],
    specialist1: ['zone1Sanitation', 'zone1Elevator'],
    leader1: ['zone1Sanitation', 'zone1Elevator'],
    leader2: ['zone2Sanitation', 'zone2ElevatorReassigned'],
    // line leaders read every issue of their lines, in any zone, and nothing else
    elevatorLead: ['zone1Elevator', 'zone3Elevator', 'zone2ElevatorReassigned'],
    firePumpLead: ['zone4Pump', 'commercialFire'],
    secretary: everyIssue,
    leadership: everyIssue,
    manager: everyIssue,
    // a resident reads only what they reported
    resident: ['zone1Sanitation'],
    otherResident: ['zone2Sanitation', 'zone4Pump'],
    admin: everyIssue,
  };

  const table = (Object.keys(actors) as ActorName[]).flatMap((actor) =>
    everyIssue.map((issue) => ({ actor, issue, expected: readable[actor].includes(issue) })),
  );

  it.each(table)('$actor reads $issue: $expected', ({ actor, issue, expected }) => {
    expect(canReadIssue(actors[actor], issues[issue])).toBe(expected);
  });

  it('an inspector of zone 1 reads a zone-1 issue and not a zone-2 issue', () => {
    expect(canReadIssue(actors.inspector1, issues.zone1Sanitation)).toBe(true);
    expect(canReadIssue(actors.inspector1, issues.zone2Sanitation)).toBe(false);
  });

  it('a line leader reads every issue of the line in every zone', () => {
    for (const zone of ['zone-1', 'zone-2', 'zone-3', 'zone-4', 'commercial']) {
      const elsewhere = { zone, line: 'pump', owner: null, assignees: [], reporterAccountId: null };
      expect(canReadIssue(actors.firePumpLead, elsewhere)).toBe(true);
      expect(canReadIssue(actors.elevatorLead, elsewhere)).toBe(false);
    }
  });

  it('a person outside the zone reads an issue they were assigned to', () => {
    const issue = { ...issues.zone2Sanitation, assignees: ['zhang-lifen'] };
    expect(canReadIssue(actors.specialist1, issue)).toBe(true);
  });
});

describe('readsAllIssues', () => {
  it.each<[ActorName, boolean]>([
    ['secretary', true],
    ['leadership', true],
    ['manager', true],
    ['admin', true],
    ['inspector1', false],
    ['leader1', false],
    ['elevatorLead', false],
    ['specialist1', false],
    ['resident', false],
  ])('%s → %s', (actor, expected) => {
    expect(readsAllIssues(actors[actor])).toBe(expected);
  });

  it('agrees with canReadIssue: whoever reads all can read each issue', () => {
    for (const actor of Object.values(actors)) {
      if (!readsAllIssues(actor)) continue;
      for (const issue of Object.values(issues)) expect(canReadIssue(actor, issue)).toBe(true);
    }
  });
});

describe('seesReporterPhone', () => {
  it.each<[ActorName, IssueName, boolean]>([
    ['leader1', 'zone1Sanitation', true], // owner
    ['specialist1', 'zone1Sanitation', true], // assignee
    ['admin', 'zone1Sanitation', true],
    ['resident', 'zone1Sanitation', true], // the reporter
    ['manager', 'zone1Sanitation', true],
    ['elevatorLead', 'zone3Elevator', true], // owner of a line issue
    ['inspector1', 'zone1Sanitation', false], // a mere zone inspector
    ['rc1', 'zone1Sanitation', false],
    ['leader1', 'zone1Elevator', false], // zone leader, but the line owns it
    ['secretary', 'zone1Sanitation', false],
    ['leadership', 'zone1Sanitation', false],
    ['otherResident', 'zone1Sanitation', false],
    ['elevatorLead', 'zone2ElevatorReassigned', false],
  ])('%s on %s → %s', (actor, issue, expected) => {
    expect(seesReporterPhone(actors[actor], issues[issue])).toBe(expected);
  });
});

describe('intakeChannel', () => {
  it.each<[ActorName, string, Channel | undefined, Channel]>([
    ['inspector1', 'zone-1', undefined, 'patrol'],
    ['inspector23', 'zone-2', undefined, 'patrol'],
    ['inspector23', 'zone-3', undefined, 'patrol'],
    ['specialist1', 'zone-1', undefined, 'property_patrol'],
    ['rc1', 'zone-1', undefined, 'duty_desk'],
    ['leader1', 'zone-1', undefined, 'staff_on_behalf'], // oc has no channel of its own
    ['rc1', 'zone-1', 'staff_on_behalf', 'staff_on_behalf'],
    ['inspector1', 'zone-1', 'patrol', 'patrol'],
    ['elevatorLead', 'zone-3', undefined, 'staff_on_behalf'],
    ['firePumpLead', 'zone-4', undefined, 'staff_on_behalf'],
    ['firePumpLead', 'commercial', undefined, 'staff_on_behalf'],
    ['secretary', 'zone-2', undefined, 'staff_on_behalf'],
    ['leadership', 'commercial', undefined, 'staff_on_behalf'],
    ['manager', 'zone-3', undefined, 'property_patrol'],
    ['admin', 'zone-4', undefined, 'staff_on_behalf'],
  ])('%s filing in %s (asked %s) → %s', (actor, zone, requested, expected) => {
    expect(intakeChannel(actors[actor], zone, requested)).toBe(expected);
  });

  it('a member of several orgs in one zone defaults to patrol and may ask for the others', () => {
    const config = shippedConfig();
    config.zones[0]!.members.push({ person: 'yang-chenyi', org: 'property' });
    const both = staff('yang-chenyi', expectValid(validateCommunityConfig(config)));
    expect(intakeChannel(both, 'zone-1')).toBe('patrol');
    expect(intakeChannel(both, 'zone-1', 'property_patrol')).toBe('property_patrol');
  });

  it.each<[ActorName, string, Channel | undefined, string]>([
    ['inspector1', 'zone-2', undefined, 'not_zone_member'],
    ['inspector23', 'zone-1', undefined, 'not_zone_member'],
    ['leader1', 'zone-2', undefined, 'not_zone_member'],
    ['specialist1', 'commercial', 'property_patrol', 'not_zone_member'],
    ['resident', 'zone-1', undefined, 'not_zone_member'],
    ['inspector1', 'zone-1', 'resident_qr', 'channel_not_permitted'],
    ['elevatorLead', 'zone-1', 'resident_qr', 'channel_not_permitted'],
    ['admin', 'zone-1', 'resident_qr', 'channel_not_permitted'],
    ['rc1', 'zone-1', 'patrol', 'channel_not_permitted'],
    ['inspector1', 'zone-1', 'duty_desk', 'channel_not_permitted'],
    ['firePumpLead', 'zone-2', 'patrol', 'channel_not_permitted'],
    ['leader1', 'zone-1', 'property_patrol', 'channel_not_permitted'],
  ])('%s filing in %s (asked %s) → forbidden %s', (actor, zone, requested, code) => {
    let err: unknown;
    try {
      intakeChannel(actors[actor], zone, requested);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe('forbidden');
    expect((err as DomainError).code).toBe(code);
  });
});
