import type { StoredEvent } from '../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelTransaction } from '../../kernel/projections/projection.js';
import type { BusinessDayEvent } from '../../close-of-business/domain/business-day.js';
import { type LoanEvent, type LoanOriginatedData, loanIdOfStream } from '../../loans/domain/loan-events.js';
import {
  type InstalmentBalance,
  applyAllocation,
  applyPenalty,
  applyRestructuring,
  applyWaiver,
  balancesFromSchedule,
  oldestUnpaidDueOn,
} from '../instalment-balances/instalment-balances.js';

export const OVERDUE_STATUS_TABLE = 'overdue_status';
export const OVERDUE_AS_OF_TABLE = 'overdue_status_as_of';

/** Sorts after every real date: a loan with nothing unpaid is never past due. */
export const NOTHING_UNPAID = '9999-12-31';

export interface PaymentSeen {
  readonly paymentId: string;
  readonly on: string;
  readonly amount: number;
  readonly reversed: boolean;
}

export interface OverdueStatusRow {
  loan_id: string;
  borrower_id: string;
  borrower_time_zone: string;
  currency: string;
  status: string;
  principal_outstanding: number;
  /** Due date of the oldest instalment with unpaid principal or interest, or NOTHING_UNPAID. */
  unpaid_since: string;
  balances: string;
  payments: string;
  times_30_dpd: number;
  times_60_dpd: number;
  times_90_dpd: number;
  /** 1 from a restructuring until its observation period ends. */
  in_restructuring_observation: number;
  /** Received after write-off. */
  recovered: number;
}

/**
 * Per loan, what days past due, bucket, class and overdue amounts are computed from at
 * query time against the last closed business date: instalment balances (moved by every
 * payment as soon as it is projected, so a cure shows at once), the oldest unpaid due
 * date, payments and how often 30/60/90 days past due were reached.
 */
