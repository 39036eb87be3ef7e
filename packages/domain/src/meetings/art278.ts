import { z } from 'zod';
import { type ErrorDetail, Invalid } from '../errors';
import { parseInput } from './parse';
import {
  formatHundredths,
  MORE_THAN_HALF,
  percentPair,
  reaches,
  THREE_QUARTERS,
  type Threshold,
  TWO_THIRDS,
  thresholdSymbol,
} from './ratio';

/**
 * Owners' assembly (业主大会) decisions by PRC Civil Code art. 278:
 *
 *   业主共同决定事项，应当由专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决。
 *   决定前款第六项至第八项规定的事项，应当经参与表决专有部分面积四分之三以上的业主且参与表决人数
 *   四分之三以上的业主同意。决定前款其他事项，应当经参与表决专有部分面积过半数的业主且参与表决
 *   人数过半数的业主同意。
 *
 * Civil Code art. 1259: 以上 includes the bound itself (exactly 2/3 and exactly 3/4 suffice);
 * 过半数 does not (exactly half fails).
 */
export const ART278_MATTERS = [
  'amend_assembly_rules',
  'amend_covenant',
  'elect_committee',
  'hire_property_manager',
  'use_fund',
  'raise_fund',
  'rebuild',
  'change_use',
  'other',
] as const;
export const Art278Matter = z.enum(ART278_MATTERS, '请选择表决事项类型');
export type Art278Matter = z.infer<typeof Art278Matter>;

/** The wording of art. 278 para. 1, items (一)–(九). */
export const ART278_MATTER_NAMES: Record<Art278Matter, string> = {
  amend_assembly_rules: '制定和修改业主大会议事规则',
  amend_covenant: '制定和修改管理规约',
  elect_committee: '选举业主委员会或者更换业主委员会成员',
  hire_property_manager: '选聘和解聘物业服务企业或者其他管理人',
  use_fund: '使用建筑物及其附属设施的维修资金',
  raise_fund: '筹集建筑物及其附属设施的维修资金',
  rebuild: '改建、重建建筑物及其附属设施',
  change_use: '改变共有部分的用途或者利用共有部分从事经营活动',
  other: '有关共有和共同管理权利的其他重大事项',
};

/** Items (六)–(八): consent of ≥ 3/4 of the participating area and owners. */
export const SUPERMAJORITY_MATTERS = [
  'raise_fund',
  'rebuild',
  'change_use',
] as const satisfies readonly Art278Matter[];

const isSupermajority = (matter: Art278Matter) =>
  (SUPERMAJORITY_MATTERS as readonly Art278Matter[]).includes(matter);

export const consentThresholdOf = (matter: Art278Matter): Threshold =>
  isSupermajority(matter) ? THREE_QUARTERS : MORE_THAN_HALF;

/** Far above any estate, far below 2^53 hundredths: integer arithmetic stays exact. */
const MAX_AREA = 100_000_000;
const MAX_OWNERS = 10_000_000;

/** A floor area in m² with at most two decimals (80.05 yes, 80.055 no). */
const Area = (what: string) =>
  z
    .number(`${what}应为数字（平方米）`)
    .positive(`${what}必须大于 0`)
    .max(MAX_AREA, `${what}不能超过 ${MAX_AREA} 平方米`)
    .refine((x) => Math.round(x * 100) / 100 === x, `${what}最多保留两位小数`);
const NonNegativeArea = (what: string) =>
  z
    .number(`${what}应为数字（平方米）`)
    .nonnegative(`${what}不能为负数`)
    .max(MAX_AREA, `${what}不能超过 ${MAX_AREA} 平方米`)
    .refine((x) => Math.round(x * 100) / 100 === x, `${what}最多保留两位小数`);
const Count = (what: string) =>
  z.number(`${what}应为整数`).int(`${what}应为整数`).nonnegative(`${what}不能为负数`).max(MAX_OWNERS);

export const OWNER_VOTES = ['for', 'against', 'abstain'] as const;
export const OwnerVoteChoice = z.enum(
  OWNER_VOTES,
  '表决意见应为 for（同意）、against（反对）或 abstain（弃权）',
);
export type OwnerVoteChoice = z.infer<typeof OwnerVoteChoice>;

/**
 * One owner's vote. An owner with several units votes once with their summed exclusive area: the
 * Supreme People's Court interpretation on building ownership (法释〔2009〕7号 art. 9) counts
 * 同一买受人拥有一个以上专有部分的，按一人计算.
 */
export const OwnerVote = z.strictObject({
  owner: z.string('请填写业主标识').trim().min(1, '请填写业主标识').max(64),
  area: Area('专有部分面积'),
  vote: OwnerVoteChoice,
});
export type OwnerVote = z.infer<typeof OwnerVote>;

export const Art278Totals = z.strictObject({
  participatingOwners: Count('参与表决业主人数'),
  participatingArea: NonNegativeArea('参与表决专有部分面积'),
  consentingOwners: Count('同意业主人数'),
  consentingArea: NonNegativeArea('同意业主专有部分面积'),
});
export type Art278Totals = z.infer<typeof Art278Totals>;

