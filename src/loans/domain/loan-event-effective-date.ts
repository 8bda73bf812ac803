import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { LoanEvent } from './loan-events.js';

/**
 * The business date on which an event took effect: what "as of date X" filters on. A
 * penalty accrual takes effect on the last day it covers, when close of business posted it.
 */
export function effectiveDateOf(event: LoanEvent): BusinessDate {
  switch (event.type) {
    case 'LoanOriginated':
      return event.data.originatedOn;
    case 'LoanDisbursed':
      return event.data.disbursedOn;
    case 'PaymentReceived':
      return event.data.receivedOn;
    case 'PaymentReversed':
      return event.data.reversedOn;
    case 'OverpaymentRefunded':
      return event.data.refundedOn;
    case 'LoanPaidOff':
      return event.data.paidOffOn;
    case 'LoanReopened':
      return event.data.reopenedOn;
    case 'InstalmentMissed':
      return event.data.missedOn;
    case 'PenaltyAccrued':
      return event.data.to;
    case 'DelinquencyThresholdReached':
      return event.data.reachedOn;
    case 'LoanRestructured':
      return event.data.effectiveOn;
    case 'PenaltyWaived':
      return event.data.waivedOn;
    case 'LoanWrittenOff':
      return event.data.writtenOffOn;
    case 'RestructuringObservationEnded':
      return event.data.endedOn;
    case 'PenaltyAdjusted':
      return event.data.adjustedOn;
    case 'InstalmentMissCured':
      return event.data.missedOn;
    case 'DelinquencyThresholdWithdrawn':
      return event.data.reachedOn;
    case 'LoanOriginationCancelled':
      return event.data.cancelledOn;
    case 'PenaltyWaiverReversed':
    case 'WriteOffReversed':
    case 'RestructuringReversed':
      return event.data.reversedOn;
  }
}
