import {
  type Actor,
  assertMayRecordRound,
  type Community,
  canReadIssue,
  checkRound,
  checkSubjectRef,
  countRounds,
  mayCommentOnRecord,
  type RoundFact,
  readableLetterOrgs,
  rolesOf,
  roundKindsIn,
  roundReach,
  seesReporterPhone,
  validateCommunityConfig,
  workMenu,
} from '../../packages/domain/src';
import { domainErrorOf, expectProblems, expectValid, shippedConfig } from './fixtures';

/** 夏朵园 with a supervisory committee of two, elected by the owners' assembly (seed 004). */
const community: Community = (() => {
  const config = shippedConfig();
  config.people.push(
    { key: 'sun-liping', name: '孙立平', showContact: false, active: true },
    { key: 'qian-fang', name: '钱芳', showContact: false, active: true },
  );
  config.supervisoryCommittee = { chair: 'sun-liping', members: ['sun-liping', 'qian-fang'] };
  return expectValid(validateCommunityConfig(config));
})();

const staff = (person: string): Actor => ({
  accountId: `acct-${person}`,
  roles: rolesOf(community, person),
  admin: false,
});
const supervisor = staff('sun-liping');
const member = staff('qian-fang');
const inspector1 = staff('yang-chenyi'); // grid, zone-1
const rc1 = staff('zhang-nen'); // rc, zone-1
const specialist1 = staff('zhang-lifen'); // property, zone-1
const leader1 = staff('wu-wenjie'); // oc leader, zone-1
const secretary = staff('tu-zhongmei');
const resident: Actor = { accountId: 'resident-1', roles: null, admin: false };

