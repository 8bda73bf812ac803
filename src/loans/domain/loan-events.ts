import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { BorrowerIdentity } from './borrower-identity.js';
import type { DomainEvent } from '../../kernel/decider.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { AnnualRate, RoundingMode } from '../../kernel/money/rate.js';
import type { PaymentAllocation } from './payment-allocation.js';
import type { RepaymentMethod } from './repayment-method.js';
import type { ScheduledInstalment } from './scheduled-instalment.js';
import type { FiveCategoryClass } from './standing/risk-classification.js';

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
  readonly policy: {
    readonly name: string;
    readonly costCapAnnualRate: AnnualRate;
    readonly rounding: RoundingMode;
    /** Close of business writes the loan off once days past due exceed this; absent: never automatically. */
    readonly writeOffAfterDaysPastDue?: number;
    /** A policy-default penalty rate is the contract rate × this, capped (absent in events recorded before it was: the preset's). */
    readonly penaltyRateMultiplier?: string;
  };
  readonly creditAssessment: CreditAssessment;
  readonly riskDisclosure: RiskDisclosure;
  /** Personal data, when the lender gave it (see BorrowerIdentity for where it may go). */
  readonly borrower?: BorrowerIdentity;
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
  /** Received after the loan was written off: recovered, reported apart from payments, and never reopening accrual. */
  readonly recovery?: boolean;
}

export interface PaymentReversedData {
  readonly paymentId: string;
  readonly reason: string;
  readonly reversedOn: BusinessDate;
  /** The allocation being undone, copied so the event explains itself. */
  readonly allocation: PaymentAllocation;
}

/** Held overpayment paid back to the borrower. */
export interface OverpaymentRefundedData {
  readonly refundId: string;
  readonly amount: MinorUnits;
  readonly refundedOn: BusinessDate;
  readonly reference: string;
}

export interface LoanPaidOffData {
  readonly paidOffOn: BusinessDate;
  readonly paymentId: string;
}

/** A paid-off loan owes again: a payment was reversed (reversedPaymentId) or a penalty waiver was (reversedWaiverId). */
export interface LoanReopenedData {
  readonly reopenedOn: BusinessDate;
  readonly reversedPaymentId?: string;
  readonly reversedWaiverId?: string;
}

