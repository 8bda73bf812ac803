import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { effectiveDateOf } from './loan-event-effective-date.js';
import type { LoanEvent } from './loan-events.js';
import { type FoldOwned, type LoanState, evolveLoanIn, initialLoanState } from './loan-state.js';
import { accrualThrough } from './penalty-accrual.js';

/**
 * A loan as of a business date, folded from its events one at a time in the order they
 * were recorded: each event that took effect on or before that date, and of a penalty
 * accrual that runs past it, the part for the days up to it (what a close of that day
 * would have posted). So the loan as of a date does not depend on when close of business
 * ran; a later event never reaches back.
 */
export class LoanAsOf {
  private current: LoanState = initialLoanState();
  /** What this fold may extend in place (FoldOwned): so applying an event costs the same however long the loan's history. */
  private owned: FoldOwned = new WeakSet();

  constructor(readonly on: BusinessDate) {}

  get state(): LoanState {
    // A state handed out never changes: what it holds is no longer this fold's to extend.
    this.owned = new WeakSet();
    return this.current;
  }

  /** Applies the event as it stood on the date; returns what was applied, or undefined when nothing of it had taken effect. */
  apply(event: LoanEvent): LoanEvent | undefined {
    const effective = this.asItStood(event);
    if (effective) this.current = evolveLoanIn(this.current, effective, this.owned);
    return effective;
  }

  private asItStood(event: LoanEvent): LoanEvent | undefined {
    if (effectiveDateOf(event) <= this.on) return event;
    if (event.type !== 'PenaltyAccrued' || event.data.from > this.on) return undefined;
    const part = accrualThrough(event.data, this.current.instalments, this.on, this.current.terms!.policy.rounding);
    return part && { type: 'PenaltyAccrued', data: part };
  }
}

export function loanStateAsOf(history: readonly LoanEvent[], on: BusinessDate): LoanState {
  const asOf = new LoanAsOf(on);
  for (const event of history) asOf.apply(event);
  return asOf.state;
}

/** The events as they stood on the date (see LoanAsOf), for read models that fold a loan their own way. */
export function loanEventsAsOf(history: readonly LoanEvent[], on: BusinessDate): LoanEvent[] {
  const asOf = new LoanAsOf(on);
  return history.flatMap((event) => asOf.apply(event) ?? []);
}
