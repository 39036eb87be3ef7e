/**
 * Per-account login throttling: growing delays, capped, reset on success (docs/security.md,
 * "Abuse"). The state is kept per phone number whether or not an account has it, so an unknown
 * phone and a wrong password are throttled — and answered — alike.
 */
export const LOGIN_THROTTLE = {
  /** Failures (since the last success) answered without delay. */
  freeFailures: 5,
  /** The delay after the first failure beyond the free ones; it doubles with each further one… */
  firstDelayMs: 30_000,
  /** …up to this: an attacker gets about 4 guesses an hour, the owner waits at most this long. */
  maxDelayMs: 15 * 60_000,
  /** Failures are forgotten this long after the last one. */
  forgetAfterMs: 24 * 3600_000,
  /**
   * An address the account signed in from within this long is "known": other addresses' failures
   * do not delay it, so an attacker cannot keep the owner out of their own phone or home network.
   */
  knownAddressMs: 30 * 24 * 3600_000,
  /** Failed logins per address per hour, across all phones (one address trying many phones). */
  failuresPerAddressPerHour: 30,
} as const;

/** The delay that follows the n-th failure in a row (0 while within the free failures). */
export function loginDelayMs(failures: number): number {
  const beyond = failures - LOGIN_THROTTLE.freeFailures;
  if (beyond <= 0) return 0;
  // 2^beyond overflows nothing here: the cap is reached at beyond = 6.
  return Math.min(LOGIN_THROTTLE.firstDelayMs * 2 ** Math.min(beyond - 1, 30), LOGIN_THROTTLE.maxDelayMs);
}

/** One phone's throttle state as stored. */
export interface LoginThrottleState {
  failures: number;
  lastFailureAt: Date | null;
  blockedUntil: Date | null;
}

export type LoginAttemptDecision =
  | { allowed: false; retryAfterMs: number }
  /** Allowed; `next` counts this attempt as a failure in advance (a success resets it). */
  | { allowed: true; next: LoginThrottleState };

/**
 * May a password be checked now? While a delay runs, attempts are refused without being counted
 * (hammering does not extend it) — unless they come from an address the account knows. An allowed
 * attempt is counted as a failure before the password is checked, so parallel attempts cannot all
 * slip in before the first failure is recorded.
 */
export function decideLoginAttempt(
  state: LoginThrottleState | null,
  knownAddress: boolean,
  now: Date,
): LoginAttemptDecision {
  const t = now.getTime();
  const blockedFor = state?.blockedUntil ? state.blockedUntil.getTime() - t : 0;
  if (blockedFor > 0 && !knownAddress) return { allowed: false, retryAfterMs: blockedFor };
  const forgotten =
    !state?.lastFailureAt || t - state.lastFailureAt.getTime() >= LOGIN_THROTTLE.forgetAfterMs;
  const failures = (forgotten ? 0 : state.failures) + 1;
  const delay = loginDelayMs(failures);
  const until = delay > 0 ? t + delay : 0;
  // A known address's attempt never shortens a delay others are under.
  const blockedUntil = Math.max(until, blockedFor > 0 ? t + blockedFor : 0);
  return {
    allowed: true,
    next: { failures, lastFailureAt: now, blockedUntil: blockedUntil > 0 ? new Date(blockedUntil) : null },
  };
}

/** A known address stops being trusted after its own free failures (someone else on that network). */
export function isKnownLoginAddress(
  pair: { failures: number; lastSuccessAt: Date | null } | null,
  now: Date,
): boolean {
  return (
    !!pair?.lastSuccessAt &&
    now.getTime() - pair.lastSuccessAt.getTime() < LOGIN_THROTTLE.knownAddressMs &&
    pair.failures < LOGIN_THROTTLE.freeFailures
  );
}

/** "30 秒" / "4 分钟": how long to wait, for a message. */
export function waitInChinese(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 60 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`;
}
