import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { AnnualRate } from '../../kernel/money/rate.js';
import type { LoanEvent, LoanOriginatedData, LoanRestructuredData, PenaltyAccruedData, PenaltyWaivedData } from './loan-events.js';
import type { ScheduledInstalment } from './scheduled-instalment.js';
import type { PaymentAllocation } from './payment-allocation.js';
import { penaltyNumeratorOf } from './penalty-accrual.js';
import { type InstalmentOwed, oldestUnpaidDueOn } from './overdue/loan-standing.js';
import type { FiveCategoryClass } from './overdue/risk-classification.js';

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
  /** Interest no longer owed because principal was prepaid (fully prepaid, or re-amortised on a lower balance). */
  readonly interestCancelled: MinorUnits;
  /** Principal a prepayment's re-amortisation moved off this instalment (negative: onto it). */
  readonly principalRescheduled: MinorUnits;
  /** Moved off this instalment by a restructuring, into the new schedule (or forgone, for interest not yet due). */
  readonly principalRestructured: MinorUnits;
  readonly interestRestructured: MinorUnits;
  readonly penaltyRestructured: MinorUnits;
  readonly penaltyWaived: MinorUnits;
  /** Set once the grace period ended with the instalment unpaid. */
  readonly missedOn: BusinessDate | undefined;
  /** When a reversal made the instalment owe again after it had been paid: it cannot count as missed before that day. */
  readonly reopenedOn: BusinessDate | undefined;
  /** Last day penalty interest was accrued for. */
  readonly penaltyAccruedThrough: BusinessDate | undefined;
  /** Σ base × days × annual rate × 10^10 so far, an integer (see penaltyNumeratorOf); / 360 / 10^10 is the exact penalty. */
  readonly penaltyNumerator: string;
  /** Principal paid, rescheduled or restructured away (+), or reversed (−), by date: the penalty base on each past day. */
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
  /** Received after write-off. */
  readonly recovery: boolean;
}

export interface RefundRecord {
  readonly refundId: string;
  readonly amount: MinorUnits;
  readonly refundedOn: BusinessDate;
}

/** The restructuring in force: the latest. */
export interface RestructuringState {
  readonly restructuringId: string;
  readonly effectiveOn: BusinessDate;
  readonly annualInterestRate: AnnualRate;
  /** The penalty rate from the restructuring on; absent when it did not change. */
  readonly penaltyAnnualRate: AnnualRate | undefined;
  /** The class the loan had when restructured; a non-performing one is a floor through the observation period. */
  readonly classBefore: FiveCategoryClass | undefined;
  /** Overdue interest not capitalised, kept due with the first new instalment. */
  readonly keptDueInterest: MinorUnits;
  /** Number of the first instalment of the new schedule. */
  readonly firstInstalment: number;
  readonly observationEndedOn: BusinessDate | undefined;
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
  /** Set when a reversal moved the oldest unpaid due date back: the days past due it adds show from that day (see thresholdReachedOn). */
  readonly delinquentFrom: BusinessDate | undefined;
  readonly restructuring: RestructuringState | undefined;
  /** Every restructuring and waiver id used on this loan: an id names one decision. */
  readonly restructuringIds: readonly string[];
  readonly waiverIds: readonly string[];
  /** Held overpayment paid back, oldest first. */
  readonly refunds: readonly RefundRecord[];
  readonly writtenOff: { readonly writeOffId: string; readonly writtenOffOn: BusinessDate } | undefined;
  /** The latest date a servicing decision (payment, reversal, restructuring, waiver, write-off) took effect. */
  readonly lastDecisionOn: BusinessDate | undefined;
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
  delinquentFrom: undefined,
  restructuring: undefined,
  restructuringIds: [],
  waiverIds: [],
  refunds: [],
  writtenOff: undefined,
  lastDecisionOn: undefined,
});

