import { type BusinessDate, daysBetween } from '../../../kernel/dates/business-date.js';
import { type InstalmentState, type LoanState, interestOutstanding, principalOutstanding } from '../loan-state.js';

/**
 * The due date of the oldest instalment with unpaid principal or interest (penalty alone
 * does not keep a loan delinquent), or undefined when there is none.
 */
export function oldestUnpaidDueOn(instalments: readonly InstalmentState[]): BusinessDate | undefined {
  return instalments.find((i) => principalOutstanding(i) + interestOutstanding(i) > 0)?.dueOn;
}

/**
 * Days past due on a business date (DESIGN.md §3): the date minus the oldest unpaid due
 * date, 0 when nothing is unpaid or it is not yet due. Grace periods do not change it.
 */
export function daysPastDue(instalments: readonly InstalmentState[], on: BusinessDate): number {
  const oldest = oldestUnpaidDueOn(instalments);
  return oldest === undefined ? 0 : Math.max(0, daysBetween(oldest, on));
}

/** A loan's days past due on a date: frozen at its write-off, 0 before disbursement and once paid off. */
export function loanDaysPastDue(state: LoanState, on: BusinessDate): number {
  if (state.disbursedOn === undefined || state.disbursedOn > on || state.status === 'paid-off') return 0;
  return daysPastDue(state.instalments, state.writtenOff?.writtenOffOn ?? on);
}
