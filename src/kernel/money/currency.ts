/**
 * ISO 4217 currencies and their minor-unit exponents, from the ICU data that ships with
 * Node (Intl): CNY and USD have 2 decimals, JPY 0, BHD 3.
 */
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const exponents = new Map<string, number>();

export function isKnownCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && KNOWN_CURRENCIES.has(code);
}

/** Decimal places of the currency's minor unit. The caller has checked isKnownCurrency. */
export function currencyExponent(code: string): number {
  let exponent = exponents.get(code);
  if (exponent === undefined) {
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits!;
    exponents.set(code, exponent);
  }
  return exponent;
}
