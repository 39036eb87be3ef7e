import { ORG_NAMES, ORGS, type Org } from '../community/orgs';
import type { Community, ConfigProblem } from '../community/types';
import { Invalid } from '../errors';
import { DutyConfig, type DutyConfigInput, type DutyCounts } from './config';

/** Duty staff per organisation, each list sorted by person key. */
export type DutyPools = Map<Org, string[]>;

/** What the duty rules need of a community; a full Community fits. */
export type DutyCommunity = Pick<Community, 'config' | 'people'>;

/**
 * Who can be on duty for each organisation: everyone holding a zone membership (the leader
 * included) with that organisation, unless `duty.pools` names the people for it explicitly.
 * Every organisation is present, with an empty list when nobody serves for it. Sorted by key, so
 * that the order of the config file never changes a rota.
 */
export function dutyPoolsOf(community: DutyCommunity, duty: Pick<DutyConfig, 'pools'>): DutyPools {
  const derived = new Map<Org, Set<string>>(ORGS.map((o) => [o, new Set<string>()]));
  for (const zone of community.config.zones) {
    derived.get(zone.leader.org)!.add(zone.leader.person);
    for (const m of zone.members) derived.get(m.org)!.add(m.person);
  }
  const pools: DutyPools = new Map();
  for (const org of ORGS) {
    const explicit = duty.pools[org];
    pools.set(org, [...new Set(explicit ?? derived.get(org)!)].sort());
  }
  return pools;
}

/**
 * The cross-reference rules of a duty config, each problem with its path and a Chinese message:
 * unknown people in pools and unavailable days, a person listed twice in one pool, shift keys used
 * twice, and an organisation asked to staff a shift with more people than it has.
 */
export function checkDutyConfig(
  community: DutyCommunity,
  duty: DutyConfig,
  pathPrefix = 'duty',
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const at = (path: string) => (pathPrefix ? `${pathPrefix}.${path}` : path);
  const unknownPerson = (person: string, path: string, mustBeActive = true) => {
    const known = community.people.get(person);
    if (!known) {
      problems.push({
        path: at(path),
        message: `引用了未定义的人员 "${person}"：请先在 people 中定义`,
        values: { person },
      });
    } else if (mustBeActive && known.active === false) {
      problems.push({
        path: at(path),
        message: `人员 "${person}"（${known.name}）已停用，不能再排入值班`,
        values: { person },
      });
    }
  };

  const shiftIndex = new Map<string, number>();
  duty.shifts.forEach((s, i) => {
    const first = shiftIndex.get(s.key);
    if (first !== undefined) {
      problems.push({
        path: at(`shifts[${i}].key`),
        message: `班次键 "${s.key}" 重复（与 shifts[${first}] 相同）`,
        values: { shift: s.key },
      });
    } else shiftIndex.set(s.key, i);
  });

  for (const org of ORGS) {
    const list = duty.pools[org];
    if (!list) continue;
    const seen = new Set<string>();
    list.forEach((person, i) => {
      unknownPerson(person, `pools.${org}[${i}]`);
      if (seen.has(person)) {
        problems.push({
          path: at(`pools.${org}[${i}]`),
          message: `${ORG_NAMES[org]}值班人员中 "${person}" 重复`,
          values: { org, person },
        });
      }
      seen.add(person);
    });
  }

  for (const person of Object.keys(duty.unavailable)) unknownPerson(person, `unavailable.${person}`, false);

  const pools = dutyPoolsOf(community, duty);
  const checkCounts = (counts: DutyCounts, path: string, what: string) => {
    for (const org of ORGS) {
      const needed = counts[org] ?? 0;
      const have = pools.get(org)!.length;
      if (needed > have) {
        problems.push({
          path: at(`${path}.${org}`),
          message:
            have === 0
              ? `${what}每班需要${ORG_NAMES[org]} ${needed} 人，但没有${ORG_NAMES[org]}值班人员：请在区域成员中设置 org: ${org} 的人员，或在 ${at(`pools.${org}`)} 中指定`
              : `${what}每班需要${ORG_NAMES[org]} ${needed} 人，但${ORG_NAMES[org]}值班人员只有 ${have} 人`,
          values: { org, needed, available: have },
        });
      }
    }
  };
  checkCounts(duty.weekday, 'weekday', '工作日');
  checkCounts(duty.offDay, 'offDay', '周末和节假日');
  duty.shifts.forEach((s, i) => {
    if (s.weekday) checkCounts(s.weekday, `shifts[${i}].weekday`, `班次“${s.name}”工作日`);
    if (s.offDay) checkCounts(s.offDay, `shifts[${i}].offDay`, `班次“${s.name}”周末和节假日`);
  });
  return problems;
}

const zodPath = (path: PropertyKey[]) =>
  path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );

/**
 * Parse a duty config edited on its own (the admin page) and check it against the community, or
 * a 400 listing every problem with its path.
 */
export function parseDutyConfig(raw: unknown, community: DutyCommunity, pathPrefix = 'duty'): DutyConfig {
  const parsed = DutyConfig.safeParse(raw ?? ({} satisfies DutyConfigInput));
  const problems: ConfigProblem[] = parsed.success
    ? checkDutyConfig(community, parsed.data, pathPrefix)
    : parsed.error.issues.map((i) => ({
        path: zodPath(pathPrefix ? [pathPrefix, ...i.path] : i.path),
        message: i.message,
      }));
  if (!parsed.success || problems.length > 0) {
    throw Invalid(
      'invalid_duty_config',
      `值班配置有 ${problems.length} 处错误：${problems.map((p) => `${p.path}：${p.message}`).join('；')}`,
      problems.map((p) => ({ path: p.path, message: p.message })),
    );
  }
  return parsed.data;
}
