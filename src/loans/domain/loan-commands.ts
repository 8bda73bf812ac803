import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { AnnualRate } from '../../kernel/money/rate.js';
import type { CreditAssessment, RiskDisclosure } from './loan-events.js';
import type { LendingPolicy } from './lending-policy.js';
import type { RepaymentMethod } from './repayment-method.js';

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

export type LoanCommand = OriginateLoan | DisburseLoan | ReceivePayment | ReversePayment | CloseBusinessDay;