/** Either each owner's vote or the counted totals; never both. */
export const Art278Input = z.strictObject({
  matter: Art278Matter,
  /** All owners of the building or community the decision binds (by the count rule above). */
  totalOwners: Count('业主总人数').positive('业主总人数必须大于 0'),
  /** Total exclusive-part (专有部分) area of the building or community, m². */
  totalArea: Area('专有部分总面积'),
  votes: z.array(OwnerVote).optional(),
  totals: Art278Totals.optional(),
});
export type Art278Input = z.input<typeof Art278Input>;

export const ART278_CHECKS = [
  'participation_owners',
  'participation_area',
  'consent_owners',
  'consent_area',
] as const;
export type Art278CheckKey = (typeof ART278_CHECKS)[number];

export interface Art278Check {
  key: Art278CheckKey;
  /** Owners (人) or area (m², two decimals; exact in hundredths as `numeratorHundredths`). */
  unit: '人' | 'm²';
  numerator: number;
  denominator: number;
  threshold: Threshold;
  met: boolean;
  /** The arithmetic in one Chinese sentence. */
  text: string;
}

export interface Art278Result {
  matter: Art278Matter;
  matterName: string;
  /** 'three_quarters' for items (六)–(八), else 'more_than_half'. */
  rule: 'three_quarters' | 'more_than_half';
  passed: boolean;
  /** In display order: participation by owners, by area; consent by owners, by area. */
  checks: Art278Check[];
  tally: {
    totalOwners: number;
    totalArea: number;
    participatingOwners: number;
    participatingArea: number;
    consentingOwners: number;
    consentingArea: number;
    /** Known only from per-owner votes. */
    againstOwners: number | null;
    abstainingOwners: number | null;
  };
  summary: string;
}

const hundredths = (m2: number) => Math.round(m2 * 100);

