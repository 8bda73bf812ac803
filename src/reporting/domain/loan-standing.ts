import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import { type LoanState, interestOutstanding, penaltyOutstanding, principalOutstanding } from '../../loans/domain/loan-state.js';
import { loanDaysPastDue } from '../../loans/domain/overdue/days-past-due.js';

/** Where a loan stood on a business date, as its credit record and the regulator see it. */
export interface LoanStanding {
  /** `not-open`: not disbursed by that date; `open`: on the books. */
  readonly account: 'not-open' | 'open' | 'paid-off' | 'written-off';
  /** Frozen at the write-off date for a written-off loan; 0 once paid off. */
  readonly daysPastDue: number;
  readonly principalOutstanding: MinorUnits;
  /** Principal outstanding plus the interest and penalty fallen due and unpaid. */
  readonly balance: MinorUnits;
  readonly inRestructuringObservation: boolean;
}

export function standingOn(state: LoanState, on: BusinessDate): LoanStanding {
  const principal = state.instalments.reduce((sum, i) => sum + principalOutstanding(i), 0);
  const fallenDue = state.instalments
    .filter((i) => i.dueOn <= on)
    .reduce((sum, i) => sum + interestOutstanding(i), 0);
  const penalty = state.instalments.reduce((sum, i) => sum + penaltyOutstanding(i), 0);
  const inRestructuringObservation = state.restructuring !== undefined && state.restructuring.observationEndedOn === undefined;
  const open = { principalOutstanding: principal, balance: principal + fallenDue + penalty, inRestructuringObservation };
  if (state.disbursedOn === undefined || state.disbursedOn > on) {
    return { account: 'not-open', daysPastDue: 0, principalOutstanding: 0, balance: 0, inRestructuringObservation: false };
  }
  if (state.status === 'paid-off') return { account: 'paid-off', daysPastDue: 0, principalOutstanding: 0, balance: 0, inRestructuringObservation: false };
  return { account: state.writtenOff ? 'written-off' : 'open', daysPastDue: loanDaysPastDue(state, on), ...open };
}
