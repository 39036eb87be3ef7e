import {
  COMPLAINT_LIMITS,
  type ComplaintCounts,
  complaintLimitBreach,
  decideLoginAttempt,
  isKnownLoginAddress,
  LOGIN_THROTTLE,
  loginDelayMs,
  waitInChinese,
} from '@gongzhi/domain';

const at = (iso: string) => new Date(`2026-11-16T${iso}Z`);
const NOW = at('10:00:00');
const seconds = (s: number) => s * 1000;

describe('loginDelayMs: free failures, then doubling from 30 s, capped at 15 minutes', () => {
  test.each([
    [0, 0],
    [1, 0],
    [LOGIN_THROTTLE.freeFailures, 0],
    [6, seconds(30)],
    [7, seconds(60)],
    [8, seconds(120)],
    [9, seconds(240)],
    [10, seconds(480)],
    [11, seconds(900)],
    [12, seconds(900)],
    [54, seconds(900)],
    [10_000, seconds(900)],
  ])('after %i failures: %i ms', (failures, delay) => {
    expect(loginDelayMs(failures)).toBe(delay);
  });
});

describe('decideLoginAttempt', () => {
  const state = (failures: number, lastFailure: string | null, blockedUntil: string | null) => ({
    failures,
    lastFailureAt: lastFailure ? at(lastFailure) : null,
    blockedUntil: blockedUntil ? at(blockedUntil) : null,
  });

  test.each([
    // [what, state, known address, expected]
    ['first attempt ever', null, false, { allowed: true, failures: 1, blockedUntil: null }],
    ['fifth', state(4, '09:59:00', null), false, { allowed: true, failures: 5, blockedUntil: null }],
    [
      'sixth: counted, and the delay starts',
      state(5, '09:59:00', null),
      false,
      {
        allowed: true,
        failures: 6,
        blockedUntil: at('10:00:30'),
      },
    ],
    [
      'during a delay: refused, not counted',
      state(6, '09:59:50', '10:00:20'),
      false,
      {
        allowed: false,
        retryAfterMs: seconds(20),
      },
    ],
    [
      'the delay just over',
      state(6, '09:59:30', '10:00:00'),
      false,
      {
        allowed: true,
        failures: 7,
        blockedUntil: at('10:01:00'),
      },
    ],
    [
      'a day after the last failure: forgotten',
      { failures: 40, lastFailureAt: new Date(NOW.getTime() - 86400_000), blockedUntil: null },
      false,
      {
        allowed: true,
        failures: 1,
        blockedUntil: null,
      },
    ],
    [
      'during a delay from a known address: allowed, the delay kept',
      state(6, '09:59:50', '10:00:20'),
      true,
      {
        allowed: true,
        failures: 7,
        blockedUntil: at('10:01:00'),
      },
    ],
    [
      'a known address never shortens a longer delay',
      state(11, '09:59:00', '10:14:00'),
      true,
      {
        allowed: true,
        failures: 12,
        blockedUntil: at('10:15:00'),
      },
    ],
  ] as const)('%s', (_what, s, known, expected) => {
    const d = decideLoginAttempt(s, known, NOW);
    if (!expected.allowed) {
      expect(d).toEqual(expected);
      return;
    }
    expect(d.allowed).toBe(true);
    if (!d.allowed) return;
    expect(d.next.failures).toBe(expected.failures);
    expect(d.next.lastFailureAt).toEqual(NOW);
    expect(d.next.blockedUntil).toEqual(expected.blockedUntil);
  });
});

describe('isKnownLoginAddress', () => {
  test.each([
    ['never signed in from there', null, false],
    ['signed in a week ago', { failures: 0, lastSuccessAt: new Date(NOW.getTime() - 7 * 86400_000) }, true],
    [
      'signed in 31 days ago',
      { failures: 0, lastSuccessAt: new Date(NOW.getTime() - 31 * 86400_000) },
      false,
    ],
    ['five failures from there since', { failures: LOGIN_THROTTLE.freeFailures, lastSuccessAt: NOW }, false],
    [
      'four failures from there since',
      { failures: LOGIN_THROTTLE.freeFailures - 1, lastSuccessAt: NOW },
      true,
    ],
  ] as const)('%s', (_what, pair, known) => {
    expect(isKnownLoginAddress(pair, NOW)).toBe(known);
  });
});

test.each([
  [1, '1 秒'],
  [29_001, '30 秒'],
  [60_000, '1 分钟'],
  [61_000, '2 分钟'],
  [900_000, '15 分钟'],
])('waitInChinese(%i) = %s', (ms, text) => {
  expect(waitInChinese(ms)).toBe(text);
});

describe('complaintLimitBreach: others’ complaints never refuse an emergency', () => {
  const ok = { count: 1, resetInMs: 1000 };
  const over = (limit: number) => ({ count: limit + 1, resetInMs: 120_000 });
  const counts = (c: Partial<ComplaintCounts>): ComplaintCounts => ({
    perQr: ok,
    perQrAddress: ok,
    perAccount: null,
    emergenciesPerAddress: ok,
    ...c,
  });
  const L = COMPLAINT_LIMITS;

  test.each([
    ['ordinary, within every limit', 'normal', counts({}), null],
    ['ordinary, the QR code full', 'normal', counts({ perQr: over(L.perQrPerHour) }), 'per_qr'],
    ['urgent, the QR code full', 'urgent', counts({ perQr: over(L.perQrPerHour) }), 'per_qr'],
    [
      'ordinary, this client full on this code',
      'normal',
      counts({ perQrAddress: over(L.perQrPerAddressPerHour) }),
      'per_qr_address',
    ],
    [
      'ordinary, this account full',
      'normal',
      counts({ perAccount: over(L.perAccountPerHour) }),
      'per_account',
    ],
    [
      'ordinary, exactly at the QR limit',
      'normal',
      counts({ perQr: { count: L.perQrPerHour, resetInMs: 1 } }),
      null,
    ],
    [
      'emergency, the QR code and this client full of ordinary complaints',
      'emergency',
      counts({
        perQr: over(L.perQrPerHour),
        perQrAddress: over(L.perQrPerAddressPerHour),
        perAccount: over(L.perAccountPerHour),
      }),
      null,
    ],
    [
      'emergency, this address full of emergencies',
      'emergency',
      counts({ emergenciesPerAddress: over(L.emergenciesPerAddressPerHour) }),
      'emergencies_per_address',
    ],
    [
      'ordinary, this address full of emergencies (another budget)',
      'normal',
      counts({ emergenciesPerAddress: over(L.emergenciesPerAddressPerHour) }),
      null,
    ],
  ] as const)('%s', (_what, urgency, c, limit) => {
    const breach = complaintLimitBreach(urgency, c);
    expect(breach?.limit ?? null).toBe(limit);
    if (breach) {
      expect(breach.retryAfterMs).toBe(120_000);
      expect(breach.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  test('a flood needs more than a few addresses to fill a QR code', () => {
    expect(L.perQrPerHour / L.perQrPerAddressPerHour).toBeGreaterThanOrEqual(10);
  });
});
