import { isDeepStrictEqual } from 'node:util';
import { type BusinessDate, addDays, daysBetween } from '../../kernel/dates/business-date.js';
import type { RoundingMode } from '../../kernel/money/rate.js';
import { BusinessRuleViolation } from '../../kernel/errors/domain-error.js';
import type { CloseBusinessDay, ReceivePayment } from './loan-commands.js';
import type { LoanEvent, PenaltyAdjustedData } from './loan-events.js';
import { lastAccruedThrough } from './loan-preconditions.js';
import { type InstalmentState, type LoanState, evolveLoan } from './loan-state.js';
import { oldestUnpaidDueOn } from './days-past-due.js';
import { penaltyNumeratorThrough, penaltyNumeratorsByDay, postedPenalty } from './penalty-accrual.js';
import { DELINQUENCY_THRESHOLDS, thresholdReachedOn } from './delinquency-episode.js';
import { penaltyRateInForce } from './rates-in-force.js';


/**
 * How far back a payment may be recorded after close of business passed its day: a year and
 * a day, so a payment found in last year's bank statement still can be.
 */
export const DEFAULT_BACKDATING_LIMIT_DAYS = 366;

/**
 * Whether close of business already passed the payment's day for this loan: penalty was
 * accrued for that day or later, or a due date was recorded missed on or after it.
 */
export function isBackdatedPayment(state: LoanState, receivedOn: BusinessDate): boolean {
  const accrued = lastAccruedThrough(state);
  return (accrued !== undefined && accrued >= receivedOn) || state.instalments.some((i) => i.missedOn !== undefined && i.missedOn >= receivedOn);
}

export interface OnTimeDecisions {
  /** The payment as decided on its day. */
  receivePayment(command: ReceivePayment, state: LoanState): LoanEvent[];
  closeBusinessDay(command: CloseBusinessDay, state: LoanState): LoanEvent[];
}

/**
 * A payment recorded after close of business passed its day. History is not rewritten:
 * the story told so far stays, and compensating events bring the loan exactly to where it
 * would be had the payment been recorded on time — penalty adjusted day by day (each dated
 * the day it corrects, so the loan as of any later date matches too), misses the payment
 * would have prevented cured, 30/60/90-day episodes that would not have happened
 * withdrawn. The on-time story is computed by undoing what close of business did from the
 * payment's day on, deciding the payment there, and closing each day again.
 *
 * Only close of business may have acted since: a payment, reversal, restructuring, waiver
 * or write-off that took effect after the payment's day is refused (reverse, then record
 * in order). A payment more than the backdating limit before the last close is refused too:
 * the work of one command stays bounded (one catch-up close and one pass over the days).
 */
export function decideBackdatedPayment(command: ReceivePayment, state: LoanState, decisions: OnTimeDecisions): LoanEvent[] {
  const on = command.receivedOn;
  if (state.lastDecisionOn !== undefined && state.lastDecisionOn > on) {
    throw new BusinessRuleViolation(
      'LOAN.BACKDATED',
      `A payment received on ${on} precedes a servicing decision that took effect on ${state.lastDecisionOn}; reverse what followed and record in order`,
      { lastDecisionOn: state.lastDecisionOn },
    );
  }
  const observationEnded = state.restructuring?.observationEndedOn;
  if (observationEnded !== undefined && observationEnded >= on) {
    throw new BusinessRuleViolation('LOAN.BACKDATED', `A payment received on ${on} precedes the end of the restructuring observation on ${observationEnded}`);
  }

  const closedThrough = lastClosedDay(state);
  const limit = command.backdatingLimitDays ?? DEFAULT_BACKDATING_LIMIT_DAYS;
  if (daysBetween(on, closedThrough) > limit) {
    throw new BusinessRuleViolation(
      'PAYMENT.BACKDATED_TOO_FAR',
      `A payment received on ${on} reaches back more than ${limit} days before the loan's last close of business on ${closedThrough}; record it as received today and correct the difference with a penalty waiver`,
      { limitDays: limit, lastClosedOn: closedThrough, earliestAccepted: addDays(closedThrough, -limit) },
    );
  }
  let onTime = rolledBackTo(state, on);
  const paid = decisions.receivePayment(command, onTime);
  onTime = paid.reduce(evolveLoan, onTime);
  // One catch-up close through the last closed day records what daily closes would have
  // (every date it records follows from the schedule), in arithmetic over the days spanned.
  const reclosed = decisions.closeBusinessDay({ kind: 'close-business-day', businessDate: closedThrough }, onTime);
  onTime = reclosed.reduce(evolveLoan, onTime);

  const compensation: LoanEvent[] = [
    ...curedMisses(state, reclosed, on, command.paymentId),
    ...withdrawnThresholds(state, reclosed, on, command.paymentId),
    ...paid.filter((event) => event.type !== 'PenaltyAccrued'),
    ...reclosed.filter((event) => event.type === 'InstalmentMissed' && !wasMissed(state, event.data.number, event.data.missedOn)),
    ...reclosed.filter((event) => event.type === 'DelinquencyThresholdReached' && !wasReached(state, event.data.threshold, event.data.reachedOn, on)),
    ...penaltyAdjustments(state, onTime, on, closedThrough, command.paymentId),
    ...reclosed.filter((event) => event.type !== 'InstalmentMissed' && event.type !== 'PenaltyAccrued' && event.type !== 'DelinquencyThresholdReached'),
  ];
  const compensated = compensation.reduce(evolveLoan, state);
  // Never append a story that does not add up: the compensated loan must be the on-time loan.
  if (!isDeepStrictEqual(compensated, onTime)) {
    throw new BusinessRuleViolation('LOAN.BACKDATED', `The payment received on ${on} cannot be reconciled with what was recorded after it; reverse what followed and record in order`);
  }
  return compensation;
}

