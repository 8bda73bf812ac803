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

export function addDays(date: BusinessDate, days: number): BusinessDate {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** Calendar days from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  return Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to)).days;
}
