import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { RoundingMode } from '../../kernel/money/rate.js';
import {
  type InstalmentState,
  interestOutstanding,
  penaltyOutstanding,
  principalOutstanding,
} from './loan-state.js';
import type { InstalmentAllocation, PaymentAllocation, PrepaidPrincipal, Reamortisation, RescheduledInstalment } from './payment-allocation.js';
import { type ReamortisationTerms, reamortisedSplits } from './reamortise-schedule.js';
import { type CurrentPeriod, type ScheduleInForce, currentPeriodOf, interestCancelledByPrepayment, interestOwedNow } from './current-period-interest.js';

/**
 * How many instalments, from the first, a payment received on `on` settles in full before
 * anything is prepaid: every instalment already due, plus the current one (the first not
 * yet due) once its period has begun, since a borrower paying ahead of a due date pays
 * that instalment. On a due date itself the next period has not begun: paying off then
 * owes no interest for it.
 */
export function dueOrCurrentCount(instalments: readonly InstalmentState[], on: BusinessDate): number {
  const current = instalments.findIndex((i) => i.dueOn > on);
  if (current === -1) return instalments.length;
  const periodBegins = current > 0 && instalments[current - 1]!.dueOn === on;
  return periodBegins ? current : current + 1;
}

/**
 * Allocation (DESIGN.md §2): oldest instalment first, within it penalty → interest →
 * principal (Civil Code art. 561); what exceeds all that is due prepays principal (booked
 * from the last instalment backwards) and the later instalments are re-amortised on the
 * reduced balance (art. 677: no interest for money no longer borrowed); what exceeds the
 * payoff amount is an overpayment. Money is never dropped.
 *
 * A payment no larger than what has fallen due and the current instalment as scheduled pays
 * them as scheduled: a borrower paying the coming instalment ahead of its due date pays that
 * instalment, and owes nothing more on it. A payment beyond that (it prepays principal of
 * later instalments), or one that pays the loan off, owes the current period's interest only
 * for the days borrowed (art. 677): the current instalment (its period has begun, not ended)
 * takes as interest now only what was carried onto it and round(I × d/P), before its
 * principal, and is left owing round(I × d/P) plus round(I × B'/B × (P − d)/P) for the rest
 * of the period on the balance B' that remains of B, due on its due date; what it gives up is
 * recorded with the re-amortisation (current-period-interest.ts).
 */
export function allocatePayment(
  instalments: readonly InstalmentState[],
  amount: MinorUnits,
  receivedOn: BusinessDate,
  terms: ReamortisationTerms,
  schedule: ScheduleInForce,
): PaymentAllocation {
  let remaining = amount;
  const take = (outstanding: MinorUnits) => {
    const taken = Math.min(remaining, outstanding);
    remaining -= taken;
    return taken;
  };

  const settled = dueOrCurrentCount(instalments, receivedOn);
  const period = currentPeriodOf(instalments, settled, receivedOn, schedule);
  const current = period && prepaysOrPaysOff(instalments, settled, period, amount, terms.rounding) ? period : undefined;
  const interestCap = current && { number: current.number, interest: interestOwedNow(current, terms.rounding) };
  const paid = payInOrder(instalments.slice(0, settled), take, interestCap);

  const later = instalments.slice(settled);
  const prepaid: PrepaidPrincipal[] = [];
  for (const instalment of [...later].reverse()) {
    const principal = take(principalOutstanding(instalment));
    if (principal > 0) prepaid.push({ number: instalment.number, principal, interestCancelled: 0 });
  }
  const currentLine = current && currentInstalmentRescheduled(current, paid, prepaid, terms);
  const rescheduledCurrent = currentLine ? [currentLine] : [];
  if (prepaid.length === 0) {
    if (rescheduledCurrent.length === 0) return { instalments: paid, prepaid, overpayment: remaining };
    return { instalments: paid, prepaid, overpayment: remaining, reamortised: { option: terms.option, instalments: rescheduledCurrent } };
  }
  const reamortised = reamortisationOf(later, prepaid, terms);
  return {
    instalments: paid,
    prepaid,
    overpayment: remaining,
    reamortised: { ...reamortised, instalments: [...rescheduledCurrent, ...reamortised.instalments] },
  };
}

/**
 * Whether a payment reaches beyond what has fallen due and the current instalment as
 * scheduled (so it prepays later principal), or pays the loan off (at least the payoff: the
 * current instalment's interest for the days elapsed, every principal outstanding).
 */
