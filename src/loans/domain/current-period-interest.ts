import { type BusinessDate, daysBetween } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import { type RoundingMode, roundQuotient } from '../../kernel/money/rate.js';
import { type InstalmentState, type LoanState, type PaymentRecord, interestOutstanding, principalOutstanding } from './loan-state.js';

/**
 * Where the schedule in force begins, as the interest of its current period needs it: the
 * disbursement date, or the date a restructuring's schedule runs from (after its payment
 * holiday); and the overdue interest a restructuring kept due with its first instalment,
 * which fell due under the old schedule and is owed in full, not for a period.
 */
export interface ScheduleInForce {
  readonly from: BusinessDate;
  readonly carried?: { readonly number: number; readonly interest: MinorUnits };
  /**
   * The loan's payments in the order received: those standing (not reversed) within the
   * current period tell the balance it was borrowed at, day by day, since it began.
   */
  readonly payments: ReadonlyMap<string, PaymentRecord>;
}

export function scheduleInForce(state: LoanState): ScheduleInForce {
  const restructuring = state.restructuring;
  const payments = state.payments;
  if (!restructuring) return { from: state.disbursedOn!, payments };
  return { from: restructuring.scheduleFrom, carried: { number: restructuring.firstInstalment, interest: restructuring.keptDueInterest }, payments };
}

/**
 * The instalment whose period has begun and not ended on `on` (its period runs from the
 * previous instalment's due date, or the schedule's start for the first, to its own due
 * date), with what Civil Code art. 677 needs of it: the interest it was scheduled to charge
 * for the whole period when the period began (I₀, on the principal B₀ of this and the later
 * instalments then; interest a restructuring carried onto it is not period interest) and as
 * it stands now (I, lower once a payment in the period repaid principal early), the days of
 * the period and the days elapsed, and how much was borrowed over those days: the period's
 * interest accrues day by day on the balance outstanding, I₀ / (B₀ × P) per unit of it.
 */
export interface CurrentPeriod {
  readonly index: number;
  readonly number: number;
  /** Interest of the whole period as it stands (I). */
  readonly periodInterest: MinorUnits;
  /** Interest of the whole period when it began, before any payment in it (I₀). */
  readonly startInterest: MinorUnits;
  /** Principal outstanding on this and later instalments when the period began (B₀). */
  readonly startBalance: MinorUnits;
  /** Interest carried onto the instalment that fell due before its period (owed in full). */
  readonly carriedInterest: MinorUnits;
  readonly interestPaid: MinorUnits;
  /** Days of the period (P) and days of it elapsed on the payment day (d, 0 before it begins). */
  readonly days: number;
  readonly elapsed: number;
  /** Principal outstanding on this and later instalments before the payment (B). */
  readonly balance: MinorUnits;
  /** Σ balance × days over the days elapsed: B₀ × d when no payment in the period repaid principal. */
  readonly balanceDays: bigint;
}

/** What one standing payment received within the period did to it: principal repaid on this and later instalments, interest of this one given up. */
interface PaymentInPeriod {
  readonly elapsed: number;
  readonly principalRepaid: MinorUnits;
  readonly interestGivenUp: MinorUnits;
}

/**
 * The standing payments received after the period began (on its first day the period has
 * not begun: a payment then re-amortised this instalment with the later ones) and up to `on`,
 * with what each repaid of the balance and gave up of this instalment's interest. Reversed
 * payments never happened for the interest: the reversal put back what they took.
 */
function paymentsInPeriod(
  payments: ReadonlyMap<string, PaymentRecord>,
  startsOn: BusinessDate,
  on: BusinessDate,
  numbers: ReadonlySet<number>,
  current: number,
): PaymentInPeriod[] {
  const inPeriod: PaymentInPeriod[] = [];
  for (const payment of payments.values()) {
    if (payment.reversed || payment.recovery || payment.receivedOn <= startsOn || payment.receivedOn > on) continue;
    const { instalments, prepaid, reamortised } = payment.allocation;
    const onPeriod = <T extends { readonly number: number }>(lines: readonly T[] | undefined, amount: (line: T) => MinorUnits) =>
      (lines ?? []).reduce((sum, line) => (numbers.has(line.number) ? sum + amount(line) : sum), 0);
    const principalRepaid =
      onPeriod(instalments, (a) => a.principal) + onPeriod(prepaid, (p) => p.principal) + onPeriod(reamortised?.instalments, (r) => r.principal);
    const interestGivenUp = (reamortised?.instalments ?? []).reduce((sum, r) => (r.number === current ? sum + r.interest : sum), 0);
    if (principalRepaid === 0 && interestGivenUp === 0) continue;
    inPeriod.push({ elapsed: daysBetween(startsOn, payment.receivedOn), principalRepaid, interestGivenUp });
  }
  return inPeriod;
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
  const elapsed = Math.min(days, Math.max(0, daysBetween(startsOn, on)));
  const numbers = new Set(instalments.slice(index).map((i) => i.number));
  const earlier = paymentsInPeriod(schedule.payments, startsOn, on, numbers, instalment.number);
  const startBalance = balance + earlier.reduce((sum, p) => sum + p.principalRepaid, 0);
  const startInterest = periodInterest + earlier.reduce((sum, p) => sum + p.interestGivenUp, 0);
  // The balance stood at B₀ from the period's start, and each payment lowered it from its day on.
  let balanceDays = 0n;
  let [left, from] = [startBalance, 0];
  for (const payment of earlier) {
    balanceDays += BigInt(left) * BigInt(payment.elapsed - from);
    [left, from] = [left - payment.principalRepaid, payment.elapsed];
  }
  balanceDays += BigInt(left) * BigInt(elapsed - from);
  return {
    index,
    number: instalment.number,
    periodInterest,
    startInterest,
    startBalance,
    carriedInterest,
    interestPaid,
    days,
    elapsed,
    balance,
    balanceDays,
  };
}

/**
 * round(I₀ × Σ(balance × days) / (B₀ × P)): the period's interest for the days the money was
 * borrowed so far, at the balance borrowed on each; round(I₀ × d/P) when nothing was repaid
 * early in the period.
 */
export function interestForDaysElapsed(period: CurrentPeriod, rounding: RoundingMode): MinorUnits {
  const { startInterest: I0, startBalance: B0, days: P, balanceDays } = period;
  return Number(roundQuotient(BigInt(I0) * balanceDays, BigInt(B0) * BigInt(P), rounding));
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
 * the balance: from then on it owes the interest for the days borrowed so far
 * (interestForDaysElapsed) plus round(I₀ × B'/B₀ × (P − d)/P) for the rest of the period on
 * what remains (due on its due date; nothing at payoff). A prepayment never raises interest
 * (rounding up could make the two parts one unit more than I) and never takes back interest
 * already paid (`interestPaidAfter`, this payment included).
 */
export function interestCancelledByPrepayment(
  period: CurrentPeriod,
  balanceAfter: MinorUnits,
  interestPaidAfter: MinorUnits,
  rounding: RoundingMode,
): MinorUnits {
  if (balanceAfter >= period.balance) return 0;
  const { periodInterest: I, startInterest: I0, startBalance: B0, elapsed: d, days: P } = period;
  const rest = roundQuotient(BigInt(I0) * BigInt(balanceAfter) * BigInt(P - d), BigInt(B0) * BigInt(P), rounding);
  const owed = Math.min(I, interestForDaysElapsed(period, rounding) + Number(rest));
  return I - Math.max(owed, interestPaidAfter - period.carriedInterest);
}
