import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { ConductPolicy } from '../../policies/conduct-policy.js';
import type { ContactChannel, ContactDirection, ContactOutcome, ContactParty, RepeatReason, ThirdPartyPurpose } from './contact-vocabulary.js';

/** The loan a contact is about, as the loan's own stream tells it. */
export interface LoanForCollection {
  readonly loanId: string;
  readonly borrowerId: string;
  readonly currency: string;
  readonly timeZone: string;
}

export interface RecordCollectionContact {
  readonly kind: 'record-contact';
  readonly borrowerId: string;
  readonly contactId: string;
  readonly loan: LoanForCollection;
  /** When the contact happened; the shell refuses one later than now (BUSINESS_DATE.IN_FUTURE). */
  readonly at: string;
  readonly channel: ContactChannel;
  readonly party: ContactParty;
  readonly direction: ContactDirection;
  readonly connected: boolean;
  readonly outcome: ContactOutcome;
  /** The number or address used: the cn limit of unanswered attempts is per number. */
  readonly address?: string;
  /** Who was reached, when not the borrower (a third party's name). */
  readonly personReached?: string;
  readonly purpose?: ThirdPartyPurpose;
  readonly repeatReason?: RepeatReason;
  /**
   * The zones of the borrower's other loans, set by the shell; with the loan's own and the
   * borrower's zone on record (BorrowerTimeZoneRecorded), every zone the borrower may be in:
   * a time is convenient only if it is convenient in each.
   */
  readonly borrowerTimeZones: readonly string[];
  readonly agentId: string;
  readonly note: string;
  readonly promise: { readonly amount: string; readonly dueOn: BusinessDate } | undefined;
  readonly policy: ConductPolicy;
}

export interface RecordContactRestriction {
  readonly kind: 'record-restriction';
  readonly restrictionId: string;
  readonly restriction: 'cease-all' | 'channel-opt-out';
  readonly channel: ContactChannel | undefined;
  /**
   * When the borrower asked; honoured from then on, also for contacts already recorded at or
   * after it. The shell defaults it to now and refuses one later than now (BUSINESS_DATE.IN_FUTURE).
   */
  readonly requestedAt: string;
  readonly reason: string;
}

/** A payment on a loan with an open promise, as the loan's stream records it. */
export interface PaymentOnLoan {
  readonly loanId: string;
  readonly receivedOn: BusinessDate;
  readonly amount: number;
  readonly reversed: boolean;
}

/** Close of business for the borrower's open promises to pay. */
export interface SettlePromises {
  readonly kind: 'settle-promises';
  readonly businessDate: BusinessDate;
  readonly payments: readonly PaymentOnLoan[];
}

/** The time zone the borrower lives in from an instant on (a move, or a zone learnt on a call); the loans' zones stay on record too. */
export interface RecordBorrowerTimeZone {
  readonly kind: 'record-time-zone';
  readonly timeZone: string;
  readonly from: string;
}

export type CollectionCommand = RecordCollectionContact | RecordContactRestriction | SettlePromises | RecordBorrowerTimeZone;
