import { type BusinessDate, addMonths } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { AnnualRate } from '../../kernel/money/rate.js';
import type { InstalmentRestructured, LoanEvent, LoanOriginatedData, LoanRestructuredData, PenaltyAccruedData, PenaltyWaivedData, RestructuringReversedData } from './loan-events.js';
import type { ScheduledInstalment } from './scheduled-instalment.js';
import type { PaymentAllocation } from './payment-allocation.js';
import { penaltyNumeratorOf } from './penalty-accrual.js';
import { type InstalmentOwed, oldestUnpaidDueOn } from './standing/loan-standing.js';
import type { FiveCategoryClass } from './standing/risk-classification.js';

export type LoanStatus = 'approved' | 'cancelled' | 'active' | 'paid-off' | 'written-off';

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
  /** The date the new schedule runs from (the effective date, or the end of its payment holiday): its first period begins then. */
  readonly scheduleFrom: BusinessDate;
  readonly observationEndedOn: BusinessDate | undefined;
  /** What it took off the old instalments, and the numbers of the instalments it added: what its reversal gives back and removes. */
  readonly movedFrom: readonly InstalmentRestructured[];
  readonly scheduleNumbers: readonly number[];
  /** What the restructuring replaced in the loan's standing: its reversal restores it. */
  readonly before: {
    readonly restructuring: RestructuringState | undefined;
    readonly delinquencyThreshold: 0 | 30 | 60 | 90;
    readonly delinquentFrom: BusinessDate | undefined;
    readonly lastDecisionOn: BusinessDate | undefined;
  };
}

/** A penalty waiver granted, as its reversal needs it. */
export interface WaiverRecord {
  readonly waiverId: string;
  readonly waivedOn: BusinessDate;
  readonly amount: MinorUnits;
  readonly instalments: readonly { readonly number: number; readonly amount: MinorUnits }[];
  readonly reversed: boolean;
}

