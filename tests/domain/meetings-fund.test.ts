import {
  assertFundWorkMayStart,
  assertMayAcknowledgeOcReport,
  assertMayRecordAssembly,
  assertMayReportToOc,
  assertNewAssemblyAttempt,
  fundUseActions,
  fundUseGate,
} from '../../packages/domain/src/meetings/fund-use';
import { actionsProcedureAllows, procedureRefusal } from '../../packages/domain/src/meetings/procedure-gate';
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
      '尚未上报业委会（须在公示期满后上报，并由业委会成员签收）',
    ]);
  });

  it('keeps the notice period running until exactly 7 × 24 hours have passed', () => {
    const state = { assemblyPassed: true, noticeStartedAt: NOTICE };
    const before = fundUseGate(state, sh('2024-05-08T09:59:59'));
    expect(before.noticeEndsAt).toBe('2024-05-08T02:00:00.000Z');
    expect(before.missing).toEqual([
      '公示期 7 天，2024-05-08 10:00 届满，尚未届满',
      '尚未上报业委会（须在公示期满后上报，并由业委会成员签收）',
    ]);
    const atEnd = fundUseGate(state, sh('2024-05-08T10:00:00'));
    expect(atEnd.missing).toEqual(['尚未上报业委会（须在公示期满后上报，并由业委会成员签收）']);
    expect(atEnd.steps.find((s) => s.step === 'notice_period')?.text).toBe(
      '公示期 7 天已于 2024-05-08 10:00 届满',
    );
  });

  it('opens once the notice ran its course and the committee had the report afterwards', () => {
    const gate = fundUseGate(
      {
        assemblyPassed: true,
        noticeStartedAt: NOTICE,
        reportedToOcAt: '2024-05-08T15:00:00+08:00',
        ocAcknowledgedAt: '2024-05-08T16:00:00+08:00',
      },
      sh('2024-05-09T08:00:00'),
    );
    expect(gate.canStart).toBe(true);
    expect(gate.missing).toEqual([]);
    expect(gate.steps.map((s) => s.text)).toEqual([
      '业主大会已表决通过使用维修资金',
      '方案已于 2024-05-01 10:00 公示',
      '公示期 7 天已于 2024-05-08 10:00 届满',
      '已于 2024-05-08 15:00 上报业委会，业委会于 2024-05-08 16:00 签收',
    ]);
    expect(
      assertFundWorkMayStart(
        {
          assemblyPassed: true,
          noticeStartedAt: NOTICE,
          reportedToOcAt: '2024-05-08T15:00:00+08:00',
          ocAcknowledgedAt: '2024-05-08T16:00:00+08:00',
        },
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
      {
        assemblyPassed: false,
        noticeStartedAt: NOTICE,
        reportedToOcAt: '2024-05-08T15:00:00+08:00',
        ocAcknowledgedAt: '2024-05-08T16:00:00+08:00',
      },
      sh('2024-05-09T08:00:00'),
    );
    expect(gate.missing).toEqual(['业主大会表决未通过使用维修资金，不能动用']);
  });

  it('follows the configured period and the assembly switch', () => {
    const state = {
      noticeStartedAt: NOTICE,
      reportedToOcAt: '2024-05-08T15:00:00+08:00',
      ocAcknowledgedAt: '2024-05-08T16:00:00+08:00',
    };
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
    expect(e.message).toBe(
      '动用维修资金的程序尚未完成，不能开工：尚未上报业委会（须在公示期满后上报，并由业委会成员签收）',
    );
    expect(e.details).toEqual([
      { path: 'oc_report', message: '尚未上报业委会（须在公示期满后上报，并由业委会成员签收）' },
    ]);
  });
});

describe('the 业委会 receives the report', () => {
  const OC = ['wu-wenjie', 'hu-shengjia'];
  const reported = {
    assemblyPassed: true,
    noticeStartedAt: NOTICE,
    reportedToOcAt: '2024-05-08T15:00:00+08:00',
    reportedBy: 'wu-wenjie',
  };
  const at = sh('2024-05-09T08:00:00');
  it('counts the report only once a committee member acknowledged it', () => {
    expect(fundUseGate(reported, at).missing).toEqual(['已于 2024-05-08 15:00 上报业委会，待业委会成员签收']);
  });
  it.each([
    ['someone outside the committee', reported, 'zhang-nen', 'not_oc_member'],
    ['no person (an administrator)', reported, null, 'not_oc_member'],
    ['the reporter himself', reported, 'wu-wenjie', 'own_oc_report'],
    ['nothing reported yet', { ...reported, reportedToOcAt: null }, 'hu-shengjia', 'oc_report_not_submitted'],
    [
      'a report made during the notice',
      { ...reported, reportedToOcAt: '2024-05-07T15:00:00+08:00' },
      'hu-shengjia',
      'oc_report_not_submitted',
    ],
    [
      'a second acknowledgement',
      { ...reported, ocAcknowledgedAt: at },
      'hu-shengjia',
      'oc_report_acknowledged',
    ],
  ] as const)('refuses %s', (_why, state, person, code) => {
    expect(domainErrorOf(() => assertMayAcknowledgeOcReport(state, person, OC, at)).code).toBe(code);
  });
  it('lets another committee member acknowledge', () => {
    expect(() => assertMayAcknowledgeOcReport(reported, 'hu-shengjia', OC, at)).not.toThrow();
  });
  it('offers each step to whom it belongs, when it may be taken', () => {
    const owner = { person: 'wu-wenjie', recordsProcedure: true, draftsNotice: true };
    const other = { person: 'hu-shengjia', recordsProcedure: false, draftsNotice: false };
    const rc = { person: 'zhang-nen', recordsProcedure: false, draftsNotice: false };
    expect(fundUseActions(owner, {}, OC, at)).toEqual(['record_assembly']);
    expect(fundUseActions(owner, { assemblyPassed: true }, OC, at)).toEqual([
      'record_assembly',
      'draft_notice',
    ]);
    const running = { assemblyPassed: true, noticeStartedAt: NOTICE };
    expect(fundUseActions(owner, running, OC, sh('2024-05-08T09:59:59'))).toEqual(['record_assembly']);
    expect(fundUseActions(owner, running, OC, at)).toEqual(['record_assembly', 'report_to_oc']);
    expect(fundUseActions(owner, reported, OC, at)).toEqual(['record_assembly']);
    expect(fundUseActions(other, reported, OC, at)).toEqual(['record_assembly', 'acknowledge_oc_report']);
    expect(fundUseActions(rc, reported, OC, at)).toEqual([]);
    expect(fundUseActions(other, { ...reported, ocAcknowledgedAt: at }, OC, at)).toEqual(['record_assembly']);
  });
});

