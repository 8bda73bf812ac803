import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { DomainEvent } from '../../kernel/decider.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { ContactRecord, ContactRestriction } from './contact-record.js';
import type { ConductRule, ConductViolation, ContactChannel, ContactParty } from './contact-vocabulary.js';

export interface PromiseToPay {
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly dueOn: BusinessDate;
}

/**
 * A contact that happened. It is always recorded; the rules it broke, judged when it was
 * recorded under the named policy, travel with it.
 */
export interface CollectionContactRecordedData extends ContactRecord {
  readonly agentId: string;
  readonly note: string;
  readonly promise: PromiseToPay | null;
  /** The contact's date in the borrower's time zone (of the loan it is about). */
  readonly madeOn: BusinessDate;
  /** Every time zone the borrower may have been in, as judged (absent on contacts recorded before it was). */
  readonly borrowerTimeZones?: readonly string[];
  readonly policy: string;
  readonly violations: readonly ConductViolation[];
}

/**
 * A borrower's stop request, honoured from `requestedAt` (schema version 2). Version 1 had
 * `effectiveAt` instead, the instant it was recorded, from which it was honoured: it is read
 * as the requestedAt (collection-event-upcasters.ts).
 */
export type ContactRestrictionRecordedData = ContactRestriction & { readonly reason: string };

/**
 * A contact recorded earlier is found to have broken a rule it was not judged under when it
 * was recorded: a stop request made before the contact (`requestedAt`) was recorded after
 * it (emitted by the restriction's decision, right after ContactRestrictionRecorded), or a
 * contact that happened before it was recorded after it (`foundWith`: a call late-recorded at
 * 09:00 makes the 12:00 one the fourth of the day). The contact's own event stays as it was
 * (the log is never edited); this event adds the violation to it.
 */
export interface ContactViolationFoundData {
  readonly contactId: string;
  readonly loanId: string;
  /** The contact's instant and its date in the borrower's time zone, as its own event recorded them. */
  readonly at: string;
  readonly madeOn: BusinessDate;
  readonly channel: ContactChannel;
  /** Who the contact was with (absent on events recorded before it was: the borrower). */
  readonly party?: ContactParty;
  readonly personReached?: string;
  /** The stop request the contact broke, or null when a late-recorded contact found it. */
  readonly restrictionId: string | null;
  /** The late-recorded contact whose recording found it (absent when a stop request did). */
  readonly foundWith?: string;
  readonly rule: ConductRule;
  readonly message: string;
}

/** A promise's payments covered it by its due date: kept on the day the covering payment arrived. */
export interface PromiseToPayKeptData {
  readonly promiseId: string;
  readonly loanId: string;
  readonly keptOn: BusinessDate;
  readonly paid: MinorUnits;
}

/** The day after its due date came with the promise not covered. */
export interface PromiseToPayBrokenData {
  readonly promiseId: string;
  readonly loanId: string;
  readonly dueOn: BusinessDate;
  readonly brokenOn: BusinessDate;
  readonly promised: MinorUnits;
  readonly paid: MinorUnits;
}

/** The borrower lives in `timeZone` from `from` on (see borrower-time-zones.ts). */
export interface BorrowerTimeZoneRecordedData {
  readonly timeZone: string;
  readonly from: string;
}

export type CollectionEvent =
  | DomainEvent<'CollectionContactRecorded', CollectionContactRecordedData>
  | DomainEvent<'ContactRestrictionRecorded', ContactRestrictionRecordedData>
  | DomainEvent<'ContactViolationFound', ContactViolationFoundData>
  | DomainEvent<'PromiseToPayKept', PromiseToPayKeptData>
  | DomainEvent<'PromiseToPayBroken', PromiseToPayBrokenData>
  | DomainEvent<'BorrowerTimeZoneRecorded', BorrowerTimeZoneRecordedData>;

const COLLECTION_STREAM_PREFIX = 'collection-';
/** One stream per borrower: limits across all the borrower's loans are decided on one consistent state. */
export const collectionStream = (borrowerId: string) => `${COLLECTION_STREAM_PREFIX}${borrowerId}`;
export const borrowerIdOfStream = (stream: string) => stream.slice(COLLECTION_STREAM_PREFIX.length);
export const isCollectionStream = (stream: string) => stream.startsWith(COLLECTION_STREAM_PREFIX);
