/**
 * Exact ratio arithmetic for votes and quorums. Areas are carried as integer hundredths of a m²
 * and every comparison is a cross-multiplication in BigInt, so "exactly 2/3" is never lost to a
 * floating-point rounding (0.1 + 0.2 !== 0.3). Percentages are only ever produced for display.
 */

/** `value ≥ num/den`, or `value > num/den` when strict (Chinese law: 以上 includes the bound, 过半数 does not). */
export interface Threshold {
  readonly num: number;
  readonly den: number;
  readonly strict: boolean;
}

export const TWO_THIRDS: Threshold = Object.freeze({ num: 2, den: 3, strict: false });
export const THREE_QUARTERS: Threshold = Object.freeze({ num: 3, den: 4, strict: false });
export const MORE_THAN_HALF: Threshold = Object.freeze({ num: 1, den: 2, strict: true });

/** "More than p %" with an integer percentage, reduced (50 → 1/2). */
export function moreThanPercent(percent: number): Threshold {
  const g = gcd(percent, 100);
  return { num: percent / g, den: 100 / g, strict: true };
}

function gcd(a: number, b: number): number {
  return b === 0 ? Math.abs(a) || 1 : gcd(b, a % b);
}

/** Whether numerator/denominator reaches the threshold. A zero denominator reaches nothing. */
export function reaches(numerator: number, denominator: number, t: Threshold): boolean {
  if (denominator <= 0) return false;
  const lhs = BigInt(numerator) * BigInt(t.den);
  const rhs = BigInt(t.num) * BigInt(denominator);
  return t.strict ? lhs > rhs : lhs >= rhs;
}

/** num/den as a percentage scaled by 10^digits, rounded half up, exactly. */
function scaledPercent(num: number, den: number, digits: number): bigint {
  const scale = 100n * 10n ** BigInt(digits);
  const n = BigInt(num) * scale * 2n + BigInt(den);
  return n / (2n * BigInt(den));
}

function formatScaled(v: bigint, digits: number): string {
  const s = v.toString().padStart(digits + 1, '0');
  return `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}%`;
}

/** "12000.00": integer hundredths as a decimal with two places. */
export function formatHundredths(h: number): string {
  const s = String(Math.abs(h)).padStart(3, '0');
  return `${h < 0 ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

export const thresholdSymbol = (t: Threshold) => `${t.strict ? '>' : '≥'} ${t.num}/${t.den}`;

/**
 * The ratio and the threshold as percentages for a sentence. Two decimals normally; more when two
 * would contradict the verdict (66.6665 % shown as "66.67 %" next to "需 ≥ 66.67 %：未达到"), so
 * the arithmetic a person reads always agrees with the decision.
 */
export function percentPair(
  numerator: number,
  denominator: number,
  t: Threshold,
  met: boolean,
): { value: string; threshold: string } {
  let digits = 2;
  for (; digits < 16; digits++) {
    const v = scaledPercent(numerator, denominator, digits);
    const th = scaledPercent(t.num, t.den, digits);
    const consistent = met ? (t.strict ? v > th : v >= th) : t.strict ? v <= th : v < th;
    if (consistent) break;
  }
  return {
    value: formatScaled(scaledPercent(numerator, denominator, digits), digits),
    threshold: formatScaled(scaledPercent(t.num, t.den, digits), digits),
  };
}