export function principalOutstanding(i: InstalmentState): MinorUnits {
  return i.principalDue - i.principalPaid - i.principalRestructured - i.principalRescheduled;
}
export function interestOutstanding(i: InstalmentState): MinorUnits {
  return i.interestDue - i.interestPaid - i.interestCancelled - i.interestRestructured;
}
export function penaltyOutstanding(i: InstalmentState): MinorUnits {
  return i.penaltyDue - i.penaltyPaid - i.penaltyWaived - i.penaltyRestructured;
}
export function instalmentOutstanding(i: InstalmentState): MinorUnits {
  return principalOutstanding(i) + interestOutstanding(i) + penaltyOutstanding(i);
}
/**
 * The instalments payments are allocated to: after a restructuring, its new schedule (the
 * old instalments gave up everything unpaid to it, and may fall due after its first one).
 */
export function instalmentsInForce(state: LoanState): readonly InstalmentState[] {
  const first = state.restructuring?.firstInstalment;
  return first === undefined ? state.instalments : state.instalments.filter((i) => i.number >= first);
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
    const rescheduled = allocation.reamortised?.instalments.find((r) => r.number === instalment.number);
    if (!paid && !prepaid && !rescheduled) return instalment;
    const principal = (paid?.principal ?? 0) + (prepaid?.principal ?? 0);
    // Principal leaves the instalment by being paid or by being rescheduled: both change the penalty base from `on`.
    const principalLeaving = principal + (rescheduled?.principal ?? 0);
    const settledBefore = principalOutstanding(instalment) + interestOutstanding(instalment) === 0;
    const owingAgain = direction === -1 && settledBefore && (paid?.principal ?? 0) + (paid?.interest ?? 0) + (prepaid?.principal ?? 0) > 0;
    return {
      ...instalment,
      ...(owingAgain && { reopenedOn: on }),
      penaltyPaid: instalment.penaltyPaid + direction * (paid?.penalty ?? 0),
      interestPaid: instalment.interestPaid + direction * (paid?.interest ?? 0),
      principalPaid: instalment.principalPaid + direction * principal,
      interestCancelled: instalment.interestCancelled + direction * ((prepaid?.interestCancelled ?? 0) + (rescheduled?.interest ?? 0)),
      principalRescheduled: instalment.principalRescheduled + direction * (rescheduled?.principal ?? 0),
      principalMovements:
        principalLeaving === 0 ? instalment.principalMovements : [...instalment.principalMovements, { on, amount: direction * principalLeaving }],
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

/** What an instalment still owes, as the standing rules (loan-standing.ts) read it. */
export function owedOf(instalment: InstalmentState): InstalmentOwed {
  return {
    dueOn: instalment.dueOn,
    principal: principalOutstanding(instalment),
    interest: interestOutstanding(instalment),
    penalty: penaltyOutstanding(instalment),
  };
}

/** The due date of the oldest instalment with unpaid principal or interest, by the one rule for it (loan-standing.ts). */
export function unpaidSince(instalments: readonly InstalmentState[]): BusinessDate | undefined {
  return oldestUnpaidDueOn(instalments.map(owedOf));
}

/** Whether nothing was past due on a date: a payment that achieves it ends the delinquency episode. */
function isCurrentOn(instalments: readonly InstalmentState[], on: BusinessDate): boolean {
  const since = unpaidSince(instalments);
  return since === undefined || since >= on;
}

/** Whether the oldest instalment with unpaid principal or interest is now an earlier one (or there was none). */
function unpaidSinceMovedEarlier(before: readonly InstalmentState[], after: readonly InstalmentState[]): boolean {
  const [was, now] = [unpaidSince(before), unpaidSince(after)];
  return now !== undefined && (was === undefined || now < was);
}

/** A new instalment, nothing paid on it yet. */
function instalmentFrom(line: ScheduledInstalment): InstalmentState {
  return {
    number: line.number,
    dueOn: line.dueOn,
    principalDue: line.principal,
    interestDue: line.interest,
    penaltyDue: 0,
    principalPaid: 0,
    interestPaid: 0,
    penaltyPaid: 0,
    interestCancelled: 0,
    principalRescheduled: 0,
    principalRestructured: 0,
    interestRestructured: 0,
    penaltyRestructured: 0,
    penaltyWaived: 0,
    missedOn: undefined,
    reopenedOn: undefined,
    penaltyAccruedThrough: undefined,
    penaltyNumerator: '0',
    principalMovements: [],
  };
}

/** The old instalments give up what the restructuring moved; the new schedule follows them. */
function applyRestructuring(instalments: readonly InstalmentState[], restructured: LoanRestructuredData): InstalmentState[] {
  const old = instalments.map((instalment) => {
    const moved = restructured.movedFrom.find((m) => m.number === instalment.number);
    if (!moved) return instalment;
    return {
      ...instalment,
      principalRestructured: instalment.principalRestructured + moved.principal,
      interestRestructured: instalment.interestRestructured + moved.interest,
      penaltyRestructured: instalment.penaltyRestructured + moved.penalty,
      principalMovements:
        moved.principal === 0
          ? instalment.principalMovements
          : [...instalment.principalMovements, { on: restructured.effectiveOn, amount: moved.principal }],
    };
  });
  const schedule = restructured.schedule.map(instalmentFrom);
  const [first, ...rest] = schedule;
  if (!first) return old;
  const { interest, penalty } = restructured.keptDue;
  return [...old, { ...first, interestDue: first.interestDue + interest, penaltyDue: first.penaltyDue + penalty }, ...rest];
}

function applyWaiver(instalments: readonly InstalmentState[], waived: PenaltyWaivedData): InstalmentState[] {
  return instalments.map((instalment) => {
    const share = waived.instalments.find((w) => w.number === instalment.number);
    return share ? { ...instalment, penaltyWaived: instalment.penaltyWaived + share.amount } : instalment;
  });
}

/**
 * What an event does to the instalments, and nothing else: the one fold of a loan's
 * balances, used by the loan's state and by every read model that keeps instalments.
 */
export function evolveInstalments(instalments: readonly InstalmentState[], event: LoanEvent): readonly InstalmentState[] {
  switch (event.type) {
    case 'LoanDisbursed':
      return event.data.schedule.map(instalmentFrom);
    case 'PaymentReceived':
      return applyAllocation(instalments, event.data.allocation, 1, event.data.receivedOn);
    case 'PaymentReversed':
      return applyAllocation(instalments, event.data.allocation, -1, event.data.reversedOn);
    case 'InstalmentMissed':
      return instalments.map((i) => (i.number === event.data.number ? { ...i, missedOn: event.data.missedOn } : i));
    case 'PenaltyAccrued':
      return applyPenalty(instalments, event.data);
    case 'LoanRestructured':
      return applyRestructuring(instalments, event.data);
    case 'PenaltyWaived':
      return applyWaiver(instalments, event.data);
    case 'LoanWrittenOff':
      // Accrual stops for good: the interest of instalments not yet due is not owed (the event records only what fell due).
      return instalments.map((i) => {
        const cancelled = event.data.interestNotYetDue?.find((c) => c.number === i.number)?.amount ?? 0;
        return cancelled === 0 ? i : { ...i, interestCancelled: i.interestCancelled + cancelled };
      });
    case 'PenaltyAdjusted': {
      const byNumber = new Map(event.data.instalments.map((a) => [a.number, a]));
      return instalments.map((i) => {
        const adjustment = byNumber.get(i.number);
        if (!adjustment) return i;
        return {
          ...i,
          penaltyDue: i.penaltyDue + adjustment.amount,
          penaltyNumerator: (BigInt(i.penaltyNumerator) + BigInt(adjustment.numerator)).toString(),
          penaltyAccruedThrough: adjustment.accruedThrough ?? undefined,
        };
      });
    }
    case 'InstalmentMissCured':
      return instalments.map((i) => (i.number === event.data.number ? { ...i, missedOn: undefined, penaltyAccruedThrough: undefined } : i));
    default:
      return instalments;
  }
}

export function evolveLoan(state: LoanState, event: LoanEvent): LoanState {
  const instalments = evolveInstalments(state.instalments, event);
  switch (event.type) {
    case 'LoanOriginated':
      return { ...state, terms: event.data, status: 'approved' };
    case 'LoanDisbursed':
      return { ...state, status: 'active', disbursedOn: event.data.disbursedOn, instalments };
    case 'PaymentReceived': {
      const { paymentId, amount, receivedOn, allocation } = event.data;
      const recovery = event.data.recovery === true;
      const payments = new Map(state.payments).set(paymentId, { paymentId, amount, receivedOn, allocation, reversed: false, recovery });
      return {
        ...state,
        payments,
        instalments,
        overpaymentHeld: state.overpaymentHeld + allocation.overpayment,
        ...(isCurrentOn(instalments, receivedOn) && { delinquencyThreshold: 0, delinquentFrom: undefined }),
        lastDecisionOn: latest(state.lastDecisionOn, receivedOn),
      };
    }
    case 'PaymentReversed': {
      const { paymentId, allocation, reversedOn } = event.data;
      const payment = state.payments.get(paymentId)!;
      return {
        ...state,
        payments: new Map(state.payments).set(paymentId, { ...payment, reversed: true }),
        instalments,
        ...(unpaidSinceMovedEarlier(state.instalments, instalments) && { delinquentFrom: reversedOn }),
        overpaymentHeld: state.overpaymentHeld - allocation.overpayment,
        lastDecisionOn: latest(state.lastDecisionOn, reversedOn),
      };
    }
    case 'OverpaymentRefunded':
      return {
        ...state,
        overpaymentHeld: state.overpaymentHeld - event.data.amount,
        refunds: [...state.refunds, { refundId: event.data.refundId, amount: event.data.amount, refundedOn: event.data.refundedOn }],
      };
    case 'LoanPaidOff':
      return { ...state, status: 'paid-off', paidOffOn: event.data.paidOffOn };
    case 'LoanReopened':
      return { ...state, status: 'active', paidOffOn: undefined };
    case 'InstalmentMissed':
    case 'PenaltyAccrued':
    case 'PenaltyAdjusted':
    case 'InstalmentMissCured':
      return { ...state, instalments };
    case 'DelinquencyThresholdReached':
      return { ...state, delinquencyThreshold: event.data.threshold };
    case 'LoanRestructured': {
      const { restructuringId, effectiveOn, annualInterestRate, penaltyAnnualRate, classBefore, schedule } = event.data;
      return {
        ...state,
        instalments,
        // The overdue amounts left the old schedule: a new delinquency episode starts from zero.
        delinquencyThreshold: 0,
        delinquentFrom: undefined,
        restructuring: {
          restructuringId,
          effectiveOn,
          annualInterestRate,
          penaltyAnnualRate: penaltyAnnualRate ?? state.restructuring?.penaltyAnnualRate,
          classBefore,
          keptDueInterest: event.data.keptDue.interest,
          firstInstalment: schedule[0]!.number,
          observationEndedOn: undefined,
        },
        restructuringIds: [...state.restructuringIds, restructuringId],
        lastDecisionOn: latest(state.lastDecisionOn, effectiveOn),
      };
    }
    case 'PenaltyWaived':
      return {
        ...state,
        instalments,
        waiverIds: [...state.waiverIds, event.data.waiverId],
        lastDecisionOn: latest(state.lastDecisionOn, event.data.waivedOn),
      };
    case 'LoanWrittenOff':
      return {
        ...state,
        status: 'written-off',
        instalments,
        writtenOff: { writeOffId: event.data.writeOffId, writtenOffOn: event.data.writtenOffOn },
        lastDecisionOn: latest(state.lastDecisionOn, event.data.writtenOffOn),
      };
    case 'RestructuringObservationEnded':
      return { ...state, restructuring: state.restructuring && { ...state.restructuring, observationEndedOn: event.data.endedOn } };
    case 'DelinquencyThresholdWithdrawn':
      return { ...state, delinquencyThreshold: Math.min(state.delinquencyThreshold, event.data.threshold - 30) as LoanState['delinquencyThreshold'] };
  }
}

function latest(a: BusinessDate | undefined, b: BusinessDate): BusinessDate {
  return a !== undefined && a > b ? a : b;
}