/** The write-off in force, as its reversal needs it. */
export interface WriteOffRecord {
  readonly writeOffId: string;
  readonly writtenOffOn: BusinessDate;
  readonly interestNotYetDue: readonly { readonly number: number; readonly amount: MinorUnits }[];
  /** Written off by close of business under the policy's days-past-due limit, not by a person. */
  readonly automatic: boolean;
  /** The latest decision before the write-off: once it is reversed, a payment may again be recorded from then on. */
  readonly lastDecisionOnBefore: BusinessDate | undefined;
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
  readonly waivers: readonly WaiverRecord[];
  /** Held overpayment paid back, oldest first. */
  readonly refunds: readonly RefundRecord[];
  readonly writtenOff: WriteOffRecord | undefined;
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
  waivers: [],
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

/**
 * The lists and maps that one fold of a loan's events (foldLoan, LoanAsOf) created itself
 * and has handed to no one yet. States are immutable, so an event that adds a payment or a
 * principal movement copies the list it adds to; over a fold that made every payment copy
 * all the payments before it, and reading a loan cost the square of its history. Within a
 * fold the states between two events are seen by no one, so what the fold itself created
 * it extends in place; anything else (the state it started from, a state already handed
 * out) is copied once, and the copy is then the fold's. Undefined outside a fold: every
 * change copies, as before. No state may keep another state's lists or maps.
 */
export type FoldOwned = WeakSet<object>;

/** `list` and then `item`: in place when the fold owns the list, else a new list (which the fold then owns). */
function appended<T>(list: readonly T[], item: T, owned: FoldOwned | undefined): readonly T[] {
  if (owned?.has(list)) {
    (list as T[]).push(item);
    return list;
  }
  const copy = [...list, item];
  owned?.add(copy);
  return copy;
}

/** The payments with `payment` recorded (added last, or replacing the record of its id where it stands), as `appended` does. */
function withPayment(payments: ReadonlyMap<string, PaymentRecord>, payment: PaymentRecord, owned: FoldOwned | undefined): ReadonlyMap<string, PaymentRecord> {
  if (owned?.has(payments)) {
    (payments as Map<string, PaymentRecord>).set(payment.paymentId, payment);
    return payments;
  }
  const copy = new Map(payments).set(payment.paymentId, payment);
  owned?.add(copy);
  return copy;
}

/** An event's line for an instalment number: the first of that number, as `find` would take it. */
interface LinesByNumber<T> {
  get(number: number): T | undefined;
}

const NO_LINES: LinesByNumber<never> = { get: () => undefined };
/**
 * Lists up to this long are scanned. Most events name one or two instalments (a day's
 * penalty accrual, a payment of the instalment due): building a map for each, and an
 * empty one for each absent list, cost more than the scans while folding a log.
 */
const SCANNED_LINES = 8;

/** An event's per-instalment lines by instalment number: a long list is indexed once, not scanned per instalment. */
function byNumber<T extends { readonly number: number }>(lines: readonly T[] | undefined): LinesByNumber<T> {
  if (lines === undefined || lines.length === 0) return NO_LINES;
  if (lines.length <= SCANNED_LINES) return { get: (number) => lines.find((line) => line.number === number) };
  const map = new Map<number, T>();
  for (const line of lines) if (!map.has(line.number)) map.set(line.number, line);
  return map;
}

/** Applies an allocation (direction 1) or undoes it exactly (direction -1), on a date. */
function applyAllocation(
  instalments: readonly InstalmentState[],
  allocation: PaymentAllocation,
  direction: 1 | -1,
  on: BusinessDate,
  owned: FoldOwned | undefined,
): InstalmentState[] {
  const [paidTo, prepaidOn, rescheduledOn] = [byNumber(allocation.instalments), byNumber(allocation.prepaid), byNumber(allocation.reamortised?.instalments)];
  return instalments.map((instalment) => {
    const paid = paidTo.get(instalment.number);
    const prepaid = prepaidOn.get(instalment.number);
    const rescheduled = rescheduledOn.get(instalment.number);
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
        principalLeaving === 0 ? instalment.principalMovements : appended(instalment.principalMovements, { amount: direction * principalLeaving, on }, owned),
    };
  });
}

