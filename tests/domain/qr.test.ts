import {
  type CommunityConfig,
  type ConfigProblem,
  DomainError,
  validateCommunityConfig,
} from '../../packages/domain/src';
import {
  base64urlDecode,
  base64urlEncode,
  formatQrPayload,
  joinQrCode,
  parseQrPayload,
  QR_MAC_BYTES,
  type QrTarget,
  qrPayloadBytes,
  qrTargetFromBytes,
  qrTargetsOf,
  resolveQrTarget,
  splitQrCode,
} from '../../packages/domain/src/qr';
import { expectProblems, expectValid, loadXiaduoyuan, shippedConfig } from './fixtures';

const bytes = (...xs: number[]) => Uint8Array.from(xs);
const b12: QrTarget = { community: 'xiaduoyuan', kind: 'building', building: 12 };

describe('base64url', () => {
  it('matches Node’s encoding for every length 0..40', () => {
    for (let n = 0; n <= 40; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 0xff);
      const text = base64urlEncode(data);
      expect(text).toBe(Buffer.from(data).toString('base64url'));
      expect(base64urlDecode(text)).toEqual(data);
    }
  });

  it('refuses a second spelling of the same bytes (non-zero spare bits in the last character)', () => {
    expect(base64urlEncode(bytes(0xff))).toBe('_w');
    // Node decodes "_x" leniently to the same single byte; a code must have one spelling only.
    expect(Buffer.from('_x', 'base64url')).toEqual(Buffer.from([0xff]));
    expect(base64urlDecode('_x')).toBeNull();
    expect(base64urlDecode('_w')).toEqual(bytes(0xff));
  });

  it.each([
    ['standard base64 characters', 'ab+/'],
    ['padding', '_w=='],
    ['a space', 'ab c'],
    ['an impossible length', 'abcde'],
    ['non-ASCII', 'ab楼c'],
  ])('refuses %s', (_name, text) => {
    expect(base64urlDecode(text)).toBeNull();
  });
});

describe('QR payload', () => {
  const targets: [string, QrTarget][] = [
    ['1|xiaduoyuan|b|12', b12],
    ['1|xiaduoyuan|f|pump-room-12', { community: 'xiaduoyuan', kind: 'facility', facility: 'pump-room-12' }],
    ['1|xiaduoyuan|z|zone-4', { community: 'xiaduoyuan', kind: 'zone', zone: 'zone-4' }],
  ];

  it.each(targets)('%s formats and parses back', (text, target) => {
    expect(formatQrPayload(target)).toBe(text);
    expect(parseQrPayload(text)).toEqual(target);
    expect(qrTargetFromBytes(qrPayloadBytes(target))).toEqual(target);
  });

  it.each([
    ['a leading zero (a second spelling of 12)', '1|xiaduoyuan|b|012'],
    ['building 0', '1|xiaduoyuan|b|0'],
    ['a non-numeric building', '1|xiaduoyuan|b|12a'],
    ['another version', '2|xiaduoyuan|b|12'],
    ['no version', 'xiaduoyuan|b|12'],
    ['an unknown kind', '1|xiaduoyuan|x|12'],
    ['an upper-case key', '1|Xiaduoyuan|b|12'],
    ['an extra field', '1|xiaduoyuan|b|12|x'],
    ['a trailing newline', '1|xiaduoyuan|b|12\n'],
    ['a space', '1|xiaduoyuan|z| zone-4'],
    ['an empty key', '1||b|12'],
    ['nothing', ''],
  ])('refuses %s', (_name, text) => {
    expect(parseQrPayload(text)).toBeNull();
  });

  it('refuses bytes outside printable ASCII before parsing them', () => {
    const good = qrPayloadBytes(b12);
    expect(qrTargetFromBytes(good)).toEqual(b12);
    expect(qrTargetFromBytes(Uint8Array.from([...good, 0]))).toBeNull();
    expect(qrTargetFromBytes(Uint8Array.from([...good.slice(0, -1), 0xb2]))).toBeNull();
  });

  it('will not format a target that could not be parsed back', () => {
    expect(() => formatQrPayload({ community: 'xia|duoyuan', kind: 'building', building: 12 })).toThrow();
    expect(() => formatQrPayload({ community: 'xiaduoyuan', kind: 'building', building: 1.5 })).toThrow();
    expect(() => formatQrPayload({ community: 'xiaduoyuan', kind: 'zone', zone: 'Zone-4' })).toThrow();
  });
});

