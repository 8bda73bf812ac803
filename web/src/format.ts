/**
 * Amounts, percentages and instants as the page shows them. Amounts are worked in integer
 * minor units (BigInt), with the currency's exponent as Intl knows it (JPY 0, CNY 2, BHD 3),
 * and formatted from an exact decimal string: never a float times 100.
 */

const exponents = new Map<string, number>();
const formatters = new Map<string, Intl.NumberFormat>();

/** Digits after the decimal point of the currency's minor unit. */
export function exponentOf(currency: string): number {
  let digits = exponents.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, digits);
  }
  return digits;
}

/** "1234.5" (CNY) → 123450n; refuses more decimals than the currency has rather than round. */
export function toMinor(amount: string, currency: string): bigint {
  const digits = exponentOf(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new Error(`not an amount: ${amount}`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > digits && /[1-9]/.test(fraction.slice(digits))) throw new Error(`${amount} has more decimals than ${currency}`);
  const minor = BigInt(whole!) * 10n ** BigInt(digits) + BigInt((fraction.slice(0, digits).padEnd(digits, '0')) || '0');
  return sign ? -minor : minor;
}

export function sumMinor(amounts: readonly (string | number | bigint)[], currency: string): bigint {
  return amounts.reduce<bigint>((total, amount) => total + (typeof amount === 'string' ? toMinor(amount, currency) : BigInt(amount)), 0n);
}

/** Minor units as the exact decimal string Intl.NumberFormat formats without passing through a float. */
function decimalOf(minor: bigint, digits: number): string {
  const negative = minor < 0n;
  const text = (negative ? -minor : minor).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${text.slice(text.length - digits)}` : ''}`;
}

/** 123450n CNY → "CN¥1,234.50", in the reader's locale. */
export function money(minor: bigint | number, currency: string): string {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    formatters.set(currency, formatter);
  }
  // ES2023 Intl formats a decimal string exactly; the DOM lib types only number | bigint.
  return formatter.format(decimalOf(BigInt(minor), exponentOf(currency)) as unknown as number);
}

/** An amount as the API writes it ("1234.50"), with its currency and thousands separators. */
export function amount(value: string, currency: string): string {
  return money(toMinor(value, currency), currency);
}

const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const wholePercentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** A ratio ("0.031250") as a percentage with one decimal: 3.1%. */
export function pct(ratio: string | number): string {
  return percentFormat.format(Number(ratio));
}

/** An axis tick: no trailing zeros (5%, 12.5%). */
export function tickPct(ratio: number): string {
  return wholePercentFormat.format(ratio);
}

const count = new Intl.NumberFormat();
export function num(value: number): string {
  return count.format(value);
}

/**
 * An instant as the API wrote it ("2026-06-01T09:00:00.000+08:00"), shown at the offset it
 * carries, to the minute, with the offset named: "2026-06-01 09:00 (UTC+08:00)". The queue
 * gives each instant at the offset of the zone it judged it in.
 */
export function instantAtItsOffset(instant: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(instant);
  if (!match) return instant;
  const [, date, time, offset] = match;
  return `${date} ${time} (UTC${offset === 'Z' ? '' : offset})`;
}

/** The business date of an instant at the offset it carries. */
export function dateOf(instant: string): string {
  return instant.slice(0, 10);
}
