import { canonicalJson } from '../../kernel/canonical-json.js';
import type { Projection, ReadModelTransaction } from '../../kernel/projections/projection.js';
import type { RowFamily } from '../../kernel/projections/row-family.js';
import type { BusinessDayEvent } from '../../close-of-business/domain/business-day.js';
import { type LoanEvent, type LoanOriginatedData, loanIdOfStream } from '../../loans/domain/loan-events.js';
import { type InstalmentState, evolveInstalments, principalOutstanding } from '../../loans/domain/loan-state.js';
import type { StandingFacts } from '../../loans/domain/overdue/loan-standing.js';
import { type FiveCategoryClass, observationFloorOf } from '../../loans/domain/overdue/risk-classification.js';
import { oldestUnpaidDueOn, owedOf } from '../../loans/domain/overdue/days-past-due.js';

export const OVERDUE_STATUS_PROJECTION = 'overdue-status';
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
  /** The loan's instalments as LoanState folds them (evolveInstalments), as JSON. */
  instalments: string;
  payments: string;
  times_30_dpd: number;
  times_60_dpd: number;
  times_90_dpd: number;
  /** 1 from a restructuring until its observation period ends. */
  in_restructuring_observation: number;
  /** During observation: the non-performing class the loan was restructured in (a floor), else null. */
  observation_class_floor: string | null;
  /** Received after write-off. */
  recovered: number;
}

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
  readonly version = 6;
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
      .execute();
    await db.schema.createIndex('overdue_status_by_dpd').on(OVERDUE_STATUS_TABLE).columns(['status', 'unpaid_since', 'loan_id']).execute();
    await db.schema
      .createTable(OVERDUE_AS_OF_TABLE)
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('business_date', 'text', (c) => c.notNull())
      .execute();
  }
}

/** A loan's row as folded in memory: instalments and payments as values, written as JSON columns. */
export interface OverdueLoan extends Omit<OverdueStatusRow, 'instalments' | 'payments' | 'unpaid_since' | 'principal_outstanding'> {
  readonly instalments: readonly InstalmentState[];
  readonly payments: readonly PaymentSeen[];
}

/** What the standing rules (loan-standing.ts) need of a loan's row: its status, what each instalment owes, and observation. */
export function standingFactsOfRow(row: Pick<OverdueLoan, 'status' | 'instalments' | 'in_restructuring_observation' | 'observation_class_floor'>): StandingFacts {
  return {
    status: row.status as StandingFacts['status'],
    instalments: row.instalments.map(owedOf),
    inRestructuringObservation: Number(row.in_restructuring_observation) === 1,
    observationClassFloor: (row.observation_class_floor ?? undefined) as FiveCategoryClass | undefined,
  };
}

/** One row per loan; the dashboard's portfolio history folds the same rows in memory. */
export const overdueStatusLoans: RowFamily<OverdueLoan> = {
  table: OVERDUE_STATUS_TABLE,
  keyColumn: 'loan_id',
  keyOf: (event) => (event.type === 'BusinessDayClosed' ? undefined : loanIdOfStream(event.stream)),
  next(row, stored) {
    const event = { type: stored.type, data: stored.data } as LoanEvent;
    if (event.type === 'LoanOriginated') return originated(event.data);
    return row && { ...row, ...changesFor(event, row) };
  },
  toColumns: (row) => ({ ...columnsOf(row) }),
  fromColumns: (columns) => {
    const { instalments, payments, unpaid_since: _derived, principal_outstanding: _alsoDerived, ...rest } = columns as unknown as OverdueStatusRow;
    return {
      ...rest,
      times_30_dpd: Number(rest.times_30_dpd),
      times_60_dpd: Number(rest.times_60_dpd),
      times_90_dpd: Number(rest.times_90_dpd),
      in_restructuring_observation: Number(rest.in_restructuring_observation),
      recovered: Number(rest.recovered),
      instalments: JSON.parse(instalments),
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

function originated(data: LoanOriginatedData): OverdueLoan {
  return {
    loan_id: data.loanId,
    borrower_id: data.borrowerId,
    borrower_time_zone: data.borrowerTimeZone,
    currency: data.currency,
    status: 'approved',
    instalments: [],
    payments: [],
    times_30_dpd: 0,
    times_60_dpd: 0,
    times_90_dpd: 0,
    in_restructuring_observation: 0,
    observation_class_floor: null,
    recovered: 0,
  };
}

/**
 * The row a loan's events add up to, in memory: what the projection would hold after
 * exactly these events. Views as of a past date, or as known at a past instant, use it.
 */
export function overdueStatusRowOf(events: readonly LoanEvent[]): OverdueStatusRow | undefined {
  let row: OverdueLoan | undefined;
  for (const event of events) {
    if (event.type === 'LoanOriginated') row = originated(event.data);
    else if (row) row = { ...row, ...changesFor(event, row) };
  }
  return row && columnsOf(row);
}

function columnsOf({ instalments, payments, ...rest }: OverdueLoan): OverdueStatusRow {
  return {
    ...rest,
    // Key order follows how a row was folded (in memory or from its stored text): canonical JSON makes the text one.
    instalments: canonicalJson(instalments),
    payments: JSON.stringify(payments),
    unpaid_since: oldestUnpaidDueOn(instalments) ?? NOTHING_UNPAID,
    principal_outstanding: instalments.reduce((sum, i) => sum + principalOutstanding(i), 0),
  };
}

function changesFor(event: LoanEvent, row: OverdueLoan): Partial<OverdueLoan> {
  const instalments = evolveInstalments(row.instalments, event);
  const { payments } = row;
  switch (event.type) {
    case 'LoanDisbursed':
      return { status: 'active', instalments };
    case 'PaymentReceived': {
      const { paymentId, receivedOn, amount } = event.data;
      const paid = [...payments, { paymentId, on: receivedOn, amount, reversed: false }];
      const recovered = event.data.recovery ? { recovered: row.recovered + amount } : {};
      return { instalments, payments: paid, ...recovered };
    }
    case 'PaymentReversed': {
      const marked = payments.map((p) => (p.paymentId === event.data.paymentId ? { ...p, reversed: true } : p));
      return { instalments, payments: marked };
    }
    case 'DelinquencyThresholdReached': {
      const column = `times_${event.data.threshold}_dpd` as const;
      return { [column]: row[column] + 1 };
    }
    case 'DelinquencyThresholdWithdrawn': {
      const column = `times_${event.data.threshold}_dpd` as const;
      return { [column]: row[column] - 1 };
    }
    case 'LoanRestructured':
      return {
        instalments,
        in_restructuring_observation: 1,
        observation_class_floor: (event.data.classBefore && observationFloorOf(event.data.classBefore)) ?? null,
      };
    case 'RestructuringObservationEnded':
      return { in_restructuring_observation: 0, observation_class_floor: null };
    case 'LoanWrittenOff':
      return { status: 'written-off', instalments };
    case 'WriteOffReversed':
      return { status: 'active', instalments };
    case 'LoanOriginationCancelled':
      return { status: 'cancelled' };
    case 'RestructuringReversed': {
      const restored = event.data.restored?.inObservation ? event.data.restored : undefined;
      return {
        instalments,
        in_restructuring_observation: restored ? 1 : 0,
        observation_class_floor: (restored?.classBefore && observationFloorOf(restored.classBefore)) ?? null,
      };
    }
    case 'LoanPaidOff':
      return { status: 'paid-off' };
    case 'LoanReopened':
      return { status: 'active' };
    default:
      return { instalments };
  }
}
