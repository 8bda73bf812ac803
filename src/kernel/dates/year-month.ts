import { type BusinessDate, addDays } from './business-date.js';

/** A calendar month `YYYY-MM`: the period a credit history line reports on. */
export type YearMonth = string;

const SHAPE = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isYearMonth(text: string): boolean {
  return SHAPE.test(text);
}

export function monthOf(date: BusinessDate): YearMonth {
  return date.slice(0, 7);
}

export function firstDayOf(month: YearMonth): BusinessDate {
  return `${month}-01`;
}

export function lastDayOf(month: YearMonth): BusinessDate {
  return addDays(firstDayOf(addMonthsTo(month, 1)), -1);
}

export function addMonthsTo(month: YearMonth, months: number): YearMonth {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + months;
  return `${Math.floor(index / 12).toString().padStart(4, '0')}-${((index % 12) + 1).toString().padStart(2, '0')}`;
}

/** Whole months from `from` to `to`: 0 for the same month, negative when `to` is earlier. */
export function monthsBetween(from: YearMonth, to: YearMonth): number {
  const index = (month: YearMonth) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
  return index(to) - index(from);
}
