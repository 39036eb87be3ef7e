import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Community, Me, validateCommunityConfig } from '@gongzhi/domain';
import { parse as parseYaml } from 'yaml';
import { whoAmI, whoAmIText } from '../../apps/api/src/services/accounts/who-am-i';
import type { Principal } from '../../apps/api/src/services/context';
import { CONFIG_DIR } from '../helpers/build-app';

// GET /api/me's answer is serialized once per caller and configuration: it must always be what
// the caller's principal and community config give now — never an answer kept from before a change.

function loadXiaduoyuan(edit?: (raw: { people: { key: string; name: string }[] }) => void): Community {
  const raw = parseYaml(readFileSync(path.join(CONFIG_DIR, 'xiaduoyuan.yaml'), 'utf8'));
  edit?.(raw);
  const result = validateCommunityConfig(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.community;
}

const community = loadXiaduoyuan();
const leader = community.config.zones[0]!.leader.person;
const staff: Principal = {
  accountId: '00000000-0000-4000-8000-000000000001',
  sessionId: '00000000-0000-4000-8000-0000000000a1',
  kind: 'staff',
  displayName: '吴文杰',
  personKey: leader,
  communityKey: 'xiaduoyuan',
  mustChangePassword: false,
};
const admin: Principal = {
  ...staff,
  accountId: '00000000-0000-4000-8000-000000000002',
  kind: 'admin',
  displayName: '管理员',
  personKey: null,
  communityKey: null,
};
const resident: Principal = { ...admin, accountId: '00000000-0000-4000-8000-000000000003', kind: 'resident' };

/** What the answer is when worked out afresh, as the serializer would have sent it. */
const fresh = (communities: Map<string, Community>, p: Principal) =>
  JSON.stringify(Me.parse(whoAmI(communities, p)));

test.each([
  ['a zone leader', staff],
  ['an administrator', admin],
  ['a resident', resident],
])('%s: the kept answer is the fresh one, asked once or many times', (_label, p) => {
  const communities = new Map([['xiaduoyuan', community]]);
  const first = whoAmIText(communities, p);
  expect(first).toBe(fresh(communities, p));
  expect(whoAmIText(communities, { ...p, sessionId: '00000000-0000-4000-8000-0000000000b2' })).toBe(first);
});

test.each<[string, Partial<Principal>]>([
  ['renamed', { displayName: '吴文杰（新）' }],
  ['given a one-time password', { mustChangePassword: true }],
  ['another account on the same person', { accountId: '00000000-0000-4000-8000-000000000009' }],
  ['bound to another person', { personKey: community.config.people.at(-1)!.key }],
  ['no longer a person', { personKey: null, communityKey: null }],
  ['an administrator now', { kind: 'admin' }],
])('a principal %s gets its new answer, not the kept one', (_label, change) => {
  const communities = new Map([['xiaduoyuan', community]]);
  const before = whoAmIText(communities, staff);
  const changed = { ...staff, ...change };
  const after = whoAmIText(communities, changed);
  expect(after).toBe(fresh(communities, changed));
  expect(after).not.toBe(before);
});

test('an edited community config (a new config object) gives the new answer', () => {
  const communities = new Map([['xiaduoyuan', community]]);
  const before = JSON.parse(whoAmIText(communities, staff)) as Me;
  const edited = loadXiaduoyuan((raw) => {
    for (const person of raw.people) if (person.key === leader) person.name = '吴文杰（改）';
  });
  communities.set('xiaduoyuan', edited);
  const after = JSON.parse(whoAmIText(communities, staff)) as Me;
  expect(before.person?.name).not.toBe('吴文杰（改）');
  expect(after.person?.name).toBe('吴文杰（改）');
  expect(JSON.stringify(after)).toBe(fresh(communities, staff));
});

test('many callers (more than are kept): each still gets its own answer', () => {
  const communities = new Map([['xiaduoyuan', community]]);
  const callers = Array.from({ length: 1_200 }, (_, i) => ({
    ...staff,
    accountId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  }));
  for (const p of callers) whoAmIText(communities, p);
  for (const p of [callers[0]!, callers[600]!, callers[1_199]!]) {
    expect(JSON.parse(whoAmIText(communities, p)).account.id).toBe(p.accountId);
  }
});
