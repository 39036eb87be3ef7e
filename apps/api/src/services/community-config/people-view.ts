import { type Community, type CommunityPeopleView, ORG_NAMES } from '@gongzhi/domain';

/** The people and roles of a community as the administrator's pages show and edit them. */
export function peopleViewOf(community: Community, version: number): CommunityPeopleView {
  const c = community.config;
  const ref = (key: string) => ({ key, name: community.people.get(key)?.name ?? key });
  const roles = new Map<string, string[]>(c.people.map((p) => [p.key, []]));
  const add = (person: string | undefined, role: string) => {
    if (person) roles.get(person)?.push(role);
  };
  if (c.leadershipGroup.leader) add(c.leadershipGroup.leader, '领导小组组长');
  for (const m of c.leadershipGroup.members) add(m, '领导小组成员');
  add(c.secretary, '秘书');
  add(c.propertyManager, '物业经理');
  for (const z of c.zones) {
    add(z.leader.person, `${z.name} · 组长`);
    for (const m of z.members) add(m.person, `${z.name} · ${ORG_NAMES[m.org]}`);
  }
  for (const l of c.lines) add(l.leader, `${l.name}条线负责人`);
  for (const m of c.supervisoryCommittee.members)
    add(m, m === c.supervisoryCommittee.chair ? '监督委员会主任' : '监督委员会委员');
  return {
    key: community.key,
    name: community.name,
    version,
    people: c.people.map((p) => ({
      key: p.key,
      name: p.name,
      phone: p.phone ?? null,
      showContact: p.showContact,
      active: p.active,
      roles: roles.get(p.key) ?? [],
    })),
    zones: c.zones.map((z) => ({
      key: z.key,
      name: z.name,
      leader: ref(z.leader.person),
      members: z.members.map((m) => ({ ...ref(m.person), org: m.org })),
    })),
    lines: c.lines.map((l) => ({ key: l.key, name: l.name, leader: l.leader ? ref(l.leader) : null })),
    secretary: c.secretary ? ref(c.secretary) : null,
    leadershipGroup: {
      leader: ref(c.leadershipGroup.leader),
      members: c.leadershipGroup.members.map(ref),
    },
    supervisoryCommittee: {
      chair: c.supervisoryCommittee.chair ? ref(c.supervisoryCommittee.chair) : null,
      members: c.supervisoryCommittee.members.map(ref),
    },
  };
}
