import type { StoredEvent } from '../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelTransaction } from '../../kernel/projections/projection.js';
import { type CollectionEvent, borrowerIdOfStream } from '../../collections/domain/collection-events.js';
import type { ContactRecord, ContactRestriction } from '../../collections/domain/contact-record.js';

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
  readonly version = 1;
  readonly handles = ['CollectionContactRecorded', 'ContactRestrictionRecorded', 'PromiseToPayKept', 'PromiseToPayBroken'] satisfies CollectionEvent['type'][];
  readonly tables = [COLLECTION_PROMISES_TABLE, COLLECTION_BORROWERS_TABLE];

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
      .execute();
  }

  async apply(stored: StoredEvent, db: ReadModelTransaction): Promise<void> {
    const event = { type: stored.type, data: stored.data } as CollectionEvent;
    const borrowerId = borrowerIdOfStream(stored.stream);
    switch (event.type) {
      case 'CollectionContactRecorded': {
        const { contactId, loanId, at, channel, party, direction, connected, outcome, promise } = event.data;
        const contact: ContactRecord = { contactId, loanId, at, channel, party, direction, connected, outcome };
        await this.updateBorrower(db, borrowerId, (contacts, restrictions) => [[...contacts, contact].slice(-RECENT_CONTACTS_KEPT), restrictions]);
        if (promise) {
          await db
            .insertInto(COLLECTION_PROMISES_TABLE)
            .values({ promise_id: contactId, borrower_id: borrowerId, loan_id: loanId, amount: promise.amount, currency: promise.currency, due_on: promise.dueOn, status: 'open' })
            .execute();
        }
        return;
      }
      case 'ContactRestrictionRecorded': {
        const { restrictionId, kind, channel, effectiveAt } = event.data;
        await this.updateBorrower(db, borrowerId, (contacts, restrictions) => [contacts, [...restrictions, { restrictionId, kind, channel, effectiveAt }]]);
        return;
      }
      case 'PromiseToPayKept':
      case 'PromiseToPayBroken':
        await db
          .updateTable(COLLECTION_PROMISES_TABLE)
          .set({ status: event.type === 'PromiseToPayKept' ? 'kept' : 'broken' })
          .where('promise_id', '=', event.data.promiseId)
          .execute();
        return;
    }
  }

  private async updateBorrower(
    db: ReadModelTransaction,
    borrowerId: string,
    change: (contacts: ContactRecord[], restrictions: ContactRestriction[]) => [ContactRecord[], ContactRestriction[]],
  ): Promise<void> {
    const row = await db.selectFrom(COLLECTION_BORROWERS_TABLE).selectAll().where('borrower_id', '=', borrowerId).executeTakeFirst();
    const [contacts, restrictions] = change(row ? JSON.parse(row.recent_contacts) : [], row ? JSON.parse(row.restrictions) : []);
    const values = { borrower_id: borrowerId, recent_contacts: JSON.stringify(contacts), restrictions: JSON.stringify(restrictions) };
    await db
      .insertInto(COLLECTION_BORROWERS_TABLE)
      .values(values)
      .onConflict((oc) => oc.column('borrower_id').doUpdateSet({ recent_contacts: values.recent_contacts, restrictions: values.restrictions }))
      .execute();
  }
}
