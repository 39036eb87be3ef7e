import { z } from 'zod';
import { type CommunityConfig, ConfigKey, Org, type PersonConfig } from './schema';
import type { ConfigProblem } from './validate';

const Name = z.string().trim().min(1, '姓名不能为空').max(40, '姓名最多 40 个字');
const Phone = z.string().regex(/^1\d{10}$/, '手机号应为 11 位数字');

/**
 * One change an administrator makes to a community's people and roles (issue 13, item 2). A
 * request carries a list of them; together they make one new configuration version, which the
 * same validator as the YAML must accept.
 */
export const ConfigChange = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('addPerson'),
    key: ConfigKey,
    name: Name,
    phone: Phone.optional(),
    showContact: z.boolean().optional(),
  }),
  z.strictObject({
    op: z.literal('updatePerson'),
    person: ConfigKey,
    name: Name.optional(),
    /** null removes the phone number. */
    phone: Phone.nullable().optional(),
    showContact: z.boolean().optional(),
  }),
  /** The person has left: kept so history still names them, but they may hold no role. */
  z.strictObject({ op: z.literal('deactivatePerson'), person: ConfigKey }),
  z.strictObject({ op: z.literal('reactivatePerson'), person: ConfigKey }),
  z.strictObject({ op: z.literal('addZoneMember'), zone: ConfigKey, person: ConfigKey, org: Org }),
  z.strictObject({ op: z.literal('removeZoneMember'), zone: ConfigKey, person: ConfigKey, org: Org }),
  /** The zone leader is an oc member (业委会); the previous leader leaves the zone. */
  z.strictObject({ op: z.literal('setZoneLeader'), zone: ConfigKey, person: ConfigKey }),
  z.strictObject({ op: z.literal('setLineLeader'), line: ConfigKey, person: ConfigKey }),
  z.strictObject({ op: z.literal('setSecretary'), person: ConfigKey.nullable() }),
  z.strictObject({
    op: z.literal('setLeadershipGroup'),
    leader: ConfigKey,
    members: z.array(ConfigKey).max(50),
  }),
  /** The supervisory committee (监督委员会) as the owners' assembly elected it; the chair is a member. */
  z.strictObject({
    op: z.literal('setSupervisoryCommittee'),
    chair: ConfigKey.nullable(),
    members: z.array(ConfigKey).max(20),
  }),
]);
export type ConfigChange = z.infer<typeof ConfigChange>;

/** One edit request: the version it was based on (optimistic concurrency), why, and what. */
export const ConfigEditInput = z.strictObject({
  baseVersion: z.number().int().positive(),
  reason: z.string().trim().min(2, '请写明修改原因（至少 2 个字）').max(500),
  changes: z.array(ConfigChange).min(1, '至少要有一项修改').max(50),
});
export type ConfigEditInput = z.infer<typeof ConfigEditInput>;

export type ApplyResult = { ok: true; config: CommunityConfig } | { ok: false; problems: ConfigProblem[] };

/**
 * Apply the changes to a copy of the config, in order. Only what cannot be applied at all (a zone
 * or person that does not exist, a membership that is not there) is reported here, at
 * `changes[i]`; everything else (an inactive person holding a role, a leader who is not oc, a
 * duplicate key) is left to validateCommunityConfig, so edits and YAML are judged by one rulebook.
 */
export function applyConfigChanges(config: CommunityConfig, changes: ConfigChange[]): ApplyResult {
  const next = structuredClone(config);
  const problems: ConfigProblem[] = [];
  const person = (key: string, at: string): PersonConfig | undefined => {
    const p = next.people.find((x) => x.key === key);
    if (!p) {
      problems.push({
        path: `${at}.person`,
        message: `人员 "${key}" 不存在`,
        values: { person: key },
      });
    }
    return p;
  };
  const zone = (key: string, at: string) => {
    const z = next.zones.find((x) => x.key === key);
    if (!z) {
      problems.push({
        path: `${at}.zone`,
        message: `区域 "${key}" 不存在；已有区域：${next.zones.map((x) => x.key).join('、')}`,
        values: { zone: key },
      });
    }
    return z;
  };

  changes.forEach((c, i) => {
    const at = `changes[${i}]`;
    switch (c.op) {
      case 'addPerson':
        next.people.push({
          key: c.key,
          name: c.name,
          ...(c.phone ? { phone: c.phone } : {}),
          showContact: c.showContact ?? false,
          active: true,
        });
        return;
      case 'updatePerson': {
        const p = person(c.person, at);
        if (!p) return;
        if (c.name !== undefined) p.name = c.name;
        if (c.phone === null) delete p.phone;
        else if (c.phone !== undefined) p.phone = c.phone;
        if (c.showContact !== undefined) p.showContact = c.showContact;
        return;
      }
      case 'deactivatePerson':
      case 'reactivatePerson': {
        const p = person(c.person, at);
        if (p) p.active = c.op === 'reactivatePerson';
        return;
      }
      case 'addZoneMember': {
        const z = zone(c.zone, at);
        if (z) z.members.push({ person: c.person, org: c.org });
        return;
      }
      case 'removeZoneMember': {
        const z = zone(c.zone, at);
        if (!z) return;
        const idx = z.members.findIndex((m) => m.person === c.person && m.org === c.org);
        if (idx < 0) {
          problems.push({
            path: at,
            message:
              z.leader.person === c.person
                ? `"${c.person}" 是区域 "${c.zone}" 的组长：请先指定新的组长`
                : `区域 "${c.zone}" 中没有成员 "${c.person}"（${c.org}）`,
            values: { zone: c.zone, person: c.person, org: c.org },
          });
          return;
        }
        z.members.splice(idx, 1);
        return;
      }
      case 'setZoneLeader': {
        const z = zone(c.zone, at);
        if (!z) return;
        z.leader = { person: c.person, org: 'oc' };
        // Leading a zone is an oc membership: an oc member entry for the same person would repeat it.
        z.members = z.members.filter((m) => !(m.person === c.person && m.org === 'oc'));
        return;
      }
      case 'setLineLeader': {
        const line = next.lines.find((l) => l.key === c.line);
        if (!line) {
          problems.push({
            path: `${at}.line`,
            message: `条线 "${c.line}" 不存在；已有条线：${next.lines.map((l) => l.key).join('、') || '（无）'}`,
            values: { line: c.line },
          });
          return;
        }
        line.leader = c.person;
        return;
      }
      case 'setSecretary':
        if (c.person === null) delete next.secretary;
        else next.secretary = c.person;
        return;
      case 'setLeadershipGroup':
        next.leadershipGroup = { leader: c.leader, members: c.members };
        return;
      case 'setSupervisoryCommittee':
        next.supervisoryCommittee =
          c.chair === null ? { members: c.members } : { chair: c.chair, members: c.members };
        return;
    }
  });
  return problems.length ? { ok: false, problems } : { ok: true, config: next };
}

/**
 * What a new version may not do to the previous one, whatever its source (an edit, an import, a
 * changed YAML file): drop a person. Past issues, tasks and meetings name people by key; a person
 * who leaves is deactivated (`active: false`), so their name stays readable in the record.
 */
export function checkConfigSuccession(previous: CommunityConfig, next: CommunityConfig): ConfigProblem[] {
  const kept = new Set(next.people.map((p) => p.key));
  return previous.people
    .filter((p) => !kept.has(p.key))
    .map((p) => ({
      path: 'people',
      message: `人员 "${p.key}"（${p.name}）不能从配置中删除：历史记录仍引用此人，请改为停用（active: false）`,
      values: { person: p.key },
    }));
}
