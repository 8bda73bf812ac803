import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { type InstalmentState, type LoanState, owedOf, unpaidSince } from './loan-state.js';
import { observationFloorOf } from './standing/risk-classification.js';
import { type LoanStanding, type StandingFacts, daysPastDueSince, standingFrom } from './standing/loan-standing.js';

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

/** The due date of the oldest instalment with unpaid principal or interest (what an instalment owes: owedOf), one rule for every caller. */
export { owedOf, unpaidSince as oldestUnpaidDueOn } from './loan-state.js';

/** Days past due of a schedule on a date, whatever the loan's status (close of business asks only of active loans). */
export function daysPastDue(instalments: readonly InstalmentState[], on: BusinessDate): number {
  return daysPastDueSince(unpaidSince(instalments), on);
}

/** A loan's days past due on a date: 0 before disbursement and once paid off; it keeps counting after a write-off. */
export function loanDaysPastDue(state: LoanState, on: BusinessDate): number {
  return loanStandingOn(state, on).daysPastDue;
}
