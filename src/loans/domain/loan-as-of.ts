import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { effectiveDateOf } from './loan-event-effective-date.js';
import type { LoanEvent } from './loan-events.js';
import { type LoanState, evolveLoan, initialLoanState } from './loan-state.js';

/**
 * A loan's state as of a business date: its events that took effect on or before that
 * date, in the order they were recorded. A later event never reaches back.
 */
export function loanStateAsOf(history: readonly LoanEvent[], on: BusinessDate): LoanState {
  let state = initialLoanState();
  for (const event of history) if (effectiveDateOf(event) <= on) state = evolveLoan(state, event);
  return state;
}