describe('QR code text', () => {
  const mac = Uint8Array.from({ length: QR_MAC_BYTES }, (_, i) => i * 11);
  const payload = qrPayloadBytes(b12);
  const code = joinQrCode(payload, mac);

  it('is base64url(payload) "." base64url(mac), and splits back', () => {
    expect(code).toBe(
      `${Buffer.from('1|xiaduoyuan|b|12').toString('base64url')}.${Buffer.from(mac).toString('base64url')}`,
    );
    expect(splitQrCode(code)).toEqual({ payload, mac });
  });

  it.each([
    ['no dot', code.replace('.', '')],
    ['two dots', `${code}.x`],
    ['an empty payload', code.slice(code.indexOf('.'))],
    ['a short MAC', joinQrCode(payload, mac.slice(0, QR_MAC_BYTES - 1))],
    ['a long MAC', joinQrCode(payload, Uint8Array.from([...mac, 0]))],
    ['a very long code', `${'A'.repeat(200)}.${Buffer.from(mac).toString('base64url')}`],
  ])('refuses %s', (_name, text) => {
    expect(splitQrCode(text)).toBeNull();
  });
});

describe('resolving a target against the shipped config', () => {
  const communities = new Map([['xiaduoyuan', loadXiaduoyuan()]]);
  const unknown = (target: QrTarget) => {
    try {
      resolveQrTarget(communities, target);
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      return err as DomainError;
    }
    throw new Error(`resolved ${JSON.stringify(target)}`);
  };

  it('a building gives its zone', () => {
    expect(resolveQrTarget(communities, b12)).toEqual({
      community: { key: 'xiaduoyuan', name: '夏朵园居民区' },
      building: 12,
      zone: { key: 'zone-1', name: '第一责任区域' },
      facility: null,
      category: null,
    });
    expect(resolveQrTarget(communities, { ...b12, building: 85 }).zone.key).toBe('zone-2');
    expect(resolveQrTarget(communities, { ...b12, building: 141 }).zone.key).toBe('zone-3');
  });

  it('a facility in a building gives building, zone and category', () => {
    expect(
      resolveQrTarget(communities, { community: 'xiaduoyuan', kind: 'facility', facility: 'lift-50-1' }),
    ).toMatchObject({
      building: 50,
      zone: { key: 'zone-2' },
      facility: { key: 'lift-50-1', name: '50号楼1号电梯' },
      category: { key: 'elevator', name: '电梯故障' },
    });
  });

  it('a facility in a zone without numbers gives the zone and no building', () => {
    expect(
      resolveQrTarget(communities, {
        community: 'xiaduoyuan',
        kind: 'facility',
        facility: 'commercial-hydrant',
      }),
    ).toMatchObject({
      building: null,
      zone: { key: 'commercial', name: '商业街区域' },
      category: { key: 'fire_equipment' },
    });
  });

  it('a zone code gives the zone', () => {
    expect(
      resolveQrTarget(communities, { community: 'xiaduoyuan', kind: 'zone', zone: 'zone-4' }),
    ).toMatchObject({
      building: null,
      zone: { key: 'zone-4', name: '第四责任区域' },
      facility: null,
      category: null,
    });
  });

  it.each<[string, QrTarget]>([
    ['a building in no zone', { ...b12, building: 142 }],
    ['an unknown facility', { community: 'xiaduoyuan', kind: 'facility', facility: 'lift-99' }],
    ['an unknown zone', { community: 'xiaduoyuan', kind: 'zone', zone: 'zone-9' }],
    ['an unknown community', { ...b12, community: 'elsewhere' }],
  ])('%s is qr_unknown_target (not found)', (_name, target) => {
    const err = unknown(target);
    expect(err.code).toBe('qr_unknown_target');
    expect(err.kind).toBe('not_found');
    expect(err.message).toContain('二维码');
  });
});

