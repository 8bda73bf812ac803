import type { Projection, ReadModelTransaction } from '../../infrastructure/projections/contract/projection.js';
import type { RowFamily } from '../../infrastructure/projections/contract/row-family.js';
import type { BusinessDayEvent } from '../../close-of-business/domain/business-day.js';
import type { LoanEvent } from '../../loans/domain/loan-events.js';
import { instalmentsFromJson } from '../../loans/domain/instalment-row.js';
import { type OverdueLoan, type OverdueStatusRow, columnsOf, foldOverdueLoan, overdueLoanIdOf } from './overdue-status.fold.js';

export const OVERDUE_STATUS_PROJECTION = 'overdue-status';
export const OVERDUE_STATUS_TABLE = 'overdue_status';
export const OVERDUE_AS_OF_TABLE = 'overdue_status_as_of';

/**
 * Per loan, what days past due, bucket, class and overdue amounts are computed from at
 * query time against the last closed business date: the instalments, folded by the loan
 * state's own evolveInstalments from the events this projection handles (what is owed;
 * misses are not tracked here), moved by every payment as soon as it is projected, so a
 * cure shows at once; the oldest unpaid due
 * date, payments and how often 30/60/90 days past due were reached.
 */
export class OverdueStatusProjection implements Projection {
  readonly name = OVERDUE_STATUS_PROJECTION;
  /**
   * 9: instalments kept as rows of values, a third of their size as objects; 10: the loans'
   * table kept in loan id order (storedInKeyOrder); 11: a rowid table again, each loan's row
   * (1-3 KB) kept whole on its page (stored-in-key-order.ts says why). Rebuilt on start.
   */
  readonly version = 11;
  readonly handles = [
    'LoanOriginated',
    'LoanDisbursed',
    'PaymentReceived',
    'PaymentReversed',
    'PenaltyAccrued',
    'DelinquencyThresholdReached',
    'LoanPaidOff',
    'LoanReopened',
    'BusinessDayClosed',
    'LoanRestructured',
    'PenaltyWaived',
    'LoanWrittenOff',
    'RestructuringObservationEnded',
    'PenaltyAdjusted',
    'DelinquencyThresholdWithdrawn',
    'LoanOriginationCancelled',
    'PenaltyWaiverReversed',
    'WriteOffReversed',
    'RestructuringReversed',
  ] satisfies (LoanEvent | BusinessDayEvent)['type'][];
  readonly tables = [OVERDUE_STATUS_TABLE, OVERDUE_AS_OF_TABLE];
  readonly families = [overdueStatusLoans, asOf];

  async createTables(db: ReadModelTransaction): Promise<void> {
    // A rowid table, not storedInKeyOrder: a loan's row holds its instalments and payments (1-3 KB).
    await db.schema
      .createTable(OVERDUE_STATUS_TABLE)
      .addColumn('loan_id', 'text', (c) => c.primaryKey())
      .addColumn('borrower_id', 'text', (c) => c.notNull())
      .addColumn('borrower_time_zone', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('principal_outstanding', 'bigint', (c) => c.notNull())
      .addColumn('unpaid_since', 'text', (c) => c.notNull())
      .addColumn('instalments', 'text', (c) => c.notNull())
      .addColumn('payments', 'text', (c) => c.notNull())
      .addColumn('times_30_dpd', 'integer', (c) => c.notNull())
      .addColumn('times_60_dpd', 'integer', (c) => c.notNull())
      .addColumn('times_90_dpd', 'integer', (c) => c.notNull())
      .addColumn('in_restructuring_observation', 'integer', (c) => c.notNull())
      .addColumn('observation_class_floor', 'text')
      .addColumn('recovered', 'bigint', (c) => c.notNull())
      .addColumn('changed_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('overdue_status_by_dpd').on(OVERDUE_STATUS_TABLE).columns(['status', 'unpaid_since', 'loan_id']).execute();
    await db.schema
      .createTable(OVERDUE_AS_OF_TABLE)
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('business_date', 'text', (c) => c.notNull())
      .execute();
  }
}

/**
 * A loan's row as stored: the fold's, with the global position of the last event folded
 * into it, so that a reader can tell the row is unchanged without reading all of it.
 */
export type StoredOverdueLoan = OverdueLoan & { readonly changed_at: number };

/** A row foldOverdueLoan has just made, which no one else holds yet: its position can be set on it. */
type RowJustFolded = { -readonly [Column in keyof StoredOverdueLoan]: StoredOverdueLoan[Column] };

/** One row per loan, folded by overdue-status.fold.ts (which the dashboard's portfolio history folds in memory too). */
export const overdueStatusLoans: RowFamily<StoredOverdueLoan> = {
  table: OVERDUE_STATUS_TABLE,
  keyColumn: 'loan_id',
  keyOf: overdueLoanIdOf,
  next: (row, event) => {
    const folded = foldOverdueLoan(row, event) as RowJustFolded | undefined;
    // A new object from every fold (foldOverdueLoan's promise): stamped where it is, not copied again for one column.
    if (folded) folded.changed_at = event.position;
    return folded;
  },
  toColumns: (row) => ({ ...columnsOf(row), changed_at: row.changed_at }),
  fromColumns: (columns) => {
    const { instalments, payments, unpaid_since: _derived, principal_outstanding: _alsoDerived, ...rest } = columns as unknown as OverdueStatusRow & {
      changed_at: number | string;
    };
    return {
      ...rest,
      changed_at: Number(rest.changed_at),
      times_30_dpd: Number(rest.times_30_dpd),
      times_60_dpd: Number(rest.times_60_dpd),
      times_90_dpd: Number(rest.times_90_dpd),
      in_restructuring_observation: Number(rest.in_restructuring_observation),
      recovered: Number(rest.recovered),
      instalments: instalmentsFromJson(instalments),
      payments: JSON.parse(payments),
    };
  },
};

/** The last closed business date, which days past due are counted against. */
const asOf: RowFamily<{ id: number; business_date: string }> = {
  table: OVERDUE_AS_OF_TABLE,
  keyColumn: 'id',
  keyOf: (event) => (event.type === 'BusinessDayClosed' ? '1' : undefined),
  next: (_row, event) => ({ id: 1, business_date: (event.data as BusinessDayEvent['data']).businessDate }),
  toColumns: (row) => ({ ...row }),
  fromColumns: (columns) => ({ id: Number(columns['id']), business_date: columns['business_date'] as string }),
};

