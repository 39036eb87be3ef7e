import { rolesOf } from '../../packages/domain/src/community/lookup';
import { type AnswerSet, tallyAnswers, validateAnswers } from '../../packages/domain/src/evaluation/answers';
import {
  applyCampaignAction,
  assertQuarterBegun,
  assertRunsEvaluation,
  CAMPAIGN_ACTIONS,
  CAMPAIGN_STATUSES,
  type CampaignAction,
  type CampaignStatus,
  resultsAccess,
} from '../../packages/domain/src/evaluation/campaign';
import { formatCode, normalizeCode, roomsByFloor } from '../../packages/domain/src/evaluation/codes';
import {
  cancelHome,
  decideHome,
  type HomeStatus,
  householdLabel,
  mayVerifyHome,
  normalizeRoom,
  readsAllHomeRequests,
  resolveHousehold,
  respondentHousehold,
} from '../../packages/domain/src/evaluation/household';
import {
  buildQuestionnaire,
  DEFAULT_QUESTIONS,
  type EvaluationQuestion,
  type Questionnaire,
} from '../../packages/domain/src/evaluation/questionnaire';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

const community = loadXiaduoyuan();
const roles = (person: string) => rolesOf(community, person);

describe('normalizeRoom: one spelling per room', () => {
  it.each([
    ['302', '302'],
    [' 302室 ', '302'],
    ['3单元302室', '3-302'],
    ['3单元 302', '3-302'],
    ['3-302', '3-302'],
    ['3－302', '3-302'], // full-width hyphen
    ['３０２', '302'], // full-width digits
    ['b302', 'B302'],
    ['3/302', '3-302'],
    ['3号302', '3-302'],
  ])('%j → %j', (text, room) => expect(normalizeRoom(text)).toBe(room));

  it.each([[''], ['三楼'], ['302#'], ['1234567'], ['-'], ['1-2-3-4']])('%j is not a room', (text) =>
    expect(normalizeRoom(text)).toBeNull(),
  );

  it.each([
    [{ building: 12, room: '302' }, '12号楼302室'],
    [{ building: 12, room: '3-302' }, '12号楼3单元302室'],
  ])('labels %j as %s', (h, label) => expect(householdLabel(h)).toBe(label));
});

describe('resolveHousehold: the household and its zone', () => {
  it.each([
    [{ building: 12, room: '302' }, 'zone-1', '302'],
    [{ building: 43, room: '3单元101' }, 'zone-2', '3-101'],
    [{ building: 141, room: '601', zone: 'zone-3' }, 'zone-3', '601'],
    // No numbered range covers 200: zone 4 (range unconfirmed) or the commercial street may claim it.
    [{ building: 200, room: '101', zone: 'zone-4' }, 'zone-4', '101'],
    [{ building: 3, room: '1', zone: undefined }, 'zone-1', '1'],
  ])('%j → %s, room %s', (input, zone, room) => {
    const h = resolveHousehold(community, input);
    expect(h.zone.key).toBe(zone);
    expect(h.room).toBe(room);
  });

  it.each([
    [{ building: 12, room: '302', zone: 'zone-2' }, 'building_zone_mismatch', 'body.zone'],
    [{ building: 200, room: '101' }, 'zone_required', 'body.zone'],
    [{ building: 200, room: '101', zone: 'zone-1' }, 'building_not_in_zone', 'body.building'],
    [{ building: 200, room: '101', zone: 'zone-9' }, 'unknown_zone', 'body.zone'],
    [{ building: 12, room: '三楼' }, 'room_invalid', 'body.room'],
  ])('%j → 400 %s at %s', (input, code, path) => {
    const err = domainErrorOf(() => resolveHousehold(community, input));
    expect(err.kind).toBe('invalid');
    expect(err.code).toBe(code);
    expect(err.details?.[0]?.path).toBe(path);
  });
});

describe('a quarter is evaluated once it has begun', () => {
  // 2027Q1 begins at 2027-01-01 00:00 in Shanghai = 2026-12-31T16:00Z.
  it.each([
    ['2026-12-31T15:59:59Z', 'quarter_not_started'],
    ['2026-12-31T16:00:00Z', null],
    ['2027-05-01T00:00:00Z', null],
  ])('opening 2027Q1 at %s', (at, code) => {
    const open = () => assertQuarterBegun('2027Q1', new Date(at), 'Asia/Shanghai');
    if (code) expect(domainErrorOf(open)).toMatchObject({ kind: 'conflict', code });
    else expect(open).not.toThrow();
  });
});