describe('the supervisory committee in the config', () => {
  test.each([
    ['an unknown member', { members: ['nobody'] }, 'supervisoryCommittee.members[0]'],
    [
      'a chair who is not a member',
      { chair: 'wen-liang', members: ['sun-liping'] },
      'supervisoryCommittee.chair',
    ],
  ])('refuses %s', (_, committee, path) => {
    const config = shippedConfig();
    config.people.push({ key: 'sun-liping', name: '孙立平', showContact: false, active: true });
    config.supervisoryCommittee = committee;
    expect(expectProblems(validateCommunityConfig(config)).map((p) => p.path)).toContain(path);
  });

  test('the shipped config has no committee until one is elected', () => {
    expect(shippedConfig().supervisoryCommittee).toEqual({ members: [] });
  });

  test('members and only members are supervisors', () => {
    expect([supervisor, member, secretary, inspector1].map((a) => !!a.roles?.supervisor)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('what the committee reads and may do', () => {
  const issue = {
    zone: 'zone-4',
    line: null,
    owner: 'ni-qiong',
    assignees: ['guo-honghui'],
    reporterAccountId: 'r',
  };
  test.each([
    ['reads every zone’s issue', canReadIssue(supervisor, issue), true],
    ['does not see the reporter’s phone', seesReporterPhone(supervisor, issue), false],
    ['reads every organisation’s letters and credit file', readableLetterOrgs(supervisor, community), 'all'],
    ['comments on the record', mayCommentOnRecord(supervisor), true],
    ['a member comments too', mayCommentOnRecord(member), true],
    ['the secretary reads but does not comment', mayCommentOnRecord(secretary), false],
    ['a zone leader does not comment', mayCommentOnRecord(leader1), false],
    ['a resident does not comment', mayCommentOnRecord(resident), false],
  ])('%s', (_, got, want) => {
    expect(got).toEqual(want);
  });

  test('the work menu offers the committee its page and what it reads, and no action desk', () => {
    const keys = workMenu({ kind: 'staff', actor: supervisor, community, accountReach: null }).map(
      (e) => e.key,
    );
    expect(keys).toEqual(expect.arrayContaining(['oversight', 'zone_issues', 'letters', 'credit', 'rounds']));
    expect(keys).not.toContain('patrol_report');
    expect(keys).not.toContain('notices');
    const secretaryKeys = workMenu({ kind: 'staff', actor: secretary, community, accountReach: null }).map(
      (e) => e.key,
    );
    expect(secretaryKeys).not.toContain('oversight');
  });

  test.each([
    [{ subject: 'credit', ref: 'property' }, 'property'],
    [
      { subject: 'issue', ref: '9B2F0C1E-8A6D-4C1B-9E1F-1A2B3C4D5E6F' },
      '9b2f0c1e-8a6d-4c1b-9e1f-1a2b3c4d5e6f',
    ],
    [{ subject: 'credit', ref: 'landlord' }, 'invalid_subject_ref'],
    [{ subject: 'letter', ref: 'not-a-uuid' }, 'invalid_subject_ref'],
    [{ subject: 'fund_use', ref: '12' }, 'invalid_subject_ref'],
  ] as const)('subject %o → %s', (s, want) => {
    let got: string;
    try {
      got = checkSubjectRef(s);
    } catch (e) {
      got = (e as { code: string }).code;
    }
    expect(got).toBe(want);
  });
});

describe('who records patrol rounds and home visits', () => {
  test.each([
    ['a grid inspector in their zone', inspector1, 'zone-1', ['patrol', 'home_visit']],
    ['a grid inspector in another zone', inspector1, 'zone-2', []],
    ['the property specialist patrols (物业巡查)', specialist1, 'zone-1', ['patrol']],
    ['the residents’ committee visits (入户走访)', rc1, 'zone-1', ['home_visit']],
    ['the zone leader records none', leader1, 'zone-1', []],
    ['the committee records none', supervisor, 'zone-1', []],
    ['a resident records none', resident, 'zone-1', []],
  ] as const)('%s', (_, actor, zone, kinds) => {
    expect(roundKindsIn(actor.roles, zone)).toEqual(kinds);
  });

  test('a refusal is a 403 naming who may', () => {
    expect(domainErrorOf(() => assertMayRecordRound(rc1.roles, 'zone-1', 'patrol')).code).toBe(
      'round_not_permitted',
    );
  });

  test.each([
    ['everyone who reads all issues reads all rounds', supervisor, { all: true }],
    ['a zone leader reads the zone’s and their own', leader1, { zones: ['zone-1'], person: 'wu-wenjie' }],
    ['an inspector reads their own', inspector1, { zones: [], person: 'yang-chenyi' }],
  ] as const)('%s', (_, actor, reach) => {
    expect(roundReach(actor)).toEqual(reach);
  });
});

describe('a round agrees with what it found', () => {
  const now = new Date('2026-11-16T02:00:00Z');
  const issues = new Map([
    ['a0000000-0000-4000-8000-000000000001', { zone: 'zone-1' }],
    ['a0000000-0000-4000-8000-000000000002', { zone: 'zone-2' }],
  ]);
  const one = 'a0000000-0000-4000-8000-000000000001';
  const base = { outcome: 'nothing_found' as const, issueIds: [] as string[], at: now, zone: 'zone-1' };
  test.each([
    ['found nothing, no issues', {}, null],
    ['issues filed, one of the zone', { outcome: 'issues_filed', issueIds: [one] }, null],
    ['found nothing but issues linked', { issueIds: [one] }, 'round_outcome_mismatch'],
    ['issues filed but none linked', { outcome: 'issues_filed' }, 'round_outcome_mismatch'],
    [
      'an unknown issue',
      { outcome: 'issues_filed', issueIds: ['a0000000-0000-4000-8000-000000000009'] },
      'round_issue_not_found',
    ],
    [
      'an issue of another zone',
      { outcome: 'issues_filed', issueIds: ['a0000000-0000-4000-8000-000000000002'] },
      'round_issue_other_zone',
    ],
    ['an hour ahead', { at: new Date(now.getTime() + 3_600_000) }, 'round_in_future'],
    ['eight days ago', { at: new Date(now.getTime() - 8 * 86_400_000) }, 'round_too_late'],
    ['six days ago', { at: new Date(now.getTime() - 6 * 86_400_000) }, null],
  ] as const)('%s → %s', (_, change, code) => {
    const round = { ...base, ...change } as typeof base;
    if (code === null) expect(() => checkRound(round, { now, issues })).not.toThrow();
    else expect(domainErrorOf(() => checkRound(round, { now, issues })).code).toBe(code);
  });
});

describe('the 两巡两访 count per person per month', () => {
  const tz = 'Asia/Shanghai';
  const r = (person: string, kind: RoundFact['kind'], at: string, issueCount = 0): RoundFact => ({
    person,
    kind,
    at: new Date(at),
    outcome: issueCount ? 'issues_filed' : 'nothing_found',
    issueCount,
  });
  const names = (p: string) => ({ a: '甲', b: '乙' })[p] ?? p;
  test.each([
    ['nothing recorded', [], []],
    [
      'rounds that found nothing count',
      [r('a', 'patrol', '2026-11-02T01:00:00Z'), r('a', 'home_visit', '2026-11-03T01:00:00Z')],
      [
        {
          person: 'a',
          personName: '甲',
          patrols: 1,
          visits: 1,
          nothingFound: 2,
          withIssues: 0,
          issuesFiled: 0,
        },
      ],
    ],
    [
      'issues filed add up; most rounds first',
      [
        r('b', 'patrol', '2026-11-02T01:00:00Z', 2),
        r('a', 'patrol', '2026-11-05T01:00:00Z'),
        r('b', 'patrol', '2026-11-06T01:00:00Z', 1),
      ],
      [
        {
          person: 'b',
          personName: '乙',
          patrols: 2,
          visits: 0,
          nothingFound: 0,
          withIssues: 2,
          issuesFiled: 3,
        },
        {
          person: 'a',
          personName: '甲',
          patrols: 1,
          visits: 0,
          nothingFound: 1,
          withIssues: 0,
          issuesFiled: 0,
        },
      ],
    ],
    [
      'the month is local: 1 Dec 07:00 in Shanghai is December, 31 Oct 17:00 UTC is November',
      [r('a', 'patrol', '2026-11-30T23:00:00Z'), r('a', 'patrol', '2026-10-31T17:00:00Z')],
      [
        {
          person: 'a',
          personName: '甲',
          patrols: 1,
          visits: 0,
          nothingFound: 1,
          withIssues: 0,
          issuesFiled: 0,
        },
      ],
    ],
  ] as const)('%s', (_, rounds, want) => {
    expect(countRounds(rounds, '2026-11', tz, names)).toEqual(want);
  });
});
