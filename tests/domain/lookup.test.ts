import {
  getZone,
  type LocationInput,
  propertyStaffOf,
  resolveZone,
  rolesOf,
  zoneForBuilding,
} from '../../packages/domain/src';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

const community = loadXiaduoyuan();

describe('zoneForBuilding', () => {
  it.each([
    [1, 'zone-1'],
    [12, 'zone-1'],
    [42, 'zone-1'],
    [43, 'zone-2'],
    [60, 'zone-2'],
    [85, 'zone-2'],
    [86, 'zone-3'],
    [100, 'zone-3'],
    [141, 'zone-3'],
  ])('building %i → %s', (building, zone) => {
    expect(zoneForBuilding(community, building)?.key).toBe(zone);
  });

  it.each([0, -1, 142, 999])('building %i → no zone', (building) => {
    expect(zoneForBuilding(community, building)).toBeUndefined();
  });

  it('finds every building 1..141 in exactly the zone whose ranges list it', () => {
    for (let b = 1; b <= 141; b++) {
      const expected = b <= 42 ? 'zone-1' : b <= 85 ? 'zone-2' : 'zone-3';
      expect(zoneForBuilding(community, b)?.key).toBe(expected);
    }
  });

  it('never answers zone-4 or commercial, which carry no numbered range', () => {
    const zones = new Set<string | undefined>();
    for (let b = 0; b <= 200; b++) zones.add(zoneForBuilding(community, b)?.key);
    expect(zones).toEqual(new Set(['zone-1', 'zone-2', 'zone-3', undefined]));
  });
});

describe('resolveZone', () => {
  it.each<[string, LocationInput, string]>([
    ['a building gives its zone', { building: 12 }, 'zone-1'],
    ['a building at a zone boundary', { building: 85 }, 'zone-2'],
    ['the commercial street by zone only', { zone: 'commercial' }, 'commercial'],
    ['zone 4 (no confirmed range) by zone only', { zone: 'zone-4' }, 'zone-4'],
    ['building and zone that agree', { building: 100, zone: 'zone-3' }, 'zone-3'],
    ['an explicit undefined zone is ignored', { building: 50, zone: undefined }, 'zone-2'],
  ])('%s', (_, loc, zone) => {
    expect(resolveZone(community, loc).key).toBe(zone);
  });

  it.each<[string, LocationInput, string, string, string[]]>([
    [
      'building and zone disagree',
      { building: 12, zone: 'zone-2' },
      'building_zone_mismatch',
      'zone',
      ['12', '第一责任区域'],
    ],
    ['a building no zone covers', { building: 142 }, 'building_not_in_zone', 'building', ['142']],
    ['building 0', { building: 0 }, 'building_not_in_zone', 'building', ['0']],
    ['neither building nor zone', {}, 'location_required', 'building', ['楼号', '区域']],
    ['an unknown zone', { zone: 'zone-9' }, 'unknown_zone', 'zone', ['zone-9']],
  ])('refuses %s', (_, loc, code, path, inMessage) => {
    const err = domainErrorOf(() => resolveZone(community, loc));
    expect(err.kind).toBe('invalid');
    expect(err.code).toBe(code);
    expect(err.details?.[0]?.path).toBe(path);
    for (const text of inMessage) expect(err.message).toContain(text);
  });

  it('a mismatch names both zones in its detail', () => {
    const err = domainErrorOf(() => resolveZone(community, { building: 12, zone: 'zone-2' }));
    expect(err.details?.[0]?.message).toContain('zone-1');
    expect(err.details?.[0]?.message).toContain('zone-2');
  });

  it('an unknown zone lists the zones to choose from', () => {
    const err = domainErrorOf(() => resolveZone(community, { zone: 'zone-9' }));
    expect(err.details?.[0]?.message).toContain('zone-1、zone-2、zone-3、zone-4、commercial');
  });

  it('prefixes detail paths for nested input', () => {
    const err = domainErrorOf(() => resolveZone(community, { building: 999 }, 'body.'));
    expect(err.details?.[0]?.path).toBe('body.building');
  });

  it('an unknown building is refused even when a valid zone is also given', () => {
    const err = domainErrorOf(() => resolveZone(community, { building: 500, zone: 'zone-4' }));
    expect(err.code).toBe('building_not_in_zone');
  });
});

describe('getZone', () => {
  it('returns a known zone and refuses an unknown one as not_found', () => {
    expect(getZone(community, 'commercial').name).toBe('商业街区域');
    const err = domainErrorOf(() => getZone(community, 'nowhere'));
    expect(err.kind).toBe('not_found');
    expect(err.code).toBe('zone_not_found');
  });
});

describe('rolesOf', () => {
  it('庄永亮 is a grid inspector in zone-2 and zone-3, and nothing else', () => {
    expect(rolesOf(community, 'zhuang-yongliang')).toEqual({
      person: 'zhuang-yongliang',
      zones: [
        { zone: 'zone-2', org: 'grid', leader: false },
        { zone: 'zone-3', org: 'grid', leader: false },
      ],
      linesLed: [],
      secretary: false,
      leadership: false,
      propertyManager: false,
      supervisor: false,
    });
  });

  it('费红心 is grid in zone-3 and zone-4', () => {
    expect(rolesOf(community, 'fei-hongxin').zones.map((z) => `${z.zone}/${z.org}`)).toEqual([
      'zone-3/grid',
      'zone-4/grid',
    ]);
  });

  it('贺贤洋 leads fire and pump, and belongs to no zone', () => {
    const roles = rolesOf(community, 'he-xianyang');
    expect(roles.linesLed).toEqual(['fire', 'pump']);
    expect(roles.zones).toEqual([]);
  });

  it('周建平 leads the elevator line', () => {
    expect(rolesOf(community, 'zhou-jianping').linesLed).toEqual(['elevator']);
  });

  it('屠忠梅 is the secretary, not leadership', () => {
    const roles = rolesOf(community, 'tu-zhongmei');
    expect(roles.secretary).toBe(true);
    expect(roles.leadership).toBe(false);
  });

  it.each(['wen-liang', 'chen-lifeng', 'yu-xingli'])('%s is in the leadership group', (person) => {
    const roles = rolesOf(community, person);
    expect(roles.leadership).toBe(true);
    expect(roles.secretary).toBe(false);
  });

  it('a zone leader is an oc member of the zone with the leader flag', () => {
    expect(rolesOf(community, 'wu-wenjie').zones).toEqual([{ zone: 'zone-1', org: 'oc', leader: true }]);
  });

  it('an unknown person has no roles', () => {
    expect(rolesOf(community, 'nobody')).toEqual({
      person: 'nobody',
      zones: [],
      linesLed: [],
      secretary: false,
      leadership: false,
      propertyManager: false,
      supervisor: false,
    });
  });

  it('the property manager flag follows config.propertyManager', () => {
    expect(rolesOf(community, 'zhang-lifen').propertyManager).toBe(false);
    const withManager = { ...community, config: { ...community.config, propertyManager: 'zhang-lifen' } };
    expect(rolesOf(withManager, 'zhang-lifen').propertyManager).toBe(true);
  });
});

describe('propertyStaffOf', () => {
  it.each([
    ['zone-1', ['zhang-lifen']],
    ['zone-2', ['shen-xuli']],
    ['zone-3', ['tang-wangwei']],
    ['zone-4', ['guo-honghui']],
    ['commercial', ['cao-zulu']],
  ])('%s → %j', (zone, staff) => {
    expect(propertyStaffOf(getZone(community, zone))).toEqual(staff);
  });
});
