import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { DomainEvent } from '../../kernel/decider.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { AnnualRate, RoundingMode } from '../../kernel/money/rate.js';
import type { PaymentAllocation } from './payment-allocation.js';
import type { RepaymentMethod } from './repayment-method.js';
import type { ScheduledInstalment } from './scheduled-instalment.js';

export interface CreditAssessment {
  readonly score: number;
  readonly grade: string;
  readonly source: string;
  readonly assessedOn: BusinessDate;
}

export interface RiskDisclosure {
  readonly version: string;
  /** ISO instant with offset at which the borrower accepted the risk warning. */
  readonly acceptedAt: string;
}

export interface LoanOriginatedData {
  readonly loanId: string;
  readonly borrowerId: string;
  readonly borrowerTimeZone: string;
  readonly currency: string;
  readonly principal: MinorUnits;
  readonly annualInterestRate: AnnualRate;
  readonly termMonths: number;
  readonly repaymentMethod: RepaymentMethod;
  readonly originatedOn: BusinessDate;
  readonly gracePeriodDays: number;
  readonly penaltyAnnualRate: AnnualRate;
  /** Whether the penalty rate was agreed in the contract or derived from the policy. */
  readonly penaltyRateSource: 'contract' | 'policy-default';
  readonly policy: { readonly name: string; readonly costCapAnnualRate: AnnualRate; readonly rounding: RoundingMode };
  readonly creditAssessment: CreditAssessment;
  readonly riskDisclosure: RiskDisclosure;
}

export interface LoanDisbursedData {
  readonly disbursedOn: BusinessDate;
  readonly reference: string;
  readonly amount: MinorUnits;
  readonly schedule: readonly ScheduledInstalment[];
}

export interface PaymentReceivedData {
  readonly paymentId: string;
  readonly amount: MinorUnits;
  readonly receivedOn: BusinessDate;
  readonly channel: string;
  readonly reference: string;
  readonly allocation: PaymentAllocation;
}

export interface PaymentReversedData {
  readonly paymentId: string;
  readonly reason: string;
  readonly reversedOn: BusinessDate;
  /** The allocation being undone, copied so the event explains itself. */
  readonly allocation: PaymentAllocation;
}

export interface LoanPaidOffData {
  readonly paidOffOn: BusinessDate;
  readonly paymentId: string;
}

export interface LoanReopenedData {
  readonly reopenedOn: BusinessDate;
  readonly reversedPaymentId: string;
}

export interface InstalmentMissedData {
  readonly number: number;
  readonly dueOn: BusinessDate;
  /** The due date plus the grace days: the day the instalment counts as missed. */
  readonly missedOn: BusinessDate;
  readonly principalOutstanding: MinorUnits;
  readonly interestOutstanding: MinorUnits;
}

/** Days from `from` to `to` (both included) on which the overdue principal was `base`. */
export interface PenaltySegment {
  readonly from: BusinessDate;
  readonly to: BusinessDate;
  readonly days: number;
  readonly base: MinorUnits;
}

export interface InstalmentPenalty {
  readonly number: number;
  readonly segments: readonly PenaltySegment[];
  readonly amount: MinorUnits;
}

/**
 * Penalty interest (罚息) for the days since the last accrual, per overdue instalment:
 * annual rate / 360 × overdue principal per day. Amounts are rounded on the running total
 * of each instalment, so one run over five days and five daily runs post the same money.
 */
export interface PenaltyAccruedData {
  readonly from: BusinessDate;
  readonly to: BusinessDate;
  readonly annualRate: AnnualRate;
  readonly amount: MinorUnits;
  readonly instalments: readonly InstalmentPenalty[];
}

/** Days past due reached 30, 60 or 90 in the current delinquency episode. */
export interface DelinquencyThresholdReachedData {
  readonly threshold: 30 | 60 | 90;
  readonly reachedOn: BusinessDate;
  readonly oldestUnpaidDueOn: BusinessDate;
}

export type LoanEvent =
  | DomainEvent<'LoanOriginated', LoanOriginatedData>
  | DomainEvent<'LoanDisbursed', LoanDisbursedData>
  | DomainEvent<'PaymentReceived', PaymentReceivedData>
  | DomainEvent<'PaymentReversed', PaymentReversedData>
  | DomainEvent<'LoanPaidOff', LoanPaidOffData>
  | DomainEvent<'LoanReopened', LoanReopenedData>
  | DomainEvent<'InstalmentMissed', InstalmentMissedData>
  | DomainEvent<'PenaltyAccrued', PenaltyAccruedData>
  | DomainEvent<'DelinquencyThresholdReached', DelinquencyThresholdReachedData>;

const LOAN_STREAM_PREFIX = 'loan-';
export const loanStream = (loanId: string) => `${LOAN_STREAM_PREFIX}${loanId}`;
export const loanIdOfStream = (stream: string) => stream.slice(LOAN_STREAM_PREFIX.length);
