import { currencyExponent } from './currency.js';

/**
 * Amounts are integers of the currency's minor unit (fen, cents) inside the core, and
 * decimal strings ("1234.56") at the edges. Both conversions are exact.
 */
export type MinorUnits = number;

const DECIMAL = /^(0|[1-9]\d*)(\.(\d+))?$/;

export type AmountProblem = 'not-a-decimal' | 'too-many-decimals' | 'too-large';

/** Parses a non-negative decimal string into minor units, or says why it cannot. */
export function parseAmount(text: string, currency: string): MinorUnits | AmountProblem {
  const match = DECIMAL.exec(text);
  if (!match) return 'not-a-decimal';
  const exponent = currencyExponent(currency);
  const fraction = match[3] ?? '';
  if (fraction.length > exponent) return 'too-many-decimals';
  const minor = BigInt(match[1]! + fraction.padEnd(exponent, '0'));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return 'too-large';
  return Number(minor);
}

/** Minor units as a decimal string with exactly the currency's decimals: 110016 CNY → "1100.16". */
export function formatAmount(minor: MinorUnits, currency: string): string {
  const exponent = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = Math.abs(minor).toString().padStart(exponent + 1, '0');
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
