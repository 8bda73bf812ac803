import type { ContactChannel, ContactDirection, ContactOutcome, ContactParty } from './contact-vocabulary.js';

/** A contact as the conduct rules see it. */
export interface ContactRecord {
  readonly contactId: string;
  readonly loanId: string;
  /** ISO instant with offset. */
  readonly at: string;
  readonly channel: ContactChannel;
  readonly party: ContactParty;
  readonly direction: ContactDirection;
  readonly connected: boolean;
  readonly outcome: ContactOutcome;
}

/** A borrower's stop request: all contact, or one channel, from an instant on. */
export interface ContactRestriction {
  readonly restrictionId: string;
  readonly kind: 'cease-all' | 'channel-opt-out';
  readonly channel: ContactChannel | undefined;
  readonly effectiveAt: string;
}

/** An outbound contact someone is about to make, or has made. */
export interface ProposedContact {
  readonly loanId: string;
  readonly at: string;
  readonly channel: ContactChannel;
  readonly party: ContactParty;
  /** Known once the contact happened; before it, limits are judged as if it might connect or not. */
  readonly connected?: boolean;
}