describe('campaign transitions: draft → open → closed → published', () => {
  const next: Record<CampaignAction, [CampaignStatus, CampaignStatus]> = {
    open: ['draft', 'open'],
    close: ['open', 'closed'],
    publish: ['closed', 'published'],
  };
  const cases = CAMPAIGN_STATUSES.flatMap((s) => CAMPAIGN_ACTIONS.map((a) => [s, a] as const));
  it.each(cases)('from %s, %s', (status, action) => {
    const [from, to] = next[action];
    if (status === from) expect(applyCampaignAction(status, action)).toBe(to);
    else {
      const err = domainErrorOf(() => applyCampaignAction(status, action));
      expect(err.kind).toBe('conflict');
      expect(err.code).toBe(`campaign_not_${from}`);
    }
  });

  it.each([
    ['wen-liang', true], // leader of the leadership group
    ['yu-xingli', true], // member
    ['tu-zhongmei', false], // secretary
    ['wu-wenjie', false], // zone leader
    ['zhang-lifen', false], // property
  ])('%s runs the evaluation: %s', (person, may) => {
    if (may) expect(() => assertRunsEvaluation(roles(person))).not.toThrow();
    else
      expect(domainErrorOf(() => assertRunsEvaluation(roles(person))).code).toBe(
        'evaluation_leadership_only',
      );
  });

  it.each([
    ['draft', true, 'not_yet'],
    ['open', true, 'not_yet'],
    ['open', false, 'not_yet'],
    ['closed', true, 'ok'],
    ['closed', false, 'not_published'],
    ['published', false, 'ok'],
    ['published', true, 'ok'],
  ] as const)('results of a %s campaign, leadership %s: %s', (status, leadership, access) =>
    expect(resultsAccess(status, leadership)).toBe(access),
  );
});

describe('household verification', () => {
  it.each([
    ['zhang-nen', 'zone-1', true], // rc of zone 1
    ['yang-chenyi', 'zone-1', true], // grid of zone 1
    ['wu-wenjie', 'zone-1', true], // oc leader of zone 1
    ['zhang-lifen', 'zone-1', false], // property: the party being evaluated
    ['zhang-nen', 'zone-2', false], // another zone
    ['wen-liang', 'zone-1', false], // leadership, not zone staff
    ['fei-hongxin', 'zone-4', true], // grid in zones 3 and 4
  ])('%s verifies in %s: %s', (person, zone, may) => expect(mayVerifyHome(roles(person), zone)).toBe(may));

  // The property manager reads every issue, but not the households about to rate the company.
  it.each([
    ['the secretary', { admin: false, roles: roles('tu-zhongmei') }, true],
    ['the leadership', { admin: false, roles: roles('wen-liang') }, true],
    ['an administrator', { admin: true, roles: null }, true],
    [
      'the property manager',
      { admin: false, roles: { ...roles('zhang-lifen'), propertyManager: true } },
      false,
    ],
    ['a zone leader', { admin: false, roles: roles('wu-wenjie') }, false],
    ['a resident', { admin: false, roles: null }, false],
  ])("%s reads every zone's home requests: %s", (_who, actor, all) =>
    expect(readsAllHomeRequests(actor)).toBe(all),
  );

  const statuses: HomeStatus[] = ['pending', 'verified', 'rejected', 'cancelled'];
  it.each(statuses)('deciding a %s request', (status) => {
    if (status === 'pending') {
      expect(decideHome(status, true)).toBe('verified');
      expect(decideHome(status, false)).toBe('rejected');
    } else expect(domainErrorOf(() => decideHome(status, true)).code).toBe('home_request_decided');
  });
  it.each(statuses)('cancelling a %s binding', (status) => {
    if (status === 'pending' || status === 'verified') expect(cancelHome(status)).toBe('cancelled');
    else expect(domainErrorOf(() => cancelHome(status)).code).toBe('home_not_active');
  });
});

