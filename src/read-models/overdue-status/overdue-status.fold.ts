import type { StoredEvent } from '../../kernel/event-store/event-store.port.js';
import { type LoanEvent, type LoanOriginatedData, loanIdOfStream } from '../../loans/domain/loan-events.js';
import { instalmentsToJson } from '../../loans/domain/instalment-row.js';
import { type InstalmentState, evolveInstalments, principalOutstanding } from '../../loans/domain/loan-state.js';
import type { StandingFacts } from '../../loans/domain/standing/loan-standing.js';
import { type FiveCategoryClass, observationFloorOf } from '../../loans/domain/standing/risk-classification.js';
import { oldestUnpaidDueOn, owedOf } from '../../loans/domain/days-past-due.js';

/*
 * A loan's overdue-status row as its events fold it, in memory: the projection stores it
 * (overdue-status.projection.ts, its tables), the views as of a past date and the
 * dashboard's portfolio history fold it without the tables.
 */

/** Sorts after every real date: a loan with nothing unpaid is never past due. */
export const NOTHING_UNPAID = '9999-12-31';

export interface PaymentSeen {
  readonly paymentId: string;
  readonly on: string;
  readonly amount: number;
  readonly reversed: boolean;
  /** Received after write-off: its reversal takes it out of `recovered` again. Written only when true. */
  readonly recovery?: true;
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
  /** The loan's instalments as LoanState folds them (evolveInstalments), as rows of values (instalmentsToJson). */
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


/** The loan whose row an event changes (none for a business day's close). */
export function overdueLoanIdOf(event: StoredEvent): string | undefined {
  return event.type === 'BusinessDayClosed' ? undefined : loanIdOfStream(event.stream);
}

/**
 * The loan's row after `stored`: a new one at origination, else the row with the event's
 * changes, always in a new object (the projection sets its own column on it); undefined
 * before origination.
 */
export function foldOverdueLoan(row: OverdueLoan | undefined, stored: StoredEvent): OverdueLoan | undefined {
  return foldLoanEvent(row, { type: stored.type, data: stored.data } as LoanEvent);
}

function foldLoanEvent(row: OverdueLoan | undefined, event: LoanEvent): OverdueLoan | undefined {
  if (event.type === 'LoanOriginated') return originated(event.data);
  return row && nextRow(event, row);
}

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
  const row = events.reduce(foldLoanEvent, undefined);
  return row && columnsOf(row);
}

export function columnsOf({ instalments, payments, ...rest }: OverdueLoan): OverdueStatusRow {
  return {
    ...rest,
    instalments: instalmentsToJson(instalments),
    payments: JSON.stringify(payments),
    unpaid_since: oldestUnpaidDueOn(instalments) ?? NOTHING_UNPAID,
    principal_outstanding: instalments.reduce((sum, i) => sum + principalOutstanding(i), 0),
  };
}

/** The row after an event of a loan already originated: one new object, the row's columns copied once. */
function nextRow(event: LoanEvent, row: OverdueLoan): OverdueLoan {
  const instalments = evolveInstalments(row.instalments, event);
  const { payments } = row;
  switch (event.type) {
    case 'LoanDisbursed':
      return { ...row, status: 'active', instalments };
    case 'PaymentReceived': {
      const { paymentId, receivedOn, amount, recovery } = event.data;
      const paid = [...payments, { paymentId, on: receivedOn, amount, reversed: false, ...(recovery ? { recovery: true as const } : {}) }];
      return { ...row, instalments, payments: paid, ...(recovery && { recovered: row.recovered + amount }) };
    }
    case 'PaymentReversed': {
      const reversed = payments.find((p) => p.paymentId === event.data.paymentId);
      const marked = payments.map((p) => (p === reversed ? { ...p, reversed: true } : p));
      // A recovery that bounced was never recovered.
      return { ...row, instalments, payments: marked, ...(reversed?.recovery && { recovered: row.recovered - reversed.amount }) };
    }
    case 'DelinquencyThresholdReached': {
      const column = `times_${event.data.threshold}_dpd` as const;
      return { ...row, [column]: row[column] + 1 };
    }
    case 'DelinquencyThresholdWithdrawn': {
      const column = `times_${event.data.threshold}_dpd` as const;
      return { ...row, [column]: row[column] - 1 };
    }
    case 'LoanRestructured':
      return {
        ...row,
        instalments,
        in_restructuring_observation: 1,
        observation_class_floor: (event.data.classBefore && observationFloorOf(event.data.classBefore)) ?? null,
      };
    case 'RestructuringObservationEnded':
      return { ...row, in_restructuring_observation: 0, observation_class_floor: null };
    case 'LoanWrittenOff':
      return { ...row, status: 'written-off', instalments };
    case 'WriteOffReversed':
      return { ...row, status: 'active', instalments };
    case 'LoanOriginationCancelled':
      return { ...row, status: 'cancelled' };
    case 'RestructuringReversed': {
      const restored = event.data.restored?.inObservation ? event.data.restored : undefined;
      return {
        ...row,
        instalments,
        in_restructuring_observation: restored ? 1 : 0,
        observation_class_floor: (restored?.classBefore && observationFloorOf(restored.classBefore)) ?? null,
      };
    }
    case 'LoanPaidOff':
      return { ...row, status: 'paid-off' };
    case 'LoanReopened':
      return { ...row, status: 'active' };
    default:
      return { ...row, instalments };
  }
}
