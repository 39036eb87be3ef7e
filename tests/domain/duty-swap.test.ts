import type { Org } from '../../packages/domain/src/community/schema';
import { type DayKind, DutyConfig, type DutyConfigInput } from '../../packages/domain/src/duty/config';
import type { RotaShift } from '../../packages/domain/src/duty/generate-rota';
import { dutyPoolsOf } from '../../packages/domain/src/duty/pools';
import {
  applySwapAction,
  type CheckSwapInput,
  checkSwap,
  SWAP_ACTIONS,
  SWAP_STATUSES,
  type SwapAction,
  type SwapStatus,
  swapTakesEffect,
} from '../../packages/domain/src/duty/swap';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

/** October 2026 by hand: 国庆 1–7, make-up workdays Sun 20 Sep and Sat 10 Oct, other Sat/Sun off. */
function dayKind(date: string): DayKind {
  if (date >= '2026-10-01' && date <= '2026-10-07') return 'holiday';
  if (date === '2026-09-20' || date === '2026-10-10') return 'makeup_workday';
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6 ? 'weekend' : 'workday';
}

const community = loadXiaduoyuan();
const twoShifts: DutyConfigInput = {
  shifts: [
    { key: 'day', name: '白班', start: '08:30', end: '17:00' },
    { key: 'night', name: '夜班', start: '17:00', end: '08:30' },
  ],
  unavailable: { 'liu-jing': ['2026-10-12..2026-10-14'] },
};
const config = DutyConfig.parse(twoShifts);
const pools = dutyPoolsOf(community, config);

// yang-chenyi (grid) also listed for rc: a person serving two organisations.
const poolsWithYang = new Map<Org, string[]>([...pools, ['rc', [...pools.get('rc')!, 'yang-chenyi']]]);

const shift = (date: string, s: string, org: Org, person: string): RotaShift => ({
  date,
  shift: s,
  org,
  person,
});

// Monday 12 Oct and around it: zhang-nen (rc) holds the day shift.
const rota: RotaShift[] = [
  shift('2026-10-12', 'day', 'rc', 'zhang-nen'),
  shift('2026-10-12', 'day', 'grid', 'yang-chenyi'),
  shift('2026-10-12', 'night', 'rc', 'chen-xia'),
  shift('2026-10-11', 'night', 'rc', 'shen-bin'),
  shift('2026-10-13', 'day', 'rc', 'lu-jia'),
  shift('2026-10-11', 'day', 'oc', 'wu-wenjie'),
];
const base = (over: Partial<CheckSwapInput>): CheckSwapInput => ({
  shift: rota[0]!,
  from: 'zhang-nen',
  to: 'li-yongkang',
  pools,
  config,
  dayKind,
  rota,
  people: community.people,
  ...over,
});

