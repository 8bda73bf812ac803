import { type BusinessDate, daysBetween } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import { type RoundingMode, roundQuotient } from '../../kernel/money/rate.js';
import { type InstalmentState, type LoanState, interestOutstanding, principalOutstanding } from './loan-state.js';

/**
 * Where the schedule in force begins, as the interest of its current period needs it: the
 * disbursement date, or the date a restructuring's schedule runs from (after its payment
 * holiday); and the overdue interest a restructuring kept due with its first instalment,
 * which fell due under the old schedule and is owed in full, not for a period.
 */
export interface ScheduleInForce {
  readonly from: BusinessDate;
  readonly carried?: { readonly number: number; readonly interest: MinorUnits };
}

export function scheduleInForce(state: LoanState): ScheduleInForce {
  const restructuring = state.restructuring;
  if (!restructuring) return { from: state.disbursedOn! };
  return { from: restructuring.scheduleFrom, carried: { number: restructuring.firstInstalment, interest: restructuring.keptDueInterest } };
}

/**
 * The instalment whose period has begun and not ended on `on` (its period runs from the
 * previous instalment's due date, or the schedule's start for the first, to its own due
 * date), with what Civil Code art. 677 needs of it: the interest it was scheduled to charge
 * for the whole period as it stands (net of earlier cancellations; interest a restructuring
 * carried onto it is not period interest), the days of the period and the days elapsed, and
 * the principal balance that interest was charged on (the current and later instalments').
 */
export interface CurrentPeriod {
  readonly index: number;
  readonly number: number;
  /** Interest of the whole period as it stands (I). */
  readonly periodInterest: MinorUnits;
  /** Interest carried onto the instalment that fell due before its period (owed in full). */
  readonly carriedInterest: MinorUnits;
  readonly interestPaid: MinorUnits;
  /** Days of the period (P) and days of it elapsed on the payment day (d, 0 before it begins). */
  readonly days: number;
  readonly elapsed: number;
  /** Principal outstanding on this and later instalments before the payment (B). */
  readonly balance: MinorUnits;
}

/**
 * The current period of `instalments` (the schedule in force) on `on`, given that a payment
 * then settles the first `settled` of them (dueOrCurrentCount); undefined when every
 * instalment has fallen due, on a due date (the next period has not begun), or when nothing
 * is borrowed on the current and later instalments any more (then nothing can be prepaid).
 */
export function currentPeriodOf(
  instalments: readonly InstalmentState[],
  settled: number,
  on: BusinessDate,
  schedule: ScheduleInForce,
): CurrentPeriod | undefined {
  const index = settled - 1;
  const instalment = instalments[index];
  if (!instalment || instalment.dueOn <= on) return undefined;
  const startsOn = index === 0 ? schedule.from : instalments[index - 1]!.dueOn;
  const days = daysBetween(startsOn, instalment.dueOn);
  const balance = instalments.slice(index).reduce((sum, i) => sum + principalOutstanding(i), 0);
  if (days <= 0 || balance === 0) return undefined;
  const carriedInterest = schedule.carried?.number === instalment.number ? schedule.carried.interest : 0;
  const interestPaid = instalment.interestPaid;
  // Outstanding interest plus what was paid of it is the instalment's interest as it stands.
  const periodInterest = interestOutstanding(instalment) + interestPaid - carriedInterest;
  return {
    index,
    number: instalment.number,
    periodInterest,
    carriedInterest,
    interestPaid,
    days,
    elapsed: Math.min(days, Math.max(0, daysBetween(startsOn, on))),
    balance,
  };
}

/** round(I × d / P): the period's interest for the days the money was borrowed so far. */
export function interestForDaysElapsed(period: CurrentPeriod, rounding: RoundingMode): MinorUnits {
  return Number(roundQuotient(BigInt(period.periodInterest) * BigInt(period.elapsed), BigInt(period.days), rounding));
}

/**
 * Interest the current instalment may take from a payment now: what was carried onto it and
 * the interest of the days elapsed, less what was already paid of them.
 */
export function interestOwedNow(period: CurrentPeriod, rounding: RoundingMode): MinorUnits {
  return Math.max(0, period.carriedInterest + interestForDaysElapsed(period, rounding) - period.interestPaid);
}

/**
 * The interest the current instalment gives up when a payment leaves `balanceAfter` (B') of
 * the `balance` (B) its period's interest was charged on: from then on it owes
 * round(I × d/P) for the days borrowed at the old balance plus round(I × B'/B × (P − d)/P)
 * for the rest of the period on what remains (due on its due date; nothing at payoff). A
 * prepayment never raises interest (rounding up could make the two parts one unit more than
 * I) and never takes back interest already paid (`interestPaidAfter`, this payment included).
 */
export function interestCancelledByPrepayment(
  period: CurrentPeriod,
  balanceAfter: MinorUnits,
  interestPaidAfter: MinorUnits,
  rounding: RoundingMode,
): MinorUnits {
  if (balanceAfter >= period.balance) return 0;
  const { periodInterest: I, elapsed: d, days: P, balance: B } = period;
  const rest = roundQuotient(BigInt(I) * BigInt(balanceAfter) * BigInt(P - d), BigInt(B) * BigInt(P), rounding);
  const owed = Math.min(I, interestForDaysElapsed(period, rounding) + Number(rest));
  return I - Math.max(owed, interestPaidAfter - period.carriedInterest);
}
