import {
  type Actor,
  ContactInput,
  checkContact,
  checkPhoneCallback,
  contactsReporter,
  type IssueAccessFacts,
  type IssueKpiFacts,
  type IssueStatus,
  issueKpiCounts,
  type KpiCounts,
  kpiFigures,
  needsContact,
  PhoneCallbackInput,
  rankByRate,
  rolesOf,
  ZERO_COUNTS,
} from '../../packages/domain/src';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

/**
 * The hand-counted fixture of issue 17 item 6. "Now" is 2026-09-30 12:00 (Shanghai); every issue was
 * received in September. Times are Shanghai local; due = the SLA deadline of the column.
 *
 *      contact due   first contact  resolve due  handled  reopened  closed   callback (解决了吗, 满意吗)
 *  A   09-01 10:00   09-01 09:30    09-08        09-05    0         09-06    yes, 5
 *  B   09-01 12:00   09-01 15:00    09-08        09-07    1         09-10    no, 2
 *  C   09-02 10:00   —              09-09        09-12    0         09-13    yes, 4
 *  D   09-29 10:00   —              10-09        —        0         —        —
 *  E   10-01 10:00   —              10-12        —        0         —        —         (contact not yet due)
 *  F   —  (patrol: nobody to contact) 09-15      09-14    0         09-14    —
 *  G   09-20 10:00   09-20 09:00    09-27        09-26    2         09-28    yes, 3
 *
 * By hand:
 *  received 7; handled A B C F G = 5
 *  响应率: due = contacted (A B G) + past due uncontacted (C D) = 5 (E not yet due, F none);
 *          on time A (09:30 ≤ 10:00), G (09:00 ≤ 10:00); B 15:00 > 12:00  → 2/5 = 40.0%
 *  解决率: callbacks A B C G = 4; solved A C G = 3                          → 3/4 = 75.0%
 *  满意率: scores ≥ 4: A (5), C (4) = 2                                      → 2/4 = 50.0%
 *  按期结案率: closed A B C F G = 5; by resolve due A (09-06 ≤ 09-08), F (09-14 ≤ 09-15);
 *          B 09-10 > 09-08, C 09-13 > 09-09, G 09-28 > 09-27                  → 2/5 = 40.0%
 *  返工率: handled and reopened B, G = 2                                      → 2/5 = 40.0%
 *  调处率 5/7; 处置有效率: handled, never reopened, rating ≥ 3 or none: A C F = 3 → 3/5;
 *  按时办结率: handled by resolve due A (09-05), B (09-07), F (09-14), G (09-26 ≤ 09-27) = 4 → 4/5
 *          (C 09-12 > 09-09).
 */
const t = (md: string, hm = '10:00') => new Date(`2026-${md}T${hm}:00+08:00`);
const none = null;
const FIXTURE: Record<string, IssueKpiFacts> = {
  A: fact(t('09-01'), t('09-01', '09:30'), t('09-08'), t('09-05'), 0, t('09-06'), [true, 5]),
  B: fact(t('09-01', '12:00'), t('09-01', '15:00'), t('09-08'), t('09-07'), 1, t('09-10'), [false, 2]),
  C: fact(t('09-02'), none, t('09-09'), t('09-12'), 0, t('09-13'), [true, 4]),
  D: fact(t('09-29'), none, t('10-09'), none, 0, none, none),
  E: fact(t('10-01'), none, t('10-12'), none, 0, none, none),
  F: fact(none, none, t('09-15'), t('09-14'), 0, t('09-14'), none),
  G: fact(t('09-20'), t('09-20', '09:00'), t('09-27'), t('09-26'), 2, t('09-28'), [true, 3]),
};
const NOW = t('09-30', '12:00');

function fact(
  contactDueAt: Date | null,
  firstContactAt: Date | null,
  resolveDueAt: Date,
  handledAt: Date | null,
  reopenCount: number,
  closedAt: Date | null,
  callback: [boolean, number] | null,
): IssueKpiFacts {
  return {
    contactDueAt,
    firstContactAt,
    resolveDueAt,
    handledAt,
    reopenCount,
    closedAt,
    rating: callback ? { fixed: callback[0], score: callback[1] } : null,
  };
}

const sum = (facts: IssueKpiFacts[]): KpiCounts =>
  facts.reduce(
    (acc, f) => {
      const c = issueKpiCounts(f, NOW);
      return Object.fromEntries(
        Object.keys(acc).map((k) => [k, acc[k as keyof KpiCounts] + c[k as keyof KpiCounts]]),
      ) as unknown as KpiCounts;
    },
    { ...ZERO_COUNTS },
  );

describe('the three rates, 按期结案率 and 返工率 on the hand-counted fixture', () => {
  const figures = kpiFigures(sum(Object.values(FIXTURE)));
  it.each([
    ['响应率', 'responseRate', 2, 5],
    ['解决率', 'solvedRate', 3, 4],
    ['满意率', 'satisfactionRate', 2, 4],
    ['按期结案率', 'closedOnTimeRate', 2, 5],
    ['返工率', 'reworkRate', 2, 5],
    ['调处率', 'handlingRate', 5, 7],
    ['处置有效率', 'effectiveRate', 3, 5],
    ['按时办结率', 'onTimeRate', 4, 5],
  ] as const)('%s (%s) = %i/%i', (_name, key, numerator, denominator) => {
    expect(figures[key]).toMatchObject({ numerator, denominator });
  });

  it('counts a contact not yet due only once it is made or its deadline passes', () => {
    const e = FIXTURE.E!;
    expect(issueKpiCounts(e, NOW).contactDue).toBe(0);
    expect(issueKpiCounts(e, t('10-01', '10:01')).contactDue).toBe(1);
    expect(issueKpiCounts({ ...e, firstContactAt: t('09-30', '11:00') }, NOW)).toMatchObject({
      contactDue: 1,
      contactedOnTime: 1,
    });
  });
});

