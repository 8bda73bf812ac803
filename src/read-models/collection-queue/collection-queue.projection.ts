import type { Projection, ReadModelTransaction } from '../../infrastructure/projections/contract/projection.js';
import type { RowFamily } from '../../infrastructure/projections/contract/row-family.js';
import { type CollectionEvent, borrowerIdOfStream } from '../../collections/domain/collection-events.js';
import { type ContactRecord, type ContactRestriction, contactRecordOf } from '../../collections/domain/contact-record.js';
import type { BorrowerTimeZone } from '../../collections/domain/borrower-time-zones.js';

export const COLLECTION_PROMISES_TABLE = 'collection_promises';
export const COLLECTION_BORROWERS_TABLE = 'collection_borrowers';

/** The newest contacts kept per borrower: enough for the 7-day and daily rules the queue shows. */
export const RECENT_CONTACTS_KEPT = 100;

/**
 * What the collection queue adds to overdue status: every promise to pay with its state
 * (open, kept, broken), and per borrower the recent contacts and stop requests from which
 * the next allowed contact instant is judged. Close of business finds the open promises it
 * must settle here.
 */
export class CollectionQueueProjection implements Projection {
  readonly name = 'collection-queue';
  readonly version = 2;
  readonly handles = [
    'CollectionContactRecorded',
    'ContactRestrictionRecorded',
    'BorrowerTimeZoneRecorded',
    'PromiseToPayKept',
    'PromiseToPayBroken',
  ] satisfies CollectionEvent['type'][];
  readonly tables = [COLLECTION_PROMISES_TABLE, COLLECTION_BORROWERS_TABLE];
  readonly families = [promises, borrowers];

  async createTables(db: ReadModelTransaction): Promise<void> {
    await db.schema
      .createTable(COLLECTION_PROMISES_TABLE)
      .addColumn('promise_id', 'text', (c) => c.primaryKey())
      .addColumn('borrower_id', 'text', (c) => c.notNull())
      .addColumn('loan_id', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('collection_promises_by_status').on(COLLECTION_PROMISES_TABLE).columns(['status', 'borrower_id']).execute();
    await db.schema.createIndex('collection_promises_by_loan').on(COLLECTION_PROMISES_TABLE).columns(['loan_id', 'status']).execute();
    await db.schema
      .createTable(COLLECTION_BORROWERS_TABLE)
      .addColumn('borrower_id', 'text', (c) => c.primaryKey())
      .addColumn('recent_contacts', 'text', (c) => c.notNull())
      .addColumn('restrictions', 'text', (c) => c.notNull())
      .addColumn('time_zones', 'text', (c) => c.notNull())
      .execute();
  }
}

/** A recent contact as the queue keeps it: what the rules judge, and the zones it was judged in. */
export type QueuedContact = ContactRecord & { readonly timeZones?: readonly string[] };

interface BorrowerContacts {
  readonly borrowerId: string;
  readonly contacts: readonly QueuedContact[];
  readonly restrictions: readonly ContactRestriction[];
  readonly timeZones: readonly BorrowerTimeZone[];
}

const borrowers: RowFamily<BorrowerContacts> = {
  table: COLLECTION_BORROWERS_TABLE,
  keyColumn: 'borrower_id',
  keyOf: (event) =>
    event.type === 'CollectionContactRecorded' || event.type === 'ContactRestrictionRecorded' || event.type === 'BorrowerTimeZoneRecorded'
      ? borrowerIdOfStream(event.stream)
      : undefined,
  next(row, stored) {
    const event = { type: stored.type, data: stored.data } as CollectionEvent;
    const current = row ?? { borrowerId: borrowerIdOfStream(stored.stream), contacts: [], restrictions: [], timeZones: [] };
    if (event.type === 'BorrowerTimeZoneRecorded') return { ...current, timeZones: [...current.timeZones, { timeZone: event.data.timeZone, from: event.data.from }] };
    if (event.type === 'CollectionContactRecorded') {
      const { borrowerTimeZones } = event.data;
      const contact: QueuedContact = { ...contactRecordOf(event.data), ...(borrowerTimeZones !== undefined && { timeZones: borrowerTimeZones }) };
      return { ...current, contacts: [...current.contacts, contact].slice(-RECENT_CONTACTS_KEPT) };
    }
    if (event.type === 'ContactRestrictionRecorded') {
      const { restrictionId, kind, channel, requestedAt } = event.data;
      return { ...current, restrictions: [...current.restrictions, { restrictionId, kind, channel, requestedAt }] };
    }
    return row;
  },
  toColumns: ({ borrowerId, contacts, restrictions, timeZones }) => ({
    borrower_id: borrowerId,
    recent_contacts: JSON.stringify(contacts),
    restrictions: JSON.stringify(restrictions),
    time_zones: JSON.stringify(timeZones),
  }),
  fromColumns: (columns) => ({
    borrowerId: columns['borrower_id'] as string,
    contacts: JSON.parse(columns['recent_contacts'] as string),
    restrictions: JSON.parse(columns['restrictions'] as string),
    timeZones: JSON.parse(columns['time_zones'] as string),
  }),
};

interface PromiseRow {
  promise_id: string;
  borrower_id: string;
  loan_id: string;
  amount: number;
  currency: string;
  due_on: string;
  status: 'open' | 'kept' | 'broken';
}

/** A promise to pay is named by the contact it was made in. */
const promises: RowFamily<PromiseRow> = {
  table: COLLECTION_PROMISES_TABLE,
  keyColumn: 'promise_id',
  keyOf(stored) {
    const event = { type: stored.type, data: stored.data } as CollectionEvent;
    if (event.type === 'CollectionContactRecorded') return event.data.promise ? event.data.contactId : undefined;
    if (event.type === 'PromiseToPayKept' || event.type === 'PromiseToPayBroken') return event.data.promiseId;
    return undefined;
  },
  next(row, stored) {
    const event = { type: stored.type, data: stored.data } as CollectionEvent;
    if (event.type === 'CollectionContactRecorded' && event.data.promise) {
      const { contactId, loanId, promise } = event.data;
      return { promise_id: contactId, borrower_id: borrowerIdOfStream(stored.stream), loan_id: loanId, amount: promise.amount, currency: promise.currency, due_on: promise.dueOn, status: 'open' };
    }
    if (event.type === 'PromiseToPayKept') return row && { ...row, status: 'kept' };
    if (event.type === 'PromiseToPayBroken') return row && { ...row, status: 'broken' };
    return row;
  },
  toColumns: (row) => ({ ...row }),
  fromColumns: (columns) => ({ ...(columns as unknown as PromiseRow), amount: Number(columns['amount']) }),
};
