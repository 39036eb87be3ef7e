import {
  type Community,
  type CommunityConfig,
  checkPlace,
  decideIntake,
  type IssueRelation,
  type IssueStatus,
  keepsTriageDesk,
  PlaceIssueInput,
  type Tier,
  type TriageReason,
  triageOwnerOf,
  triageRoute,
  UNPLACED_ZONE,
  validateCommunityConfig,
  zoneNameOf,
} from '../../packages/domain/src';
import { domainErrorOf, expectValid, loadXiaduoyuan, shippedConfig } from './fixtures';

const shipped = loadXiaduoyuan();
function variant(mutate: (c: CommunityConfig) => void): Community {
  const config = shippedConfig();
  mutate(config);
  return expectValid(validateCommunityConfig(config));
}
/** 其他 is owned by no one; the rc desk of zone 1 (张嫩) keeps the triage desk. */
const withDesk = variant((c) => {
  c.categories.find((k) => k.key === 'other')!.triage = true;
  c.intake = { triageOwner: 'zhang-nen' };
});
const noSecretary = variant((c) => {
  delete c.secretary;
});

describe('decideIntake: can routing place the complaint? (docs/domain.md §5, triage)', () => {
  const cases: {
    name: string;
    community?: Community;
    place: { zone?: string; building?: number; category: string };
    zone: string;
    reasons: TriageReason[] | null;
  }[] = [
    {
      name: 'a building in zone 1',
      place: { building: 12, category: 'sanitation' },
      zone: 'zone-1',
      reasons: null,
    },
    {
      name: 'a zone without numbers',
      place: { zone: 'zone-4', category: 'noise' },
      zone: 'zone-4',
      reasons: null,
    },
    {
      name: 'building and its own zone agree',
      place: { zone: 'zone-2', building: 50, category: 'noise' },
      zone: 'zone-2',
      reasons: null,
    },
    {
      name: 'a building in no zone',
      place: { building: 999, category: 'sanitation' },
      zone: UNPLACED_ZONE,
      reasons: ['unknown_building'],
    },
    {
      name: 'building and zone disagree: ambiguous',
      place: { zone: 'zone-1', building: 50, category: 'noise' },
      zone: UNPLACED_ZONE,
      reasons: ['unknown_place'],
    },
    {
      name: 'no place at all',
      place: { category: 'noise' },
      zone: UNPLACED_ZONE,
      reasons: ['unknown_place'],
    },
    {
      name: 'a category no one owns, in a known zone',
      community: withDesk,
      place: { building: 12, category: 'other' },
      zone: 'zone-1',
      reasons: ['unowned_category'],
    },
    {
      name: 'both unknown place and unowned category',
      community: withDesk,
      place: { category: 'other' },
      zone: UNPLACED_ZONE,
      reasons: ['unknown_place', 'unowned_category'],
    },
    {
      name: '其他 is routed as usual where the config does not mark it',
      place: { building: 12, category: 'other' },
      zone: 'zone-1',
      reasons: null,
    },
  ];
  it.each(cases)('$name', ({ community, place, zone, reasons }) => {
    const d = decideIntake(community ?? shipped, place);
    expect(d.zone).toBe(zone);
    expect(d.placed).toBe(reasons === null);
    if (!d.placed) expect(d.reasons).toEqual(reasons);
  });

  it('refuses a zone the community does not have (400, field path), not a doubt', () => {
    const e = domainErrorOf(() => decideIntake(shipped, { zone: 'zone-9', category: 'noise' }, 'body.'));
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe('unknown_zone');
    expect(e.details?.[0]?.path).toBe('body.zone');
  });
});

describe('the triage owner and the triage route', () => {
  it.each([
    { name: 'configured owner', community: withDesk, owner: 'zhang-nen' },
    { name: 'the secretary by default', community: shipped, owner: 'tu-zhongmei' },
    { name: 'nobody without either', community: noSecretary, owner: null },
  ])('$name', ({ community, owner }) => {
    expect(triageOwnerOf(community)).toBe(owner);
    const route = triageRoute(community, UNPLACED_ZONE, ['unknown_building']);
    expect(route).toMatchObject({ tier: 'triage', zone: UNPLACED_ZONE, owner, tasks: [], line: null });
    expect(route.reasons[0]!.rule).toBe('triage');
    expect(route.reasons[0]!.text).toContain('楼号不在任何责任区域内');
  });

  it('names the unplaced zone', () => {
    expect(zoneNameOf(shipped, UNPLACED_ZONE)).toBe('待确定区域');
    expect(zoneNameOf(shipped, 'zone-1')).toBe('第一责任区域');
  });

  it.each([
    { name: 'the configured owner', person: 'zhang-nen', admin: false, keeps: true },
    { name: 'the secretary when another keeps it', person: 'tu-zhongmei', admin: false, keeps: false },
    { name: 'an administrator', person: null, admin: true, keeps: true },
    { name: 'a zone leader', person: 'chen-lifeng', admin: false, keeps: false },
  ])('keepsTriageDesk: $name → $keeps', ({ person, admin, keeps }) => {
    const roles = person ? ({ person, zones: [], linesLed: [] } as never) : null;
    expect(keepsTriageDesk({ accountId: 'a', roles, admin }, withDesk)).toBe(keeps);
  });
});

describe('checkPlace: 409 before 403', () => {
  const cases: {
    name: string;
    status: IssueStatus;
    tier: Tier;
    relations: IssueRelation[];
    keeps: boolean;
    code: string | null;
  }[] = [
    {
      name: 'waiting, by its keeper',
      status: 'submitted',
      tier: 'triage',
      relations: ['owner'],
      keeps: true,
      code: null,
    },
    {
      name: 'waiting, by someone else',
      status: 'submitted',
      tier: 'triage',
      relations: [],
      keeps: false,
      code: 'not_triage_owner',
    },
    {
      name: 'already placed',
      status: 'dispatched',
      tier: 'zone',
      relations: ['owner'],
      keeps: true,
      code: 'not_in_triage',
    },
    {
      name: 'already placed, by someone else: still 409 first',
      status: 'dispatched',
      tier: 'zone',
      relations: [],
      keeps: false,
      code: 'not_in_triage',
    },
    {
      name: 'a banned reporter’s held issue is not on the desk',
      status: 'submitted',
      tier: 'zone',
      relations: ['admin'],
      keeps: true,
      code: 'not_in_triage',
    },
  ];
  it.each(cases)('$name', ({ status, tier, relations, keeps, code }) => {
    if (code === null) return expect(() => checkPlace({ status, tier }, relations, keeps)).not.toThrow();
    const e = domainErrorOf(() => checkPlace({ status, tier }, relations, keeps));
    expect(e.code).toBe(code);
    if (code === 'not_in_triage') {
      expect(e.kind).toBe('conflict');
      expect(e.details?.[0]).toMatchObject({ state: status, allowed: expect.any(Array) });
    } else expect(e.kind).toBe('forbidden');
  });
});

describe('PlaceIssueInput', () => {
  it.each([
    { body: { zone: 'zone-1' }, ok: true },
    { body: { building: 12, category: 'noise', note: '居民电话确认在12号楼' }, ok: true },
    { body: {}, ok: false, path: 'zone' },
    { body: { building: -1 }, ok: false, path: 'building' },
    { body: { zone: 'zone-1', extra: 1 }, ok: false, path: '' },
  ])('$body', ({ body, ok, path }) => {
    const r = PlaceIssueInput.safeParse(body);
    expect(r.success).toBe(ok);
    if (!r.success && path) expect(r.error.issues[0]!.path.join('.')).toBe(path);
  });
});