describe('checkSwap', () => {
  it('lets an eligible, free, available colleague of the same organisation take the shift', () => {
    expect(checkSwap(base({}))).toEqual({ shift: { ...rota[0]!, person: 'li-yongkang' } });
  });

  it.each([
    [
      'a grid inspector taking a 居委会 shift',
      { to: 'yang-chenyi' },
      'swap_not_eligible',
      '杨琛怡不属于居委会值班人员，不能替换居委会班次（2026-10-12 工作日）',
      'to',
    ],
    [
      'an owners’-committee member taking a 居委会 shift',
      { to: 'wu-wenjie' },
      'swap_not_eligible',
      '吴文杰不属于居委会值班人员，不能替换居委会班次（2026-10-12 工作日）',
      'to',
    ],
    [
      'a person unavailable that day (config)',
      { to: 'liu-jing' },
      'swap_unavailable',
      '刘静 2026-10-12 不可值班（已登记：2026-10-12..2026-10-14），不能接替该班次',
      'to',
    ],
    [
      'a person unavailable that day (given by the caller)',
      { to: 'shen-kajia', unavailable: { 'shen-kajia': ['2026-10-12'] } },
      'swap_unavailable',
      '沈卡加 2026-10-12 不可值班（已登记：2026-10-12），不能接替该班次',
      'to',
    ],
    [
      'a person already on the same shift for another organisation',
      { to: 'yang-chenyi', pools: poolsWithYang },
      'swap_double_booked',
      '杨琛怡在 2026-10-12 已有网格巡查班次，与要接替的 2026-10-12 班次时间重叠，不能同时值班',
      'to',
    ],
    [
      'a person whose night shift runs past the start of the morning one',
      {
        to: 'shen-bin',
        config: DutyConfig.parse({
          shifts: [
            { key: 'day', name: '白班', start: '08:00', end: '17:00' },
            { key: 'night', name: '夜班', start: '17:00', end: '08:30' },
          ],
        }),
      },
      'swap_double_booked',
      '沈彬在 2026-10-11 已有居委会班次，与要接替的 2026-10-12 班次时间重叠，不能同时值班',
      'to',
    ],
    ['the same person', { to: 'zhang-nen' }, 'swap_same_person', '不能与自己换班', 'to'],
    [
      'a shift that is not the requester’s',
      { from: 'chen-xia', to: 'li-yongkang' },
      'swap_not_own_shift',
      '2026-10-12 的这个班次不是陈霞的，不能由其发起换班',
      'shift',
    ],
  ])('refuses %s', (_what, over, code, message, path) => {
    const err = domainErrorOf(() => checkSwap(base(over)));
    expect(err.kind).toBe('invalid');
    expect(err.code).toBe(code);
    expect(err.message).toBe(message);
    expect(err.details![0]!.path).toBe(path);
  });

  it('allows taking a shift that starts exactly when the taker’s previous one ends', () => {
    // shen-bin's night of 11 Oct ends 08:30 on 12 Oct, when the day shift starts.
    expect(checkSwap(base({ to: 'shen-bin' })).shift.person).toBe('shen-bin');
  });

  it('in an exchange checks both directions, and drops the shifts being exchanged from the clash check', () => {
    // zhang-nen (12 day) ⇄ chen-xia (12 night): each takes the other's, so neither clashes.
    expect(checkSwap(base({ to: 'chen-xia', inReturn: rota[2]! }))).toEqual({
      shift: { ...rota[0]!, person: 'chen-xia' },
      inReturn: { ...rota[2]!, person: 'zhang-nen' },
    });
  });

  it('refuses an exchange for a shift the counterpart does not hold', () => {
    const err = domainErrorOf(() => checkSwap(base({ to: 'li-yongkang', inReturn: rota[2]! })));
    expect(err.code).toBe('swap_not_own_shift');
    expect(err.details![0]!.path).toBe('inReturn');
  });

  it('the requester of an exchange must be eligible for the shift taken in return', () => {
    // yang-chenyi (grid, here also in the rc pool) may take the rc shift, but zhang-nen (rc only)
    // cannot take yang-chenyi's grid shift in return.
    const err = domainErrorOf(() =>
      checkSwap(
        base({
          to: 'yang-chenyi',
          inReturn: rota[1]!,
          pools: poolsWithYang,
        }),
      ),
    );
    expect(err.code).toBe('swap_not_eligible');
    expect(err.message).toBe('张嫩不属于网格巡查值班人员，不能替换网格巡查班次（2026-10-12 工作日）');
    expect(err.details![0]!.path).toBe('from');
  });
});

describe('swap request states', () => {
  const parties = { requester: 'zhang-nen', counterpart: 'li-yongkang' };
  // Written out by hand: from requested, the counterpart answers and the requester may withdraw.
  const EXPECTED: Record<SwapStatus, Partial<Record<SwapAction, { to: SwapStatus; by: string }>>> = {
    requested: {
      accept: { to: 'accepted', by: 'li-yongkang' },
      decline: { to: 'declined', by: 'li-yongkang' },
      cancel: { to: 'cancelled', by: 'zhang-nen' },
    },
    accepted: {},
    declined: {},
    cancelled: {},
  };
  const cases = SWAP_STATUSES.flatMap((status) =>
    SWAP_ACTIONS.flatMap((action) =>
      ['zhang-nen', 'li-yongkang', 'stranger'].map((actor) => [status, action, actor] as const),
    ),
  );

  it.each(cases)('%s → %s by %s', (status, action, actor) => {
    const expected = EXPECTED[status][action];
    const run = () => applySwapAction(status, action, { actor, ...parties });
    if (!expected) {
      const err = domainErrorOf(run);
      expect(err.kind).toBe('conflict');
      expect(err.code).toBe('swap_invalid_transition');
      expect(err.message).toMatch(/换班申请当前状态为“(已同意|已拒绝|已撤回)”/);
    } else if (expected.by !== actor) {
      const err = domainErrorOf(run);
      expect(err.kind).toBe('forbidden');
      expect(err.code).toBe('swap_not_permitted');
    } else {
      expect(run()).toBe(expected.to);
    }
  });

  it.each([
    ['requested', false],
    ['accepted', true],
    ['declined', false],
    ['cancelled', false],
  ] as const)('a %s swap takes effect: %s', (status, effect) => {
    expect(swapTakesEffect(status)).toBe(effect);
  });
});
