import type { StoredEvent } from '../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelTransaction } from '../../kernel/projections/projection.js';
import { type LoanDisbursedData, type LoanEvent, type LoanOriginatedData, type LoanPaidOffData, loanIdOfStream } from '../../loans/domain/loan-events.js';

export const LOAN_REGISTER_TABLE = 'loan_register';

export interface LoanRegisterRow {
  loan_id: string;
  borrower_id: string;
  currency: string;
  principal: number;
  status: string;
  originated_on: string;
  disbursed_on: string | null;
  paid_off_on: string | null;
}


/** One row per loan, found by borrower: what `GET /loans?borrowerId=` lists. */
export class LoanRegisterProjection implements Projection {
  readonly name = 'loan-register';
  readonly version = 2;
  readonly handles = ['LoanOriginated', 'LoanDisbursed', 'LoanPaidOff', 'LoanReopened', 'LoanWrittenOff'] satisfies LoanEvent['type'][];
  readonly tables = [LOAN_REGISTER_TABLE];

  async createTables(db: ReadModelTransaction): Promise<void> {
    await db.schema
      .createTable(LOAN_REGISTER_TABLE)
      .addColumn('loan_id', 'text', (c) => c.primaryKey())
      .addColumn('borrower_id', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('principal', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('originated_on', 'text', (c) => c.notNull())
      .addColumn('disbursed_on', 'text')
      .addColumn('paid_off_on', 'text')
      .execute();
    await db.schema.createIndex('loan_register_by_borrower').on(LOAN_REGISTER_TABLE).columns(['borrower_id', 'loan_id']).execute();
  }

  async apply(event: StoredEvent, db: ReadModelTransaction): Promise<void> {
    const loanId = loanIdOfStream(event.stream);
    const update = (values: Partial<LoanRegisterRow>) =>
      db.updateTable(LOAN_REGISTER_TABLE).set(values).where('loan_id', '=', loanId).execute();
    switch (event.type as LoanEvent['type']) {
      case 'LoanOriginated': {
        const data = event.data as LoanOriginatedData;
        const row: LoanRegisterRow = {
          loan_id: data.loanId,
          borrower_id: data.borrowerId,
          currency: data.currency,
          principal: data.principal,
          status: 'approved',
          originated_on: data.originatedOn,
          disbursed_on: null,
          paid_off_on: null,
        };
        await db.insertInto(LOAN_REGISTER_TABLE).values(row).execute();
        return;
      }
      case 'LoanDisbursed':
        await update({ status: 'active', disbursed_on: (event.data as LoanDisbursedData).disbursedOn });
        return;
      case 'LoanPaidOff':
        await update({ status: 'paid-off', paid_off_on: (event.data as LoanPaidOffData).paidOffOn });
        return;
      case 'LoanReopened':
        await update({ status: 'active', paid_off_on: null });
        return;
      case 'LoanWrittenOff':
        await update({ status: 'written-off' });
        return;
    }
  }
}