/** Tally the votes (or take the totals), check them, and decide by art. 278. Invalid (400) on bad input. */
export function decideArt278(raw: unknown): Art278Result {
  const input = parseInput(Art278Input, raw, 'art278_invalid_input', '业主大会表决数据有误');
  const problems: (ErrorDetail & { code: string })[] = [];
  const problem = (code: string, path: string, message: string) => problems.push({ code, path, message });

  const totalOwners = input.totalOwners;
  const totalArea = hundredths(input.totalArea);
  let participatingOwners: number;
  let participatingArea: number;
  let consentingOwners: number;
  let consentingArea: number;
  let againstOwners: number | null = null;
  let abstainingOwners: number | null = null;

  if (input.votes && input.totals) {
    problem('art278_votes_or_totals', 'votes', '逐户表决（votes）和汇总数（totals）只能填写一种');
  }
  if (input.votes) {
    const seen = new Map<string, number>();
    participatingArea = 0;
    consentingArea = 0;
    consentingOwners = 0;
    let against = 0;
    let abstaining = 0;
    for (const [i, v] of input.votes.entries()) {
      const first = seen.get(v.owner);
      if (first !== undefined) {
        problem(
          'art278_duplicate_owner',
          `votes[${i}].owner`,
          `业主 "${v.owner}" 重复表决（与 votes[${first}] 相同）：同一业主只计一票，多套房屋请合计面积`,
        );
      } else seen.set(v.owner, i);
      participatingArea += hundredths(v.area);
      if (v.vote === 'for') {
        consentingOwners += 1;
        consentingArea += hundredths(v.area);
      } else if (v.vote === 'against') against += 1;
      else abstaining += 1;
    }
    againstOwners = against;
    abstainingOwners = abstaining;
    participatingOwners = input.votes.length;
    if (participatingOwners > totalOwners) {
      problem(
        'art278_owners_exceed_total',
        'votes',
        `表决业主 ${participatingOwners} 人，超过业主总人数 ${totalOwners} 人`,
      );
    }
    if (participatingArea > totalArea) {
      problem(
        'art278_area_exceeds_total',
        'votes',
        `表决业主面积合计 ${formatHundredths(participatingArea)} m²，超过专有部分总面积 ${formatHundredths(totalArea)} m²`,
      );
    }
  } else if (input.totals) {
    const t = input.totals;
    participatingOwners = t.participatingOwners;
    participatingArea = hundredths(t.participatingArea);
    consentingOwners = t.consentingOwners;
    consentingArea = hundredths(t.consentingArea);
    if (participatingOwners > totalOwners) {
      problem(
        'art278_owners_exceed_total',
        'totals.participatingOwners',
        `参与表决业主 ${participatingOwners} 人，超过业主总人数 ${totalOwners} 人`,
      );
    }
    if (participatingArea > totalArea) {
      problem(
        'art278_area_exceeds_total',
        'totals.participatingArea',
        `参与表决面积 ${formatHundredths(participatingArea)} m²，超过专有部分总面积 ${formatHundredths(totalArea)} m²`,
      );
    }
    if (consentingOwners > participatingOwners) {
      problem(
        'art278_consent_exceeds_participation',
        'totals.consentingOwners',
        `同意业主 ${consentingOwners} 人，超过参与表决业主 ${participatingOwners} 人`,
      );
    }
    if (consentingArea > participatingArea) {
      problem(
        'art278_consent_exceeds_participation',
        'totals.consentingArea',
        `同意面积 ${formatHundredths(consentingArea)} m²，超过参与表决面积 ${formatHundredths(participatingArea)} m²`,
      );
    }
    // Every owner has some area: owners and area are zero together or not at all.
    if ((participatingOwners === 0) !== (participatingArea === 0)) {
      problem(
        'art278_owners_area_mismatch',
        'totals.participatingArea',
        '参与表决人数与面积不一致：有人参与则面积应大于 0，无人参与则面积应为 0',
      );
    }
    if ((consentingOwners === 0) !== (consentingArea === 0)) {
      problem(
        'art278_owners_area_mismatch',
        'totals.consentingArea',
        '同意人数与面积不一致：有人同意则面积应大于 0，无人同意则面积应为 0',
      );
    }
  } else {
    problem('art278_votes_or_totals', 'votes', '请填写逐户表决（votes）或汇总数（totals）');
    participatingOwners = participatingArea = consentingOwners = consentingArea = 0;
  }

  if (problems.length > 0) {
    throw Invalid(
      problems[0]!.code,
      `业主大会表决数据有误：${problems.map((p) => p.message).join('；')}`,
      problems,
    );
  }

  const consentThreshold = consentThresholdOf(input.matter);
  const owners = (n: number) => `${n} 人`;
  const area = (h: number) => `${formatHundredths(h)} m²`;
  const check = (
    key: Art278CheckKey,
    unit: Art278Check['unit'],
    num: number,
    den: number,
    t: Threshold,
    numLabel: string,
    denLabel: string,
  ): Art278Check => {
    const met = reaches(num, den, t);
    const fmt = unit === '人' ? owners : area;
    const verdict = met ? '达到' : '未达到';
    let text: string;
    if (den === 0) {
      text = `${denLabel} ${fmt(0)}，无法计算比例：${verdict}`;
    } else {
      const p = percentPair(num, den, t, met);
      text = `${numLabel} ${fmt(num)} / ${denLabel} ${fmt(den)} = ${p.value}，需 ${thresholdSymbol(t)}（${p.threshold}）：${verdict}`;
    }
    return {
      key,
      unit,
      numerator: unit === '人' ? num : num / 100,
      denominator: unit === '人' ? den : den / 100,
      threshold: t,
      met,
      text,
    };
  };

  const checks = [
    check(
      'participation_owners',
      '人',
      participatingOwners,
      totalOwners,
      TWO_THIRDS,
      '参与表决业主',
      '总人数',
    ),
    check(
      'participation_area',
      'm²',
      participatingArea,
      totalArea,
      TWO_THIRDS,
      '参与表决业主专有部分面积',
      '总面积',
    ),
    check(
      'consent_owners',
      '人',
      consentingOwners,
      participatingOwners,
      consentThreshold,
      '同意业主',
      '参与表决业主',
    ),
    check(
      'consent_area',
      'm²',
      consentingArea,
      participatingArea,
      consentThreshold,
      '同意业主专有部分面积',
      '参与表决面积',
    ),
  ];
  const passed = checks.every((c) => c.met);
  const rule = isSupermajority(input.matter) ? 'three_quarters' : 'more_than_half';
  const ruleText =
    rule === 'three_quarters'
      ? '须经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意'
      : '须经参与表决专有部分面积过半数且参与表决人数过半数的业主同意';
  const failed = checks.filter((c) => !c.met).map((c) => CHECK_NAMES[c.key]);
  const summary = passed
    ? `“${ART278_MATTER_NAMES[input.matter]}”表决通过（《民法典》第二百七十八条：参与表决人数和面积均达到三分之二以上；${ruleText}）`
    : `“${ART278_MATTER_NAMES[input.matter]}”表决未通过：${failed.join('、')}未达到要求（《民法典》第二百七十八条：参与表决人数和面积均须达到三分之二以上；${ruleText}）`;

  return {
    matter: input.matter,
    matterName: ART278_MATTER_NAMES[input.matter],
    rule,
    passed,
    checks,
    tally: {
      totalOwners,
      totalArea: totalArea / 100,
      participatingOwners,
      participatingArea: participatingArea / 100,
      consentingOwners,
      consentingArea: consentingArea / 100,
      againstOwners,
      abstainingOwners,
    },
    summary,
  };
}

export const CHECK_NAMES: Record<Art278CheckKey, string> = {
  participation_owners: '参与表决人数',
  participation_area: '参与表决面积',
  consent_owners: '同意人数',
  consent_area: '同意面积',
};
