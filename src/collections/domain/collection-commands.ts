import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { ConductPolicy } from './conduct-policy.js';
import type { ContactChannel, ContactDirection, ContactOutcome, ContactParty } from './contact-vocabulary.js';

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

export type CollectionCommand = RecordCollectionContact | RecordContactRestriction | SettlePromises;
