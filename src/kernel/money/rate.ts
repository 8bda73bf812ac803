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

/** The lower of two rates, as the canonical decimal string. */
export function minRate(a: AnnualRate, b: AnnualRate): AnnualRate {
  return Dec.min(a, b).toString();
}

export function rateExceeds(rate: AnnualRate, cap: AnnualRate): boolean {
  return new Dec(rate).greaterThan(cap);
}