describe('qrTargetsOf: what gets a poster', () => {
  const targets = qrTargetsOf(loadXiaduoyuan());

  it('every numbered building 1..141 in order, then each zone without numbers, then each facility', () => {
    const buildings = targets.flatMap((t) => (t.kind === 'building' ? [t.building] : []));
    expect(buildings).toEqual(Array.from({ length: 141 }, (_, i) => i + 1));
    expect(targets.slice(141)).toEqual([
      { community: 'xiaduoyuan', kind: 'zone', zone: 'zone-4' },
      { community: 'xiaduoyuan', kind: 'zone', zone: 'commercial' },
      { community: 'xiaduoyuan', kind: 'facility', facility: 'pump-room-12' },
      { community: 'xiaduoyuan', kind: 'facility', facility: 'lift-50-1' },
      { community: 'xiaduoyuan', kind: 'facility', facility: 'commercial-hydrant' },
    ]);
  });
});

describe('facilities in the community config', () => {
  const withFacilities = (facilities: unknown[]) =>
    validateCommunityConfig({ ...shippedConfig(), facilities });
  const only = (problems: ConfigProblem[]) => {
    expect(problems).toHaveLength(1);
    return problems[0]!;
  };

  it('the shipped examples validate and are indexed by key', () => {
    const community = loadXiaduoyuan();
    expect([...community.facilities.keys()]).toEqual(['pump-room-12', 'lift-50-1', 'commercial-hydrant']);
    expect(community.facilities.get('pump-room-12')).toMatchObject({ building: 12, category: 'water_pump' });
  });

  it('are optional', () => {
    const c = shippedConfig() as Partial<CommunityConfig>;
    delete c.facilities;
    expect(expectValid(validateCommunityConfig(c)).facilities.size).toBe(0);
  });

  it('refuses a building in no zone, naming the facility and the building', () => {
    const p = only(
      expectProblems(
        withFacilities([{ key: 'pump-999', name: '水泵房', building: 999, category: 'water_pump' }]),
      ),
    );
    expect(p.path).toBe('facilities[0].building');
    expect(p.message).toContain('pump-999');
    expect(p.message).toContain('999 号楼');
    expect(p.values).toEqual({ facility: 'pump-999', building: 999 });
  });

  it('refuses an unknown zone, listing the zones', () => {
    const p = only(
      expectProblems(
        withFacilities([{ key: 'hydrant', name: '消火栓', zone: 'zone-9', category: 'fire_equipment' }]),
      ),
    );
    expect(p.path).toBe('facilities[0].zone');
    expect(p.message).toContain('"zone-9"');
    expect(p.message).toContain('commercial');
  });

  it('refuses an unknown category', () => {
    const p = only(
      expectProblems(withFacilities([{ key: 'lift-1', name: '1号楼电梯', building: 1, category: 'lift' }])),
    );
    expect(p.path).toBe('facilities[0].category');
    expect(p.message).toContain('"lift"');
    expect(p.message).toContain('elevator');
  });

  it('refuses a duplicate key, pointing at the second', () => {
    const lift = { key: 'lift-1', name: '1号楼电梯', building: 1, category: 'elevator' };
    const p = only(expectProblems(withFacilities([lift, { ...lift, building: 2 }])));
    expect(p.path).toBe('facilities[1].key');
    expect(p.message).toContain('"lift-1"');
    expect(p.message).toContain('facilities[0]');
  });

  it('refuses both a building and a zone, and neither', () => {
    const both = only(
      expectProblems(
        withFacilities([{ key: 'x', name: 'X', building: 1, zone: 'zone-1', category: 'elevator' }]),
      ),
    );
    expect(both.path).toBe('facilities[0]');
    expect(both.message).toContain('之一');
    const neither = only(expectProblems(withFacilities([{ key: 'x', name: 'X', category: 'elevator' }])));
    expect(neither.path).toBe('facilities[0]');
  });

  it('refuses a key too long for a short QR code, and unknown fields', () => {
    const long = only(
      expectProblems(withFacilities([{ key: 'k'.repeat(33), name: 'X', building: 1, category: 'elevator' }])),
    );
    expect(long.path).toBe('facilities[0].key');
    expect(long.message).toContain('32');
    const typo = only(
      expectProblems(
        withFacilities([{ key: 'x', name: 'X', building: 1, categroy: 'elevator', category: 'other' }]),
      ),
    );
    expect(typo.path).toBe('facilities[0].categroy');
  });
});
