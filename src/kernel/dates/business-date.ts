import { Temporal } from 'temporal-polyfill';

/**
 * A business date: a calendar date `YYYY-MM-DD` with no time zone. Kept as the string
 * itself in events and state (it sorts and compares correctly as text).
 */
export type BusinessDate = string;

const SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date in the YYYY-MM-DD form (2026-02-30 is not one). */
export function isBusinessDate(text: string): boolean {
  if (!SHAPE.test(text)) return false;
  try {
    Temporal.PlainDate.from(text, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
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
