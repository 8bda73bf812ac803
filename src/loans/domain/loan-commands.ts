import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { BorrowerIdentity } from './borrower-identity.js';
import type { AnnualRate } from '../../kernel/money/rate.js';
import type { CreditAssessment, RestructuringReason, RiskDisclosure } from './loan-events.js';
import type { LendingPolicy } from '../../policies/lending-policy.js';
import type { RepaymentMethod } from './repayment-method.js';
import type { PrepaymentOption } from './prepayment-option.js';

/** Amounts arrive as decimal strings: the decider knows the loan's currency and its decimals. */
export interface OriginateLoan {
  readonly kind: 'originate';
  readonly loanId: string;
  readonly borrowerId: string;
  readonly borrowerTimeZone: string;
  readonly currency: string;
  readonly principal: string;
  readonly annualInterestRate: AnnualRate;
  readonly termMonths: number;
  readonly repaymentMethod: RepaymentMethod;
  readonly originatedOn: BusinessDate;
  readonly gracePeriodDays?: number;
  readonly penaltyAnnualRate?: AnnualRate;
  readonly creditAssessment: CreditAssessment;
  readonly riskDisclosure: RiskDisclosure;
  readonly borrower?: BorrowerIdentity;
  readonly policy: LendingPolicy;
}

export interface DisburseLoan {
  readonly kind: 'disburse';
  readonly disbursedOn: BusinessDate;
  readonly reference: string;
}

export interface ReceivePayment {
  readonly kind: 'receive-payment';
  readonly paymentId: string;
  readonly amount: string;
  readonly receivedOn: BusinessDate;
  readonly channel: string;
  readonly reference: string;
  /** How the rest of the schedule is re-amortised if the payment prepays principal (default shorten-term). */
  readonly prepayment?: PrepaymentOption;
  /**
   * How many days before the loan's last close of business a payment may still be recorded
   * (see decideBackdatedPayment); the server sets it from BACKDATING_LIMIT_DAYS.
   */
  readonly backdatingLimitDays?: number;
}

/** Pays back overpayment the loan holds. */
export interface RefundOverpayment {
  readonly kind: 'refund-overpayment';
  readonly refundId: string;
  readonly amount: string;
  readonly refundedOn: BusinessDate;
  readonly reference: string;
}

export interface ReversePayment {
  readonly kind: 'reverse-payment';
  readonly paymentId: string;
  readonly reason: string;
  readonly reversedOn: BusinessDate;
}

/** Close of business for one loan: turn the passing of `businessDate` into events. */
export interface CloseBusinessDay {
  readonly kind: 'close-business-day';
  readonly businessDate: BusinessDate;
}

/** New terms for a loan in trouble: at least one of term, rate and payment holiday. */
export interface RestructureLoan {
  readonly kind: 'restructure';
  readonly restructuringId: string;
  readonly effectiveOn: BusinessDate;
  readonly reason: RestructuringReason;
  readonly termMonths?: number;
  readonly annualInterestRate?: AnnualRate;
  readonly paymentHolidayMonths?: number;
  readonly capitalise: boolean;
  /** The lending policy in force when the restructuring is decided: its cap binds the new rate (absent: the loan's own). */
  readonly policy?: LendingPolicy;
}

export interface WaivePenalty {
  readonly kind: 'waive-penalty';
  readonly waiverId: string;
  readonly waivedOn: BusinessDate;
  /** A decimal string, or 'all' for every unit of penalty outstanding. */
  readonly amount: string | 'all';
  readonly reason: string;
  readonly approvedBy: string;
}

export interface WriteOffLoan {
  readonly kind: 'write-off';
  readonly writeOffId: string;
  readonly writtenOffOn: BusinessDate;
  readonly reason: string;
}

/** Withdraws an origination before disbursement. */
export interface CancelOrigination {
  readonly kind: 'cancel-origination';
  readonly cancelledOn: BusinessDate;
  readonly reason: string;
}

export interface ReversePenaltyWaiver {
  readonly kind: 'reverse-penalty-waiver';
  readonly waiverId: string;
  readonly reversedOn: BusinessDate;
  readonly reason: string;
}

export interface ReverseWriteOff {
  readonly kind: 'reverse-write-off';
  readonly writeOffId: string;
  readonly reversedOn: BusinessDate;
  readonly reason: string;
}

export interface ReverseRestructuring {
  readonly kind: 'reverse-restructuring';
  readonly restructuringId: string;
  readonly reversedOn: BusinessDate;
  readonly reason: string;
}

export type LoanCommand =
  | OriginateLoan
  | DisburseLoan
  | ReceivePayment
  | ReversePayment
  | RefundOverpayment
  | CloseBusinessDay
  | RestructureLoan
  | WaivePenalty
  | WriteOffLoan
  | CancelOrigination
  | ReversePenaltyWaiver
  | ReverseWriteOff
  | ReverseRestructuring;