/** The last business day close of business acted on for this loan. */
function lastClosedDay(state: LoanState): BusinessDate {
  let last = lastAccruedThrough(state);
  for (const i of state.instalments) if (i.missedOn !== undefined && (last === undefined || i.missedOn > last)) last = i.missedOn;
  // isBackdatedPayment found an accrual or a miss on or after the payment's day.
  return last!;
}

/** The loan at the start of `day`: what close of business did from that day on is undone. */
function rolledBackTo(state: LoanState, day: BusinessDate): LoanState {
  const { policy } = state.terms!;
  const rate = penaltyRateInForce(state);
  const dayBefore = addDays(day, -1);
  const instalments = state.instalments.map((i): InstalmentState => {
    const missedBefore = i.missedOn !== undefined && i.missedOn < day;
    if (i.missedOn === undefined || (missedBefore && (i.penaltyAccruedThrough === undefined || i.penaltyAccruedThrough < day))) return i;
    const recorded = BigInt(i.penaltyNumerator);
    if (i.penaltyAccruedThrough !== undefined && penaltyNumeratorThrough(i, i.penaltyAccruedThrough, rate) !== recorded) {
      throw new BusinessRuleViolation('LOAN.BACKDATED', `Instalment ${i.number}'s penalty cannot be traced day by day; record the payment as received today`);
    }
    const kept = missedBefore ? penaltyNumeratorThrough(i, dayBefore, rate) : 0n;
    return {
      ...i,
      missedOn: missedBefore ? i.missedOn : undefined,
      penaltyAccruedThrough: missedBefore ? dayBefore : undefined,
      penaltyNumerator: kept.toString(),
      penaltyDue: i.penaltyDue - postedPenalty(recorded, policy.rounding) + postedPenalty(kept, policy.rounding),
    };
  });
  const oldest = oldestUnpaidDueOn(state.instalments);
  const reachedBefore = DELINQUENCY_THRESHOLDS.filter((t) => t <= state.delinquencyThreshold && oldest !== undefined && thresholdReachedOn(state, oldest, t) < day);
  return { ...state, instalments, delinquencyThreshold: reachedBefore.at(-1) ?? 0 };
}

function wasMissed(state: LoanState, number: number, missedOn: BusinessDate): boolean {
  return state.instalments.some((i) => i.number === number && i.missedOn === missedOn);
}

function wasReached(state: LoanState, threshold: number, reachedOn: BusinessDate, from: BusinessDate): boolean {
  return reachedSince(state, from).some((r) => r.threshold === threshold && r.reachedOn === reachedOn);
}

/** The 30/60/90 thresholds of the current episode reached on or after `from`. */
function reachedSince(state: LoanState, from: BusinessDate): { threshold: 30 | 60 | 90; reachedOn: BusinessDate }[] {
  const oldest = oldestUnpaidDueOn(state.instalments);
  if (oldest === undefined) return [];
  return DELINQUENCY_THRESHOLDS.filter((t) => t <= state.delinquencyThreshold)
    .map((threshold) => ({ threshold, reachedOn: thresholdReachedOn(state, oldest, threshold) }))
    .filter((r) => r.reachedOn >= from);
}

