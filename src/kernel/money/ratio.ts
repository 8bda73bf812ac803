import { Dec } from './rate.js';

const RATIO_DECIMALS = 6;

/** A share as reports print it: six decimals, and zero of nothing is zero. */
export function ratio(part: number, whole: number): string {
  return whole === 0 ? (0).toFixed(RATIO_DECIMALS) : new Dec(part).div(whole).toFixed(RATIO_DECIMALS);
}
