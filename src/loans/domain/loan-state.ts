import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { LoanEvent, LoanOriginatedData, PenaltyAccruedData } from './loan-events.js';
import type { PaymentAllocation } from './payment-allocation.js';
import { penaltyNumeratorOf } from './penalty-accrual.js';

export type LoanStatus = 'approved' | 'active' | 'paid-off' | 'written-off';

/** An instalment as it stands: what the schedule asked, what was paid, what was cancelled. */
export interface InstalmentState {
  readonly number: number;
  readonly dueOn: BusinessDate;
  readonly principalDue: MinorUnits;
  readonly interestDue: MinorUnits;
  readonly penaltyDue: MinorUnits;
  readonly principalPaid: MinorUnits;
  readonly interestPaid: MinorUnits;
  readonly penaltyPaid: MinorUnits;
  /** Interest no longer owed because the instalment's principal was prepaid. */
  readonly interestCancelled: MinorUnits;
  /** Set once the grace period ended with the instalment unpaid. */
  readonly missedOn: BusinessDate | undefined;
  /** Last day penalty interest was accrued for. */
  readonly penaltyAccruedThrough: BusinessDate | undefined;
  /** Σ base × days × annual rate × 10^10 so far, an integer (see penaltyNumeratorOf); / 360 / 10^10 is the exact penalty. */
  readonly penaltyNumerator: string;
  /** Principal paid (+) or reversed (−) by date: the penalty base on each past day. */
  readonly principalMovements: readonly PrincipalMovement[];
}

export interface PrincipalMovement {
  readonly on: BusinessDate;
  readonly amount: MinorUnits;
}

export interface PaymentRecord {
  readonly paymentId: string;
  readonly amount: MinorUnits;
  readonly receivedOn: BusinessDate;
  readonly allocation: PaymentAllocation;
  readonly reversed: boolean;
}

export interface LoanState {
  /** Undefined until the loan is originated. */
  readonly terms: LoanOriginatedData | undefined;
  readonly status: LoanStatus | undefined;
  readonly disbursedOn: BusinessDate | undefined;
  readonly instalments: readonly InstalmentState[];
  readonly payments: ReadonlyMap<string, PaymentRecord>;
  readonly overpaymentHeld: MinorUnits;
  readonly paidOffOn: BusinessDate | undefined;
  /** Highest days-past-due threshold (30, 60, 90) reached since the loan was last current. */
  readonly delinquencyThreshold: 0 | 30 | 60 | 90;
}

export const initialLoanState = (): LoanState => ({
  terms: undefined,
  status: undefined,
  disbursedOn: undefined,
  instalments: [],
  payments: new Map(),
  overpaymentHeld: 0,
  paidOffOn: undefined,
  delinquencyThreshold: 0,
});

export function principalOutstanding(i: InstalmentState): MinorUnits {
  return i.principalDue - i.principalPaid;
}
export function interestOutstanding(i: InstalmentState): MinorUnits {
  return i.interestDue - i.interestPaid - i.interestCancelled;
}
export function penaltyOutstanding(i: InstalmentState): MinorUnits {
  return i.penaltyDue - i.penaltyPaid;
}
export function instalmentOutstanding(i: InstalmentState): MinorUnits {
  return principalOutstanding(i) + interestOutstanding(i) + penaltyOutstanding(i);
}
export function loanOutstanding(state: LoanState): MinorUnits {
  return state.instalments.reduce((sum, i) => sum + instalmentOutstanding(i), 0);
}