function applyPenalty(instalments: readonly InstalmentState[], accrued: PenaltyAccruedData): InstalmentState[] {
  const penalties = byNumber(accrued.instalments);
  return instalments.map((instalment) => {
    const penalty = penalties.get(instalment.number);
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
  // Keys in sorted order, as every instalment is built (loan-snapshot too) and spreads keep:
  // projections write the instalments as canonical JSON, at once when already in order.
  return {
    dueOn: line.dueOn,
    interestCancelled: 0,
    interestDue: line.interest,
    interestPaid: 0,
    interestRestructured: 0,
    missedOn: undefined,
    number: line.number,
    penaltyAccruedThrough: undefined,
    penaltyDue: 0,
    penaltyNumerator: '0',
    penaltyPaid: 0,
    penaltyRestructured: 0,
    penaltyWaived: 0,
    principalDue: line.principal,
    principalMovements: [],
    principalPaid: 0,
    principalRescheduled: 0,
    principalRestructured: 0,
    reopenedOn: undefined,
  };
}

/** The old instalments give up what the restructuring moved; the new schedule follows them. */
function applyRestructuring(instalments: readonly InstalmentState[], restructured: LoanRestructuredData, owned: FoldOwned | undefined): InstalmentState[] {
  const movedFrom = byNumber(restructured.movedFrom);
  const old = instalments.map((instalment) => {
    const moved = movedFrom.get(instalment.number);
    if (!moved) return instalment;
    return {
      ...instalment,
      principalRestructured: instalment.principalRestructured + moved.principal,
      interestRestructured: instalment.interestRestructured + moved.interest,
      penaltyRestructured: instalment.penaltyRestructured + moved.penalty,
      principalMovements:
        moved.principal === 0
          ? instalment.principalMovements
          : appended(instalment.principalMovements, { amount: moved.principal, on: restructured.effectiveOn }, owned),
    };
  });
  const schedule = restructured.schedule.map(instalmentFrom);
  const [first, ...rest] = schedule;
  if (!first) return old;
  const { interest, penalty } = restructured.keptDue;
  return [...old, { ...first, interestDue: first.interestDue + interest, penaltyDue: first.penaltyDue + penalty }, ...rest];
}

/** The old instalments get back what the restructuring moved from them (and their penalty base from its day); the new ones go. */
function undoRestructuring(instalments: readonly InstalmentState[], reversed: RestructuringReversedData): InstalmentState[] {
  return instalments
    .filter((instalment) => !reversed.removedInstalments.includes(instalment.number))
    .map((instalment) => {
      const moved = reversed.movedFrom.find((m) => m.number === instalment.number);
      if (!moved) return instalment;
      const movement = instalment.principalMovements.findLastIndex((m) => m.on === reversed.effectiveOn && m.amount === moved.principal);
      return {
        ...instalment,
        principalRestructured: instalment.principalRestructured - moved.principal,
        interestRestructured: instalment.interestRestructured - moved.interest,
        penaltyRestructured: instalment.penaltyRestructured - moved.penalty,
        principalMovements: moved.principal === 0 || movement < 0 ? instalment.principalMovements : instalment.principalMovements.toSpliced(movement, 1),
      };
    });
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
 * `owned`: within a fold, what it may extend in place (FoldOwned).
 */
export function evolveInstalments(instalments: readonly InstalmentState[], event: LoanEvent, owned?: FoldOwned): readonly InstalmentState[] {
  switch (event.type) {
    case 'LoanDisbursed':
      return event.data.schedule.map(instalmentFrom);
    case 'PaymentReceived':
      return applyAllocation(instalments, event.data.allocation, 1, event.data.receivedOn, owned);
    case 'PaymentReversed':
      return applyAllocation(instalments, event.data.allocation, -1, event.data.reversedOn, owned);
    case 'InstalmentMissed':
      return instalments.map((i) => (i.number === event.data.number ? { ...i, missedOn: event.data.missedOn } : i));
    case 'PenaltyAccrued':
      return applyPenalty(instalments, event.data);
    case 'LoanRestructured':
      return applyRestructuring(instalments, event.data, owned);
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
    case 'PenaltyWaiverReversed':
      return instalments.map((i) => {
        const share = event.data.instalments.find((w) => w.number === i.number);
        return share ? { ...i, penaltyWaived: i.penaltyWaived - share.amount } : i;
      });
    case 'WriteOffReversed':
      return instalments.map((i) => {
        const restored = event.data.interestNotYetDue.find((c) => c.number === i.number)?.amount ?? 0;
        return restored === 0 ? i : { ...i, interestCancelled: i.interestCancelled - restored };
      });
    case 'RestructuringReversed':
      return undoRestructuring(instalments, event.data);
    default:
      return instalments;
  }
}

export function evolveLoan(state: LoanState, event: LoanEvent): LoanState {
  return evolveLoanIn(state, event, undefined);
}

/**
 * A loan's state after its events, from `from` (the initial state, or a snapshot's): what
 * `events.reduce(evolveLoan, from)` gives, in time linear in the events (see FoldOwned).
 */
export function foldLoan(events: Iterable<LoanEvent>, from: LoanState = initialLoanState()): LoanState {
  const owned: FoldOwned = new WeakSet();
  let state = from;
  for (const event of events) state = evolveLoanIn(state, event, owned);
  return state;
}

/** evolveLoan within a fold that may extend in place what it owns (FoldOwned); `undefined`: outside one. */
export function evolveLoanIn(state: LoanState, event: LoanEvent, owned: FoldOwned | undefined): LoanState {
  const instalments = evolveInstalments(state.instalments, event, owned);
  switch (event.type) {
    case 'LoanOriginated':
      return { ...state, terms: event.data, status: 'approved' };
    case 'LoanDisbursed':
      return { ...state, status: 'active', disbursedOn: event.data.disbursedOn, instalments };
    case 'PaymentReceived': {
      const { paymentId, amount, receivedOn, allocation } = event.data;
      const recovery = event.data.recovery === true;
      const payments = withPayment(state.payments, { paymentId, amount, receivedOn, allocation, reversed: false, recovery }, owned);
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
        payments: withPayment(state.payments, { ...payment, reversed: true }, owned),
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
        refunds: appended(state.refunds, { refundId: event.data.refundId, amount: event.data.amount, refundedOn: event.data.refundedOn }, owned),
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
          scheduleFrom: addMonths(effectiveOn, event.data.paymentHolidayMonths ?? 0),
          observationEndedOn: undefined,
          movedFrom: event.data.movedFrom,
          scheduleNumbers: schedule.map((line) => line.number),
          before: {
            restructuring: state.restructuring,
            delinquencyThreshold: state.delinquencyThreshold,
            delinquentFrom: state.delinquentFrom,
            lastDecisionOn: state.lastDecisionOn,
          },
        },
        restructuringIds: [...state.restructuringIds, restructuringId],
        lastDecisionOn: latest(state.lastDecisionOn, effectiveOn),
      };
    }
    case 'PenaltyWaived':
      return {
        ...state,
        instalments,
        waivers: [
          ...state.waivers,
          { waiverId: event.data.waiverId, waivedOn: event.data.waivedOn, amount: event.data.amount, instalments: event.data.instalments, reversed: false },
        ],
        lastDecisionOn: latest(state.lastDecisionOn, event.data.waivedOn),
      };
    case 'LoanWrittenOff':
      return {
        ...state,
        status: 'written-off',
        instalments,
        writtenOff: {
          writeOffId: event.data.writeOffId,
          writtenOffOn: event.data.writtenOffOn,
          interestNotYetDue: event.data.interestNotYetDue ?? [],
          automatic: event.data.automatic,
          lastDecisionOnBefore: state.lastDecisionOn,
        },
        lastDecisionOn: latest(state.lastDecisionOn, event.data.writtenOffOn),
      };
    case 'RestructuringObservationEnded':
      return { ...state, restructuring: state.restructuring && { ...state.restructuring, observationEndedOn: event.data.endedOn } };
    case 'DelinquencyThresholdWithdrawn':
      return { ...state, delinquencyThreshold: Math.min(state.delinquencyThreshold, event.data.threshold - 30) as LoanState['delinquencyThreshold'] };
    case 'LoanOriginationCancelled':
      return { ...state, status: 'cancelled' };
    case 'PenaltyWaiverReversed':
      return {
        ...state,
        instalments,
        waivers: state.waivers.map((w) => (w.waiverId === event.data.waiverId ? { ...w, reversed: true } : w)),
        lastDecisionOn: latest(state.lastDecisionOn, event.data.reversedOn),
      };
    case 'WriteOffReversed':
      // As if the write-off had not been made: a payment predating it may be recorded again.
      return { ...state, status: 'active', instalments, writtenOff: undefined, lastDecisionOn: state.writtenOff?.lastDecisionOnBefore };
    case 'RestructuringReversed': {
      const before = state.restructuring!.before;
      return {
        ...state,
        instalments,
        restructuring: before.restructuring,
        delinquencyThreshold: before.delinquencyThreshold,
        delinquentFrom: before.delinquentFrom,
        lastDecisionOn: before.lastDecisionOn,
      };
    }
  }
}

function latest(a: BusinessDate | undefined, b: BusinessDate): BusinessDate {
  return a !== undefined && a > b ? a : b;
}
