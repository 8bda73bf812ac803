import { type ValidationArguments, type ValidationOptions, ValidateIf, registerDecorator } from 'class-validator';
import { Temporal } from 'temporal-polyfill';
import { isBusinessDate } from '../../kernel/dates/business-date.js';
import { isYearMonth } from '../../kernel/dates/year-month.js';
import { isClientId } from '../../kernel/client-id.js';
import { isTimeZone } from '../../kernel/dates/time-zone.js';
import { isKnownCurrency } from '../../kernel/money/currency.js';
import { isRate } from '../../kernel/money/rate.js';

/**
 * class-validator decorators for the domain's value formats. Each refuses anything but a
 * string, so a JSON number (a float for money) is a 400 rather than a silent conversion.
 */
function stringRule(name: string, test: (value: string) => boolean, message: string) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyName) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: propertyName as string,
        options: { message: `$property ${message}`, ...options },
        validator: { validate: (value: unknown) => typeof value === 'string' && test(value) },
      });
}

const AMOUNT = /^(0|[1-9]\d{0,15})(\.\d+)?$/;
const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A non-negative decimal string such as "1234.56"; the currency's decimals (and zero) are
 * checked by the decider. A negative amount is told the rule it broke, not the format.
 */
export const IsAmount =
  (options?: ValidationOptions): PropertyDecorator =>
  (target, propertyName) =>
    registerDecorator({
      name: 'isAmount',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: amountMessage, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && AMOUNT.test(value) },
    });

function amountMessage({ property, value }: ValidationArguments): string {
  const negative = (typeof value === 'number' && value < 0) || (typeof value === 'string' && /^\s*-\s*\d/.test(value));
  return negative ? `${property} must be positive, a decimal string such as "1234.56"` : `${property} must be a decimal string such as "1234.56"`;
}

/** An annual rate as a decimal string: "0.18" is 18% a year. */
export const IsAnnualRate = stringRule('isAnnualRate', isRate, 'must be an annual rate as a decimal string such as "0.18"');

/** No business of a loan serviced here predates it: an earlier date is a typo that would stay in the log for good. */
export const EARLIEST_BUSINESS_DATE = '1970-01-01';

export const IsBusinessDate = stringRule(
  'isBusinessDate',
  (v) => isBusinessDate(v) && v >= EARLIEST_BUSINESS_DATE,
  `must be a calendar date YYYY-MM-DD, not before ${EARLIEST_BUSINESS_DATE}`,
);

export const IsYearMonth = stringRule('isYearMonth', isYearMonth, 'must be a calendar month YYYY-MM');

export const IsTimeZone = stringRule('isTimeZone', isTimeZone, 'must be an IANA time zone such as "Asia/Shanghai"');

export const IsCurrency = stringRule('isCurrency', isKnownCurrency, 'must be an ISO 4217 currency code such as "CNY"');

/**
 * An ISO 8601 instant with an explicit offset (or Z) that names a real moment. Read by both
 * parsers the code uses: Date.parse takes hour 24 (T24:00), which Temporal refuses, and
 * Temporal takes a leap second (:60), which Date.parse refuses.
 */
export const IsInstant = stringRule(
  'isInstant',
  (v) => INSTANT_WITH_OFFSET.test(v) && isBusinessDate(v.slice(0, 10)) && !Number.isNaN(Date.parse(v)) && isTemporalInstant(v),
  'must be an ISO 8601 instant with an offset, such as "2026-01-09T20:15:00+08:00"',
);

function isTemporalInstant(text: string): boolean {
  try {
    Temporal.Instant.from(text);
    return true;
  } catch {
    return false;
  }
}

/** Ids chosen by clients (loan, borrower, payment): 1–64 characters of A-Z a-z 0-9 . _ : - */
export const IsClientId = stringRule('isClientId', isClientId, 'must be 1-64 characters of A-Z a-z 0-9 . _ : -');

/**
 * A field that may be left out. class-validator's IsOptional skips the rules for null as
 * well, but no field of a command is nullable and the commands tell "not given" by
 * `=== undefined`, so a null would reach them as a value: here it is refused instead.
 */
export const IsOmittable = (options?: ValidationOptions): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined, options);
