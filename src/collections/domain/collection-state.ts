import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { CollectionEvent } from './collection-events.js';
import { type ContactRecord, type ContactRestriction, contactRecordOf } from './contact-record.js';
import type { ConductViolation } from './contact-vocabulary.js';
import type { BorrowerTimeZone } from './borrower-time-zones.js';

export interface PromiseState {
  readonly promiseId: string;
  readonly loanId: string;
  readonly amount: MinorUnits;
  /** The borrower's local date of the contact where the promise was made. */
  readonly madeOn: BusinessDate;
  readonly dueOn: BusinessDate;
  readonly status: 'open' | 'kept' | 'broken';
}

/** A rule a recorded contact broke. */
export interface RecordedViolation extends ConductViolation {
  /**
   * null: judged as the contact was recorded. A restriction's id: found when that stop
   * request, made before the contact but recorded after it, was recorded (ContactViolationFound).
   */
  readonly restrictionId: string | null;
  /** The contact, made before this one and recorded after it, whose recording found the violation. */
  readonly foundWith: string | null;
}

/** A recorded contact with every rule it is known to have broken. */
export interface ContactInState extends ContactRecord {
  /** The contact's date in the borrower's time zone. */
  readonly madeOn: BusinessDate;
  /** The zones it was judged in (undefined: recorded before they were). */
  readonly timeZones: readonly string[] | undefined;
  readonly violations: readonly RecordedViolation[];
}

export interface CollectionState {
  readonly contacts: readonly ContactInState[];
  readonly restrictions: readonly ContactRestriction[];
  readonly promises: readonly PromiseState[];
  /** The borrower's own time zones on record, in the order recorded. */
  readonly timeZones: readonly BorrowerTimeZone[];
}

export const initialCollectionState = (): CollectionState => ({ contacts: [], restrictions: [], promises: [], timeZones: [] });

const resolve = (promises: readonly PromiseState[], promiseId: string, status: PromiseState['status']) =>
  promises.map((p) => (p.promiseId === promiseId ? { ...p, status } : p));

export function evolveCollection(state: CollectionState, event: CollectionEvent): CollectionState {
  switch (event.type) {
    case 'CollectionContactRecorded': {
      const { contactId, loanId, promise, madeOn } = event.data;
      const violations = event.data.violations.map(({ rule, message }) => ({ rule, message, restrictionId: null, foundWith: null }));
      const contact: ContactInState = { ...contactRecordOf(event.data), madeOn, timeZones: event.data.borrowerTimeZones, violations };
      const contacts = [...state.contacts, contact];
      if (!promise) return { ...state, contacts };
      const made: PromiseState = { promiseId: contactId, loanId, amount: promise.amount, madeOn, dueOn: promise.dueOn, status: 'open' };
      return { ...state, contacts, promises: [...state.promises, made] };
    }
    case 'PromiseToPayKept':
      return { ...state, promises: resolve(state.promises, event.data.promiseId, 'kept') };
    case 'PromiseToPayBroken':
      return { ...state, promises: resolve(state.promises, event.data.promiseId, 'broken') };
    case 'ContactRestrictionRecorded': {
      const { restrictionId, kind, channel, requestedAt } = event.data;
      return { ...state, restrictions: [...state.restrictions, { restrictionId, kind, channel, requestedAt }] };
    }
    case 'BorrowerTimeZoneRecorded':
      return { ...state, timeZones: [...state.timeZones, { timeZone: event.data.timeZone, from: event.data.from }] };
    case 'ContactViolationFound': {
      const { contactId, rule, message, restrictionId } = event.data;
      const found = { rule, message, restrictionId, foundWith: event.data.foundWith ?? null };
      const contacts = state.contacts.map((c) => (c.contactId === contactId ? { ...c, violations: [...c.violations, found] } : c));
      return { ...state, contacts };
    }
  }
}
