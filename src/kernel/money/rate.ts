import { Decimal } from 'decimal.js';

/**
 * Annual rates travel as decimal strings ("0.18" = 18% a year) and are computed with
 * decimal.js at 40 significant digits, rounding to minor units once per computed amount.
 */
export type AnnualRate = string;

export type RoundingMode = 'half-up' | 'half-even' | 'down' | 'up';

/** An isolated Decimal constructor, so no other code's settings can change ours. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;

const ROUNDING: Record<RoundingMode, Decimal.Rounding> = {
  'half-up': Decimal.ROUND_HALF_UP,
  'half-even': Decimal.ROUND_HALF_EVEN,
  down: Decimal.ROUND_DOWN,
  up: Decimal.ROUND_UP,
};

const RATE = /^(0|[1-9]\d*)(\.\d{1,10})?$/;

export function isRate(text: string): boolean {
  return RATE.test(text);
}

/** Rounds a decimal amount of minor units to a whole number of them. */
export function toMinorUnits(value: Dec, rounding: RoundingMode): number {
  return value.toDecimalPlaces(0, ROUNDING[rounding]).toNumber();
}

/**
 * numerator / divisor rounded to an integer, exactly, in BigInt: what toMinorUnits gives for
 * the same quotient (ties away from zero for half-up, to even for half-even; up is away from
 * zero, down towards it), without a decimal per call where one is rounded per day.
 */
export function roundQuotient(numerator: bigint, divisor: bigint, rounding: RoundingMode): bigint {
  const quotient = numerator / divisor;
  const remainder = numerator % divisor;
  if (remainder === 0n) return quotient;
  const awayFromZero = (numerator < 0n) !== (divisor < 0n) ? quotient - 1n : quotient + 1n;
  const twiceRemainder = 2n * (remainder < 0n ? -remainder : remainder);
  const absDivisor = divisor < 0n ? -divisor : divisor;
  switch (rounding) {
    case 'down':
      return quotient;
    case 'up':
      return awayFromZero;
    case 'half-up':
      return twiceRemainder >= absDivisor ? awayFromZero : quotient;
    case 'half-even':
      return twiceRemainder > absDivisor || (twiceRemainder === absDivisor && quotient % 2n !== 0n) ? awayFromZero : quotient;
  }
}

/** The lower of two rates, as the canonical decimal string. */
export function minRate(a: AnnualRate, b: AnnualRate): AnnualRate {
  return Dec.min(a, b).toString();
}

export function rateExceeds(rate: AnnualRate, cap: AnnualRate): boolean {
  return new Dec(rate).greaterThan(cap);
}
