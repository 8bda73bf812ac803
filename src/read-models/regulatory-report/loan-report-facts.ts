import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { LoanEvent } from '../../loans/domain/loan-events.js';
import type { LoanState } from '../../loans/domain/loan-state.js';
import { LoanAsOf } from '../../loans/domain/loan-as-of.js';
import { effectiveDateOf } from '../../loans/domain/loan-event-effective-date.js';

/**
 * What the regulator report needs of one loan, folded event by event as the log is read:
 * its state as of the report date and as of the previous month's end (see LoanAsOf), the
 * penalty accrued for the days between the two, and the first day it reached 30 days past
 * due.
 */
export class LoanReportFacts {
  private readonly atReportDate: LoanAsOf;
  private readonly atPreviousMonthEnd: LoanAsOf;
  /** The previous month end as the report of that date knew it: fed only the events recorded by the close that closed it. */
  private readonly atPreviousMonthEndAsReported: LoanAsOf;
  private accruedThroughReportDate = 0;
  private accruedThroughPreviousMonthEnd = 0;
  private firstThirtyDaysPastDue: BusinessDate | undefined;

  constructor(reportDate: BusinessDate, previousMonthEnd: BusinessDate) {
    this.atReportDate = new LoanAsOf(reportDate);
    this.atPreviousMonthEnd = new LoanAsOf(previousMonthEnd);
    this.atPreviousMonthEndAsReported = new LoanAsOf(previousMonthEnd);
  }

  /**
   * Applies an event; returns its effective date, or undefined when it took effect after the
   * report date. `knownByPreviousReport`: whether it was recorded by the close the previous
   * month's report rests on.
   */
  apply(event: LoanEvent, knownByPreviousReport = true): BusinessDate | undefined {
    const applied = this.atReportDate.apply(event);
    const before = this.atPreviousMonthEnd.apply(event);
    if (knownByPreviousReport) this.atPreviousMonthEndAsReported.apply(event);
    if (applied?.type === 'PenaltyAccrued') this.accruedThroughReportDate += applied.data.amount;
    if (before?.type === 'PenaltyAccrued') this.accruedThroughPreviousMonthEnd += before.data.amount;
    const on = effectiveDateOf(event);
    if (on > this.atReportDate.on) return undefined;
    if (event.type === 'DelinquencyThresholdReached' && event.data.threshold === 30 && this.firstThirtyDaysPastDue === undefined) {
      this.firstThirtyDaysPastDue = event.data.reachedOn;
    }
    if (event.type === 'DelinquencyThresholdWithdrawn' && event.data.threshold === 30 && event.data.reachedOn === this.firstThirtyDaysPastDue) {
      this.firstThirtyDaysPastDue = undefined;
    }
    return on;
  }

  get stateAtReportDate(): LoanState {
    return this.atReportDate.state;
  }

  get stateAtPreviousMonthEnd(): LoanState {
    return this.atPreviousMonthEnd.state;
  }

  /** The loan at the previous month end as that month's report saw it (later corrections left out). */
  get stateAtPreviousMonthEndAsReported(): LoanState {
    return this.atPreviousMonthEndAsReported.state;
  }

  /** Penalty accrued for the days after the previous month's end through the report date, however the closes split them. */
  get penaltyAccruedInPeriod(): number {
    return this.accruedThroughReportDate - this.accruedThroughPreviousMonthEnd;
  }

  get firstReachedThirtyDaysPastDueOn(): BusinessDate | undefined {
    return this.firstThirtyDaysPastDue;
  }
}
