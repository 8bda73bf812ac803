import type { ContactChannel, ContactDirection, ContactOutcome, ContactParty, RepeatReason, ThirdPartyPurpose } from './contact-vocabulary.js';

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
  /** The number or address used (absent on contacts recorded before it was asked: one unnamed number per party). */
  readonly address?: string;
  /** Who was reached, when not the borrower: the third party's name (absent: one unnamed person per party). */
  readonly personReached?: string;
  /** Why a third party was contacted (absent: location information). */
  readonly purpose?: ThirdPartyPurpose;
  /** Why a third party already spoken to was contacted again. */
  readonly repeatReason?: RepeatReason;
}

/**
 * The facts of a contact the rules judge, taken from a command or an event: the optional
 * ones only when given, so a record reads the same however it was made.
 */
export function contactRecordOf(facts: ContactRecord): ContactRecord {
  const { contactId, loanId, at, channel, party, direction, connected, outcome, address, personReached, purpose, repeatReason } = facts;
  return {
    contactId,
    loanId,
    at,
    channel,
    party,
    direction,
    connected,
    outcome,
    ...(address !== undefined && { address }),
    ...(personReached !== undefined && { personReached }),
    ...(purpose !== undefined && { purpose }),
    ...(repeatReason !== undefined && { repeatReason }),
  };
}

/** A borrower's stop request: all contact, or one channel, from the instant the borrower asked. */
export interface ContactRestriction {
  readonly restrictionId: string;
  readonly kind: 'cease-all' | 'channel-opt-out';
  readonly channel: ContactChannel | undefined;
  /**
   * ISO instant with offset: when the borrower asked (said on a call at 10:00, keyed in at
   * 10:05: 10:00). The restriction is honoured from it, for contacts recorded before the
   * restriction was as much as for those after.
   */
  readonly requestedAt: string;
}

/** An outbound contact someone is about to make, or has made. */
export interface ProposedContact {
  readonly loanId: string;
  readonly at: string;
  readonly channel: ContactChannel;
  readonly party: ContactParty;
  readonly address?: string;
  readonly personReached?: string;
  readonly purpose?: ThirdPartyPurpose;
  readonly repeatReason?: RepeatReason;
  /** Known once the contact happened: a third party told about the debt breaks the us rules. */
  readonly outcome?: ContactOutcome;
  /** Known once the contact happened; before it, limits are judged as if it might connect or not. */
  readonly connected?: boolean;
}