export interface InstalmentMissedData {
  readonly number: number;
  readonly dueOn: BusinessDate;
  /** The day the instalment counts as missed: its due date plus the grace days, or the day a reversal made it owe again when that is later. */
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

export const RESTRUCTURING_REASONS = ['hardship', 'dispute-settlement', 'other'] as const;
export type RestructuringReason = (typeof RESTRUCTURING_REASONS)[number];

/** What a restructuring took off one instalment of the schedule it replaced. */
export interface InstalmentRestructured {
  readonly number: number;
  readonly principal: MinorUnits;
  /** Interest that had fallen due unpaid (overdue), or that was not yet due (forgone). */
  readonly interest: MinorUnits;
  readonly penalty: MinorUnits;
}

/**
 * The loan's unpaid principal (and, when capitalised, its overdue interest and penalty)
 * moved from the old instalments into a new schedule; paid history is untouched. Interest
 * not yet due on the old schedule is forgone: the new schedule charges its own.
 */
export interface LoanRestructuredData {
  readonly restructuringId: string;
  readonly effectiveOn: BusinessDate;
  readonly reason: RestructuringReason;
  readonly termMonths: number;
  readonly annualInterestRate: AnnualRate;
  /**
   * The penalty rate from the effective date: a policy-default one is derived again from the
   * new rate (contract rate × the policy's multiplier, capped); a contract one stays.
   * Absent in events recorded before it was: the rate did not change.
   */
  readonly penaltyAnnualRate?: AnnualRate;
  /** The five-category class the loan had on the effective date, before the restructuring (absent in events recorded before it was). */
  readonly classBefore?: FiveCategoryClass;
  /** Months from the effective date in which nothing falls due and no interest accrues. */
  readonly paymentHolidayMonths: number;
  /** Whether overdue interest and penalty became principal (true) or stay due with the first new instalment. */
  readonly capitalised: boolean;
  readonly movedFrom: readonly InstalmentRestructured[];
  readonly overdueInterest: MinorUnits;
  readonly overduePenalty: MinorUnits;
  readonly interestForgone: MinorUnits;
  /** What the new schedule repays: unpaid principal, plus overdue interest and penalty when capitalised. */
  readonly principal: MinorUnits;
  /** Overdue interest and penalty kept due with the first new instalment (zero when capitalised). */
  readonly keptDue: { readonly interest: MinorUnits; readonly penalty: MinorUnits };
  /** Numbered on from the old schedule. */
  readonly schedule: readonly ScheduledInstalment[];
}

export interface PenaltyWaivedData {
  readonly waiverId: string;
  readonly waivedOn: BusinessDate;
  readonly amount: MinorUnits;
  readonly reason: string;
  readonly approvedBy: string;
  /** Oldest instalment first. */
  readonly instalments: readonly { readonly number: number; readonly amount: MinorUnits }[];
}

export interface LoanWrittenOffData {
  readonly writeOffId: string;
  readonly writtenOffOn: BusinessDate;
  readonly reason: string;
  readonly principal: MinorUnits;
  /** Interest due on or before the write-off date and unpaid; interest not yet due is not owed. */
  readonly interest: MinorUnits;
  readonly penalty: MinorUnits;
  /** Written off by close of business under the policy's days-past-due limit, not by a person. */
  readonly automatic: boolean;
  /**
   * The interest of instalments not yet due, cancelled with the write-off, per instalment.
   * Absent on write-offs recorded before that was the rule (their later recoveries may have
   * paid such interest): replaying them cancels nothing.
   */
  readonly interestNotYetDue?: readonly { readonly number: number; readonly amount: MinorUnits }[];
}

/** A loan approved in error, or declined by the borrower, before any money moved: nothing more can happen to it. */
export interface LoanOriginationCancelledData {
  readonly cancelledOn: BusinessDate;
  readonly reason: string;
}

/** A penalty waiver granted in error: the penalty it waived is owed again, per instalment as waived. */
export interface PenaltyWaiverReversedData {
  readonly waiverId: string;
  readonly reversedOn: BusinessDate;
  readonly reason: string;
  readonly amount: MinorUnits;
  readonly instalments: readonly { readonly number: number; readonly amount: MinorUnits }[];
}

/**
 * A write-off recorded in error (or one a late-recorded payment shows should not have
 * happened): the loan is active again, owing what it owed, and the interest the write-off
 * cancelled (`interestNotYetDue`) is owed again. Penalty resumes from where it stopped.
 */
export interface WriteOffReversedData {
  readonly writeOffId: string;
  readonly reversedOn: BusinessDate;
  readonly reason: string;
  readonly interestNotYetDue: readonly { readonly number: number; readonly amount: MinorUnits }[];
}

/**
 * A restructuring undone before anything was recorded on its new schedule: the old
 * instalments get back what was moved from them (`movedFrom`), the new ones are removed,
 * and the restructuring in force before it (if any) is again.
 */
export interface RestructuringReversedData {
  readonly restructuringId: string;
  readonly reversedOn: BusinessDate;
  readonly reason: string;
  readonly effectiveOn: BusinessDate;
  readonly movedFrom: readonly InstalmentRestructured[];
  readonly removedInstalments: readonly number[];
  /** The restructuring in force again, if any, and whether its observation period was still running. */
  readonly restored: { readonly restructuringId: string; readonly inObservation: boolean; readonly classBefore: FiveCategoryClass | null } | null;
}

/** A restructured loan paid two consecutive instalments on time and a year passed since its first new instalment. */
export interface RestructuringObservationEndedData {
  readonly restructuringId: string;
  readonly endedOn: BusinessDate;
}

/**
 * Compensation for a payment recorded after the days it should have changed: per instalment,
 * what that day's penalty would have been with the payment on time, minus what was posted.
 * One event per day, dated that day, so the loan as of any later date matches the on-time story.
 */
export interface PenaltyAdjustedData {
  readonly paymentId: string;
  readonly adjustedOn: BusinessDate;
  readonly amount: MinorUnits;
  /**
   * `numerator`: the change to the instalment's running total (see PenaltyAccruedData), as an
   * integer string; `accruedThrough`: the last day its penalty runs through in the on-time story.
   */
  readonly instalments: readonly { readonly number: number; readonly amount: MinorUnits; readonly numerator: string; readonly accruedThrough: BusinessDate | null }[];
}

/** A missed due date that a payment recorded later shows was not missed: the payment came within the grace days. */
export interface InstalmentMissCuredData {
  readonly number: number;
  readonly dueOn: BusinessDate;
  readonly missedOn: BusinessDate;
  readonly paymentId: string;
}

/** A 30/60/90 days past due episode that a payment recorded later shows never happened. */
export interface DelinquencyThresholdWithdrawnData {
  readonly threshold: 30 | 60 | 90;
  readonly reachedOn: BusinessDate;
  readonly paymentId: string;
}

export type LoanEvent =
  | DomainEvent<'LoanOriginated', LoanOriginatedData>
  | DomainEvent<'LoanDisbursed', LoanDisbursedData>
  | DomainEvent<'PaymentReceived', PaymentReceivedData>
  | DomainEvent<'PaymentReversed', PaymentReversedData>
  | DomainEvent<'OverpaymentRefunded', OverpaymentRefundedData>
  | DomainEvent<'LoanPaidOff', LoanPaidOffData>
  | DomainEvent<'LoanReopened', LoanReopenedData>
  | DomainEvent<'InstalmentMissed', InstalmentMissedData>
  | DomainEvent<'PenaltyAccrued', PenaltyAccruedData>
  | DomainEvent<'DelinquencyThresholdReached', DelinquencyThresholdReachedData>
  | DomainEvent<'LoanRestructured', LoanRestructuredData>
  | DomainEvent<'PenaltyWaived', PenaltyWaivedData>
  | DomainEvent<'LoanWrittenOff', LoanWrittenOffData>
  | DomainEvent<'RestructuringObservationEnded', RestructuringObservationEndedData>
  | DomainEvent<'PenaltyAdjusted', PenaltyAdjustedData>
  | DomainEvent<'InstalmentMissCured', InstalmentMissCuredData>
  | DomainEvent<'DelinquencyThresholdWithdrawn', DelinquencyThresholdWithdrawnData>
  | DomainEvent<'LoanOriginationCancelled', LoanOriginationCancelledData>
  | DomainEvent<'PenaltyWaiverReversed', PenaltyWaiverReversedData>
  | DomainEvent<'WriteOffReversed', WriteOffReversedData>
  | DomainEvent<'RestructuringReversed', RestructuringReversedData>;

const LOAN_STREAM_PREFIX = 'loan-';
export const loanStream = (loanId: string) => `${LOAN_STREAM_PREFIX}${loanId}`;
export const loanIdOfStream = (stream: string) => stream.slice(LOAN_STREAM_PREFIX.length);
export const isLoanStream = (stream: string) => stream.startsWith(LOAN_STREAM_PREFIX);