function prepaysOrPaysOff(instalments: readonly InstalmentState[], settled: number, period: CurrentPeriod, amount: MinorUnits, rounding: RoundingMode): boolean {
  const asScheduled = instalments.slice(0, settled).reduce((sum, i) => sum + penaltyOutstanding(i) + interestOutstanding(i) + principalOutstanding(i), 0);
  return amount > asScheduled || amount >= settlingAmount(instalments, settled, period, rounding);
}

/**
 * What settles the instalments on the payment day: everything outstanding on those fallen
 * due, the current instalment's penalty, principal and its interest for the days elapsed
 * (with what was carried onto it, less what is paid), and the later instalments' principal.
 */
export function settlingAmount(instalments: readonly InstalmentState[], settled: number, current: CurrentPeriod | undefined, rounding: RoundingMode): MinorUnits {
  return instalments.reduce((sum, instalment, index) => {
    if (index === current?.index) return sum + penaltyOutstanding(instalment) + interestOwedNow(current, rounding) + principalOutstanding(instalment);
    return sum + (index < settled ? penaltyOutstanding(instalment) + interestOutstanding(instalment) + principalOutstanding(instalment) : principalOutstanding(instalment));
  }, 0);
}

/** What the current instalment gives up of its interest once the payment repaid principal ahead of time (none: undefined). */
function currentInstalmentRescheduled(
  current: CurrentPeriod,
  paid: readonly InstalmentAllocation[],
  prepaid: readonly PrepaidPrincipal[],
  terms: ReamortisationTerms,
): RescheduledInstalment | undefined {
  const onCurrent = paid.find((a) => a.number === current.number);
  const repaidAhead = (onCurrent?.principal ?? 0) + prepaid.reduce((sum, p) => sum + p.principal, 0);
  const interestPaidAfter = current.interestPaid + (onCurrent?.interest ?? 0);
  const cancelled = interestCancelledByPrepayment(current, current.balance - repaidAhead, interestPaidAfter, terms.rounding);
  return cancelled === 0 ? undefined : { number: current.number, principal: 0, interest: cancelled };
}

/**
 * A recovery on a written-off loan: accrual has stopped and nothing is re-amortised, so it
 * pays every instalment in turn, oldest first, penalty → interest → principal, never more
 * than the write-off left owed (interest not yet due at the write-off is not owed); the
 * rest is held as overpayment.
 */
export function allocateRecovery(instalments: readonly InstalmentState[], amount: MinorUnits): PaymentAllocation {
  let remaining = amount;
  const paid = payInOrder(instalments, (outstanding) => {
    const taken = Math.min(remaining, outstanding);
    remaining -= taken;
    return taken;
  });
  return { instalments: paid, prepaid: [], overpayment: remaining };
}

/**
 * Oldest first, within each instalment penalty → interest → principal (Civil Code art. 561),
 * as far as `take` gives; the current instalment's interest no further than `interestCap`.
 */
function payInOrder(
  instalments: readonly InstalmentState[],
  take: (outstanding: MinorUnits) => MinorUnits,
  interestCap?: { readonly number: number; readonly interest: MinorUnits },
): InstalmentAllocation[] {
  const paid: InstalmentAllocation[] = [];
  for (const instalment of instalments) {
    const penalty = take(penaltyOutstanding(instalment));
    const outstanding = interestOutstanding(instalment);
    const interest = take(instalment.number === interestCap?.number ? Math.min(outstanding, interestCap.interest) : outstanding);
    const principal = take(principalOutstanding(instalment));
    if (penalty + interest + principal > 0) paid.push({ number: instalment.number, penalty, interest, principal });
  }
  return paid;
}

/** What each later instalment gives up so that together they owe the re-amortised schedule. */
function reamortisationOf(later: readonly InstalmentState[], prepaid: readonly PrepaidPrincipal[], terms: ReamortisationTerms): Reamortisation {
  const prepaidOn = (number: number) => prepaid.find((p) => p.number === number)?.principal ?? 0;
  const before = later.map((i) => ({ principal: principalOutstanding(i) - prepaidOn(i.number), interest: interestOutstanding(i) }));
  const balance = before.reduce((sum, b) => sum + b.principal, 0);
  const owedBefore = later.map((i) => ({ principal: principalOutstanding(i), interest: interestOutstanding(i) }));
  const after = reamortisedSplits(balance, owedBefore, terms);
  const rescheduled: RescheduledInstalment[] = later
    .map((instalment, index) => ({
      number: instalment.number,
      principal: before[index]!.principal - after[index]!.principal,
      interest: before[index]!.interest - after[index]!.interest,
    }))
    .filter((r) => r.principal !== 0 || r.interest !== 0);
  return { option: terms.option, instalments: rescheduled };
}
