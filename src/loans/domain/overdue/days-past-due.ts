import type { BusinessDate } from '../../../kernel/dates/business-date.js';
import { type InstalmentState, type LoanState, interestOutstanding, penaltyOutstanding, principalOutstanding } from '../loan-state.js';
import { observationFloorOf } from './risk-classification.js';
import { type InstalmentOwed, type LoanStanding, type StandingFacts, daysPastDueSince, oldestUnpaidDueOn as oldestOwedDueOn, standingFrom } from './loan-standing.js';

/** What an instalment of the loan's state still owes, as the standing rules read it. */
export function owedOf(instalment: InstalmentState): InstalmentOwed {
  return {
    dueOn: instalment.dueOn,
    principal: principalOutstanding(instalment),
    interest: interestOutstanding(instalment),
    penalty: penaltyOutstanding(instalment),
  };
}

export function standingFactsOf(state: LoanState): StandingFacts {
  return {
    status: state.status,
    disbursedOn: state.disbursedOn,
    instalments: state.instalments.map(owedOf),
    inRestructuringObservation: state.restructuring !== undefined && state.restructuring.observationEndedOn === undefined,
    observationClassFloor: state.restructuring?.classBefore && observationFloorOf(state.restructuring.classBefore),
  };
}

/** The loan's standing on a date (see loan-standing.ts for the rules). */
export function loanStandingOn(state: LoanState, on: BusinessDate): LoanStanding {
  return standingFrom(standingFactsOf(state), on);
}

/** The due date of the oldest instalment with unpaid principal or interest, or undefined when there is none. */
export function oldestUnpaidDueOn(instalments: readonly InstalmentState[]): BusinessDate | undefined {
  return oldestOwedDueOn(instalments.map(owedOf));
}

/** Days past due of a schedule on a date, whatever the loan's status (close of business asks only of active loans). */
export function daysPastDue(instalments: readonly InstalmentState[], on: BusinessDate): number {
  return daysPastDueSince(oldestUnpaidDueOn(instalments), on);
}

/** A loan's days past due on a date: 0 before disbursement and once paid off; it keeps counting after a write-off. */
export function loanDaysPastDue(state: LoanState, on: BusinessDate): number {
  return loanStandingOn(state, on).daysPastDue;
}