describe('owners-assembly votes: entered by the 业委会, each attempt its own assembly', () => {
  const now = sh('2024-05-09T08:00:00');
  it('only a committee member enters a vote', () => {
    expect(domainErrorOf(() => assertMayRecordAssembly('zhang-nen', ['wu-wenjie'])).code).toBe(
      'not_oc_member',
    );
    expect(() => assertMayRecordAssembly('wu-wenjie', ['wu-wenjie'])).not.toThrow();
  });
  it.each([
    ['the first vote', '2024-05-01', [], null],
    ['a later assembly', '2024-05-09', [{ heldOn: '2024-05-01' }], null],
    ['the same assembly re-entered', '2024-05-01', [{ heldOn: '2024-05-01' }], 'assembly_already_recorded'],
    ['an earlier day', '2024-04-30', [{ heldOn: '2024-05-01' }], 'assembly_already_recorded'],
    ['tomorrow', '2024-05-10', [], 'assembly_in_future'],
    ['after a legacy vote without a day', '2024-05-02', [{ heldOn: null }], null],
  ] as const)('%s', (_why, heldOn, earlier, code) => {
    const run = () => assertNewAssemblyAttempt(heldOn, earlier, now);
    if (code) expect(domainErrorOf(run).code).toBe(code);
    else expect(run).not.toThrow();
  });
});

describe('the procedure gate (shared parts and the maintenance fund)', () => {
  const plain = { usesMaintenanceFund: false, touchesSharedParts: false };
  const fund = { usesMaintenanceFund: true, touchesSharedParts: false };
  const shared = { usesMaintenanceFund: false, touchesSharedParts: true };
  const done = {
    assemblyPassed: true,
    latestAssemblyPassed: true,
    noticeStartedAt: NOTICE,
    reportedToOcAt: '2024-05-08T15:00:00+08:00',
    ocAcknowledgedAt: '2024-05-08T16:00:00+08:00',
  };
  const at = sh('2024-05-09T08:00:00');
  it.each([
    ['a plain issue resolves', 'resolve', plain, {}, null],
    ['a fund issue: the first look cannot be resolved', 'resolve', fund, {}, 'fund_use_not_ready'],
    ['a fund issue: no dispatch of the work', 'redispatch', fund, {}, 'fund_use_not_ready'],
    ['a fund issue: no verify', 'verify', fund, {}, 'fund_use_not_ready'],
    ['a fund issue: no joint-meeting close', 'decide_close', fund, {}, 'fund_use_not_ready'],
    [
      'a fund issue: not acknowledged yet',
      'resolve',
      fund,
      { ...done, ocAcknowledgedAt: null },
      'fund_use_not_ready',
    ],
    ['a fund issue: returned, rejected, merged, reassigned stay open', 'return', fund, {}, null],
    ['a fund issue: reject', 'reject', fund, {}, null],
    ['a fund issue: reassign', 'reassign', fund, {}, null],
    ['a fund issue after its procedure', 'resolve', fund, done, null],
    ['shared parts without a vote', 'resolve', shared, {}, 'owners_assembly_required'],
    [
      'shared parts voted down last',
      'resolve',
      shared,
      { latestAssemblyPassed: false },
      'owners_assembly_required',
    ],
    ['shared parts approved', 'resolve', shared, { latestAssemblyPassed: true }, null],
  ] as const)('%s', (_why, action, facts, state, code) => {
    const refusal = procedureRefusal(action, facts, state, at);
    expect(refusal?.code ?? null).toBe(code);
    if (refusal) {
      expect(refusal.kind).toBe('conflict');
      expect(refusal.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
  it('names the missing steps and the step refused', () => {
    const r = procedureRefusal('resolve', fund, {}, at)!;
    expect(r.message).toBe(
      '动用维修资金的程序尚未完成，不能“办结”：尚未经业主大会表决（使用维修资金须经参与表决面积和人数均过半数的业主同意）；方案尚未公示（须公示 7 天）；公示期 7 天尚未开始；尚未上报业委会（须在公示期满后上报，并由业委会成员签收）',
    );
    expect(r.details?.map((d) => d.path)).toEqual([
      'assembly',
      'public_notice',
      'notice_period',
      'oc_report',
    ]);
  });
  it('the capabilities drop exactly what the gate refuses', () => {
    const offered = ['resolve', 'return', 'redispatch', 'reject', 'merge'] as const;
    expect(actionsProcedureAllows(offered, fund, {}, at)).toEqual(['return', 'reject', 'merge']);
    expect(actionsProcedureAllows(offered, fund, done, at)).toEqual([...offered]);
  });
});