describe('respondentHousehold: who answers for which household', () => {
  const h12 = { building: 12, room: '302' };
  const h13 = { building: 13, room: '101' };
  type Case = [
    string,
    Parameters<typeof respondentHousehold>[0],
    'account' | 'code' | string,
    typeof h12 | null,
  ];
  const cases: Case[] = [
    ['a code', { code: { household: h12, used: false }, account: null }, 'code', h12],
    [
      'a code beats a signed-in resident (a neighbour’s slip)',
      {
        code: { household: h13, used: false },
        account: { kind: 'resident', home: { ...h12, status: 'verified' } },
      },
      'code',
      h13,
    ],
    ['a used code', { code: { household: h12, used: true }, account: null }, 'already_responded', null],
    [
      'a verified resident',
      { code: null, account: { kind: 'resident', home: { ...h12, status: 'verified' } } },
      'account',
      h12,
    ],
    [
      'a pending resident',
      { code: null, account: { kind: 'resident', home: { ...h12, status: 'pending' } } },
      'home_not_verified',
      null,
    ],
    [
      'a resident without a home',
      { code: null, account: { kind: 'resident', home: null } },
      'home_not_verified',
      null,
    ],
    ['staff', { code: null, account: { kind: 'staff', home: null } }, 'residents_only', null],
    ['nobody', { code: null, account: null }, 'credential_required', null],
  ];
  it.each(cases)('%s → %s', (_, input, outcome, household) => {
    if (outcome === 'account' || outcome === 'code') {
      expect(respondentHousehold(input)).toEqual({ channel: outcome, household });
    } else expect(domainErrorOf(() => respondentHousehold(input)).code).toBe(outcome);
  });
});

describe('questionnaire', () => {
  it('defaults to every zone and the property company, with questions for each', () => {
    const q = buildQuestionnaire(community, undefined);
    expect(q.targets.map((t) => t.key)).toEqual([
      'zone-1',
      'zone-2',
      'zone-3',
      'zone-4',
      'commercial',
      'property',
    ]);
    expect(q.targets.at(-1)).toEqual({ key: 'property', kind: 'property', name: '物业公司' });
    expect(q.questions).toEqual(DEFAULT_QUESTIONS);
  });

  const z = (key: string): EvaluationQuestion => ({ key, for: 'zone', text: '区域工作评价' });
  const p = (key: string): EvaluationQuestion => ({ key, for: 'property', text: '物业服务评价' });
  it.each([
    ['no property question', [z('a')], 'body.questions'],
    ['no zone question', [p('a')], 'body.questions'],
    ['a repeated key of one kind', [z('a'), p('a'), z('a')], 'body.questions[2].key'],
    ['eleven zone questions', [...'abcdefghijk'].map(z).concat(p('x')), 'body.questions'],
  ])('refuses %s', (_, questions, path) => {
    const err = domainErrorOf(() => buildQuestionnaire(community, questions));
    expect(err.code).toBe('questions_invalid');
    expect(err.details?.[0]?.path).toBe(path);
  });
  it('takes the same key for a zone and the property company', () => {
    expect(buildQuestionnaire(community, [z('overall'), p('overall')]).questions).toHaveLength(2);
  });
});

// A small questionnaire: two zones and the property company, two zone questions, one property question.
const small: Questionnaire = {
  targets: [
    { key: 'zone-1', kind: 'zone', name: '第一责任区域' },
    { key: 'zone-2', kind: 'zone', name: '第二责任区域' },
    { key: 'property', kind: 'property', name: '物业公司' },
  ],
  questions: [
    { key: 'speed', for: 'zone', text: '处理及时' },
    { key: 'overall', for: 'zone', text: '总体评价' },
    { key: 'overall', for: 'property', text: '物业总体评价' },
  ],
};
const full = (
  z1: [number | null, number | null],
  z2: [number | null, number | null],
  p: number | null,
): AnswerSet => ({
  'zone-1': { speed: z1[0], overall: z1[1] },
  'zone-2': { speed: z2[0], overall: z2[1] },
  property: { overall: p },
});

