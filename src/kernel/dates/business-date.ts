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
const MS_PER_DAY = 86_400_000;

function toEpochDay(date: BusinessDate): number {
  const utc = new Date(0);
  utc.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Math.floor(utc.getTime() / MS_PER_DAY);
}

function fromEpochDay(day: number): BusinessDate {
  const utc = new Date(day * MS_PER_DAY);
  const year = utc.getUTCFullYear().toString().padStart(4, '0');
  return `${year}-${(utc.getUTCMonth() + 1).toString().padStart(2, '0')}-${utc.getUTCDate().toString().padStart(2, '0')}`;
}

export function addDays(date: BusinessDate, days: number): BusinessDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Calendar days from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  return toEpochDay(to) - toEpochDay(from);
}
