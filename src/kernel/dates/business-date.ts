import { Temporal } from 'temporal-polyfill';

/**
 * A business date: a calendar date `YYYY-MM-DD` with no time zone. Kept as the string
 * itself in events and state (it sorts and compares correctly as text).
 */
export type BusinessDate = string;

const SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * True for a real calendar date in the YYYY-MM-DD form (2026-02-30 is not one). Checked by
 * arithmetic rather than by parsing with Temporal: every command's dates go through here,
 * and the parse cost as much as a good part of the rest of a payment's validation.
 */
export function isBusinessDate(text: string): boolean {
  if (!SHAPE.test(text)) return false;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** In the proleptic Gregorian calendar, as Temporal's ISO calendar counts. */
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** `months` months after `date`, on the same day of the month, clamped to the month's end. */
export function addMonths(date: BusinessDate, months: number): BusinessDate {
  return Temporal.PlainDate.from(date).add({ months }).toString();
}

// Day arithmetic runs for every instalment of every loan at close of business, so it is
// done on epoch days rather than through Temporal objects, which cost far more per call.
function toEpochDay(date: BusinessDate): number {
  return daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

function fromEpochDay(day: number): BusinessDate {
  const [year, month, dayOfMonth] = civilFromDays(day);
  return `${year.toString().padStart(4, '0')}-${month.toString().padStart(2, '0')}-${dayOfMonth.toString().padStart(2, '0')}`;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date, and back: H. Hinnant's algorithms
 * ("chrono-compatible low-level date algorithms"), integer arithmetic on 400-year eras with
 * the year starting in March so that the leap day falls last. A Date object per call cost
 * most of what a year of backdated penalty adjustments took.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(days: number): [year: number, month: number, day: number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

export function addDays(date: BusinessDate, days: number): BusinessDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Calendar days from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  return toEpochDay(to) - toEpochDay(from);
}