/** Applies an allocation (direction 1) or undoes it exactly (direction -1), on a date. */
function applyAllocation(
  instalments: readonly InstalmentState[],
  allocation: PaymentAllocation,
  direction: 1 | -1,
  on: BusinessDate,
): InstalmentState[] {
  return instalments.map((instalment) => {
    const paid = allocation.instalments.find((a) => a.number === instalment.number);
    const prepaid = allocation.prepaid.find((p) => p.number === instalment.number);
    if (!paid && !prepaid) return instalment;
    const principal = (paid?.principal ?? 0) + (prepaid?.principal ?? 0);
    return {
      ...instalment,
      penaltyPaid: instalment.penaltyPaid + direction * (paid?.penalty ?? 0),
      interestPaid: instalment.interestPaid + direction * (paid?.interest ?? 0),
      principalPaid: instalment.principalPaid + direction * principal,
      interestCancelled: instalment.interestCancelled + direction * (prepaid?.interestCancelled ?? 0),
      principalMovements:
        principal === 0 ? instalment.principalMovements : [...instalment.principalMovements, { on, amount: direction * principal }],
    };
  });
}

function applyPenalty(instalments: readonly InstalmentState[], accrued: PenaltyAccruedData): InstalmentState[] {
  return instalments.map((instalment) => {
    const penalty = accrued.instalments.find((p) => p.number === instalment.number);
    if (!penalty) return instalment;
    return {
      ...instalment,
      penaltyDue: instalment.penaltyDue + penalty.amount,
      penaltyNumerator: (BigInt(instalment.penaltyNumerator) + penaltyNumeratorOf(penalty.segments, accrued.annualRate)).toString(),
      penaltyAccruedThrough: accrued.to,
    };
  });
}

/** Whether nothing was past due on a date: a payment that achieves it ends the delinquency episode. */
function isCurrentOn(instalments: readonly InstalmentState[], on: BusinessDate): boolean {
  return !instalments.some((i) => i.dueOn < on && principalOutstanding(i) + interestOutstanding(i) > 0);
}

export function evolveLoan(state: LoanState, event: LoanEvent): LoanState {
  switch (event.type) {
    case 'LoanOriginated':
      return { ...state, terms: event.data, status: 'approved' };
    case 'LoanDisbursed':
      return {
        ...state,
        status: 'active',
        disbursedOn: event.data.disbursedOn,
        instalments: event.data.schedule.map((line) => ({
          number: line.number,
          dueOn: line.dueOn,
          principalDue: line.principal,
          interestDue: line.interest,
          penaltyDue: 0,
          principalPaid: 0,
          interestPaid: 0,
          penaltyPaid: 0,
          interestCancelled: 0,
          missedOn: undefined,
          penaltyAccruedThrough: undefined,
          penaltyNumerator: '0',
          principalMovements: [],
        })),
      };
    case 'PaymentReceived': {
      const { paymentId, amount, receivedOn, allocation } = event.data;
      const payments = new Map(state.payments).set(paymentId, { paymentId, amount, receivedOn, allocation, reversed: false });
      const instalments = applyAllocation(state.instalments, allocation, 1, receivedOn);
      return {
        ...state,
        payments,
        instalments,
        overpaymentHeld: state.overpaymentHeld + allocation.overpayment,
        delinquencyThreshold: isCurrentOn(instalments, receivedOn) ? 0 : state.delinquencyThreshold,
      };
    }
    case 'PaymentReversed': {
      const { paymentId, allocation, reversedOn } = event.data;
      const payment = state.payments.get(paymentId)!;
      return {
        ...state,
        payments: new Map(state.payments).set(paymentId, { ...payment, reversed: true }),
        instalments: applyAllocation(state.instalments, allocation, -1, reversedOn),
        overpaymentHeld: state.overpaymentHeld - allocation.overpayment,
      };
    }
    case 'LoanPaidOff':
      return { ...state, status: 'paid-off', paidOffOn: event.data.paidOffOn };
    case 'LoanReopened':
      return { ...state, status: 'active', paidOffOn: undefined };
    case 'InstalmentMissed':
      return {
        ...state,
        instalments: state.instalments.map((i) => (i.number === event.data.number ? { ...i, missedOn: event.data.missedOn } : i)),
      };
    case 'PenaltyAccrued':
      return { ...state, instalments: applyPenalty(state.instalments, event.data) };
    case 'DelinquencyThresholdReached':
      return { ...state, delinquencyThreshold: event.data.threshold };
  }
}