describe('rankByRate', () => {
  const row = (key: string, c: Partial<KpiCounts>) => ({
    key,
    figures: kpiFigures({ ...ZERO_COUNTS, ...c }),
  });
  const rows = [
    row('zone-1', { received: 4, contactDue: 4, contactedOnTime: 3, handled: 4, reworked: 1 }),
    row('zone-2', { received: 2, contactDue: 2, contactedOnTime: 2, handled: 2, reworked: 0 }),
    row('zone-3', { received: 8, contactDue: 8, contactedOnTime: 6, handled: 8, reworked: 2 }),
    row('zone-4', { received: 1 }),
  ];
  it('best first, equal values share a place (larger denominator first), no data last', () => {
    expect(rankByRate(rows, 'responseRate').map((r) => [r.key, r.rank])).toEqual([
      ['zone-2', 1],
      ['zone-3', 2],
      ['zone-1', 2],
      ['zone-4', null],
    ]);
  });
  it('返工率: lower is better', () => {
    expect(rankByRate(rows, 'reworkRate').map((r) => [r.key, r.rank])).toEqual([
      ['zone-2', 1],
      ['zone-3', 2],
      ['zone-1', 2],
      ['zone-4', null],
    ]);
  });
});

describe('contact and phone callback rules', () => {
  const community = loadXiaduoyuan();
  const staff = (person: string): Actor => ({
    accountId: `acc-${person}`,
    roles: rolesOf(community, person),
    admin: false,
  });
  const zone1 = community.zones.get('zone-1')!;
  const rcMember =
    zone1.members.find((m) => m.org === 'rc')?.person ??
    (zone1.leader.org === 'rc' ? zone1.leader.person : null);
  const issue = (
    status: IssueStatus,
    owner = zone1.leader.person,
  ): IssueAccessFacts & { status: IssueStatus } => ({
    zone: 'zone-1',
    line: null,
    owner,
    assignees: ['zhang-lifen'],
    reporterAccountId: 'resident-1',
    status,
  });

  it('a contact: the handlers and the rc desk, not a stranger; not on merged or rejected issues', () => {
    expect(() => checkContact(staff('zhang-lifen'), issue('accepted'), false)).not.toThrow();
    expect(() => checkContact(staff(zone1.leader.person), issue('dispatched'), false)).not.toThrow();
    if (rcMember) expect(() => checkContact(staff(rcMember), issue('dispatched'), false)).not.toThrow();
    const stranger = community.zones.get('zone-3')!.leader.person;
    expect(domainErrorOf(() => checkContact(staff(stranger), issue('accepted'), false)).kind).toBe(
      'forbidden',
    );
    const merged = domainErrorOf(() => checkContact(staff('zhang-lifen'), issue('merged'), false));
    expect([merged.kind, merged.code]).toEqual(['conflict', 'contact_not_open']);
  });

  it('a phone callback: on a closed issue not yet called back, by the owner, the rc desk or the secretary', () => {
    expect(() => checkPhoneCallback(staff(zone1.leader.person), issue('closed'), false)).not.toThrow();
    expect(() =>
      checkPhoneCallback(staff(community.config.secretary!), issue('closed'), false),
    ).not.toThrow();
    // The hands that did the work do not call back on themselves.
    expect(domainErrorOf(() => checkPhoneCallback(staff('zhang-lifen'), issue('closed'), false)).code).toBe(
      'not_callback_desk',
    );
    const open = domainErrorOf(() =>
      checkPhoneCallback(staff(zone1.leader.person), issue('resolved'), false),
    );
    expect([open.code, open.details?.[0]?.allowed]).toEqual(['issue_not_closed', ['contact_reporter']]);
    const twice = domainErrorOf(() => checkPhoneCallback(staff(zone1.leader.person), issue('closed'), true));
    expect(twice.code).toBe('already_rated');
  });

  it.each([
    ['contact_reporter', null, true],
    ['accept', '马上派人来看', true],
    ['accept', '  ', false],
    ['resolve', '已更换灯泡', true],
    ['dispatch', '派给物业', false],
    ['reassign', '改派', false],
  ])('contactsReporter(%s, %j) = %s', (action, note, expected) => {
    expect(contactsReporter(action, note)).toBe(expected);
  });

  it.each([
    ['resident_qr', true],
    ['staff_on_behalf', true],
    ['duty_desk', true],
    ['patrol', false],
    ['property_patrol', false],
  ])('needsContact(%s) = %s', (channel, expected) => expect(needsContact(channel)).toBe(expected));

  it.each<[unknown, string | null]>([
    [{ means: 'phone' }, null],
    [{ means: 'sms', note: '已发短信告知处理进度' }, null],
    [{ means: 'fax' }, 'means'],
    [{}, 'means'],
    [{ means: 'phone', extra: 1 }, ''],
  ])('ContactInput %j → problem at %j', (input, path) => {
    const r = ContactInput.safeParse(input);
    expect(r.success ? null : r.error.issues[0]!.path.join('.')).toBe(path);
  });

  it.each<[unknown, string | null]>([
    [{ solved: true, score: 5 }, null],
    [{ solved: false, score: 2, note: '仍有异味' }, null],
    [{ score: 4 }, 'solved'],
    [{ solved: true }, 'score'],
    [{ solved: true, score: 6 }, 'score'],
    [{ solved: 'yes', score: 4 }, 'solved'],
  ])('PhoneCallbackInput %j → problem at %j', (input, path) => {
    const r = PhoneCallbackInput.safeParse(input);
    expect(r.success ? null : r.error.issues[0]!.path.join('.')).toBe(path);
  });
});
