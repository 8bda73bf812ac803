import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { DomainEvent } from '../../kernel/decider.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { ContactRecord, ContactRestriction } from './contact-record.js';
import type { ConductRule, ConductViolation, ContactChannel } from './contact-vocabulary.js';

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
  /** The contact's date in the borrower's time zone. */
  readonly madeOn: BusinessDate;
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
 * it. The contact's own event stays as it was (the log is never edited); this event adds the
 * violation to it. Emitted by the restriction's decision, right after ContactRestrictionRecorded.
 */
export interface ContactViolationFoundData {
  readonly contactId: string;
  readonly loanId: string;
  /** The contact's instant and its date in the borrower's time zone, as its own event recorded them. */
  readonly at: string;
  readonly madeOn: BusinessDate;
  readonly channel: ContactChannel;
  /** The stop request the contact broke. */
  readonly restrictionId: string;
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

export type CollectionEvent =
  | DomainEvent<'CollectionContactRecorded', CollectionContactRecordedData>
  | DomainEvent<'ContactRestrictionRecorded', ContactRestrictionRecordedData>
  | DomainEvent<'ContactViolationFound', ContactViolationFoundData>
  | DomainEvent<'PromiseToPayKept', PromiseToPayKeptData>
  | DomainEvent<'PromiseToPayBroken', PromiseToPayBrokenData>;

const COLLECTION_STREAM_PREFIX = 'collection-';
/** One stream per borrower: limits across all the borrower's loans are decided on one consistent state. */
export const collectionStream = (borrowerId: string) => `${COLLECTION_STREAM_PREFIX}${borrowerId}`;
export const borrowerIdOfStream = (stream: string) => stream.slice(COLLECTION_STREAM_PREFIX.length);
export const isCollectionStream = (stream: string) => stream.startsWith(COLLECTION_STREAM_PREFIX);