export class OverdueStatusProjection implements Projection {
  readonly name = 'overdue-status';
  readonly version = 3;
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
  ] satisfies (LoanEvent | BusinessDayEvent)['type'][];
  readonly tables = [OVERDUE_STATUS_TABLE, OVERDUE_AS_OF_TABLE];

  async createTables(db: ReadModelTransaction): Promise<void> {
    await db.schema
      .createTable(OVERDUE_STATUS_TABLE)
      .addColumn('loan_id', 'text', (c) => c.primaryKey())
      .addColumn('borrower_id', 'text', (c) => c.notNull())
      .addColumn('borrower_time_zone', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('principal_outstanding', 'bigint', (c) => c.notNull())
      .addColumn('unpaid_since', 'text', (c) => c.notNull())
      .addColumn('balances', 'text', (c) => c.notNull())
      .addColumn('payments', 'text', (c) => c.notNull())
      .addColumn('times_30_dpd', 'integer', (c) => c.notNull())
      .addColumn('times_60_dpd', 'integer', (c) => c.notNull())
      .addColumn('times_90_dpd', 'integer', (c) => c.notNull())
      .addColumn('in_restructuring_observation', 'integer', (c) => c.notNull())
      .addColumn('recovered', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('overdue_status_by_dpd').on(OVERDUE_STATUS_TABLE).columns(['status', 'unpaid_since', 'loan_id']).execute();
    await db.schema
      .createTable(OVERDUE_AS_OF_TABLE)
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('business_date', 'text', (c) => c.notNull())
      .execute();
  }

  async apply(stored: StoredEvent, db: ReadModelTransaction): Promise<void> {
    const event = { type: stored.type, data: stored.data } as LoanEvent | BusinessDayEvent;
    if (event.type === 'BusinessDayClosed') {
      await db
        .insertInto(OVERDUE_AS_OF_TABLE)
        .values({ id: 1, business_date: event.data.businessDate })
        .onConflict((oc) => oc.column('id').doUpdateSet({ business_date: event.data.businessDate }))
        .execute();
      return;
    }
    if (event.type === 'LoanOriginated') {
      await db.insertInto(OVERDUE_STATUS_TABLE).values(originatedRow(event.data)).execute();
      return;
    }
    const loanId = loanIdOfStream(stored.stream);
    const row = (await db.selectFrom(OVERDUE_STATUS_TABLE).selectAll().where('loan_id', '=', loanId).executeTakeFirstOrThrow()) as OverdueStatusRow;
    const changes = changesFor(event, row);
    if (Object.keys(changes).length > 0) await db.updateTable(OVERDUE_STATUS_TABLE).set(changes).where('loan_id', '=', loanId).execute();
  }
}

function originatedRow(data: LoanOriginatedData): OverdueStatusRow {
  return {
    loan_id: data.loanId,
    borrower_id: data.borrowerId,
    borrower_time_zone: data.borrowerTimeZone,
    currency: data.currency,
    status: 'approved',
    principal_outstanding: data.principal,
    unpaid_since: NOTHING_UNPAID,
    balances: '[]',
    payments: '[]',
    times_30_dpd: 0,
    times_60_dpd: 0,
    times_90_dpd: 0,
    in_restructuring_observation: 0,
    recovered: 0,
  };
}

/**
 * The row a loan's events add up to, in memory: what the projection would hold after
 * exactly these events. Views as of a past date, or as known at a past instant, use it.
 */
export function overdueStatusRowOf(events: readonly LoanEvent[]): OverdueStatusRow | undefined {
  let row: OverdueStatusRow | undefined;
  for (const event of events) {
    if (event.type === 'LoanOriginated') row = originatedRow(event.data);
    else if (row) row = { ...row, ...changesFor(event, row) };
  }
  return row;
}

function changesFor(event: LoanEvent, row: OverdueStatusRow): Partial<OverdueStatusRow> {
  const balances: InstalmentBalance[] = JSON.parse(row.balances);
  const payments: PaymentSeen[] = JSON.parse(row.payments);
  switch (event.type) {
    case 'LoanDisbursed':
      return { status: 'active', ...balanceColumns(balancesFromSchedule(event.data.schedule)) };
    case 'PaymentReceived': {
      const { paymentId, receivedOn, amount, allocation } = event.data;
      const paid = [...payments, { paymentId, on: receivedOn, amount, reversed: false }];
      const recovered = event.data.recovery ? { recovered: Number(row.recovered) + amount } : {};
      return { ...balanceColumns(applyAllocation(balances, allocation, 1)), payments: JSON.stringify(paid), ...recovered };
    }
    case 'PaymentReversed': {
      const marked = payments.map((p) => (p.paymentId === event.data.paymentId ? { ...p, reversed: true } : p));
      return { ...balanceColumns(applyAllocation(balances, event.data.allocation, -1)), payments: JSON.stringify(marked) };
    }
    case 'PenaltyAccrued':
      return balanceColumns(applyPenalty(balances, event.data));
    case 'DelinquencyThresholdReached': {
      const column = `times_${event.data.threshold}_dpd` as const;
      return { [column]: Number(row[column]) + 1 };
    }
    case 'DelinquencyThresholdWithdrawn': {
      const column = `times_${event.data.threshold}_dpd` as const;
      return { [column]: Number(row[column]) - 1 };
    }
    case 'PenaltyAdjusted':
      return balanceColumns(applyPenalty(balances, event.data));
    case 'LoanRestructured':
      return { ...balanceColumns(applyRestructuring(balances, event.data)), in_restructuring_observation: 1 };
    case 'RestructuringObservationEnded':
      return { in_restructuring_observation: 0 };
    case 'PenaltyWaived':
      return balanceColumns(applyWaiver(balances, event.data));
    case 'LoanWrittenOff':
      return { status: 'written-off' };
    case 'LoanPaidOff':
      return { status: 'paid-off' };
    case 'LoanReopened':
      return { status: 'active' };
    default:
      return {};
  }
}

function balanceColumns(balances: readonly InstalmentBalance[]): Pick<OverdueStatusRow, 'balances' | 'unpaid_since' | 'principal_outstanding'> {
  return {
    balances: JSON.stringify(balances),
    unpaid_since: oldestUnpaidDueOn(balances) ?? NOTHING_UNPAID,
    principal_outstanding: balances.reduce((sum, b) => sum + b.principal, 0),
  };
}
