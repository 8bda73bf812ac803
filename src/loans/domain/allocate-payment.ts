import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import {
  type InstalmentState,
  interestOutstanding,
  penaltyOutstanding,
  principalOutstanding,
} from './loan-state.js';
import type { InstalmentAllocation, PaymentAllocation, PrepaidPrincipal } from './payment-allocation.js';

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
 * principal (Civil Code art. 561); what exceeds all that is due prepays principal from
 * the last instalment backwards; what exceeds the payoff amount is an overpayment.
 * Money is never dropped.
 */
export function allocatePayment(
  instalments: readonly InstalmentState[],
  amount: MinorUnits,
  receivedOn: BusinessDate,
): PaymentAllocation {
  let remaining = amount;
  const take = (outstanding: MinorUnits) => {
    const taken = Math.min(remaining, outstanding);
    remaining -= taken;
    return taken;
  };

  const settled = dueOrCurrentCount(instalments, receivedOn);
  const paid: InstalmentAllocation[] = [];
  for (const instalment of instalments.slice(0, settled)) {
    const penalty = take(penaltyOutstanding(instalment));
    const interest = take(interestOutstanding(instalment));
    const principal = take(principalOutstanding(instalment));
    if (penalty + interest + principal > 0) paid.push({ number: instalment.number, penalty, interest, principal });
  }

  const prepaid: PrepaidPrincipal[] = [];
  for (const instalment of instalments.slice(settled).reverse()) {
    const outstanding = principalOutstanding(instalment);
    const principal = take(outstanding);
    if (principal === 0) continue;
    const interestCancelled = principal === outstanding ? interestOutstanding(instalment) : 0;
    prepaid.push({ number: instalment.number, principal, interestCancelled });
  }

  return { instalments: paid, prepaid, overpayment: remaining };
}
