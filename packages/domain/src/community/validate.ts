import { parseStrictYaml, schemaProblems } from '../config-yaml';
import { checkDutyConfig } from '../duty/pools';
import { CommunityConfig, ORG_NAMES } from './schema';

import type { BuildingRange, Community, ConfigProblem } from './types';

export type { BuildingRange, Community, ConfigProblem } from './types';

export type ValidationResult = { ok: true; community: Community } | { ok: false; problems: ConfigProblem[] };

export function parseRange(text: string): { from: number; to: number } {
  const [a, b] = text.split('-').map((s) => Number.parseInt(s.trim(), 10));
  return { from: a!, to: b ?? a! };
}

export const formatRange = (from: number, to: number) => (from === to ? `${from}` : `${from}-${to}`);

/** Parse YAML text and validate it. `source` (a file name) prefixes every problem. */
export function parseCommunityConfigText(text: string): ValidationResult {
  const parsed = parseStrictYaml(text);
  return parsed.ok ? validateCommunityConfig(parsed.value) : parsed;
}

/** Validate an already-parsed config object: schema first, then the cross-reference rules. */
export function validateCommunityConfig(raw: unknown): ValidationResult {
  const parsed = CommunityConfig.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: schemaProblems(parsed.error),
    };
  }
  const config = parsed.data;
  const problems: ConfigProblem[] = [];

  const index = <T extends { key: string }>(list: T[], listName: string, what: string) => {
    const map = new Map<string, T>();
    list.forEach((item, i) => {
      if (map.has(item.key)) {
        const first = list.findIndex((x) => x.key === item.key);
        problems.push({
          path: `${listName}[${i}].key`,
          message: `${what}键 "${item.key}" 重复（与 ${listName}[${first}] 相同）`,
          values: { key: item.key },
        });
      } else map.set(item.key, item);
    });
    return map;
  };
  const people = index(config.people, 'people', '人员');
  const zones = index(config.zones, 'zones', '区域');
  const lines = index(config.lines, 'lines', '条线');
  const categories = index(config.categories, 'categories', '类别');
  const facilities = index(config.facilities, 'facilities', '设施');

  const needPerson = (key: string | undefined, path: string) => {
    if (key === undefined) return;
    const person = people.get(key);
    if (!person) {
      problems.push({
        path,
        message: `引用了未定义的人员 "${key}"：请先在 people 中定义`,
        values: { person: key },
      });
    } else if (!person.active) {
      problems.push({
        path,
        message: `人员 "${key}"（${person.name}）已停用，不能担任任何职务：请先改由他人担任`,
        values: { person: key },
      });
    }
  };

  needPerson(config.leadershipGroup.leader, 'leadershipGroup.leader');
  config.leadershipGroup.members.forEach((m, i) => {
    needPerson(m, `leadershipGroup.members[${i}]`);
  });
  needPerson(config.secretary, 'secretary');
  needPerson(config.intake.triageOwner, 'intake.triageOwner');
  needPerson(config.propertyManager, 'propertyManager');
  const committee = config.supervisoryCommittee;
  committee.members.forEach((m, i) => {
    needPerson(m, `supervisoryCommittee.members[${i}]`);
  });
  if (committee.chair !== undefined && !committee.members.includes(committee.chair)) {
    problems.push({
      path: 'supervisoryCommittee.chair',
      message: `监督委员会主任 "${committee.chair}" 必须是监督委员会委员：请先加入 members`,
      values: { person: committee.chair },
    });
  }

  const ranges: BuildingRange[] = [];
  config.zones.forEach((zone, zi) => {
    needPerson(zone.leader.person, `zones[${zi}].leader.person`);
    if (zone.leader.org !== 'oc') {
      problems.push({
        path: `zones[${zi}].leader.org`,
        message: `区域 "${zone.key}" 的组长 "${zone.leader.person}" 必须是业委会成员（oc），但配置为 ${zone.leader.org}（${ORG_NAMES[zone.leader.org]}）`,
        values: { zone: zone.key, person: zone.leader.person, org: zone.leader.org },
      });
    }
    const seen = new Set<string>();
    zone.members.forEach((m, mi) => {
      needPerson(m.person, `zones[${zi}].members[${mi}].person`);
      const id = `${m.person}/${m.org}`;
      if (seen.has(id)) {
        problems.push({
          path: `zones[${zi}].members[${mi}]`,
          message: `区域 "${zone.key}" 中成员 "${m.person}"（${m.org}）重复`,
          values: { zone: zone.key, person: m.person },
        });
      }
      seen.add(id);
    });
    zone.buildings.forEach((text, bi) => {
      const { from, to } = parseRange(text);
      const path = `zones[${zi}].buildings[${bi}]`;
      if (from < 1 || to < from) {
        problems.push({
          path,
          message: `楼号范围 "${text}" 无效：起始号须 ≥ 1 且不大于结束号`,
          values: { zone: zone.key, range: text },
        });
        return;
      }
      ranges.push({ zone: zone.key, from, to, path });
    });
  });

  // Overlaps: sort by start; any range that starts before the furthest end seen so far overlaps.
  // File order, to name the later range as the offender: comparing paths as strings would put
  // zones[10] before zones[2].
  const fileOrder = new Map(ranges.map((r, i) => [r, i]));
  ranges.sort((a, b) => a.from - b.from || a.to - b.to);
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length && ranges[j]!.from <= ranges[i]!.to; j++) {
      const a = ranges[i]!;
      const b = ranges[j]!;
      const overlap = formatRange(b.from, Math.min(a.to, b.to));
      const [first, second] = fileOrder.get(a)! < fileOrder.get(b)! ? [a, b] : [b, a];
      problems.push({
        path: second.path,
        message:
          first.zone === second.zone
            ? `区域 "${first.zone}" 的楼号范围自身重叠：${overlap} 号`
            : `区域 "${first.zone}" 与区域 "${second.zone}" 的楼号范围重叠：${overlap} 号同时属于两个区域（${first.path} 与 ${second.path}）`,
        values: { zones: [first.zone, second.zone], buildings: overlap },
      });
    }
  }

  config.lines.forEach((line, li) => {
    if (!line.leader) {
      problems.push({
        path: `lines[${li}].leader`,
        message: `条线 "${line.key}"（${line.name}）没有负责人：每个条线必须指定 leader`,
        values: { line: line.key },
      });
    }
    needPerson(line.leader, `lines[${li}].leader`);
    needPerson(line.assignee, `lines[${li}].assignee`);
  });

  config.categories.forEach((cat, ci) => {
    if (cat.line !== undefined && !lines.has(cat.line)) {
      problems.push({
        path: `categories[${ci}].line`,
        message: `类别 "${cat.key}" 指向未知条线 "${cat.line}"；已有条线：${[...lines.keys()].join('、') || '（无）'}`,
        values: { category: cat.key, line: cat.line, knownLines: [...lines.keys()] },
      });
    }
  });

  for (const key of Object.keys(config.sla.categories)) {
    if (!categories.has(key)) {
      problems.push({
        path: `sla.categories.${key}`,
        message: `时限规则指向未知类别 "${key}"；已有类别：${[...categories.keys()].join('、')}`,
        values: { category: key },
      });
    }
  }

  config.caseHandling.verification.categories.forEach((key, i) => {
    if (!categories.has(key)) {
      problems.push({
        path: `caseHandling.verification.categories[${i}]`,
        message: `现场核查指向未知类别 "${key}"；已有类别：${[...categories.keys()].join('、')}`,
        values: { category: key },
      });
    }
  });

  config.facilities.forEach((f, fi) => {
    const path = `facilities[${fi}]`;
    if ((f.building === undefined) === (f.zone === undefined)) {
      problems.push({
        path,
        message: `设施 "${f.key}"（${f.name}）须且只能指定 building（楼号）或 zone（无楼号的区域）之一`,
        values: { facility: f.key, building: f.building, zone: f.zone },
      });
    }
    // A scan, not zoneForBuilding's binary search: here the ranges may still overlap.
    if (f.building !== undefined && !ranges.some((r) => f.building! >= r.from && f.building! <= r.to)) {
      problems.push({
        path: `${path}.building`,
        message: `设施 "${f.key}" 所在的 ${f.building} 号楼不在任何区域的楼号范围内`,
        values: { facility: f.key, building: f.building },
      });
    }
    if (f.zone !== undefined && !zones.has(f.zone)) {
      problems.push({
        path: `${path}.zone`,
        message: `设施 "${f.key}" 指向未知区域 "${f.zone}"；已有区域：${[...zones.keys()].join('、')}`,
        values: { facility: f.key, zone: f.zone, knownZones: [...zones.keys()] },
      });
    }
    if (!categories.has(f.category)) {
      problems.push({
        path: `${path}.category`,
        message: `设施 "${f.key}" 指向未知类别 "${f.category}"；已有类别：${[...categories.keys()].join('、')}`,
        values: { facility: f.key, category: f.category },
      });
    }
  });

  problems.push(...checkDutyConfig({ config, people }, config.duty));
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    community: {
      config,
      key: config.key,
      name: config.name,
      people,
      zones,
      lines,
      categories,
      facilities,
      ranges,
    },
  };
}

/** One line per problem: `file: path: message`. */
export function formatConfigProblems(source: string, problems: ConfigProblem[]): string {
  return problems
    .map((p) => `${source}${p.line ? `:${p.line}` : ''}: ${p.path ? `${p.path}: ` : ''}${p.message}`)
    .join('\n');
}
