import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  type CommunityConfig,
  type ConfigProblem,
  formatConfigProblems,
  parseCommunityConfigText,
  validateCommunityConfig,
} from '../../packages/domain/src';
import {
  expectProblems,
  expectValid,
  loadXiaduoyuan,
  SHIPPED_CONFIG_PATH,
  SOURCE_FACTS_PATH,
  shippedConfig,
  shippedConfigText,
} from './fixtures';

/** The one problem at `path`; fails listing every problem when there is none. */
function problemAt(problems: ConfigProblem[], path: string): ConfigProblem {
  const found = problems.find((p) => p.path === path);
  if (!found) {
    throw new Error(
      `no problem at ${path}; got:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`,
    );
  }
  return found;
}

/** 1-based line of the n-th (1-based) occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string, occurrence = 1): number {
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" occurs fewer than ${occurrence} times`);
  }
  return text.slice(0, at).split('\n').length;
}

describe('the shipped config (config/communities/xiaduoyuan.yaml)', () => {
  const community = loadXiaduoyuan();

  it('validates', () => {
    expect(parseCommunityConfigText(shippedConfigText()).ok).toBe(true);
    expect(community.key).toBe('xiaduoyuan');
    expect(community.name).toBe('夏朵园居民区');
  });

  it('has the five zones of the source, in order', () => {
    expect([...community.zones.keys()]).toEqual(['zone-1', 'zone-2', 'zone-3', 'zone-4', 'commercial']);
  });

  it('has three lines: elevator led by 周建平, fire and pump led by 贺贤洋', () => {
    expect([...community.lines.keys()]).toEqual(['elevator', 'fire', 'pump']);
    expect(community.lines.get('elevator')?.leader).toBe('zhou-jianping');
    expect(community.lines.get('fire')?.leader).toBe('he-xianyang');
    expect(community.lines.get('pump')?.leader).toBe('he-xianyang');
    expect(community.people.get('zhou-jianping')?.name).toBe('周建平');
    expect(community.people.get('he-xianyang')?.name).toBe('贺贤洋');
  });

  it('resolves the zone-4 defect: zone 4 carries no building range, and says why', () => {
    const zone4 = community.zones.get('zone-4');
    expect(zone4?.buildings).toEqual([]);
    expect(zone4?.note).toMatch(/待.*确认/);
    expect(community.zones.get('zone-2')?.buildings).toEqual(['43-85']);
    expect(community.zones.get('commercial')?.buildings).toEqual([]);
  });

  it('builds sorted, disjoint building ranges from the numbered zones only', () => {
    expect(community.ranges.map((r) => ({ zone: r.zone, from: r.from, to: r.to }))).toEqual([
      { zone: 'zone-1', from: 1, to: 42 },
      { zone: 'zone-2', from: 43, to: 85 },
      { zone: 'zone-3', from: 86, to: 141 },
    ]);
  });

  it('maps exactly the line categories of docs/domain.md §4 to lines', () => {
    const lineOf = Object.fromEntries(
      [...community.categories.values()].filter((c) => c.line).map((c) => [c.key, c.line]),
    );
    expect(lineOf).toEqual({
      elevator: 'elevator',
      fire_safety: 'fire',
      fire_equipment: 'fire',
      escape_route: 'fire',
      water_pump: 'pump',
      secondary_water: 'pump',
      water_pressure: 'pump',
    });
  });

  it('has every zone led by an oc member, and the secretary and leadership of the source', () => {
    for (const zone of community.zones.values()) expect(zone.leader.org).toBe('oc');
    expect(community.config.secretary).toBe('tu-zhongmei');
    expect(community.config.leadershipGroup.leader).toBe('wen-liang');
    expect(community.config.leadershipGroup.members).toHaveLength(5);
  });

  it('fills routing defaults the source does not state', () => {
    expect(community.config.routing).toEqual({
      jointMeetingScopes: ['community'],
      emergencyReportBackMinutes: 30,
      publicNoticeDays: 7,
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The raw source facts, converted in the test to our format, must be refused for the zone-4
// defect: the source prints 43-85 for both zone 2 and zone 4.

interface SourceMember {
  name: string;
  org: CommunityConfig['zones'][number]['leader']['org'];
}
interface SourceFacts {
  community: { name: string; principle: string };
  leadership_group: { leader: string; members: string[] };
  zones: {
    key: string;
    name: string;
    buildings: string | null;
    leader: SourceMember;
    members: SourceMember[];
  }[];
  lines: { key: string; name: string; leader: string; duty: string }[];
  secretary: { name: string };
}

function convertSourceFacts(source: SourceFacts): unknown {
  const keys = new Map<string, string>();
  const person = (name: string) => {
    if (!keys.has(name)) keys.set(name, `p${keys.size + 1}`);
    return keys.get(name)!;
  };
  const leadershipGroup = {
    leader: person(source.leadership_group.leader),
    members: source.leadership_group.members.map(person),
  };
  const zones = source.zones.map((z) => ({
    key: z.key,
    name: z.name,
    buildings: z.buildings === null ? [] : [z.buildings],
    leader: { person: person(z.leader.name), org: z.leader.org },
    members: z.members.map((m) => ({ person: person(m.name), org: m.org })),
  }));
  const lines = source.lines.map((l) => ({
    key: l.key,
    name: l.name,
    leader: person(l.leader),
    duty: l.duty,
  }));
  const secretary = person(source.secretary.name);
  return {
    key: 'xiaduoyuan',
    name: source.community.name,
    principle: source.community.principle,
    people: [...keys].map(([name, key]) => ({ key, name })),
    leadershipGroup,
    secretary,
    zones,
    lines,
    categories: [
      { key: 'elevator', name: '电梯故障', line: 'elevator' },
      { key: 'fire_safety', name: '消防安全隐患', line: 'fire' },
      { key: 'water_pump', name: '水泵故障', line: 'pump' },
      { key: 'other', name: '其他' },
    ],
  };
}

describe('the raw source facts (docs/sources/xiaduoyuan-facts.yaml)', () => {
  const source = parseYaml(readFileSync(SOURCE_FACTS_PATH, 'utf8')) as SourceFacts;

  it('prints 43-85 for both zone 2 and zone 4 (the defect this suite guards)', () => {
    const printed = Object.fromEntries(source.zones.map((z) => [z.key, z.buildings]));
    expect(printed['zone-2']).toBe('43-85');
    expect(printed['zone-4']).toBe('43-85');
  });

  it('names the same 36 people as the shipped config', () => {
    const converted = convertSourceFacts(source) as { people: { name: string }[] };
    const shippedNames = loadXiaduoyuan().config.people.map((p) => p.name);
    expect(converted.people.map((p) => p.name).sort()).toEqual([...shippedNames].sort());
    expect(converted.people).toHaveLength(36);
  });

  it('is refused with exactly one problem: zone 2 and zone 4 overlap on 43-85', () => {
    const problems = expectProblems(validateCommunityConfig(convertSourceFacts(source)));
    expect(problems).toHaveLength(1);
    const overlap = problemAt(problems, 'zones[3].buildings[0]');
    expect(overlap.message).toContain('zone-2');
    expect(overlap.message).toContain('zone-4');
    expect(overlap.message).toContain('43-85');
    expect(overlap.message).toContain('重叠');
    expect(overlap.values).toEqual({ zones: ['zone-2', 'zone-4'], buildings: '43-85' });
  });

  it('validates once zone 4 carries no range, as the shipped config resolves it', () => {
    const converted = convertSourceFacts(source) as { zones: { key: string; buildings: string[] }[] };
    converted.zones.find((z) => z.key === 'zone-4')!.buildings = [];
    const community = expectValid(validateCommunityConfig(converted));
    expect(community.ranges.map((r) => r.zone)).toEqual(['zone-1', 'zone-2', 'zone-3']);
  });

  it('is named by file and path when formatted for a person', () => {
    const problems = expectProblems(validateCommunityConfig(convertSourceFacts(source)));
    const text = formatConfigProblems('data/xiaduoyuan.yaml', problems);
    expect(text).toMatch(/^data\/xiaduoyuan\.yaml: zones\[3\]\.buildings\[0\]: .*zone-2.*zone-4/);
  });
});

// ---------------------------------------------------------------------------------------------
// Refusals, each a mutation of the valid shipped config.

interface RefusalCase {
  name: string;
  mutate: (c: CommunityConfig) => void;
  path: string;
  contains: string[];
  values?: Record<string, unknown>;
}

const refusals: RefusalCase[] = [
  // overlapping ranges
  {
    name: 'partial overlap between two zones (zone-2 40-50 vs zone-1 1-42)',
    mutate: (c) => {
      c.zones[1]!.buildings = ['40-50'];
    },
    path: 'zones[1].buildings[0]',
    contains: ['zone-1', 'zone-2', '40-42', 'zones[0].buildings[0]'],
    values: { zones: ['zone-1', 'zone-2'], buildings: '40-42' },
  },
  {
    name: 'overlap where the later zone in the file has the lower range (names the later one)',
    mutate: (c) => {
      c.zones[0]!.buildings = ['1-42', '140-150'];
    },
    path: 'zones[2].buildings[0]',
    contains: ['zone-1', 'zone-3', '140-141'],
    values: { zones: ['zone-1', 'zone-3'], buildings: '140-141' },
  },
  {
    name: 'one building of zone 4 inside zone 2',
    mutate: (c) => {
      c.zones[3]!.buildings = ['50'];
    },
    path: 'zones[3].buildings[0]',
    contains: ['zone-2', 'zone-4', '50'],
    values: { zones: ['zone-2', 'zone-4'], buildings: '50' },
  },
  ...(['43', '85'] as const).map(
    (building): RefusalCase => ({
      name: `a single building on zone 2's edge (${building})`,
      mutate: (c) => {
        c.zones[3]!.buildings = [building];
      },
      path: 'zones[3].buildings[0]',
      contains: ['zone-2', 'zone-4', building],
      values: { zones: ['zone-2', 'zone-4'], buildings: building },
    }),
  ),
  {
    name: 'ranges that share only their end building (zone-4 30-43 vs zone-2 43-85)',
    mutate: (c) => {
      c.zones[0]!.buildings = ['1-29'];
      c.zones[3]!.buildings = ['30-43'];
    },
    path: 'zones[3].buildings[0]',
    contains: ['zone-2', 'zone-4', '43'],
    values: { zones: ['zone-2', 'zone-4'], buildings: '43' },
  },
  {
    name: 'a range nested inside another zone range (86-141 contains 100-110)',
    mutate: (c) => {
      c.zones[4]!.buildings = ['100-110'];
    },
    path: 'zones[4].buildings[0]',
    contains: ['zone-3', 'commercial', '100-110'],
    values: { zones: ['zone-3', 'commercial'], buildings: '100-110' },
  },
  {
    name: 'overlap within one zone',
    mutate: (c) => {
      c.zones[0]!.buildings = ['1-42', '30-35'];
    },
    path: 'zones[0].buildings[1]',
    contains: ['zone-1', '自身重叠', '30-35'],
    values: { zones: ['zone-1', 'zone-1'], buildings: '30-35' },
  },
  // bad ranges
  {
    name: 'a range whose start is greater than its end',
    mutate: (c) => {
      c.zones[0]!.buildings = ['42-1'];
    },
    path: 'zones[0].buildings[0]',
    contains: ['42-1', '无效'],
    values: { zone: 'zone-1', range: '42-1' },
  },
  {
    name: 'a range starting at building 0',
    mutate: (c) => {
      c.zones[0]!.buildings = ['0-42'];
    },
    path: 'zones[0].buildings[0]',
    contains: ['0-42', '≥ 1'],
    values: { zone: 'zone-1', range: '0-42' },
  },
  {
    name: 'a range that is not a range',
    mutate: (c) => {
      c.zones[0]!.buildings = ['1 to 42'];
    },
    path: 'zones[0].buildings[0]',
    contains: ['1-42'],
  },
  // leaders
  {
    name: 'a zone leader who is not oc',
    mutate: (c) => {
      c.zones[2]!.leader.org = 'rc';
    },
    path: 'zones[2].leader.org',
    contains: ['zone-3', 'li-gang', 'rc', '居委会', 'oc'],
    values: { zone: 'zone-3', person: 'li-gang', org: 'rc' },
  },
  {
    name: 'a line with no leader',
    mutate: (c) => {
      delete c.lines[0]!.leader;
    },
    path: 'lines[0].leader',
    contains: ['elevator', '电梯', '负责人'],
    values: { line: 'elevator' },
  },
  // categories
  {
    name: 'a category mapped to an unknown line',
    mutate: (c) => {
      c.categories[0]!.line = 'lift';
    },
    path: 'categories[0].line',
    contains: ['elevator', 'lift', 'elevator、fire、pump'],
    values: { category: 'elevator', line: 'lift', knownLines: ['elevator', 'fire', 'pump'] },
  },
  // undefined people
  ...(
    [
      ['a zone member', 'zones[0].members[2].person', (c) => (c.zones[0]!.members[2]!.person = 'ghost')],
      ['a zone leader', 'zones[1].leader.person', (c) => (c.zones[1]!.leader.person = 'ghost')],
      ['a line leader', 'lines[1].leader', (c) => (c.lines[1]!.leader = 'ghost')],
      ['a line assignee', 'lines[2].assignee', (c) => (c.lines[2]!.assignee = 'ghost')],
      ['the secretary', 'secretary', (c) => (c.secretary = 'ghost')],
      ['the property manager', 'propertyManager', (c) => (c.propertyManager = 'ghost')],
      ['the leadership leader', 'leadershipGroup.leader', (c) => (c.leadershipGroup.leader = 'ghost')],
      ['a leadership member', 'leadershipGroup.members[2]', (c) => (c.leadershipGroup.members[2] = 'ghost')],
    ] as const satisfies readonly [string, string, (c: CommunityConfig) => unknown][]
  ).map(
    ([who, path, mutate]): RefusalCase => ({
      name: `${who} who is not defined in people`,
      mutate,
      path,
      contains: ['ghost', '未定义', 'people'],
      values: { person: 'ghost' },
    }),
  ),
  // duplicate keys
  {
    name: 'a duplicate person key',
    mutate: (c) => {
      c.people.push({ key: 'wen-liang', name: '另一个闻良', showContact: false, active: true });
    },
    path: 'people[36].key',
    contains: ['wen-liang', '重复', 'people[0]'],
    values: { key: 'wen-liang' },
  },
  {
    name: 'a duplicate zone key',
    mutate: (c) => {
      c.zones.push({ ...structuredClone(c.zones[4]!), key: 'zone-1' });
    },
    path: 'zones[5].key',
    contains: ['zone-1', '重复', 'zones[0]'],
    values: { key: 'zone-1' },
  },
  {
    name: 'a duplicate line key',
    mutate: (c) => {
      c.lines.push({ key: 'fire', name: '消防二', leader: 'he-xianyang' });
    },
    path: 'lines[3].key',
    contains: ['fire', '重复', 'lines[1]'],
    values: { key: 'fire' },
  },
  {
    name: 'a duplicate category key',
    mutate: (c) => {
      c.categories.push({ key: 'other', name: '其他二' });
    },
    path: 'categories[18].key',
    contains: ['other', '重复', 'categories[17]'],
    values: { key: 'other' },
  },
  {
    name: 'the same member listed twice in one zone',
    mutate: (c) => {
      c.zones[1]!.members.push({ person: 'chen-xia', org: 'rc' });
    },
    path: 'zones[1].members[4]',
    contains: ['zone-2', 'chen-xia', '重复'],
    values: { zone: 'zone-2', person: 'chen-xia' },
  },
  // schema (strict objects, enums, key format)
  {
    name: 'an unknown field in a zone',
    mutate: (c) => {
      (c.zones[0] as Record<string, unknown>).colour = 'red';
    },
    path: 'zones[0].colour',
    contains: ['colour', '不认识的字段'],
  },
  {
    name: 'an unknown field in a line',
    mutate: (c) => {
      (c.lines[2] as Record<string, unknown>).leaders = ['he-xianyang'];
    },
    path: 'lines[2].leaders',
    contains: ['leaders'],
  },
  {
    name: 'an unknown org',
    mutate: (c) => {
      (c.zones[0]!.members[0] as { org: string }).org = 'police';
    },
    path: 'zones[0].members[0].org',
    contains: ['oc', 'grid'],
  },
  {
    name: 'a key with capitals',
    mutate: (c) => {
      c.zones[0]!.key = 'Zone-1';
    },
    path: 'zones[0].key',
    contains: ['小写'],
  },
  {
    name: 'a malformed phone number',
    mutate: (c) => {
      c.people[0]!.phone = '12345';
    },
    path: 'people[0].phone',
    contains: ['11'],
  },
  {
    name: 'no categories at all',
    mutate: (c) => {
      c.categories = [];
    },
    path: 'categories',
    contains: [],
  },
];

describe('validateCommunityConfig refuses', () => {
  it('nothing in the unmutated copy (the cases below fail for their mutation alone)', () => {
    expect(validateCommunityConfig(shippedConfig()).ok).toBe(true);
  });

  it.each(refusals)('$name', ({ mutate, path, contains, values }) => {
    const config = shippedConfig();
    mutate(config);
    const problem = problemAt(expectProblems(validateCommunityConfig(config)), path);
    for (const text of contains) expect(problem.message).toContain(text);
    if (values) expect(problem.values).toEqual(values);
  });

  it('reports every problem at once, not only the first', () => {
    const config = shippedConfig();
    config.zones[3]!.buildings = ['43-85'];
    config.secretary = 'ghost';
    delete config.lines[0]!.leader;
    const paths = expectProblems(validateCommunityConfig(config))
      .map((p) => p.path)
      .sort();
    expect(paths).toEqual(['lines[0].leader', 'secretary', 'zones[3].buildings[0]']);
  });

  it('reports each overlapping pair when three zones share buildings', () => {
    const config = shippedConfig();
    config.zones[3]!.buildings = ['60-70'];
    config.zones[4]!.buildings = ['65-90'];
    const overlaps = expectProblems(validateCommunityConfig(config)).map((p) => p.values);
    expect(overlaps).toEqual(
      expect.arrayContaining([
        { zones: ['zone-2', 'zone-4'], buildings: '60-70' },
        { zones: ['zone-2', 'commercial'], buildings: '65-85' },
        { zones: ['zone-4', 'commercial'], buildings: '65-70' },
        { zones: ['zone-3', 'commercial'], buildings: '86-90' },
      ]),
    );
    expect(overlaps).toHaveLength(4);
  });

  it('names the later zone even past ten zones (file order, not string order)', () => {
    const config = shippedConfig();
    for (let i = 5; i <= 10; i++) {
      config.zones.push({ ...structuredClone(config.zones[4]!), key: `extra-${i}`, buildings: [] });
    }
    // zones[1] vs zones[10]: as strings "zones[10]" sorts first, in the file it comes last.
    config.zones[10]!.buildings = ['50-52'];
    const problem = problemAt(expectProblems(validateCommunityConfig(config)), 'zones[10].buildings[0]');
    expect(problem.values).toEqual({ zones: ['zone-2', 'extra-10'], buildings: '50-52' });
  });

  it('accepts adjacent ranges that touch but do not overlap', () => {
    const config = shippedConfig();
    config.zones[3]!.buildings = ['142-150', '151'];
    const community = expectValid(validateCommunityConfig(config));
    expect(community.ranges.at(-1)).toMatchObject({ zone: 'zone-4', from: 151, to: 151 });
  });
});

describe('parseCommunityConfigText refuses YAML-level defects', () => {
  const text = shippedConfigText();

  it.each([
    {
      name: 'a top-level key written twice',
      edit: (t: string) => t.replace('name: 夏朵园居民区\n', 'name: 夏朵园居民区\nname: 重复的名字\n'),
      path: 'name',
      needle: 'name: 重复的名字',
    },
    {
      name: 'a key written twice in a zone mapping',
      edit: (t: string) =>
        t.replace('    name: 第三责任区域\n', '    name: 第三责任区域\n    name: 又一个区域\n'),
      path: 'zones[2].name',
      needle: '    name: 又一个区域',
    },
    {
      name: 'a key written twice in a flow mapping',
      edit: (t: string) =>
        t.replace('{ key: wen-liang, name: 闻良 }', '{ key: wen-liang, name: 闻良, name: 闻 }'),
      path: 'people[0].name',
      needle: 'name: 闻 }',
    },
  ])('$name → 键重复 with the line number', ({ edit, path, needle }) => {
    const edited = edit(text);
    expect(edited).not.toBe(text);
    const line = lineOf(edited, needle);
    const problems = expectProblems(parseCommunityConfigText(edited));
    const problem = problemAt(problems, path);
    expect(problem.message).toContain('键重复');
    expect(problem.line).toBe(line);
    expect(problem.message).toContain(`第 ${line} 行`);
  });

  it('an unknown field → a problem at the path of the field', () => {
    const edited = text.replace('    name: 第一责任区域\n', '    name: 第一责任区域\n    colour: red\n');
    const problem = problemAt(expectProblems(parseCommunityConfigText(edited)), 'zones[0].colour');
    expect(problem.message).toContain('colour');
  });

  it('a YAML syntax error → a problem with its line', () => {
    const problems = expectProblems(parseCommunityConfigText('key: xiaduoyuan\nname: [夏朵园\n'));
    expect(problems[0]!.message).toContain('YAML 语法错误');
    expect(problems[0]!.line).toBeGreaterThanOrEqual(2);
  });
});

describe('formatConfigProblems', () => {
  it('prefixes the file name and the path to every problem, one per line', () => {
    const text = formatConfigProblems('config/communities/x.yaml', [
      { path: 'zones[3].buildings[0]', message: '重叠' },
      { path: 'secretary', message: '未定义' },
    ]);
    expect(text.split('\n')).toEqual([
      'config/communities/x.yaml: zones[3].buildings[0]: 重叠',
      'config/communities/x.yaml: secretary: 未定义',
    ]);
  });

  it('adds the line after the file name when known, and omits an empty path', () => {
    expect(formatConfigProblems('a.yaml', [{ path: 'name', line: 3, message: '键重复' }])).toBe(
      'a.yaml:3: name: 键重复',
    );
    expect(formatConfigProblems('a.yaml', [{ path: '', message: 'YAML 语法错误' }])).toBe(
      'a.yaml: YAML 语法错误',
    );
  });

  it('formats a real refusal with the shipped file name', () => {
    const config = shippedConfig();
    config.zones[2]!.leader.org = 'grid';
    const text = formatConfigProblems(SHIPPED_CONFIG_PATH, expectProblems(validateCommunityConfig(config)));
    expect(text).toBe(
      `${SHIPPED_CONFIG_PATH}: zones[2].leader.org: 区域 "zone-3" 的组长 "li-gang" 必须是业委会成员（oc），但配置为 grid（网格巡查）`,
    );
  });
});
