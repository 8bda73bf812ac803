import type { Projection, ReadModelTransaction } from '../../infrastructure/projections/contract/projection.js';
import type { RowFamily } from '../../infrastructure/projections/contract/row-family.js';
import { storedInKeyOrder } from '../../infrastructure/projections/contract/stored-in-key-order.js';
import { type LoanEvent, loanIdOfStream } from '../../loans/domain/loan-events.js';

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
  /** 4: the table kept in loan id order (storedInKeyOrder); rebuilt on start. */
  readonly version = 4;
  readonly handles = [
    'LoanOriginated',
    'LoanDisbursed',
    'LoanPaidOff',
    'LoanReopened',
    'LoanWrittenOff',
    'WriteOffReversed',
    'LoanOriginationCancelled',
  ] satisfies LoanEvent['type'][];
  readonly tables = [LOAN_REGISTER_TABLE];
  readonly families = [loans];

  async createTables(db: ReadModelTransaction): Promise<void> {
    await storedInKeyOrder(
      db.schema
        .createTable(LOAN_REGISTER_TABLE)
        .addColumn('loan_id', 'text', (c) => c.primaryKey())
        .addColumn('borrower_id', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('principal', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('originated_on', 'text', (c) => c.notNull())
        .addColumn('disbursed_on', 'text')
        .addColumn('paid_off_on', 'text'),
      db,
    ).execute();
    await db.schema.createIndex('loan_register_by_borrower').on(LOAN_REGISTER_TABLE).columns(['borrower_id', 'loan_id']).execute();
  }
}

const loans: RowFamily<LoanRegisterRow> = {
  table: LOAN_REGISTER_TABLE,
  keyColumn: 'loan_id',
  keyOf: (event) => loanIdOfStream(event.stream),
  next(row, stored) {
    const event = { type: stored.type, data: stored.data } as LoanEvent;
    if (event.type === 'LoanOriginated') {
      const { loanId, borrowerId, currency, principal, originatedOn } = event.data;
      return { loan_id: loanId, borrower_id: borrowerId, currency, principal, status: 'approved', originated_on: originatedOn, disbursed_on: null, paid_off_on: null };
    }
    if (!row) return row;
    switch (event.type) {
      case 'LoanDisbursed':
        return { ...row, status: 'active', disbursed_on: event.data.disbursedOn };
      case 'LoanPaidOff':
        return { ...row, status: 'paid-off', paid_off_on: event.data.paidOffOn };
      case 'LoanReopened':
        return { ...row, status: 'active', paid_off_on: null };
      case 'LoanWrittenOff':
        return { ...row, status: 'written-off' };
      case 'WriteOffReversed':
        return { ...row, status: 'active' };
      case 'LoanOriginationCancelled':
        return { ...row, status: 'cancelled' };
      default:
        return row;
    }
  },
  toColumns: (row) => ({ ...row }),
  fromColumns: (columns) => ({ ...(columns as unknown as LoanRegisterRow), principal: Number(columns['principal']) }),
};