describe('validateAnswers', () => {
  it('returns a complete set in questionnaire order', () => {
    const answers = {
      property: { overall: 3 },
      'zone-2': { overall: null, speed: 4 },
      'zone-1': { overall: 5, speed: 5 },
    };
    const out = validateAnswers(small, answers);
    expect(JSON.stringify(out)).toBe(
      JSON.stringify({
        'zone-1': { speed: 5, overall: 5 },
        'zone-2': { speed: 4, overall: null },
        property: { overall: 3 },
      }),
    );
  });

  it.each([
    [
      'a missing question',
      { ...full([5, 5], [4, 4], 3), 'zone-2': { speed: 4 } },
      'answers_invalid',
      ['body.answers.zone-2.overall'],
    ],
    [
      'a missing target',
      { 'zone-1': { speed: 5, overall: 5 }, property: { overall: 3 } },
      'answers_invalid',
      ['body.answers.zone-2.speed', 'body.answers.zone-2.overall'],
    ],
    [
      'an unknown target',
      { ...full([5, 5], [4, 4], 3), 'zone-9': { speed: 1 } },
      'answers_invalid',
      ['body.answers.zone-9'],
    ],
    [
      'an unknown question',
      { ...full([5, 5], [4, 4], 3), property: { overall: 3, speed: 2 } },
      'answers_invalid',
      ['body.answers.property.speed'],
    ],
    ['everything skipped', full([null, null], [null, null], null), 'answers_all_skipped', ['body.answers']],
  ])('refuses %s', (_, answers, code, paths) => {
    const err = domainErrorOf(() => validateAnswers(small, answers));
    expect(err.code).toBe(code);
    expect(err.details?.map((d) => d.path)).toEqual(paths);
  });

  it('counts what is missing in its message', () => {
    expect(domainErrorOf(() => validateAnswers(small, { property: { overall: 3 } })).message).toBe(
      '还有 4 项未作答（可选“不了解”）',
    );
  });
});

describe('tallyAnswers', () => {
  it('counts, averages and distributes per target and question (worked by hand)', () => {
    const sets = [full([5, 4], [2, null], 4), full([4, 4], [3, 3], 5), full([null, 2], [null, null], 1)];
    const t = tallyAnswers(small, sets);
    expect(t.responses).toBe(3);
    const [z1, z2, p] = t.targets;
    // zone-1 speed: 5, 4 (one skipped) → mean 4.5, both satisfied
    expect(z1!.questions[0]).toEqual({
      key: 'speed',
      text: '处理及时',
      responses: 2,
      skipped: 1,
      mean: 4.5,
      distribution: [0, 0, 0, 1, 1],
      satisfaction: 1,
    });
    // zone-1 overall: 4, 4, 2 → 10/3 = 3.33; 2 of 3 satisfied
    expect(z1!.questions[1]).toMatchObject({
      responses: 3,
      skipped: 0,
      mean: 3.33,
      distribution: [0, 1, 0, 2, 0],
    });
    expect(z1!.questions[1]!.satisfaction).toBe(0.6667);
    // zone-1 as a whole: 5+4+4+4+2 = 19 over 5 scores = 3.8; 4 of 5 satisfied; 3 households scored it
    expect(z1).toMatchObject({ responses: 3, mean: 3.8, satisfaction: 0.8 });
    // zone-2: scores 2, 3, 3; the third household skipped all of zone 2
    expect(z2).toMatchObject({ responses: 2, mean: 2.67, satisfaction: 0 });
    expect(z2!.questions[1]).toMatchObject({
      responses: 1,
      skipped: 2,
      mean: 3,
      distribution: [0, 0, 1, 0, 0],
    });
    // property: 4, 5, 1 → 3.33
    expect(p).toMatchObject({ responses: 3, mean: 3.33, satisfaction: 0.6667 });
    expect(p!.questions[0]!.distribution).toEqual([1, 0, 0, 1, 1]);
  });

  it('has no mean without scores', () => {
    const t = tallyAnswers(small, []);
    expect(t.responses).toBe(0);
    expect(t.targets[0]).toMatchObject({ responses: 0, mean: null, satisfaction: null });
    expect(t.targets[0]!.questions[0]).toMatchObject({ mean: null, distribution: [0, 0, 0, 0, 0] });
  });
});

describe('codes', () => {
  it.each([
    ['ABCD-EFGH-JKMN', 'ABCDEFGHJKMN'],
    ['abcd efgh jkmn', 'ABCDEFGHJKMN'],
    ['ＡＢＣＤＥＦＧＨＪＫＭＮ', 'ABCDEFGHJKMN'],
    ['ABCD-EFGH-JKM', null], // too short
    ['ABCD-EFGH-JKM0', null], // 0 is not in the alphabet
    ['ABCD-EFGH-IKMN', null], // nor I
  ])('%j → %j', (text, code) => expect(normalizeCode(text)).toBe(code));
  it('prints in groups of four', () => expect(formatCode('ABCDEFGHJKMN')).toBe('ABCD-EFGH-JKMN'));
  it('lays out rooms by floor', () =>
    expect(roomsByFloor(1, 3, 2)).toEqual(['101', '102', '201', '202', '301', '302']));
});
