import type { Projection, ReadModelTransaction } from '../../infrastructure/projections/contract/projection.js';
import type { RowFamily } from '../../infrastructure/projections/contract/row-family.js';
import { type LoanEvent, loanIdOfStream } from '../../loans/domain/loan-events.js';
import { instalmentsFromJson, instalmentsToJson } from '../../loans/domain/instalment-row.js';
import { type InstalmentState, evolveInstalments } from '../../loans/domain/loan-state.js';
import { oldestUnpaidDueOn } from '../../loans/domain/days-past-due.js';

export const COB_WORK_INDEX_TABLE = 'cob_work_index';

/**
 * Sorts before every business date: a restructured loan is visited every day of its
 * observation period, paid up or not, because close of business is what ends the period.
 */
const EVERY_DAY = '0000-01-01';

/**
 * Where close of business has work: each active loan with the due date of its oldest
 * instalment that still has unpaid principal or interest (every day while a restructured
 * loan is under observation). COB for date D visits only the loans whose date is on or
 * before D, so it never reads the history of a loan that is paid up.
 */
export class CobWorkIndexProjection implements Projection {
  readonly name = 'cob-work-index';
  /**
   * 5: the index in loan id order (cob_work_index_by_loan); 6: instalments kept as rows of
   * values (instalmentsToJson); 7: the table kept in loan id order (storedInKeyOrder); 8: a
   * rowid table again, its rows of a kilobyte or more kept whole on their page
   * (stored-in-key-order.ts says why). Tables built before a version are rebuilt with it.
   */
  readonly version = 8;
  readonly handles = [
    'LoanDisbursed',
    'PaymentReceived',
    'PaymentReversed',
    'LoanPaidOff',
    'LoanReopened',
    'LoanRestructured',
    'RestructuringObservationEnded',
    'LoanWrittenOff',
    'WriteOffReversed',
    'RestructuringReversed',
  ] satisfies LoanEvent['type'][];
  readonly tables = [COB_WORK_INDEX_TABLE];
  readonly families = [loans];

  async createTables(db: ReadModelTransaction): Promise<void> {
    // A rowid table, not storedInKeyOrder: a loan's row holds its instalments (1-2 KB).
    await db.schema
      .createTable(COB_WORK_INDEX_TABLE)
      .addColumn('loan_id', 'text', (c) => c.primaryKey())
      .addColumn('active', 'integer', (c) => c.notNull())
      // The first business date with work: the oldest unpaid due date, or EVERY_DAY.
      .addColumn('work_from', 'text')
      .addColumn('instalments', 'text', (c) => c.notNull())
      .addColumn('in_restructuring_observation', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('cob_work_index_by_due_date')
      .on(COB_WORK_INDEX_TABLE)
      .columns(['active', 'work_from', 'loan_id'])
      .execute();
    // Close of business pages through the loans with work in loan id order (loansWithWork):
    // read in that order from this index, each page costs the entries it passes over, where
    // the index above would have every loan with work sorted again for every page (quadratic
    // in the loans with work: at 1,000,000 loans, 100,000 of them due, 200 sorts of 100,000).
    // PostgreSQL walks the primary key in that order anyway; SQLite needs this index. The
    // queries are the same with or without it; version 5 rebuilds a table built before it.
    await db.schema
      .createIndex('cob_work_index_by_loan')
      .on(COB_WORK_INDEX_TABLE)
      .columns(['active', 'loan_id', 'work_from'])
      .execute();
  }
}

interface WorkIndexRow {
  readonly loanId: string;
  readonly active: boolean;
  readonly inObservation: boolean;
  /** Folded by LoanState's own evolveInstalments from the events this projection handles. */
  readonly instalments: readonly InstalmentState[];
}

const loans: RowFamily<WorkIndexRow> = {
  table: COB_WORK_INDEX_TABLE,
  keyColumn: 'loan_id',
  keyOf: (event) => loanIdOfStream(event.stream),
  next(row, stored) {
    const event = { type: stored.type, data: stored.data } as LoanEvent;
    if (event.type === 'LoanDisbursed') {
      return { loanId: loanIdOfStream(stored.stream), active: true, inObservation: false, instalments: evolveInstalments([], event) };
    }
    if (!row) return row;
    switch (event.type) {
      case 'PaymentReceived':
      case 'PaymentReversed':
        return { ...row, instalments: evolveInstalments(row.instalments, event) };
      case 'LoanPaidOff':
      case 'LoanWrittenOff':
        return { ...row, active: false };
      case 'LoanReopened':
      case 'WriteOffReversed':
        return { ...row, active: true };
      case 'RestructuringReversed':
        return { ...row, instalments: evolveInstalments(row.instalments, event), inObservation: event.data.restored?.inObservation ?? false };
      case 'LoanRestructured':
        return { ...row, instalments: evolveInstalments(row.instalments, event), inObservation: true };
      case 'RestructuringObservationEnded':
        return { ...row, inObservation: false };
      default:
        return row;
    }
  },
  toColumns: ({ loanId, active, inObservation, instalments }) => ({
    loan_id: loanId,
    active: active ? 1 : 0,
    work_from: !active ? null : inObservation ? EVERY_DAY : (oldestUnpaidDueOn(instalments) ?? null),
    instalments: instalmentsToJson(instalments),
    in_restructuring_observation: inObservation ? 1 : 0,
  }),
  fromColumns: (columns) => ({
    loanId: columns['loan_id'] as string,
    active: Number(columns['active']) === 1,
    inObservation: Number(columns['in_restructuring_observation']) === 1,
    instalments: instalmentsFromJson(columns['instalments'] as string),
  }),
};
