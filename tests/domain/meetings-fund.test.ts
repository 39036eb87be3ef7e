import {
  assertFundWorkMayStart,
  assertMayReportToOc,
  fundUseGate,
} from '../../packages/domain/src/meetings/fund-use';
import { domainErrorOf } from './fixtures';

/** A plan noticed on 1 May at 10:00 Shanghai time: 7 days run until 8 May at 10:00. */
const NOTICE = '2024-05-01T10:00:00+08:00';
const sh = (local: string) => new Date(`${local}+08:00`);

describe('the maintenance-fund gate', () => {
  it('lists every step missing, in order, for a plan that has nothing yet', () => {
    const gate = fundUseGate({}, sh('2024-05-01T09:00:00'));
    expect(gate.canStart).toBe(false);
    expect(gate.noticeEndsAt).toBeNull();
    expect(gate.steps.map((s) => [s.step, s.done])).toEqual([
      ['assembly', false],
      ['public_notice', false],
      ['notice_period', false],
      ['oc_report', false],
    ]);
    expect(gate.missing).toEqual([
      '尚未经业主大会表决（使用维修资金须经参与表决面积和人数均过半数的业主同意）',
      '方案尚未公示（须公示 7 天）',
      '公示期 7 天尚未开始',
      '尚未上报业委会（须在公示期满后上报）',
    ]);
  });

  it('keeps the notice period running until exactly 7 × 24 hours have passed', () => {
    const state = { assemblyPassed: true, noticeStartedAt: NOTICE };
    const before = fundUseGate(state, sh('2024-05-08T09:59:59'));
    expect(before.noticeEndsAt).toBe('2024-05-08T02:00:00.000Z');
    expect(before.missing).toEqual([
      '公示期 7 天，2024-05-08 10:00 届满，尚未届满',
      '尚未上报业委会（须在公示期满后上报）',
    ]);
    const atEnd = fundUseGate(state, sh('2024-05-08T10:00:00'));
    expect(atEnd.missing).toEqual(['尚未上报业委会（须在公示期满后上报）']);
    expect(atEnd.steps.find((s) => s.step === 'notice_period')?.text).toBe(
      '公示期 7 天已于 2024-05-08 10:00 届满',
    );
  });

  it('opens once the notice ran its course and the committee had the report afterwards', () => {
    const gate = fundUseGate(
      { assemblyPassed: true, noticeStartedAt: NOTICE, reportedToOcAt: '2024-05-08T15:00:00+08:00' },
      sh('2024-05-09T08:00:00'),
    );
    expect(gate.canStart).toBe(true);
    expect(gate.missing).toEqual([]);
    expect(gate.steps.map((s) => s.text)).toEqual([
      '业主大会已表决通过使用维修资金',
      '方案已于 2024-05-01 10:00 公示',
      '公示期 7 天已于 2024-05-08 10:00 届满',
      '已于 2024-05-08 15:00 上报业委会',
    ]);
    expect(
      assertFundWorkMayStart(
        { assemblyPassed: true, noticeStartedAt: NOTICE, reportedToOcAt: '2024-05-08T15:00:00+08:00' },
        sh('2024-05-09T08:00:00'),
      ).canStart,
    ).toBe(true);
  });

  it('does not count a report made before the notice period ended', () => {
    const gate = fundUseGate(
      { assemblyPassed: true, noticeStartedAt: NOTICE, reportedToOcAt: '2024-05-07T15:00:00+08:00' },
      sh('2024-05-09T08:00:00'),
    );
    expect(gate.canStart).toBe(false);
    expect(gate.missing).toEqual([
      '上报业委会的时间（2024-05-07 15:00）早于公示期满（2024-05-08 10:00），须在公示期满后重新上报',
    ]);
  });

  it('refuses a plan the owners voted down', () => {
    const gate = fundUseGate(
      { assemblyPassed: false, noticeStartedAt: NOTICE, reportedToOcAt: '2024-05-08T15:00:00+08:00' },
      sh('2024-05-09T08:00:00'),
    );
    expect(gate.missing).toEqual(['业主大会表决未通过使用维修资金，不能动用']);
  });

  it('follows the configured period and the assembly switch', () => {
    const state = { noticeStartedAt: NOTICE, reportedToOcAt: '2024-05-08T15:00:00+08:00' };
    const tenDays = fundUseGate(state, sh('2024-05-09T08:00:00'), { noticeDays: 10, requireAssembly: false });
    expect(tenDays.steps.map((s) => s.step)).toEqual(['public_notice', 'notice_period', 'oc_report']);
    expect(tenDays.noticeEndsAt).toBe('2024-05-11T02:00:00.000Z');
    expect(tenDays.missing).toEqual([
      '公示期 10 天，2024-05-11 10:00 届满，尚未届满',
      '上报业委会的时间（2024-05-08 15:00）早于公示期满（2024-05-11 10:00），须在公示期满后重新上报',
    ]);
    expect(fundUseGate(state, sh('2024-05-09T08:00:00'), { requireAssembly: false }).canStart).toBe(true);
  });

  it('does not count a notice dated in the future', () => {
    const gate = fundUseGate({ assemblyPassed: true, noticeStartedAt: NOTICE }, sh('2024-04-30T10:00:00'));
    expect(gate.missing[0]).toBe('方案将于 2024-05-01 10:00 开始公示');
  });
});

describe('enforcing the order', () => {
  it('refuses the report to the committee while the notice runs (409)', () => {
    const e = domainErrorOf(() =>
      assertMayReportToOc({ noticeStartedAt: NOTICE }, sh('2024-05-05T10:00:00')),
    );
    expect(e.kind).toBe('conflict');
    expect(e.code).toBe('notice_period_not_over');
    expect(e.message).toBe('公示期满后才能上报业委会：公示期 7 天，2024-05-08 10:00 届满，尚未届满');
    expect(() => assertMayReportToOc({ noticeStartedAt: NOTICE }, sh('2024-05-08T10:00:00'))).not.toThrow();
  });

  it('refuses to start work with what is missing (409 fund_use_not_ready)', () => {
    const e = domainErrorOf(() =>
      assertFundWorkMayStart({ assemblyPassed: true, noticeStartedAt: NOTICE }, sh('2024-05-09T08:00:00')),
    );
    expect(e.kind).toBe('conflict');
    expect(e.code).toBe('fund_use_not_ready');
    expect(e.message).toBe('动用维修资金的程序尚未完成，不能开工：尚未上报业委会（须在公示期满后上报）');
    expect(e.details).toEqual([{ path: 'oc_report', message: '尚未上报业委会（须在公示期满后上报）' }]);
  });
});
