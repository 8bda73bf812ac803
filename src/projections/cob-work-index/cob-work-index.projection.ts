import type { Projection, ReadModelTransaction } from '../../kernel/projections/projection.js';
import type { RowFamily } from '../../kernel/projections/row-family.js';
import { type LoanEvent, loanIdOfStream } from '../../loans/domain/loan-events.js';
import {
  type InstalmentBalance,
  applyAllocation,
  applyRestructuring,
  balancesFromSchedule,
} from '../instalment-balances/instalment-balances.js';
import { oldestUnpaidDueOn } from '../../loans/domain/overdue/loan-standing.js';

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
  readonly version = 2;
  readonly handles = [
    'LoanDisbursed',
    'PaymentReceived',
    'PaymentReversed',
    'LoanPaidOff',
    'LoanReopened',
    'LoanRestructured',
    'RestructuringObservationEnded',
    'LoanWrittenOff',
  ] satisfies LoanEvent['type'][];
  readonly tables = [COB_WORK_INDEX_TABLE];
  readonly families = [loans];

  async createTables(db: ReadModelTransaction): Promise<void> {
    await db.schema
      .createTable(COB_WORK_INDEX_TABLE)
      .addColumn('loan_id', 'text', (c) => c.primaryKey())
      .addColumn('active', 'integer', (c) => c.notNull())
      // The first business date with work: the oldest unpaid due date, or EVERY_DAY.
      .addColumn('work_from', 'text')
      .addColumn('balances', 'text', (c) => c.notNull())
      .addColumn('in_restructuring_observation', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('cob_work_index_by_due_date')
      .on(COB_WORK_INDEX_TABLE)
      .columns(['active', 'work_from', 'loan_id'])
      .execute();
  }
}

interface WorkIndexRow {
  readonly loanId: string;
  readonly active: boolean;
  readonly inObservation: boolean;
  readonly balances: readonly InstalmentBalance[];
}

const loans: RowFamily<WorkIndexRow> = {
  table: COB_WORK_INDEX_TABLE,
  keyColumn: 'loan_id',
  keyOf: (event) => loanIdOfStream(event.stream),
  next(row, stored) {
    const event = { type: stored.type, data: stored.data } as LoanEvent;
    if (event.type === 'LoanDisbursed') {
      return { loanId: loanIdOfStream(stored.stream), active: true, inObservation: false, balances: balancesFromSchedule(event.data.schedule) };
    }
    if (!row) return row;
    switch (event.type) {
      case 'PaymentReceived':
        return { ...row, balances: applyAllocation(row.balances, event.data.allocation, 1) };
      case 'PaymentReversed':
        return { ...row, balances: applyAllocation(row.balances, event.data.allocation, -1) };
      case 'LoanPaidOff':
      case 'LoanWrittenOff':
        return { ...row, active: false };
      case 'LoanReopened':
        return { ...row, active: true };
      case 'LoanRestructured':
        return { ...row, balances: applyRestructuring(row.balances, event.data), inObservation: true };
      case 'RestructuringObservationEnded':
        return { ...row, inObservation: false };
      default:
        return row;
    }
  },
  toColumns: ({ loanId, active, inObservation, balances }) => ({
    loan_id: loanId,
    active: active ? 1 : 0,
    work_from: !active ? null : inObservation ? EVERY_DAY : (oldestUnpaidDueOn(balances) ?? null),
    balances: JSON.stringify(balances),
    in_restructuring_observation: inObservation ? 1 : 0,
  }),
  fromColumns: (columns) => ({
    loanId: columns['loan_id'] as string,
    active: Number(columns['active']) === 1,
    inObservation: Number(columns['in_restructuring_observation']) === 1,
    balances: JSON.parse(columns['balances'] as string),
  }),
};