function curedMisses(state: LoanState, reclosed: readonly LoanEvent[], from: BusinessDate, paymentId: string): LoanEvent[] {
  return state.instalments
    .filter((i) => i.missedOn !== undefined && i.missedOn >= from)
    .filter((i) => !reclosed.some((e) => e.type === 'InstalmentMissed' && e.data.number === i.number && e.data.missedOn === i.missedOn))
    .map((i) => ({ type: 'InstalmentMissCured', data: { number: i.number, dueOn: i.dueOn, missedOn: i.missedOn!, paymentId } }));
}

function withdrawnThresholds(state: LoanState, reclosed: readonly LoanEvent[], from: BusinessDate, paymentId: string): LoanEvent[] {
  return reachedSince(state, from)
    .filter((r) => !reclosed.some((e) => e.type === 'DelinquencyThresholdReached' && e.data.threshold === r.threshold && e.data.reachedOn === r.reachedOn))
    .reverse()
    .map((r) => ({ type: 'DelinquencyThresholdWithdrawn', data: { ...r, paymentId } }));
}

/**
 * Day by day from the payment's day to the last closed day: per instalment, the penalty
 * close of business would have posted that day in the on-time story minus what it posted.
 * Each story's running totals are added up once over the span (penaltyNumeratorsByDay), so
 * the work grows with the days times the instalments, with no day computed twice.
 */
function penaltyAdjustments(recorded: LoanState, onTime: LoanState, from: BusinessDate, through: BusinessDate, paymentId: string): LoanEvent[] {
  const rate = penaltyRateInForce(recorded);
  const { rounding } = recorded.terms!.policy;
  const start = addDays(from, -1);
  const days = [start];
  while (days.at(-1)! < through) days.push(addDays(days.at(-1)!, 1));
  const events: LoanEvent[] = [];
  const stories = recorded.instalments.map((actual) => ({
    number: actual.number,
    actual: postedByDay(actual, days, rate, rounding),
    ideal: postedByDay(onTime.instalments.find((i) => i.number === actual.number), days, rate, rounding),
  }));
  for (let k = 1; k < days.length; k++) {
    const day = days[k]!;
    const instalments: PenaltyAdjustedData['instalments'][number][] = [];
    for (const { number, actual, ideal } of stories) {
      const [idealNow, idealBefore, actualNow, actualBefore] = [ideal(k), ideal(k - 1), actual(k), actual(k - 1)];
      const amount = idealNow.amount - idealBefore.amount - (actualNow.amount - actualBefore.amount);
      const numerator = idealNow.numerator - idealBefore.numerator - (actualNow.numerator - actualBefore.numerator);
      if (amount !== 0 || numerator !== 0n || idealNow.accruedThrough !== actualNow.accruedThrough) {
        instalments.push({ number, amount, numerator: numerator.toString(), accruedThrough: idealNow.accruedThrough });
      }
    }
    if (instalments.length > 0) {
      events.push({ type: 'PenaltyAdjusted', data: { paymentId, adjustedOn: day, amount: instalments.reduce((sum, i) => sum + i.amount, 0), instalments } });
    }
  }
  return events;
}

interface PostedByDay {
  readonly numerator: bigint;
  readonly amount: number;
  /** Where the instalment's penalty had run to once close of business ended the day; null when it had none. */
  readonly accruedThrough: BusinessDate | null;
}

const NOTHING_POSTED: PostedByDay = { numerator: 0n, amount: 0, accruedThrough: null };

/**
 * What close of business had posted on the instalment once it ended days[k], for each of the
 * consecutive `days`: nothing before the instalment was missed, then its running total
 * through that day, or through its last accrual if that came earlier.
 */
function postedByDay(instalment: InstalmentState | undefined, days: readonly BusinessDate[], rate: string, rounding: RoundingMode): (k: number) => PostedByDay {
  if (!instalment || instalment.missedOn === undefined || instalment.penaltyAccruedThrough === undefined) return () => NOTHING_POSTED;
  const start = days[0]!;
  const accruedThrough = instalment.penaltyAccruedThrough;
  const missedIndex = daysBetween(start, instalment.missedOn);
  const accruedIndex = daysBetween(start, accruedThrough);
  const last = Math.min(days.length - 1, accruedIndex);
  const numerators = last >= 0 ? penaltyNumeratorsByDay(instalment, start, addDays(start, last), rate) : [penaltyNumeratorThrough(instalment, accruedThrough, rate)];
  const posted = numerators.map((numerator) => ({ numerator, amount: postedPenalty(numerator, rounding) }));
  return (k) => {
    if (k < missedIndex) return NOTHING_POSTED;
    const { numerator, amount } = posted[Math.max(0, Math.min(k, last))]!;
    return { numerator, amount, accruedThrough: k < accruedIndex ? days[k]! : accruedThrough };
  };
}
