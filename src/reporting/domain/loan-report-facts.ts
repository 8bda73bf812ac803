import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { LoanEvent } from '../../loans/domain/loan-events.js';
import { type LoanState, evolveLoan, initialLoanState } from '../../loans/domain/loan-state.js';
import { effectiveDateOf } from '../../loans/domain/loan-event-effective-date.js';

/**
 * What the regulator report needs of one loan, folded event by event as the log is read:
 * its state as of the report date and as of the previous month's end (events that took
 * effect by then, in recorded order), and the first day it reached 30 days past due.
 */
export class LoanReportFacts {
  private atReportDate: LoanState = initialLoanState();
  private atPreviousMonthEnd: LoanState = initialLoanState();
  private firstThirtyDaysPastDue: BusinessDate | undefined;

  constructor(
    private readonly reportDate: BusinessDate,
    private readonly previousMonthEnd: BusinessDate,
  ) {}

  /** Applies an event; returns its effective date, or undefined when it took effect after the report date. */
  apply(event: LoanEvent): BusinessDate | undefined {
    const on = effectiveDateOf(event);
    if (on > this.reportDate) return undefined;
    this.atReportDate = evolveLoan(this.atReportDate, event);
    if (on <= this.previousMonthEnd) this.atPreviousMonthEnd = evolveLoan(this.atPreviousMonthEnd, event);
    if (event.type === 'DelinquencyThresholdReached' && event.data.threshold === 30 && this.firstThirtyDaysPastDue === undefined) {
      this.firstThirtyDaysPastDue = event.data.reachedOn;
    }
    if (event.type === 'DelinquencyThresholdWithdrawn' && event.data.threshold === 30 && event.data.reachedOn === this.firstThirtyDaysPastDue) {
      this.firstThirtyDaysPastDue = undefined;
    }
    return on;
  }

  get stateAtReportDate(): LoanState {
    return this.atReportDate;
  }

  get stateAtPreviousMonthEnd(): LoanState {
    return this.atPreviousMonthEnd;
  }

  get firstReachedThirtyDaysPastDueOn(): BusinessDate | undefined {
    return this.firstThirtyDaysPastDue;
  }
}
